"""Browser pages and API endpoints call the services and show their errors."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from staff.models import EmploymentType
from tests.conftest import client_for
from windows import services
from windows.models import Post, Stationing, TransferKind, TransferRequest, TransferState

from ..factories import StaffFactory
from .factories import StationingFactory

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_liaison_lands_on_their_home_page(liaison_a, window_a, veteran_a, admin_user, today):
    t = services.transfer_create(
        actor=admin_user,
        kind=TransferKind.REPLACE,
        window=window_a,
        outgoing=veteran_a,
        reason="中心要求更换",
        effective_date=today + timedelta(days=20),
    )
    services.transfer_submit(actor=admin_user, transfer=t)
    client = client_for(liaison_a)
    assert client.get("/")["Location"] == reverse("portal:liaison_home")
    page = client.get(reverse("portal:liaison_home"))
    assert list(page.context["waiting"]) == [t]
    body = page.content.decode()
    assert "A-01" in body and "老员工" in body and "待我方处理的申请" in body


def test_create_form_explains_the_tenure_rule_and_saves_a_draft(
    liaison_a, window_a, veteran_a, today
):
    client = client_for(liaison_a)
    page = client.get(reverse("windows:transfer_create"))
    assert "24" in page.content.decode() and "提前调整" in page.content.decode()
    response = client.post(
        reverse("windows:transfer_create"),
        {
            "kind": "withdraw",
            "window": window_a.pk,
            "outgoing": veteran_a.pk,
            "incoming_post": "staff",
            "effective_date": (today + timedelta(days=3)).isoformat(),
            "reason": "调回",
        },
    )
    t = TransferRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "windows:transfer_detail", args=[t.pk]
    )
    assert t.state == TransferState.DRAFT and t.created_by == liaison_a


def test_create_form_shows_the_early_rule_inline(liaison_a, window_a, newcomer_a, today):
    response = client_for(liaison_a).post(
        reverse("windows:transfer_create"),
        {
            "kind": "withdraw",
            "window": window_a.pk,
            "outgoing": newcomer_a.pk,
            "incoming_post": "staff",
            "effective_date": today.isoformat(),
            "reason": "调回",
        },
    )
    assert response.status_code == 200
    assert "early_justification" in response.context["form"].errors
    assert "书面理由" in response.content.decode()
    assert not TransferRequest.objects.exists()


def test_liaison_form_offers_only_their_windows(liaison_a, window_a, window_b):
    form = client_for(liaison_a).get(reverse("windows:transfer_create")).context["form"]
    assert list(form.fields["window"].queryset) == [window_a]


def test_stale_browser_edit_gets_a_clear_message(liaison_a, window_a, veteran_a, today):
    t = services.transfer_create(
        actor=liaison_a,
        kind=TransferKind.WITHDRAW,
        window=window_a,
        outgoing=veteran_a,
        reason="x",
        effective_date=today,
    )
    data = {
        "kind": "withdraw",
        "window": window_a.pk,
        "outgoing": veteran_a.pk,
        "incoming_post": "staff",
        "effective_date": today.isoformat(),
        "reason": "新理由",
        "version": t.version,
    }
    client = client_for(liaison_a)
    assert client.post(reverse("windows:transfer_update", args=[t.pk]), data).status_code == 302
    response = client.post(
        reverse("windows:transfer_update", args=[t.pk]), data | {"reason": "又改"}
    )
    assert response.status_code == 200
    assert "他人已修改" in response.content.decode()
    t.refresh_from_db()
    assert t.reason == "新理由"


def test_browser_actions_walk_the_workflow(
    admin_user, liaison_a, window_a, veteran_a, candidate_a, today
):
    la, ad = client_for(liaison_a), client_for(admin_user)
    t = services.transfer_create(
        actor=liaison_a,
        kind=TransferKind.REPLACE,
        window=window_a,
        outgoing=veteran_a,
        incoming=candidate_a,
        reason="x",
        effective_date=today,
    )
    detail = la.get(reverse("windows:transfer_detail", args=[t.pk]))
    assert [name for name, _ in detail.context["actions"]] == ["submit", "withdraw"]
    la.post(reverse("windows:transfer_action", args=[t.pk, "submit"]))
    ad.post(reverse("windows:transfer_action", args=[t.pk, "start_vetting"]))
    vetting = {
        "political_ok": "1",
        "ability_ok": "1",
        "fitness_ok": "1",
        "decision": "pass",
        "ability_notes": "熟悉业务",
    }
    assert ad.post(reverse("windows:vetting_create", args=[t.pk]), vetting).status_code == 302
    response = ad.post(
        reverse("windows:transfer_action", args=[t.pk, "approve"]), {"note": "同意"}, follow=True
    )
    t.refresh_from_db()
    assert t.state == TransferState.EFFECTIVE
    assert "已生效" in response.content.decode()
    # a second click (say, from a stale tab) only gets a message
    response = ad.post(reverse("windows:transfer_action", args=[t.pk, "approve"]), follow=True)
    assert "已是“已生效”状态" in response.content.decode()
    page = ad.get(reverse("windows:transfer_detail", args=[t.pk])).content.decode()
    assert "熟悉业务" in page and "办理过程" in page


def test_vetting_form_refuses_a_pass_with_a_failed_dimension(
    admin_user, liaison_a, window_a, veteran_a, candidate_a, today
):
    t = services.transfer_create(
        actor=liaison_a,
        kind=TransferKind.REPLACE,
        window=window_a,
        outgoing=veteran_a,
        incoming=candidate_a,
        reason="x",
        effective_date=today,
    )
    services.transfer_submit(actor=liaison_a, transfer=t)
    services.transfer_start_vetting(actor=admin_user, transfer=t)
    response = client_for(admin_user).post(
        reverse("windows:vetting_create", args=[t.pk]),
        {"political_ok": "0", "ability_ok": "1", "fitness_ok": "1", "decision": "pass"},
    )
    assert response.status_code == 200 and "三项均合格" in response.content.decode()
    assert not t.vettings.exists()


def test_appointment_form_refuses_an_ineligible_person_in_chinese(
    admin_user, dept_a, window_a, licensing_item, today
):
    rehired = StaffFactory(
        department=dept_a, employment_type=EmploymentType.RETIRED_REHIRED, name="返聘老同志"
    )
    stationing = StationingFactory(
        staff=rehired, window=window_a, start_date=today - timedelta(days=10)
    )
    response = client_for(admin_user).post(
        reverse("windows:appointment_create", args=[stationing.pk]),
        {
            "appointment_number": "任1",
            "authorization_number": "授1",
            "valid_from": today.isoformat(),
            "accept_items": [str(licensing_item.pk)],
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "首席代表任职条件" in body and "退休返聘" in body and "返聘老同志" in body
    stationing.refresh_from_db()
    assert stationing.post == Post.STAFF


def test_appointment_form_files_an_eligible_chief(
    admin_user, chief_stationing, licensing_item, today
):
    response = client_for(admin_user).post(
        reverse("windows:appointment_create", args=[chief_stationing.pk]),
        {
            "appointment_number": "任1",
            "authorization_number": "授1",
            "valid_from": today.isoformat(),
            "accept_items": [str(licensing_item.pk)],
            "decide_items": [str(licensing_item.pk)],
        },
    )
    assert response.status_code == 302
    item = chief_stationing.appointments.get().items.get()
    assert item.can_accept and item.can_decide and not item.can_review


def test_attachment_upload_and_download(liaison_a, window_a, veteran_a, today):
    t = services.transfer_create(
        actor=liaison_a,
        kind=TransferKind.WITHDRAW,
        window=window_a,
        outgoing=veteran_a,
        reason="x",
        effective_date=today,
    )
    client = client_for(liaison_a)
    client.post(
        reverse("windows:attachment_upload", args=[t.pk]),
        {"file": SimpleUploadedFile("函.pdf", b"%PDF-1.4 hello")},
    )
    response = client.post(
        reverse("windows:attachment_upload", args=[t.pk]),
        {"file": SimpleUploadedFile("x.exe", b"MZ")},
        follow=True,
    )
    assert "不接受" in response.content.decode()
    attachment = t.attachments.get()
    download = client.get(reverse("windows:attachment_download", args=[attachment.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 hello"


def test_staff_detail_shows_the_stationing_timeline(admin_user, veteran_a):
    body = client_for(admin_user).get(reverse("staff:detail", args=[veteran_a.pk])).content.decode()
    assert 'data-panel="stationings"' in body and "A-01" in body and "已满最低派驻年限" in body


def test_window_board_shows_staff_chief_and_tenure(
    admin_user, chief_stationing, veteran_a, licensing_item, today
):
    services.appointment_file(
        actor=admin_user,
        stationing=chief_stationing,
        appointment_number="任",
        authorization_number="授",
        valid_from=today,
        valid_until=None,
        items=[{"service_item": licensing_item, "can_accept": True}],
    )
    body = client_for(admin_user).get(reverse("windows:board")).content.decode()
    assert "首席" in body and "老员工" in body and "个月" in body


# --- API ------------------------------------------------------------------------------------------


def test_api_workflow(admin_user, liaison_a, window_a, veteran_a, candidate_a, today):
    created = api(liaison_a).post(
        reverse("transfer-list"),
        {
            "kind": "replace",
            "window": window_a.pk,
            "outgoing": veteran_a.pk,
            "incoming": candidate_a.pk,
            "effective_date": today.isoformat(),
            "reason": "x",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert api(liaison_a).post(reverse("transfer-submit", args=[pk])).json()["state"] == "submitted"
    assert (
        api(admin_user).post(reverse("transfer-start-vetting", args=[pk])).json()["state"]
        == "vetting"
    )
    refused = api(admin_user).post(reverse("transfer-approve", args=[pk]), {}, format="json")
    assert refused.status_code == 400 and "资格审查" in str(refused.json())
    vetting = api(admin_user).post(
        reverse("vetting-list"),
        {
            "transfer": pk,
            "political_ok": True,
            "ability_ok": True,
            "fitness_ok": True,
            "decision": "pass",
        },
        format="json",
    )
    assert vetting.status_code == 201, vetting.json()
    approved = api(admin_user).post(
        reverse("transfer-approve", args=[pk]), {"note": "同意"}, format="json"
    )
    assert approved.json()["state"] == "effective"
    assert Stationing.objects.get(staff=candidate_a).window == window_a


def test_api_hides_other_departments(liaison_b, liaison_a, window_a, veteran_a, today):
    t = services.transfer_create(
        actor=liaison_a,
        kind=TransferKind.WITHDRAW,
        window=window_a,
        outgoing=veteran_a,
        reason="x",
        effective_date=today,
    )
    client = api(liaison_b)
    assert client.get(reverse("transfer-list")).json()["count"] == 0
    assert client.post(reverse("transfer-withdraw", args=[t.pk])).status_code == 404
    assert client.get(reverse("window-list")).json()["count"] == 0
    bad = client.post(
        reverse("transfer-list"),
        {
            "kind": "withdraw",
            "window": window_a.pk,
            "outgoing": veteran_a.pk,
            "effective_date": today.isoformat(),
            "reason": "x",
        },
        format="json",
    )
    assert bad.status_code == 400 and "window" in bad.json()
    t.refresh_from_db()
    assert t.state == TransferState.DRAFT
