"""The department monthly report shows this month's average score (assessments) and training
hours credited this month (training), each once (the figures portal registers), uncached; the
department's staff table shows each person's score this month and hours this year."""

import io
from datetime import date, datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from joint import report as reports
from tests.conftest import client_for
from training.models import EnrollmentStatus

from ..assessments import rows
from ..training.factories import EnrollmentFactory, SessionFactory
from .factories import StationingFactory

FEB = (date(2026, 2, 1), date(2026, 2, 28))


def at(day: date, hour: int = 19) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone())


def credit(person, day: date, hours: str, status=EnrollmentStatus.ATTENDED):
    return EnrollmentFactory(
        session=SessionFactory(starts_at=at(day)),
        staff=person,
        status=status,
        hours_credited=Decimal(hours),
    )


def scored(department, total: str, day: date = date(2026, 2, 10)):
    stationing = StationingFactory(staff__department=department, start_date=date(2025, 1, 1))
    rows.score(stationing.staff, stationing.window, day, total)
    return stationing.staff


def build(dept_a, dept_b):
    one = scored(dept_a, "90")
    scored(dept_a, "95")
    scored(dept_a, "60", day=date(2026, 3, 10))  # another month
    scored(dept_b, "50")  # another department
    credit(one, date(2026, 2, 3), "4")
    credit(one, date(2026, 2, 28), "2.5")  # the last evening of the month counts
    credit(one, date(2026, 3, 1), "8")  # next month
    credit(one, date(2026, 2, 5), "3", status=EnrollmentStatus.ENROLLED)  # not attended
    other = StationingFactory(staff__department=dept_b).staff
    credit(other, date(2026, 2, 3), "6")
    return one


def test_figures(liaison_a, dept_a, dept_b, django_assert_max_num_queries):
    build(dept_a, dept_b)

    def figures(first):
        return dict(
            reports.monthly_report(
                user=liaison_a, department=dept_a, first=first, today=first
            ).figures
        )

    with django_assert_max_num_queries(20):  # the report whole: base, counts, every figure
        feb = figures(FEB[0])
    assert feb["月度考核平均分"] == "92.5" and feb["本月培训学时"] == "6.5"
    jan = figures(date(2026, 1, 1))
    assert jan["月度考核平均分"] == "—" and jan["本月培训学时"] == "0"  # nothing yet


def test_no_figure_is_shown_twice(liaison_a, dept_a, dept_b):
    build(dept_a, dept_b)
    report = reports.monthly_report(user=liaison_a, department=dept_a, first=FEB[0], today=FEB[0])
    labels = [label for label, _value in report.figures]
    assert len(labels) == len(set(labels))
    html = client_for(liaison_a).get(
        reverse("joint:report") + f"?department={dept_a.pk}&month=2026-02"
    )
    assert html.content.decode().count("本月培训学时") == 1


def test_report_page_and_xlsx_show_them(liaison_a, dept_a, dept_b):
    build(dept_a, dept_b)
    client = client_for(liaison_a)
    query = f"?department={dept_a.pk}&month=2026-02"
    html = client.get(reverse("joint:report") + query).content.decode()
    assert "月度考核平均分" in html and "92.5" in html
    assert "本月培训学时" in html and "6.5" in html
    book = load_workbook(io.BytesIO(client.get(reverse("joint:report_download") + query).content))
    summary = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True)}
    assert float(summary["月度考核平均分"]) == 92.5
    assert float(summary["本月培训学时"]) == 6.5


def test_staff_table_shows_score_and_hours(liaison_a, dept_a):
    today = timezone.localdate()
    stationing = StationingFactory(
        staff__department=dept_a, staff__name="王得分", start_date=date(2025, 1, 1)
    )
    rows.score(stationing.staff, stationing.window, today, "87.5")
    credit(stationing.staff, today.replace(day=1), "7.5")
    html = client_for(liaison_a).get(reverse("joint:department")).content.decode()
    staff_section = html.split('data-section="joint-staff"')[1].split("</table>")[0]
    row = staff_section.split("王得分")[1].split("</tr>")[0]
    assert "87.50" in row and "7.5" in row
    assert "本月得分" in staff_section and "本年培训学时" in staff_section
