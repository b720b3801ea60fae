"""The workflow API end to end: the same services as the browser, JSON in and out."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from promotions.models import Recommendation

from .workflow_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_draft_edit_submit_adopt(admin_user, hr_user, person_a):
    center = _api(admin_user)
    created = center.post(
        "/api/v1/recommendations/",
        {"staff": person_a.pk, "kind": "title", "addressed_to": "both", "rationale": "优秀"},
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["state"] == "draft" and created.json()["snapshot"] is None
    stale = center.patch(
        f"/api/v1/recommendations/{pk}/", {"rationale": "x", "version": 9}, format="json"
    )
    assert stale.status_code == 409
    edited = center.patch(
        f"/api/v1/recommendations/{pk}/", {"rationale": "改后", "version": 1}, format="json"
    )
    assert edited.status_code == 200 and edited.json()["rationale"] == "改后"
    submitted = center.post(f"/api/v1/recommendations/{pk}/submit/", {}, format="json")
    assert submitted.status_code == 200
    number = submitted.json()["snapshot"]["number"]
    assert number.startswith("TJ-")
    adopted = _api(hr_user).post(
        f"/api/v1/recommendations/{pk}/adopt/", {"feedback": "采纳"}, format="json"
    )
    assert adopted.status_code == 200 and adopted.json()["state"] == "adopted"
    assert Recommendation.objects.get(pk=pk).snapshot.number == number


def test_reference_request_round_trip(admin_user, hr_user, person_b):
    hr = _api(hr_user)
    created = hr.post(
        "/api/v1/reference-requests/", {"staff": person_b.pk, "purpose": "拟任"}, format="json"
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    answered = _api(admin_user).post(
        f"/api/v1/reference-requests/{pk}/answer/", {"appraisal": "称职"}, format="json"
    )
    assert answered.status_code == 200
    seen = hr.get(f"/api/v1/reference-requests/{pk}/").json()
    assert seen["state"] == "answered" and seen["appraisal"] == "称职"
    assert seen["snapshot"]["number"].startswith("TJ-")
    again = hr.post(f"/api/v1/reference-requests/{pk}/withdraw/", {}, format="json")
    assert again.status_code == 409


def test_schema_lists_the_workflow(admin_user):
    schema = _api(admin_user).get("/api/schema/")
    text = schema.content.decode()
    for path in (
        "/api/v1/recommendations/{id}/submit/",
        "/api/v1/recommendations/{id}/adopt/",
        "/api/v1/recommendations/{id}/decline/",
        "/api/v1/reference-requests/{id}/answer/",
        "/api/v1/reference-requests/{id}/withdraw/",
    ):
        assert path in text
