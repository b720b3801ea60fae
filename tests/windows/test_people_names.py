"""The transfer page names people (name and unit), never their logins (issue #20)."""

from datetime import timedelta

from django.urls import reverse

from windows import services
from windows.models import TransferKind

from ..conftest import client_for


def test_transfer_page_names_people_not_logins(admin_user, window_a, veteran_a, today):
    admin_user.first_name = "王主任"
    admin_user.save()
    t = services.transfer_create(
        actor=admin_user,
        kind=TransferKind.REPLACE,
        window=window_a,
        outgoing=veteran_a,
        reason="中心要求更换",
        effective_date=today + timedelta(days=20),
    )
    services.transfer_submit(actor=admin_user, transfer=t)
    body = client_for(admin_user).get(reverse("windows:transfer_detail", args=[t.pk]))
    body = body.content.decode()
    assert body.count("王主任（攀枝花市政务服务中心）") >= 2  # raised by, and the timeline
    assert "· admin ·" not in body and ">admin<" not in body
