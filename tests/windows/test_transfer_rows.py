"""The transfer list draws its rows once per scope, filter, page and day and keeps them until a
write they show: each side still sees only its departments, and a new request shows at once."""

import pytest
from django.urls import reverse

from tests.conftest import client_for
from windows.models import TransferRequest
from windows.services import transfer_withdraw

from .test_queries import _grow

pytestmark = pytest.mark.django_db


def test_transfer_rows_per_scope_and_follow_writes(admin_user, liaison_a, liaison_b, dept_a, today):
    _grow(dept_a, liaison_a, today, n=1)
    admin, mine, theirs = client_for(admin_user), client_for(liaison_a), client_for(liaison_b)
    url = reverse("windows:transfer_list")
    first = TransferRequest.objects.get()
    link = f'href="{reverse("windows:transfer_detail", args=[first.pk])}"'
    for _ in range(2):  # the second round reads the cached rows
        assert link in admin.get(url).content.decode()
        assert link in mine.get(url).content.decode()
        assert link not in theirs.get(url).content.decode()  # department B

    _grow(dept_a, liaison_a, today, n=1)
    second = TransferRequest.objects.exclude(pk=first.pk).get()
    new = f'href="{reverse("windows:transfer_detail", args=[second.pk])}"'
    assert new in admin.get(url).content.decode()  # at once
    assert new not in theirs.get(url).content.decode()

    transfer_withdraw(actor=liaison_a, transfer=first, note="不再需要")
    assert link not in mine.get(url).content.decode()  # withdrawn: off the open list at once
