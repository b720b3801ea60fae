"""Issue #20: a transfer notice reads in its recipient's language (page, API, e-mail), whatever
language the liaison who acted used: the event, the kind and the state are translated when shown,
and so is the early-transfer warning with its own placeholders."""

import pytest
from django.utils import translation

from notifications.models import Notification
from tests.notifications.shown import assert_reads
from windows import services

from .test_transfers import replace

pytestmark = pytest.mark.django_db

JUSTIFICATION = "本人身体原因需要长期治疗，无法继续窗口工作"


def submit_early(liaison, window, outgoing, incoming, when):
    with translation.override("zh-hans"):  # the liaison works in Chinese
        transfer = replace(
            liaison, window, outgoing, incoming, when, early_justification=JUSTIFICATION
        )
        return services.transfer_submit(actor=liaison, transfer=transfer)


@pytest.mark.parametrize(
    ("language", "says", "never"),
    [
        (
            "en",
            ["submitted", "Replace a person at window A-01", "is now: Submitted", "early transfer"],
            ["已提交", "提前调整"],
        ),
        ("zh-hans", ["已提交", "提前调整", "A-01"], ["submitted", "Submitted", "early transfer"]),
    ],
)
def test_transfer_notice_reads_in_the_recipients_language(
    admin_user, liaison_a, window_a, newcomer_a, candidate_a, today, language, says, never
):
    admin_user.email = "center@example.cn"
    admin_user.language = language
    admin_user.save()
    transfer = submit_early(liaison_a, window_a, newcomer_a, candidate_a, today)
    row = Notification.objects.get(recipient=admin_user)
    assert row.kind == "transfer.changed" and row.subject_id == transfer.pk
    assert row.params["state"] == {"$": "text", "id": "Submitted"}
    assert row.params["note"][0]["p"]["justification"] == JUSTIFICATION  # data stays data
    assert_reads(admin_user, row, says=[*says, f"#{transfer.pk}", JUSTIFICATION], never=never)
