from datetime import date

from attendance.models import Punch

from .conftest import at


def punch(staff, day: date, *times: str) -> None:
    for hhmm in times:
        Punch.objects.create(
            staff=staff,
            at=at(day, hhmm),
            method="face",
            source="device:test",
            record_id=f"{staff.pk}-{day}-{hhmm}",
        )


FULL = ("08:55", "12:01", "13:20", "17:31")
