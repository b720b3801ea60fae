"""``POST /api/v1/feeds/workload/``: the queue-and-call system pushes workload (a system client
with scope ``workload.push``)."""

from __future__ import annotations

from dataclasses import asdict

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.authentication import TokenAuthentication
from rest_framework.response import Response

from core.authentication import (
    HasClientScope,
    SessionOrTokenChallenge,
    SystemClientAuthentication,
    SystemClientRateThrottle,
)

from ..services.records import SCOPE, workload_push
from .serializers import WorkloadAnswerSerializer, WorkloadBatchSerializer


class WorkloadPushViewSet(viewsets.ViewSet):
    """``Authorization: Client <token>`` and ``{"records": [{"staff_number", "window",
    "service_item", "date", "kind", "count"}, …]}`` (at most ``PUSH_BATCH_MAX``). Answers 200
    with one result per row: ``created``, ``updated`` (the count replaced), ``duplicate`` (the
    same figures stored already: resending is safe) or ``error`` with the reasons."""

    # A person's session or token is recognized and refused with 403 (no client scope); without
    # credentials: 401 with ``WWW-Authenticate: Client``.
    authentication_classes = [
        SystemClientAuthentication,
        SessionOrTokenChallenge,
        TokenAuthentication,
    ]
    permission_classes = [HasClientScope]
    throttle_classes = [SystemClientRateThrottle]
    client_scope = SCOPE

    @extend_schema(request=WorkloadBatchSerializer, responses=WorkloadAnswerSerializer)
    def create(self, request):
        batch = WorkloadBatchSerializer(data=request.data)
        batch.is_valid(raise_exception=True)
        outcomes = workload_push(client=request.auth, items=batch.validated_data["records"])
        counts = {"created": 0, "updated": 0, "duplicate": 0, "error": 0}
        for outcome in outcomes:
            counts[outcome.result] += 1
        return Response({"counts": counts, "results": [asdict(o) for o in outcomes]})
