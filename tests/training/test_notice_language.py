"""Issue #20: a reminder of a sweep reads in its recipient's language (page, API, e-mail), the
worker's language notwithstanding: the start as a local date-time of that language, the "online"
place translated when shown."""

import pytest
from django.utils import timezone, translation

from notifications import registry, services
from notifications.models import Notification
from tests.notifications.shown import assert_reads

from .factories import EnrollmentFactory, SessionFactory, evening

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_session_reminder_reads_in_the_recipients_language(staff_user, language):
    staff_user.email = "window@example.org"
    staff_user.language = language
    staff_user.save()
    starts = evening(1)
    session = SessionFactory(starts_at=starts, online=True)
    EnrollmentFactory(session=session, staff=staff_user.staff_profile)
    with translation.override("zh-hans"):  # the worker runs in the center's language
        services.sweep_run(
            sweep=registry.get_sweep("training.sessions"), today=timezone.localdate()
        )
    row = Notification.objects.get(recipient=staff_user, kind="training.session_upcoming")
    day = timezone.localtime(starts).date()
    course = session.course.title
    if language == "en":
        when = f"{day.day} {day:%B} {day.year} 19:00"
        says = [f"Training “{course}” on {when}", "at online", "counts 3.0 hours"]
        never = ["培训「", "线上", "开始时间"]
    else:
        when = f"{day.year}年{day.month}月{day.day}日 19:00"
        says = [f"培训「{course}」开始时间：{when}", "线上"]
        never = ["Training", "online", day.strftime("%B")]
    assert row.params["place"] == {"$": "text", "id": "online"}
    assert_reads(staff_user, row, says=says, never=never)
