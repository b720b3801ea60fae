"""The shape every feed of the hall's systems shares (docs/integration.md): a system client posts
a batch, the owning service answers one outcome per row, and the view returns the counts with
the outcomes. An app's feed names its scope, its batch serializer and its service; the rest —
authentication, scope, throttling, counting, the answer — is here once.

``POST`` with ``Authorization: Client <token>``. A person's session or token is recognized and
refused with 403 (no client scope); without credentials: 401 with ``WWW-Authenticate: Client``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework import serializers, viewsets
from rest_framework.authentication import TokenAuthentication
from rest_framework.response import Response

from .authentication import (
    HasClientScope,
    SessionOrTokenChallenge,
    SystemClientAuthentication,
    SystemClientRateThrottle,
)

# What a row may come to; one choice set for every feed (one enum in the API schema).
RESULTS = ("created", "updated", "duplicate", "error")


class FeedResultField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=list(RESULTS), **kwargs)


class FeedPushViewSet(viewsets.ViewSet):
    """Subclasses set ``client_scope``, ``batch_serializer``, ``rows`` (the batch's key) and
    ``push = staticmethod(service)`` (``service(client=, items=) -> [outcome with .result]``),
    and ``results`` when a feed never
    answers some of :data:`RESULTS` (the counts list only those)."""

    authentication_classes = [
        SystemClientAuthentication,
        SessionOrTokenChallenge,
        TokenAuthentication,
    ]
    permission_classes = [HasClientScope]
    throttle_classes = [SystemClientRateThrottle]
    client_scope = ""
    batch_serializer: ClassVar[type[serializers.Serializer]]
    rows = ""
    results: Sequence[str] = RESULTS
    push: ClassVar[Callable[..., list]]

    def create(self, request):
        batch = self.batch_serializer(data=request.data)
        batch.is_valid(raise_exception=True)
        outcomes = self.push(client=request.auth, items=batch.validated_data[self.rows])
        counts = dict.fromkeys(self.results, 0)
        for outcome in outcomes:
            counts[outcome.result] += 1
        return Response({"counts": counts, "results": [asdict(o) for o in outcomes]})


def parse_moment(value: Any) -> datetime | None:
    """A sender's time (``2026-12-07T09:05:00+08:00``, ``2026-12-07 09:05``, ``2026/12/07 09:05``
    or a datetime) as an aware datetime; a time without a zone is the center's (``TIME_ZONE``).
    None when it is missing or not a time."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and value.strip():
        text = value.strip().replace("/", "-")
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            moment = parse_datetime(text)
    else:
        return None
    if moment is None:
        return None
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
    return moment
