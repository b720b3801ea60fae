"""Issue #16: every window rule on every path that could break it — the services, the pages, the
API and the admin. Each test fails without the enforcement it names."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from notifications.models import Notification
from promotions.eligibility import flags_for
from staff.models import EmploymentType
from tests.conftest import client_for
from windows import selectors, services
from windows.models import (
    ChiefAppointment,
    EndReason,
    Post,
    ReplacementDemand,
    Stationing,
    TransferKind,
    TransferState,
    VettingDecision,
)

from ..factories import CertificateFactory, StaffFactory
from .conftest import years_ago
from .factories import StationingFactory

pytestmark = pytest.mark.django_db
SUBSTANTIVE = "本人身体原因需要长期治疗，无法继续承担窗口工作"


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def station(actor, window, person, when, post=Post.STAFF, **extra):
    return services.transfer_create(
        actor=actor,
        kind=TransferKind.STATION,
        window=window,
        incoming=person,
        incoming_post=post,
        reason="窗口业务量增加，需要增派人员",
        effective_date=when,
        **extra,
    )


def vet_and_approve(admin, liaison, transfer, **approve):
    """Through the workflow: submit (by the raiser), vetting, approval by the other side."""
    raiser = admin if transfer.raised_by == "center" else liaison
    approver = liaison if raiser is admin else admin
    transfer = services.transfer_submit(actor=raiser, transfer=transfer)
    transfer = services.transfer_start_vetting(actor=admin, transfer=transfer)
    services.vetting_record(
        actor=admin,
        transfer=transfer,
        political_ok=True,
        ability_ok=True,
        fitness_ok=True,
        decision=VettingDecision.PASS,
    )
    return services.transfer_approve(actor=approver, transfer=transfer, **approve)


def eligible(dept, name):
    """A civil servant of ``dept`` with a valid law-enforcement certificate."""
    person = StaffFactory(department=dept, name=name)
    today = timezone.localdate()
    CertificateFactory(
        staff=person, issued_on=today - timedelta(days=100), expires_on=today + timedelta(days=900)
    )
    return person


@pytest.fixture
def roomy(window_a):
    window_a.headcount_quota = 10
    window_a.save()
    return window_a


@pytest.fixture
def chief_a(admin_user, roomy, chief_stationing, licensing_item, today):
    """Window A-01's chief representative, with letters."""
    services.appointment_file(
        actor=admin_user,
        stationing=chief_stationing,
        appointment_number="任〔2025〕1号",
        authorization_number="授〔2025〕1号",
        valid_from=today - timedelta(days=30),
        valid_until=None,
        items=[{"service_item": licensing_item, "can_accept": True}],
    )
    chief_stationing.refresh_from_db()
    return chief_stationing


# --- rule 1: one chief per window, with a letter; an explicit state when one leaves -------------


def test_a_transfer_cannot_station_a_second_chief(liaison_a, admin_user, chief_a, dept_a, today):
    newcomer = eligible(dept_a, "第二首席")
    with pytest.raises(ValidationError) as caught:
        station(admin_user, chief_a.window, newcomer, today, post=Post.CHIEF_REPRESENTATIVE)
    assert "incoming_post" in caught.value.error_dict
    assert "首席" in " ".join(caught.value.messages) or "chief" in " ".join(caught.value.messages)
    # nor through the API
    response = api(liaison_a).post(
        reverse("transfer-list"),
        {
            "kind": "station",
            "window": chief_a.window_id,
            "incoming": newcomer.pk,
            "incoming_post": "chief",
            "reason": "增派首席",
            "effective_date": today.isoformat(),
        },
        format="json",
    )
    assert response.status_code == 400 and "incoming_post" in response.json()
    assert Stationing.objects.filter(post=Post.CHIEF_REPRESENTATIVE).count() == 1


def test_the_chief_rule_is_checked_again_when_a_request_takes_effect(
    admin_user, liaison_a, roomy, dept_a, today
):
    """Two chiefs approved for one window before either took effect: the second is refused
    when it would take effect, under the window's lock."""
    later = today + timedelta(days=10)
    first, second = eligible(dept_a, "甲首席"), eligible(dept_a, "乙首席")
    one = vet_and_approve(
        admin_user,
        liaison_a,
        station(liaison_a, roomy, first, later, post=Post.CHIEF_REPRESENTATIVE),
    )
    two = vet_and_approve(
        admin_user,
        liaison_a,
        station(liaison_a, roomy, second, later, post=Post.CHIEF_REPRESENTATIVE),
    )
    services.transfer_apply(actor=admin_user, transfer=one, today=later)
    with pytest.raises(ValidationError):
        services.transfer_apply(actor=admin_user, transfer=two, today=later)
    two.refresh_from_db()
    assert two.state == TransferState.APPROVED
    assert roomy.stationings.filter(post=Post.CHIEF_REPRESENTATIVE, end_date=None).count() == 1


def test_replacing_the_chief_ends_their_letters_and_lists_the_window(
    admin_user, liaison_a, liaison_b, chief_a, dept_a, today
):
    successor = eligible(dept_a, "继任首席")
    transfer = services.transfer_create(
        actor=liaison_a,
        kind=TransferKind.REPLACE,
        window=chief_a.window,
        outgoing=chief_a.staff,
        incoming=successor,
        incoming_post=Post.CHIEF_REPRESENTATIVE,
        reason="首席代表到龄调整",
        early_justification=SUBSTANTIVE,
        effective_date=today,
    )
    vet_and_approve(admin_user, liaison_a, transfer)
    letter = ChiefAppointment.objects.get(stationing=chief_a)
    assert letter.valid_until == today - timedelta(days=1)  # ended with the stationing
    # the successor is chief but has no letter yet: listed, as a chief without a letter
    rows = {w.pk: w for w in selectors.windows_without_chief(admin_user)}
    assert rows[chief_a.window_id].has_chief is True
    assert chief_a.window_id not in {w.pk for w in selectors.windows_without_chief(liaison_b)}


def test_a_chief_moving_away_leaves_the_window_explicitly_without_chief(
    admin_user, liaison_a, chief_a, today
):
    window = chief_a.window
    assert window.pk not in {w.pk for w in selectors.windows_without_chief(admin_user)}
    transfer = services.transfer_create(
        actor=liaison_a,
        kind=TransferKind.WITHDRAW,
        window=window,
        outgoing=chief_a.staff,
        reason="调回本单位",
        early_justification=SUBSTANTIVE,
        effective_date=today,
    )
    transfer = services.transfer_submit(actor=liaison_a, transfer=transfer)
    services.transfer_approve(actor=admin_user, transfer=transfer)
    rows = {w.pk: w for w in selectors.windows_without_chief(admin_user)}
    assert rows[window.pk].has_chief is False and rows[window.pk].chief_left_on == today
    assert ChiefAppointment.objects.get(stationing=chief_a).valid_until == today - timedelta(1)
    page = client_for(admin_user).get(reverse("windows:without_chief"))
    assert page.status_code == 200 and window.code in page.content.decode()
    assert "无首席代表" in page.content.decode()


def test_an_appointment_replaces_the_current_chief_only_explicitly(
    admin_user, chief_a, licensing_item, dept_a, today
):
    other = StationingFactory(
        staff=eligible(dept_a, "新首席"), window=chief_a.window, start_date=years_ago(today, 1)
    )
    letters = {
        "appointment_number": "任〔2026〕2号",
        "authorization_number": "授〔2026〕2号",
        "valid_from": today,
        "valid_until": None,
        "items": [{"service_item": licensing_item, "can_accept": True}],
    }
    with pytest.raises(ValidationError):
        services.appointment_file(actor=admin_user, stationing=other, **letters)
    # the page offers the explicit choice
    url = reverse("windows:appointment_create", args=[other.pk])
    form = {
        "appointment_number": "任〔2026〕2号",
        "authorization_number": "授〔2026〕2号",
        "valid_from": today.isoformat(),
        "accept_items": [str(licensing_item.pk)],
    }
    refused = client_for(admin_user).post(url, form)
    assert refused.status_code == 200 and not other.appointments.exists()
    done = client_for(admin_user).post(url, form | {"replace_current": "on"})
    assert done.status_code == 302
    chief_a.refresh_from_db()
    other.refresh_from_db()
    assert (chief_a.post, other.post) == (Post.STAFF, Post.CHIEF_REPRESENTATIVE)
    assert chief_a.appointments.get().valid_until == today - timedelta(days=1)
    assert chief_a.window.pk not in {w.pk for w in selectors.windows_without_chief(admin_user)}


# --- rule 2: posts of people who are not chief-eligible ------------------------------------------


@pytest.fixture
def temp_hire(dept_a):
    return StaffFactory(department=dept_a, name="临时工", employment_type=EmploymentType.TEMPORARY)


def test_a_temporary_hire_only_at_limited_posts_unless_the_center_overrides(
    admin_user, liaison_a, roomy, temp_hire, today
):
    with pytest.raises(ValidationError) as caught:
        station(admin_user, roomy, temp_hire, today, post=Post.STAFF)
    assert "incoming_post" in caught.value.error_dict
    # a department may ask; the center's approval without an override is refused
    asked = station(liaison_a, roomy, temp_hire, today, post=Post.STAFF)
    with pytest.raises(ValidationError):
        vet_and_approve(admin_user, liaison_a, asked)
    asked.refresh_from_db()
    assert asked.state == TransferState.VETTING and not temp_hire.stationings.exists()
    # a liaison cannot grant the override
    with pytest.raises(PermissionDenied):
        station(liaison_a, roomy, temp_hire, today, override_reason="本单位要求")
    # the center overrides with a reason: recorded and audited
    done = services.transfer_approve(
        actor=admin_user, transfer=asked, override_reason="窗口临时缺员，限期三个月"
    )
    assert done.state == TransferState.EFFECTIVE
    assert (done.override_by, done.override_reason) == (admin_user, "窗口临时缺员，限期三个月")
    assert done.override_at is not None
    reasons = LogEntry.objects.get_for_object(done).values_list("additional_data", flat=True)
    assert any("窗口临时缺员" in str(data) for data in reasons)


def test_a_temporary_hire_at_an_auxiliary_post_needs_no_override(
    admin_user, liaison_a, roomy, temp_hire, today
):
    done = vet_and_approve(
        admin_user, liaison_a, station(liaison_a, roomy, temp_hire, today, post=Post.AUXILIARY)
    )
    assert done.state == TransferState.EFFECTIVE and not done.override_reason


def test_the_post_rule_on_the_approval_page_and_the_api(
    admin_user, liaison_a, roomy, temp_hire, today
):
    asked = station(liaison_a, roomy, temp_hire, today, post=Post.STAFF)
    services.transfer_submit(actor=liaison_a, transfer=asked)
    services.transfer_start_vetting(actor=admin_user, transfer=asked)
    services.vetting_record(
        actor=admin_user,
        transfer=asked,
        political_ok=True,
        ability_ok=True,
        fitness_ok=True,
        decision=VettingDecision.PASS,
    )
    page = client_for(admin_user)
    detail = page.get(reverse("windows:transfer_detail", args=[asked.pk])).content.decode()
    assert 'name="override_reason"' in detail
    url = reverse("windows:transfer_action", args=[asked.pk, "approve"])
    page.post(url, {"note": ""}, follow=True)
    asked.refresh_from_db()
    assert asked.state == TransferState.VETTING
    refused = api(admin_user).post(reverse("transfer-approve", args=[asked.pk]), {}, format="json")
    assert refused.status_code == 400
    response = api(admin_user).post(
        reverse("transfer-approve", args=[asked.pk]),
        {"override_reason": "窗口临时缺员，限期三个月"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["state"] == "effective"


# --- rule 3: the window's quota ------------------------------------------------------------------


def test_the_quota_is_enforced_or_overridden_with_a_reason(
    admin_user, liaison_a, window_a, veteran_a, dept_a, today
):
    window_a.headcount_quota = 1
    window_a.save()
    person = eligible(dept_a, "超编人员")
    with pytest.raises(ValidationError) as caught:
        station(admin_user, window_a, person, today)
    assert "window" in caught.value.error_dict
    response = api(admin_user).post(
        reverse("transfer-list"),
        {
            "kind": "station",
            "window": window_a.pk,
            "incoming": person.pk,
            "reason": "增派",
            "effective_date": today.isoformat(),
        },
        format="json",
    )
    assert response.status_code == 400 and "window" in response.json()
    done = station(admin_user, window_a, person, today, override_reason="业务高峰期临时增派")
    assert done.override_by == admin_user


def test_the_quota_is_checked_again_when_a_request_takes_effect(
    admin_user, liaison_a, window_a, dept_a, today
):
    window_a.headcount_quota = 1
    window_a.save()
    later = today + timedelta(days=10)
    one = vet_and_approve(
        admin_user, liaison_a, station(liaison_a, window_a, eligible(dept_a, "甲"), later)
    )
    two = vet_and_approve(
        admin_user, liaison_a, station(liaison_a, window_a, eligible(dept_a, "乙"), later)
    )
    result = services.transfer_apply_due(today=later)
    assert result["applied"] == [one.pk] and list(result["failed"]) == [two.pk]
    assert window_a.stationings.filter(end_date=None).count() == 1


def test_the_admin_cannot_lower_a_quota_below_the_people_stationed(
    admin_user, window_a, veteran_a, newcomer_a
):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client = client_for(admin_user)
    url = reverse("admin:windows_window_change", args=[window_a.pk])
    form = {
        "code": window_a.code,
        "name": window_a.name,
        "hall_area": window_a.hall_area,
        "floor": window_a.floor,
        "department": window_a.department_id,
        "headcount_quota": 1,
        "active": "on",
        "service_items": [str(pk) for pk in window_a.service_items.values_list("pk", flat=True)],
    }
    response = client.post(url, form)
    assert response.status_code == 200  # the form again, with the error
    window_a.refresh_from_db()
    assert window_a.headcount_quota == 2


def test_stationings_and_letters_cannot_be_written_in_the_admin(admin_user, veteran_a):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client = client_for(admin_user)
    stationing = veteran_a.stationings.get()
    assert client.get(reverse("admin:windows_stationing_add")).status_code == 403
    change = reverse("admin:windows_stationing_change", args=[stationing.pk])
    client.post(change, {"post": Post.CHIEF_REPRESENTATIVE, "end_reason": "returned"})
    stationing.refresh_from_db()
    assert stationing.post == Post.STAFF and stationing.end_reason == ""
    assert client.get(reverse("admin:windows_chiefappointment_add")).status_code == 403


# --- rule 4: a justification of substance --------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "身体原因",
        "啊啊啊啊啊啊啊啊啊啊啊啊啊啊啊啊",
        "测试测试测试测试测试测试测试测试",
        "。。。。。。。。。。。。。。。。。",
    ],
)
def test_an_early_transfer_needs_a_justification_of_substance(
    liaison_a, window_a, newcomer_a, candidate_a, today, text
):
    with pytest.raises(ValidationError) as caught:
        services.transfer_create(
            actor=liaison_a,
            kind=TransferKind.REPLACE,
            window=window_a,
            outgoing=newcomer_a,
            incoming=candidate_a,
            reason="工作需要",
            early_justification=text,
            effective_date=today,
        )
    assert "early_justification" in caught.value.error_dict


def test_the_justification_rule_on_the_page_and_the_api(
    liaison_a, window_a, newcomer_a, candidate_a, today, settings
):
    form = {
        "kind": "replace",
        "window": window_a.pk,
        "outgoing": newcomer_a.pk,
        "incoming": candidate_a.pk,
        "incoming_post": "staff",
        "effective_date": today.isoformat(),
        "reason": "工作需要",
        "early_justification": "需要需要需要需要需要需要需要需要",
    }
    page = client_for(liaison_a).post(reverse("windows:transfer_create"), form)
    assert page.status_code == 200 and "early_justification" in page.context["form"].errors
    assert "重复" in page.content.decode()  # translated
    response = api(liaison_a).post(
        reverse("transfer-list"), form | {"early_justification": "调回"}, format="json"
    )
    assert response.status_code == 400 and "early_justification" in response.json()
    settings.CENTER = {**settings.CENTER, "EARLY_JUSTIFICATION_MIN_CHARS": 2}  # a setting
    ok = api(liaison_a).post(
        reverse("transfer-list"), form | {"early_justification": "调回本单位"}, format="json"
    )
    assert ok.status_code == 201


# --- rule 6: return for poor performance ---------------------------------------------------------


REASON = "连续三个月考核排名末位，多次被群众投诉服务态度差"


def test_return_ends_the_stationing_bars_promotion_and_demands_a_replacement(
    admin_user, liaison_a, veteran_a, dept_a, today
):
    stationing = veteran_a.stationings.get()
    with pytest.raises(PermissionDenied):
        services.stationing_return(actor=liaison_a, stationing=stationing, reason=REASON)
    with pytest.raises(ValidationError):
        services.stationing_return(actor=admin_user, stationing=stationing, reason="表现差")
    demand = services.stationing_return(actor=admin_user, stationing=stationing, reason=REASON)
    stationing.refresh_from_db()
    assert (stationing.end_date, stationing.end_reason) == (today, EndReason.RETURNED)
    assert demand.department == dept_a and demand.due_date > today and demand.is_open
    notice = Notification.objects.get(kind="windows.replacement_demanded")
    assert notice.recipient == liaison_a and veteran_a.name in notice.body
    flags = flags_for(veteran_a.pk)
    assert flags.barred and flags.returned_on == today  # the promotions bar reads it
    entry = LogEntry.objects.get_for_object(stationing).latest("timestamp")
    assert entry.actor == admin_user and "连续三个月" in str(entry.additional_data)
    # a stationing at that window fulfils the demand
    newcomer = eligible(dept_a, "顶岗人员")
    vet_and_approve(admin_user, liaison_a, station(liaison_a, stationing.window, newcomer, today))
    demand.refresh_from_db()
    assert not demand.is_open and demand.fulfilled_by.incoming == newcomer


def test_return_on_the_page_and_the_api(admin_user, liaison_a, liaison_b, veteran_a, today):
    stationing = veteran_a.stationings.get()
    url = reverse("windows:stationing_return", args=[stationing.pk])
    assert client_for(liaison_a).post(url, {"reason": REASON}).status_code == 403
    bad = client_for(admin_user).post(url, {"reason": "差"})
    assert bad.status_code == 200 and not ReplacementDemand.objects.exists()
    done = client_for(admin_user).post(url, {"reason": REASON})
    assert done.status_code == 302
    assert ReplacementDemand.objects.get().returned_stationing == stationing
    # listed for the center and the department's liaison, not for another department
    listing = reverse("windows:replacement_demands")
    assert veteran_a.name in client_for(admin_user).get(listing).content.decode()
    assert veteran_a.name in client_for(liaison_a).get(listing).content.decode()
    assert veteran_a.name not in client_for(liaison_b).get(listing).content.decode()


def test_return_through_the_api(admin_user, liaison_a, veteran_a, today):
    stationing = veteran_a.stationings.get()
    url = reverse("stationing-return", args=[stationing.pk])
    assert api(liaison_a).post(url, {"reason": REASON}, format="json").status_code == 403
    response = api(admin_user).post(url, {"reason": REASON}, format="json")
    assert response.status_code == 201, response.content
    stationing.refresh_from_db()
    assert stationing.end_reason == EndReason.RETURNED
    assert api(admin_user).post(url, {"reason": REASON}, format="json").status_code == 400


# --- the lists: constant queries ---------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["windows:without_chief", "windows:replacement_demands"])
@pytest.mark.parametrize("user", ["admin_user", "liaison_a"])
def test_the_lists_run_constant_queries(request, url_name, user, admin_user, dept_a, today):
    from tests.queries import assert_constant_queries

    from .factories import WindowFactory

    def grow():
        for _ in range(3):
            window = WindowFactory(department=dept_a)
            person = StaffFactory(department=dept_a)
            stationing = StationingFactory(
                staff=person, window=window, start_date=years_ago(today, 3)
            )
            services.stationing_return(actor=admin_user, stationing=stationing, reason=REASON)

    client = client_for(request.getfixturevalue(user))
    grow()
    assert_constant_queries(lambda: client.get(reverse(url_name)), grow, at_most=10)


def test_a_replacement_at_a_full_window_is_not_a_quota_question(
    admin_user, liaison_a, window_a, veteran_a, newcomer_a, candidate_a, today
):
    window_a.headcount_quota = 1  # already over: two people for one place
    window_a.save()
    transfer = services.transfer_create(
        actor=admin_user,
        kind=TransferKind.REPLACE,
        window=window_a,
        outgoing=veteran_a,
        incoming=candidate_a,
        reason="工作需要",
        effective_date=today,
    )
    assert not transfer.override_reason
