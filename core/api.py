"""What every app's API shares: pagination, the serializer base, and the one exception handler
that turns service errors into HTTP answers."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.exceptions import Conflict
from core.pagination import CountPaginator


class ConflictError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def validation_detail(exc: DjangoValidationError) -> dict[str, Any]:
    """A Django ``ValidationError`` in DRF's shape: per field, or under ``non_field_errors``."""
    if hasattr(exc, "error_dict"):
        return exc.message_dict
    return {"non_field_errors": exc.messages}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, after mapping what services raise (``core.exceptions``): a
    :class:`~core.exceptions.Conflict` answers 409, any other Django ``ValidationError`` 400 with
    its messages per field, Django's ``PermissionDenied`` 403 with its message (DRF's own
    mapping drops it). ``Http404`` is DRF's 404 already."""
    if isinstance(exc, Conflict):
        exc = ConflictError(validation_detail(exc))
    elif isinstance(exc, DjangoValidationError):
        exc = serializers.ValidationError(validation_detail(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    return drf_exception_handler(exc, context)


class Pagination(PageNumberPagination):
    # exact counts over an index; the planner's estimate above CENTER['PAGINATOR_ESTIMATE_ABOVE']
    django_paginator_class = CountPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class ModelSerializer(serializers.ModelSerializer):
    """DRF's ModelSerializer, except that a read-only choice field of a ``blank=True`` model field
    keeps ``allow_blank``: DRF drops it from read-only fields, so the OpenAPI schema would deny
    the empty value the API really returns (an unrated event, an open stationing's end reason)."""

    def include_extra_kwargs(self, kwargs, extra_kwargs):
        blank_choice = "choices" in kwargs and kwargs.get("allow_blank", False)
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if blank_choice:
            kwargs["allow_blank"] = True
        return kwargs


class EndOnDaySerializer(serializers.Serializer):
    """Input of an action that ends something (a letter of appointment, a certificate) on a day,
    today when omitted, with a written reason."""

    last_day = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Today when omitted."
    )
    reason = serializers.CharField()
