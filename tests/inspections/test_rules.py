"""Inspection rounds: every rule of the services, and a finding's way to an appealable entry."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from assessments.models import Appeal, Entry, EntryStatus, Evidence
from assessments.services.appeals import appeal_submit
from inspections import services
from inspections.forms import ChecklistForm
from inspections.models import Finding, FindingPhoto, FindingStatus, Round, RoundStatus

from ..factories import UserFactory
from .conftest import JPEG, photo

pytestmark = pytest.mark.django_db


def _record(center, **kwargs):
    values = {
        "actor": center["admin"],
        "round": center["round"],
        "window": center["window_a"],
        "staff": center["me"],
        "item": center["absent"],
        "note": "10:05 离岗未挂暂离牌",
        "photos": [photo()],
    }
    values.update(kwargs)
    return services.finding_record(**values)


# --- checklists -----------------------------------------------------------------------------


def test_checklist_items_cite_deduction_rules_only(center):
    rules = center["rules"]
    bonus = next(r for r in rules.values() if r.kind == "bonus")
    with pytest.raises(ValidationError) as caught:
        services.checklist_save(actor=center["admin"], name="表彰清单", items=[("好人好事", bonus)])
    assert "rule" in caught.value.error_dict


def test_checklist_form_reads_rule_codes_and_refuses_unknown_ones(center):
    form = ChecklistForm(data={"name": "专项", "items": "离岗 | D04\n着装规范\n\n吸烟 | ZZ-99"})
    assert not form.is_valid()
    assert "ZZ-99" in str(form.errors["items"])
    form = ChecklistForm(data={"name": "专项", "items": "离岗 | D04\n着装规范"})
    assert form.is_valid()
    assert form.cleaned_data["items"] == [("离岗", center["rules"]["D04"]), ("着装规范", None)]


def test_checklist_update_keeps_cited_items_and_deactivates_dropped_ones(center):
    _record(center, item=center["tidy"], staff=None, photos=[])
    checklist = services.checklist_save(
        actor=center["admin"],
        template=center["checklist"],
        name="日常巡查清单",
        items=[("工作人员擅离岗位", center["rules"]["D04"]), ("着装规范", None)],
    )
    items = {i.text: i for i in checklist.items.all()}
    assert items["台面整洁"].active is False  # kept: a finding cites it
    assert items["工作人员擅离岗位"].pk == center["absent"].pk
    assert items["着装规范"].active
    with pytest.raises(ValidationError):
        services.checklist_save(actor=center["admin"], name="日常巡查清单", items=[("x", None)])


def test_only_the_center_edits_checklists(center, liaison_a):
    with pytest.raises(PermissionDenied):
        services.checklist_save(actor=liaison_a, name="部门清单", items=[("x", None)])


# --- rounds ---------------------------------------------------------------------------------


def _open(center, **kwargs):
    values = {
        "actor": center["admin"],
        "kind": "daily",
        "checklist": center["checklist"],
        "inspectors": [center["admin"]],
        "windows": [center["window_a"]],
    }
    values.update(kwargs)
    return services.round_open(**values)


def test_a_weekly_round_is_led_by_a_leader(center):
    before = Round.objects.count()
    with pytest.raises(ValidationError) as caught:
        _open(center, kind="weekly")
    assert "leader" in caught.value.error_dict
    leader = UserFactory(username="leader", role="center_admin", first_name="主任")
    weekly = _open(center, kind="weekly", leader=leader)
    assert weekly.leader == leader and Round.objects.count() == before + 1


def test_a_round_needs_center_inspectors_windows_and_a_past_start(center, liaison_a):
    for kwargs, field in (
        ({"inspectors": []}, "inspectors"),
        ({"inspectors": [liaison_a]}, "inspectors"),
        ({"windows": []}, "windows"),
        ({"started_at": timezone.now() + timedelta(hours=2)}, "started_at"),
    ):
        with pytest.raises(ValidationError) as caught:
            _open(center, **kwargs)
        assert field in caught.value.error_dict, field
    with pytest.raises(PermissionDenied):
        _open(center, actor=liaison_a)


def test_a_round_is_audited(center):
    entries = LogEntry.objects.get_for_object(center["round"])
    assert entries.filter(actor=center["admin"]).exists()


# --- findings -------------------------------------------------------------------------------


def test_a_finding_is_recorded_with_its_photo_and_the_items_rule(center):
    finding = _record(center)
    assert finding.status == FindingStatus.RECORDED
    assert finding.rule == center["rules"]["D04"]
    stored = finding.photos.get()
    assert stored.content_type == "image/jpeg" and stored.original_name == "现场.jpg"
    assert stored.file.name.startswith("inspections/photos/") and "现场" not in stored.file.name
    assert LogEntry.objects.get_for_object(finding).get().actor == center["admin"]


def test_only_the_rounds_inspectors_record_findings(center):
    other = UserFactory(username="other_admin", role="center_admin")
    with pytest.raises(PermissionDenied):
        _record(center, actor=other)
    assert not Finding.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            lambda c: {
                "window": c["window_a"].__class__.objects.create(
                    code="X9", name="外", department=c["window_a"].department
                )
            },
            "window",
        ),
        (lambda c: {"staff": None}, "staff"),
        (lambda c: {"staff": c["person_b"]}, "staff"),  # stationed at window B, not A
        (lambda c: {"item": None, "note": ""}, "note"),
        (lambda c: {"photos": [photo("说明.pdf", b"%PDF-1.4")]}, "photos"),
        (lambda c: {"photos": [photo("假.jpg", b"GIF89a" + b"\x00" * 20)]}, "photos"),
        (lambda c: {"photos": [photo() for _ in range(7)]}, "photos"),
    ],
    ids=[
        "window-not-covered",
        "rule-without-person",
        "person-not-stationed",
        "nothing-said",
        "not-a-photo",
        "bad-signature",
        "too-many-photos",
    ],
)
def test_a_bad_finding_is_refused_and_nothing_is_written(center, change, field):
    with pytest.raises(ValidationError) as caught:
        _record(center, **change(center))
    assert field in caught.value.error_dict
    assert not Finding.objects.exists() and not FindingPhoto.objects.exists()


def test_an_item_of_another_checklist_is_refused(center):
    other = services.checklist_save(
        actor=center["admin"], name="专项检查", items=[("消防通道", None)]
    )
    with pytest.raises(ValidationError) as caught:
        _record(center, item=other.items.get(), staff=None)
    assert "item" in caught.value.error_dict


def test_a_finding_becomes_one_deduction_with_its_photos_as_evidence(center):
    finding = _record(center, photos=[photo(), photo("二.png", b"\x89PNG\r\n\x1a\n" + b"0" * 30)])
    finding = services.finding_enter(actor=center["admin"], finding=finding)
    entry = finding.entry
    assert finding.status == FindingStatus.ENTERED
    assert entry.staff == center["me"] and entry.rule.code == "D04"
    assert entry.points == center["rules"]["D04"].points and entry.window == center["window_a"]
    assert f"#{center['round'].pk}" in entry.notes and "离岗未挂暂离牌" in entry.notes
    evidence = list(Evidence.objects.filter(entry=entry).order_by("id"))
    assert [e.original_name for e in evidence] == ["现场.jpg", "二.png"]
    assert evidence[0].file.read() == JPEG
    # nothing double-counted: a second time, or a withdrawal now, is refused
    with pytest.raises(ValidationError):
        services.finding_enter(actor=center["admin"], finding=finding)
    with pytest.raises(ValidationError):
        services.finding_withdraw(actor=center["admin"], finding=finding, reason="误报")
    assert Entry.objects.filter(staff=center["me"]).count() == 1


def test_the_deduction_is_appealable_like_any_other(center, staff_user):
    finding = services.finding_enter(actor=center["admin"], finding=_record(center))
    appeal = appeal_submit(
        actor=staff_user, entry=finding.entry, reason="当时在后台取件，有同事证明"
    )
    assert Appeal.objects.get(entry=finding.entry) == appeal


def test_a_withdrawn_finding_never_becomes_a_deduction(center):
    finding = _record(center)
    with pytest.raises(ValidationError):
        services.finding_withdraw(actor=center["admin"], finding=finding, reason=" ")
    finding = services.finding_withdraw(actor=center["admin"], finding=finding, reason="看错窗口")
    assert finding.status == FindingStatus.WITHDRAWN and finding.withdraw_reason == "看错窗口"
    with pytest.raises(ValidationError):
        services.finding_enter(actor=center["admin"], finding=finding)
    assert not Entry.objects.exists()


def test_a_finding_without_a_rule_is_no_deduction(center):
    finding = _record(center, item=center["tidy"], staff=None, photos=[])
    with pytest.raises(ValidationError):
        services.finding_enter(actor=center["admin"], finding=finding)


def test_the_entry_service_refusing_leaves_the_finding_recorded(center):
    finding = _record(center, photos=[])  # D04 requires evidence
    with pytest.raises(ValidationError) as caught:
        services.finding_enter(actor=center["admin"], finding=finding)
    assert "files" in caught.value.error_dict
    finding.refresh_from_db()
    assert finding.status == FindingStatus.RECORDED and finding.entry is None
    assert not Entry.objects.exists()


def test_closing_a_round_enters_its_rule_findings_all_or_none(center):
    with_rule = _record(center)
    without_rule = _record(center, item=center["tidy"], staff=None, photos=[])
    no_evidence = _record(center, photos=[], note="第二次离岗")
    with pytest.raises(ValidationError) as caught:
        services.round_close(actor=center["admin"], round=center["round"])
    assert "A01" in str(caught.value)
    assert not Entry.objects.exists()
    assert Round.objects.get(pk=center["round"].pk).status == RoundStatus.OPEN
    services.finding_withdraw(actor=center["admin"], finding=no_evidence, reason="重复记录")
    round_, entered = services.round_close(actor=center["admin"], round=center["round"])
    assert round_.status == RoundStatus.CLOSED and round_.ended_at is not None
    assert [f.pk for f in entered] == [with_rule.pk]
    assert Finding.objects.get(pk=without_rule.pk).status == FindingStatus.RECORDED
    assert Entry.objects.filter(status=EntryStatus.ACTIVE).count() == 1
    with pytest.raises(ValidationError):
        _record(center)  # closed: no more findings
    with pytest.raises(ValidationError):
        services.round_close(actor=center["admin"], round=center["round"])
