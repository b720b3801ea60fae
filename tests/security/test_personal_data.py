"""National ID numbers: masked by role on every surface (pages, API, exports, audit trail and
change history), and never in URLs or logs."""

from __future__ import annotations

import io
import logging
import re

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from openpyxl import load_workbook

from staff import idcard

from .helpers import valid_id

pytestmark = pytest.mark.django_db

NEW_ID = valid_id("51040219850505123")


@pytest.fixture
def changed(admin_user, as_user, person_a):
    """person_a's ID number changed through the edit page by the center admin."""
    old = person_a.id_number
    client = as_user(admin_user)
    data = {
        "staff_number": person_a.staff_number,
        "name": person_a.name,
        "gender": person_a.gender,
        "id_number": NEW_ID,
        "mobile": person_a.mobile,
        "political_status": person_a.political_status,
        "employment_type": person_a.employment_type,
        "rank": person_a.rank,
        "education": person_a.education,
        "department": person_a.department_id,
        "center_role": person_a.center_role,
        "status": person_a.status,
    }
    response = client.post(reverse("staff:update", args=[person_a.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    person_a.refresh_from_db()
    assert person_a.id_number == NEW_ID
    return person_a, old


def test_the_audit_log_stores_only_masked_numbers(changed):
    person, old = changed
    entries = LogEntry.objects.filter(object_pk=str(person.pk))
    raw = " ".join(str(e.changes) + str(e.changes_text) + str(e.object_repr) for e in entries)
    assert entries.exists()
    assert old not in raw and NEW_ID not in raw
    assert idcard.mask(NEW_ID) in raw


def test_audit_page_and_change_history_show_masked_numbers(changed, as_user, admin_user):
    person, old = changed
    client = as_user(admin_user)  # the admin may read the number itself, not in the trail
    audit = client.get(reverse("portal:audit")).content.decode()
    assert idcard.mask(NEW_ID) in audit
    assert old not in audit and NEW_ID not in audit
    detail = client.get(reverse("staff:detail", args=[person.pk])).content.decode()
    history = detail[detail.index('class="list-group list-group-flush timeline"') :]
    assert idcard.mask(NEW_ID) in history
    assert NEW_ID not in history and old not in history


@pytest.mark.parametrize(("persona", "full"), [("admin", True), ("hr", True), ("liaison_a", False)])
def test_pages_api_and_exports_mask_by_role(personas, person_a, as_user, persona, full):
    client = as_user(personas[persona])
    number, masked = person_a.id_number, idcard.mask(person_a.id_number)
    expected, forbidden = (number, None) if full else (masked, number)

    detail = client.get(reverse("staff:detail", args=[person_a.pk]))
    assert expected in detail.content.decode()
    assert detail["Cache-Control"].startswith("max-age=0") or "no-cache" in detail["Cache-Control"]

    api = client.get(f"/api/v1/staff/{person_a.pk}/").json()
    assert api["id_number"] == expected
    listed = client.get("/api/v1/staff/").json()["results"]
    assert {p["id_number"] for p in listed if p["id"] == person_a.pk} == {expected}

    xlsx = client.get(reverse("staff:export"), {"format": "xlsx"})
    cells = [c for row in load_workbook(io.BytesIO(xlsx.content)).worksheets[0].values for c in row]
    assert expected in cells
    csv = client.get(reverse("staff:export"), {"format": "csv"}).content.decode("utf-8-sig")
    assert expected in csv
    if forbidden:
        for body in (detail.content.decode(), str(api), str(listed), str(cells), csv):
            assert forbidden not in body

    form = client.get(reverse("staff:update", args=[person_a.pk]))
    if persona != "hr":  # HR may not edit (403)
        assert (number in form.content.decode()) is full


def test_id_numbers_never_appear_in_urls(changed, as_user, admin_user):
    person, _ = changed
    client = as_user(admin_user)
    pages = [
        reverse("staff:list"),
        reverse("staff:detail", args=[person.pk]),
        reverse("staff:update", args=[person.pk]),
        reverse("portal:audit"),
        reverse("staff:department_detail", args=[person.department_id]),
    ]
    for page in pages:
        html = client.get(page).content.decode()
        for url in re.findall(r'(?:href|src|action|hx-get|hx-post)="([^"]*)"', html):
            assert NEW_ID not in url and idcard.mask(NEW_ID) not in url, (page, url)
    api = client.get("/api/v1/staff/").json()
    assert NEW_ID not in (api["next"] or "") + (api["previous"] or "")


def test_id_numbers_never_reach_the_logs(person_a, as_user, admin_user, liaison_a, caplog):
    caplog.set_level(logging.DEBUG)
    client = as_user(admin_user)
    bad = person_a.id_number[:17] + ("0" if person_a.id_number[17] != "0" else "1")
    client.post(reverse("staff:create"), {"name": "x", "id_number": bad})  # form error
    client.post("/api/v1/staff/", {"name": "x", "id_number": bad}, content_type="application/json")
    as_user(liaison_a).get(reverse("staff:detail", args=[person_a.pk]))
    client.get(reverse("staff:detail", args=[999999]))  # 404 logged
    messages = "\n".join(record.getMessage() for record in caplog.records)
    assert person_a.id_number not in messages
    assert bad not in messages
