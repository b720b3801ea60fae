"""One exception handler (core.api.exception_handler) turns what services raise into HTTP answers
for every app's API: 400 with the messages per field, 403 with its message, 409 for a conflict,
404 for an object out of scope."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from core.exceptions import Conflict

pytestmark = pytest.mark.django_db


def answer(error, user):
    class Raising(APIView):
        def get(self, request):
            raise error

    request = APIRequestFactory().get("/api/x/")
    force_authenticate(request, user=user)
    return Raising.as_view()(request)


@pytest.mark.parametrize(
    ("error", "status", "body"),
    [
        (ValidationError({"date": ["日期不在本月。"]}), 400, {"date": ["日期不在本月。"]}),
        (ValidationError("理由过短。"), 400, {"non_field_errors": ["理由过短。"]}),
        (
            PermissionDenied("只有中心可以修改用工性质。"),
            403,
            {"detail": "只有中心可以修改用工性质。"},
        ),
        (Conflict("该记录已被他人修改。"), 409, {"non_field_errors": ["该记录已被他人修改。"]}),
        (Http404(), 404, None),
    ],
)
def test_service_errors_become_http_answers(admin_user, error, status, body):
    response = answer(error, admin_user)
    assert response.status_code == status
    if body is not None:
        assert response.data == body


def test_a_permission_denied_without_message_keeps_drfs_wording(admin_user):
    response = answer(PermissionDenied(), admin_user)
    assert response.status_code == 403 and response.data["detail"]
