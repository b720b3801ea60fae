"""``POST /api/v1/feeds/workload/``: the queue-and-call system pushes workload (a system client
with scope ``workload.push``)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view

from core.feeds import FeedPushViewSet

from ..services.records import SCOPE, workload_push
from .serializers import WorkloadAnswerSerializer, WorkloadBatchSerializer


@extend_schema_view(
    create=extend_schema(request=WorkloadBatchSerializer, responses=WorkloadAnswerSerializer)
)
class WorkloadPushViewSet(FeedPushViewSet):
    """``Authorization: Client <token>`` and ``{"records": [{"staff_number", "window",
    "service_item", "date", "kind", "count"}, …]}`` (at most ``PUSH_BATCH_MAX``). Answers 200
    with one result per row: ``created``, ``updated`` (the count replaced), ``duplicate`` (the
    same figures stored already: resending is safe) or ``error`` with the reasons."""

    client_scope = SCOPE
    batch_serializer = WorkloadBatchSerializer
    rows = "records"
    push = staticmethod(workload_push)
