"""The case system's feed (``POST /api/v1/feeds/cases/``, system clients of scope ``cases.push``)
and the center's overdue-case deductions (``/api/v1/case-deductions/``): list, rerun the
proposals, confirm chosen ones in one step, dismiss one with a reason. Issue #18."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.feeds import FeedPushViewSet, FeedResultField
from staff.permissions import HasPermission, Perm, scope

from ..conf import conf
from ..rule_models import CaseDeduction, CaseStatus
from ..services import cases as case_services


class CaseItemSerializer(serializers.Serializer):
    # Each row is checked by the service, which answers per row; here only the shape.
    case_number = serializers.CharField(allow_blank=True, max_length=200)
    service_item = serializers.CharField(allow_blank=True, max_length=40, help_text="its code")
    window = serializers.CharField(allow_blank=True, max_length=20, help_text="its code")
    staff_number = serializers.CharField(required=False, allow_blank=True, max_length=40)
    accepted_at = serializers.CharField(allow_blank=True, max_length=40)
    completed_at = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=40
    )
    status = serializers.CharField(
        allow_blank=True, max_length=20, help_text=", ".join(CaseStatus.values)
    )


class CaseBatchSerializer(serializers.Serializer):
    cases = CaseItemSerializer(many=True, allow_empty=True)

    def validate_cases(self, value):
        limit = conf("CASE_PUSH_BATCH_MAX")
        if len(value) > limit:
            raise serializers.ValidationError(
                _("At most %(limit)d cases per request.") % {"limit": limit}
            )
        return value


class CaseResultSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    case_number = serializers.CharField()
    result = FeedResultField()
    errors = serializers.ListField(child=serializers.CharField())


class CaseBatchResultSerializer(serializers.Serializer):
    counts = serializers.DictField(child=serializers.IntegerField())
    results = CaseResultSerializer(many=True)


@extend_schema_view(
    create=extend_schema(request=CaseBatchSerializer, responses=CaseBatchResultSerializer)
)
class CaseFeedViewSet(FeedPushViewSet):
    """``POST /api/v1/feeds/cases/`` with ``Authorization: Client <token>`` and
    ``{"cases": [{"case_number", "service_item", "window", "staff_number", "accepted_at",
    "completed_at", "status"}, …]}`` (at most ``CASE_PUSH_BATCH_MAX``). Answers 200 with one
    result per row: ``created``, ``updated`` (the case number was stored: its values replaced),
    ``duplicate`` (nothing changed) or ``error`` with the reasons."""

    client_scope = case_services.SCOPE
    batch_serializer = CaseBatchSerializer
    rows = "cases"
    push = staticmethod(case_services.cases_push)


class CaseDeductionSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.case_number", read_only=True)
    service_item = serializers.CharField(source="case.service_item.code", read_only=True)
    window = serializers.CharField(source="case.window.code", read_only=True)
    staff_number = serializers.CharField(source="staff.staff_number", read_only=True)
    deadline = serializers.DateField(source="case.deadline", read_only=True)
    completed_at = serializers.DateTimeField(source="case.completed_at", read_only=True)

    class Meta:
        model = CaseDeduction
        fields = [
            "id",
            "case_number",
            "service_item",
            "window",
            "staff",
            "staff_number",
            "department",
            "deadline",
            "completed_at",
            "overdue_days",
            "state",
            "entry",
            "reason",
        ]
        read_only_fields = fields


class ConfirmSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        allow_empty=False,
        max_length=5000,
    )


class DismissSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class ProposeResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    withdrawn = serializers.IntegerField()


class CaseDeductionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The center's overdue-case deductions; ``?state=proposed`` (or confirmed, dismissed,
    withdrawn)."""

    serializer_class = CaseDeductionSerializer
    permission_classes = [HasPermission]
    permission_map = {
        "list": Perm.ASSESSMENT_ENTRY_EDIT,
        "propose": Perm.ASSESSMENT_ENTRY_EDIT,
        "confirm": Perm.ASSESSMENT_ENTRY_EDIT,
        "dismiss": Perm.ASSESSMENT_ENTRY_EDIT,
    }
    filterset_fields = ["state", "department", "staff"]
    ordering_fields = ["id", "overdue_days"]

    def get_queryset(self):
        return (
            scope(CaseDeduction.objects.all(), self.request.user)
            .select_related("case", "case__service_item", "case__window", "staff")
            .order_by("-id")
        )

    @extend_schema(request=None, responses={200: ProposeResultSerializer})
    @action(detail=False, methods=["post"], pagination_class=None, filter_backends=[])
    def propose(self, request):
        """Rerun the proposals over the cases (idempotent)."""
        return Response(case_services.case_deductions_propose(actor=request.user))

    @extend_schema(request=ConfirmSerializer, responses={200: CaseDeductionSerializer(many=True)})
    @action(detail=False, methods=["post"], pagination_class=None, filter_backends=[])
    def confirm(self, request):
        """Record the chosen proposals as entries, all or none."""
        write = ConfirmSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        done = case_services.case_deductions_confirm(
            actor=request.user, ids=write.validated_data["ids"]
        )
        return Response(self.get_serializer(done, many=True).data)

    @extend_schema(request=DismissSerializer, responses={200: CaseDeductionSerializer})
    @action(detail=True, methods=["post"], filter_backends=[])
    def dismiss(self, request, pk=None):
        write = DismissSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        item = case_services.case_deduction_dismiss(
            actor=request.user,
            deduction=self.get_object(),
            reason=write.validated_data["reason"],
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=item.pk)).data)
