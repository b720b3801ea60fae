"""Issue #20: parameters stored as JSON and texts rendered from the kind when shown, in the
reader's language; rows without parameters (written before) still show their stored text; the
lists stay constant in queries."""

from datetime import date, datetime
from decimal import Decimal
from functools import partial

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy, ngettext_lazy

from notifications import services, texts
from notifications.models import EmailStatus, Notification
from notifications.registry import Month, Text
from staff.models import User
from tests.conftest import client_for
from tests.queries import assert_constant_queries

from .shown import assert_reads
from .test_views import make


def shown(value, language):
    with translation.override(language):
        return texts._shown(texts.encode(value))


def test_lazy_strings_are_stored_as_msgids_and_translated_when_shown():
    assert texts.encode(EmailStatus.SENT.label) == {"$": "text", "ctx": "e-mail", "id": "Sent"}
    assert shown(EmailStatus.SENT.label, "zh-hans") == "已发送"
    assert shown(EmailStatus.PENDING.label, "zh-hans") == "待发送"  # the context kept
    assert shown(EmailStatus.SENT.label, "en") == "Sent"
    assert shown(gettext_lazy("online"), "zh-hans") == "线上"


def test_a_text_with_placeholders_and_a_list_of_parts():
    warning = Text(gettext_lazy("%(count)s notifications marked read."), count=3)
    stored = texts.encode([warning, "", "同意"])
    assert stored[0] == {
        "$": "text",
        "id": "%(count)s notifications marked read.",
        "p": {"count": 3},
    }
    assert shown([warning, "", "同意"], "en") == "3 notifications marked read. 同意"
    assert shown([], "en") == ""


def test_dates_months_and_numbers():
    moment = timezone.make_aware(datetime(2026, 12, 3, 19, 30))
    assert shown(date(2026, 12, 3), "zh-hans") == "2026年12月3日"
    assert shown(date(2026, 12, 3), "en") == "3 December 2026"
    assert shown(Month(date(2026, 11, 1)), "zh-hans") == "2026年11月"
    assert shown(Month(date(2026, 11, 1)), "en") == "November 2026"
    assert shown(moment, "en") == "3 December 2026 19:30"
    assert shown(Decimal("2.50"), "en") == "2.50"
    assert texts.encode({"n": 3, "x": None, "ok": True}) == {"n": 3, "x": None, "ok": True}


@pytest.mark.parametrize(
    "value",
    [
        partial(str, "x"),  # a callable cannot be stored
        ngettext_lazy("%(n)s day", "%(n)s days", "n"),
        datetime(2026, 12, 3, 19, 30),  # naive
        object(),
    ],
)
def test_what_cannot_be_stored_is_refused(value):
    with pytest.raises(TypeError):
        texts.encode({"value": value})


PARAMS = {
    "name": "王芳",
    "number": "川执2026001",
    "department": "市场监管局",
    "expires": date(2026, 4, 1),
    "days": 20,
}


def make_rows(user, n: int, *, start: int = 0, with_params: bool = True):
    return make(
        user, n, start=start, params=texts.encode(PARAMS) if with_params else None, body="旧正文"
    )


@pytest.mark.django_db
def test_old_rows_without_parameters_show_their_stored_text(staff_user):
    staff_user.email = "window@example.org"
    staff_user.language = "en"
    staff_user.save()
    old, new = make_rows(staff_user, 2)
    Notification.objects.filter(pk=old.pk).update(params=None)
    assert_reads(staff_user, old, says=["提醒0", "旧正文"], never=["Law-enforcement"])
    assert_reads(
        staff_user,
        new,
        says=["Law-enforcement certificate of 王芳 expires on 1 April 2026", "20 days from now"],
        never=["提醒1", "旧正文"],
    )


@pytest.mark.django_db
def test_parameters_that_no_longer_fit_the_kind_show_the_stored_text(staff_user):
    (row,) = make_rows(staff_user, 1)
    Notification.objects.filter(pk=row.pk).update(params={"name": "王芳"})  # placeholders lost
    row.refresh_from_db()
    assert row.texts("en") == (row.title, row.body)
    Notification.objects.filter(pk=row.pk).update(kind="removed.kind")
    row.refresh_from_db()
    assert row.texts("en") == (row.title, row.body)


@pytest.mark.django_db
def test_notify_stores_parameters_and_renders_the_fallback_for_the_recipient(staff_user):
    staff_user.language = "en"
    staff_user.save()
    with translation.override("zh-hans"):
        services.notify(
            kind="certificate.expiring",
            subject=(User, staff_user.pk),
            period="30d",
            recipients=[staff_user.pk],
            params=PARAMS,
        )
    row = Notification.objects.get()
    assert row.params["expires"] == {"$": "date", "v": "2026-04-01"}
    assert row.title == "Law-enforcement certificate of 王芳 expires on 1 April 2026"
    assert row.texts("zh-hans")[0] == "王芳的执法证有效期至2026年4月1日"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_list_and_the_api_render_without_a_query_per_row(staff_user, language):
    staff_user.language = language
    staff_user.save()
    client = client_for(staff_user)
    make_rows(staff_user, 5)
    make_rows(staff_user, 2, start=100, with_params=False)
    expected = (
        "Law-enforcement certificate of" if language == "en" else "的执法证有效期至2026年4月1日"
    )
    for start, url in ((200, reverse("notifications:list")), (300, reverse("notification-list"))):
        pages: list[str] = []
        assert_constant_queries(
            partial(lambda url, pages: pages.append(client.get(url).content.decode()), url, pages),
            partial(make_rows, staff_user, 5, start=start),
            at_most=12,
        )
        rendered = Notification.objects.filter(params__isnull=False).count()
        assert pages[-1].count(expected) == rendered and "提醒100" in pages[-1], url


@pytest.mark.django_db
def test_the_row_marked_read_with_htmx_reads_in_the_recipients_language(admin_user):
    admin_user.language = "en"
    admin_user.save()
    (row,) = make_rows(admin_user, 1)
    response = client_for(admin_user).post(
        reverse("notifications:mark_read", args=[row.pk]), HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert "Law-enforcement certificate of 王芳 expires on 1 April 2026" in content
    assert "提醒0" not in content
