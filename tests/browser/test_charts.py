"""The score chart of a staff page is drawn for every role that opens it (issue #20: it was a
blank box, the chart library was not loaded on that page).

"Drawn" means: the chart box holds an ECharts canvas, and that canvas has painted pixels (an
initialised but empty chart, or a box without the library, fails)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from assessments.models import Score
from staff.models import Staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAINTED = """el => {
  const canvas = el.querySelector('canvas');
  if (!canvas || !canvas.width || !canvas.height) { return 0; }
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) { painted++; } }
  return painted;
}"""


def assert_chart_drawn(j, path: str, step: str) -> None:
    response = j.goto(path)
    assert response.status == 200, (path, response.status)
    chart = j.page.locator(".chart[data-chart=line]").first
    expect(chart).to_be_visible()
    expect(chart.locator("canvas")).to_have_count(1)  # ECharts loaded and initialised
    j.page.wait_for_function(
        f"() => ({PAINTED})(document.querySelector('.chart[data-chart=line]')) > 500"
    )
    painted = chart.evaluate(PAINTED)
    assert painted > 500, f"{step}: the chart's canvas has {painted} painted pixels"
    j.shot(step)


@pytest.mark.parametrize("username", ["admin", "staff", "hr", "liaison"])
def test_staff_page_score_chart_is_drawn(journey, full_demo, username):
    """The staff page of a person with scores, as each role that may open it."""
    me = Staff.objects.get(user__username="staff")  # 市市场监督管理局: the liaison's department
    assert Score.objects.filter(staff=me).exists()
    j = journey(f"chart-{username}")
    j.login(username)
    assert_chart_drawn(j, f"/staff/{me.pk}/", "staff-page-chart")


def test_my_record_chart_is_drawn(journey, full_demo):
    j = journey("chart-my-record")
    j.login("staff")
    assert_chart_drawn(j, "/my-assessment/", "my-record-chart")
