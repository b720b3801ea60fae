"""A small center under inspection: window A (department A) with its chief, the window-staff
persona and person A; window B (department B) with person B; a checklist whose first item cites
rule D04 (leaving the post, evidence required) and a second without a rule; an open daily round
over both windows by the center administrator."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assessments.models import AssessmentRule
from inspections import services
from windows.models import Post

from ..factories import StaffFactory
from ..windows.factories import StationingFactory, WindowFactory

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + b"\x00" * 64


def photo(name="现场.jpg", content=JPEG):
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def _rules() -> dict:
    from assessments.rules_seed import load

    if not AssessmentRule.objects.exists():
        load(AssessmentRule)  # a transactional test elsewhere may have flushed the seeded rules
    return {r.code: r for r in AssessmentRule.objects.all()}


@pytest.fixture
def center(dept_a, dept_b, admin_user, staff_user, person_a, person_b):
    window_a = WindowFactory(
        code="A01", name="市场准入窗口", department=dept_a, hall_area="一楼A区"
    )
    window_b = WindowFactory(code="B01", name="户政窗口", department=dept_b, hall_area="一楼B区")
    chief = StaffFactory(department=dept_a, name="首席代表")
    start = date(2024, 1, 1)
    StationingFactory(
        staff=chief, window=window_a, post=Post.CHIEF_REPRESENTATIVE, start_date=start
    )
    me = staff_user.staff_profile
    StationingFactory(staff=me, window=window_a, start_date=start)
    StationingFactory(staff=person_a, window=window_a, start_date=start)
    StationingFactory(staff=person_b, window=window_b, start_date=start)
    rules = _rules()
    checklist = services.checklist_save(
        actor=admin_user,
        name="日常巡查清单",
        items=[("工作人员擅离岗位", rules["D04"]), ("台面整洁", None)],
    )
    items = list(checklist.items.order_by("position"))
    round_ = services.round_open(
        actor=admin_user,
        kind="daily",
        checklist=checklist,
        inspectors=[admin_user],
        windows=[window_a, window_b],
        started_at=timezone.now() - timedelta(minutes=30),
    )
    return {
        "window_a": window_a,
        "window_b": window_b,
        "chief": chief,
        "me": me,
        "person_a": person_a,
        "person_b": person_b,
        "rules": rules,
        "checklist": checklist,
        "absent": items[0],
        "tidy": items[1],
        "round": round_,
        "admin": admin_user,
    }
