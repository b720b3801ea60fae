"""REST endpoints; state changes are POST actions calling the same services as the browser."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from staff.permissions import HasPermission, Perm

from .. import selectors
from ..services import appeals as appeal_services
from ..services import awards as award_services
from ..services import entries as entry_services
from ..services import ratings as rating_services
from ..services import rectification as rectifications
from ..services import rules as rule_services
from ..services import scores as score_services
from . import serializers as s


class RuleViewSet(viewsets.ModelViewSet):
    serializer_class = s.RuleSerializer
    permission_classes = [HasPermission]
    permission_map = {
        "list": Perm.ASSESSMENT_VIEW,
        "retrieve": Perm.ASSESSMENT_VIEW,
        "create": Perm.ASSESSMENT_RULE_EDIT,
        "update": Perm.ASSESSMENT_RULE_EDIT,
        "partial_update": Perm.ASSESSMENT_RULE_EDIT,
    }
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    filterset_fields = ["category", "kind", "active"]
    ordering_fields = ["code", "points"]

    def get_queryset(self):
        return selectors.rule_list()

    def perform_create(self, serializer):
        serializer.instance = rule_services.rule_save(
            actor=self.request.user,
            reason=serializer.validated_data.pop("reason", ""),
            **serializer.validated_data,
        )

    def perform_update(self, serializer):
        serializer.instance = rule_services.rule_save(
            actor=self.request.user,
            rule=serializer.instance,
            reason=serializer.validated_data.pop("reason", ""),
            **serializer.validated_data,
        )


class PeriodViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.PeriodSerializer
    permission_classes = [HasPermission]
    permission_map = {
        "list": Perm.ASSESSMENT_VIEW,
        "retrieve": Perm.ASSESSMENT_VIEW,
        "close": Perm.ASSESSMENT_PERIOD_MANAGE,
        "recompute": Perm.ASSESSMENT_PERIOD_MANAGE,
    }
    filterset_fields = ["kind", "year", "status"]
    ordering_fields = ["start_date"]

    def get_queryset(self):
        return selectors.period_list()

    @extend_schema(request=None, responses={200: s.PeriodSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        period = score_services.period_close(actor=request.user, period=self.get_object())
        return Response(self.get_serializer(period).data)

    @extend_schema(request=None, responses={200: s.PeriodSerializer})
    @action(detail=True, methods=["post"])
    def recompute(self, request, pk=None):
        period = self.get_object()
        score_services.score_recompute(actor=request.user, period=period)
        return Response(self.get_serializer(period).data)


class EntryViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Deductions and bonuses in the caller's scope."""

    serializer_class = s.EntrySerializer
    permission_classes = [HasPermission]
    permission_map = {
        "list": Perm.ASSESSMENT_VIEW,
        "retrieve": Perm.ASSESSMENT_VIEW,
        "create": Perm.ASSESSMENT_ENTRY_EDIT,
    }
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filterset_fields = ["period", "staff", "kind", "status", "rule"]
    ordering_fields = ["date", "points"]

    def get_queryset(self):
        entries = selectors.entry_brief_list_for_user(self.request.user)
        return entries.prefetch_related("evidence").order_by("-date", "-id")

    @extend_schema(request=s.EntryWriteSerializer, responses={201: s.EntrySerializer})
    def create(self, request, *args, **kwargs):
        write = s.EntryWriteSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        entry = entry_services.entry_record(actor=request.user, **write.validated_data)
        entry = self.get_queryset().get(pk=entry.pk)
        return Response(self.get_serializer(entry).data, status=status.HTTP_201_CREATED)


class ScoreOrdering(OrderingFilter):
    """``?ordering=rank_center`` / ``rank_department``: the ranks of an open period are computed
    when read (``selectors.with_ranks``), so rank order is the order of the totals, best first,
    period by period (latest first) and, for the department rank, department by department;
    walked over ``score_period_order_idx`` / ``score_period_dept_idx``."""

    RANK_ORDER = {
        "rank_center": ["-period_id", "-total", "id"],
        "-rank_center": ["-period_id", "total", "-id"],
        "rank_department": ["-period_id", "department_id", "-total", "id"],
        "-rank_department": ["-period_id", "department_id", "total", "-id"],
    }

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if not ordering:
            return ordering
        result: list[str] = []
        for term in ordering:
            for part in self.RANK_ORDER.get(term, [term]):
                if part not in result:
                    result.append(part)
        return result if "id" in result or "-id" in result else [*result, "id"]


class ScoreViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.ScoreSerializer
    permission_classes = [HasPermission]
    permission_map = {
        "list": Perm.ASSESSMENT_VIEW,
        "retrieve": Perm.ASSESSMENT_VIEW,
        "review": Perm.ASSESSMENT_PERIOD_MANAGE,
        "grade": Perm.ASSESSMENT_GRADE_RECORD,
    }
    filter_backends = [DjangoFilterBackend, ScoreOrdering]
    filterset_fields = ["period", "staff", "department", "window"]
    ordering_fields = ["total", "rank_center", "rank_department"]

    def get_queryset(self):
        # By period id (latest first), best first (rank order), not the period's date ordering:
        # that sorts every score through a join; this walks an index (score_period_order_idx).
        return selectors.score_list_for_user(self.request.user).order_by(
            "-period_id", "-total", "id"
        )

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return None if page is None else selectors.with_ranks(list(page))

    def get_object(self):
        return selectors.with_ranks([super().get_object()])[0]

    @extend_schema(request=s.ReviewSerializer, responses={200: s.ScoreSerializer})
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """The year-end review of a quarter or year (the center)."""
        write = s.ReviewSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        score = score_services.review_score_set(
            actor=request.user, score=self.get_object(), **write.validated_data
        )
        return Response(self.get_serializer(selectors.with_ranks([score])[0]).data)

    @extend_schema(request=s.GradeSerializer, responses={200: s.ScoreSerializer})
    @action(detail=True, methods=["post"])
    def grade(self, request, pk=None):
        """The grade the home department decided for a year (its liaison, or the center)."""
        write = s.GradeSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        score = score_services.department_grade_record(
            actor=request.user, score=self.get_object(), **write.validated_data
        )
        return Response(self.get_serializer(selectors.with_ranks([score])[0]).data)


class WindowInputViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """The red-flag formula's inputs per window and period; a POST sets them (a repeat for the
    same window and period replaces them)."""

    serializer_class = s.WindowInputSerializer
    permission_classes = [HasPermission]
    permission_map = {"list": Perm.ASSESSMENT_BOARD, "create": Perm.AWARD_MANAGE}
    filterset_fields = ["period", "window"]

    def get_queryset(self):
        return selectors.window_inputs_for_user(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = award_services.window_input_set(
            actor=self.request.user, **serializer.validated_data
        )


class AppealViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.AppealSerializer
    permission_classes = [HasPermission]
    permission_map = {
        "list": Perm.ASSESSMENT_VIEW,
        "retrieve": Perm.ASSESSMENT_VIEW,
        "create": Perm.ASSESSMENT_APPEAL_SUBMIT,
        "decide": Perm.ASSESSMENT_APPEAL_DECIDE,
    }
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filterset_fields = ["status", "staff"]
    ordering_fields = ["submitted_at"]

    def get_queryset(self):
        return selectors.appeal_list_for_user(self.request.user).order_by("-submitted_at", "-id")

    @extend_schema(request=s.AppealWriteSerializer, responses={201: s.AppealSerializer})
    def create(self, request, *args, **kwargs):
        write = s.AppealWriteSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        entry = selectors.entry_get_for_user(request.user, write.validated_data["entry"])
        appeal = appeal_services.appeal_submit(
            actor=request.user,
            entry=entry,
            reason=write.validated_data["reason"],
            files=write.validated_data["files"],
        )
        return Response(
            self.get_serializer(self.get_queryset().get(pk=appeal.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=s.AppealDecideSerializer, responses={200: s.AppealSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        appeal = self.get_object()
        write = s.AppealDecideSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        appeal_services.appeal_decide(actor=request.user, appeal=appeal, **write.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=appeal.pk)).data)


class RatingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.RatingSerializer
    permission_classes = [HasPermission]
    permission_map = {
        "list": Perm.ASSESSMENT_VIEW,
        "retrieve": Perm.ASSESSMENT_VIEW,
        "create": Perm.RATING_IMPORT,
    }
    filterset_fields = ["window", "staff", "level", "channel", "department"]
    ordering_fields = ["served_at"]

    def get_queryset(self):
        return selectors.rating_list_for_user(self.request.user).order_by("-served_at", "-id")

    @extend_schema(request=s.RatingWriteSerializer, responses={201: s.RatingSerializer})
    def create(self, request, *args, **kwargs):
        write = s.RatingWriteSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        rating = rating_services.rating_record(actor=request.user, **write.validated_data)
        return Response(self.get_serializer(rating).data, status=status.HTTP_201_CREATED)


def _step(name):
    """One POST action per rectification transition, all calling ``rectification_step``."""

    def step(self, request, pk=None):
        case = self.get_object()
        write = s.RectificationStepSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        rectifications.rectification_step(
            actor=request.user,
            case=case,
            action=name,
            **write.validated_data,
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=case.pk)).data)

    step.__name__ = name
    step = action(
        detail=True,
        methods=["post"],
        url_path=name.replace("_", "-"),
        url_name=name.replace("_", "-"),
    )(step)
    return extend_schema(
        request=s.RectificationStepSerializer, responses={200: s.RectificationSerializer}
    )(step)


class RectificationViewSet(viewsets.ReadOnlyModelViewSet):
    """Bad-rating cases; one POST action per transition (see ``workflow.RECTIFICATION_ACTIONS``)."""

    serializer_class = s.RectificationSerializer
    permission_classes = [HasPermission]
    permission_map = {
        "list": Perm.ASSESSMENT_VIEW,
        "retrieve": Perm.ASSESSMENT_VIEW,
        **dict.fromkeys(s.RECTIFICATION_ACTION_NAMES, Perm.RECTIFICATION_ACT),
    }
    filterset_fields = ["status", "window", "department", "staff"]
    ordering_fields = ["deadline", "opened_on"]

    def get_queryset(self):
        return selectors.rectification_list_for_user(self.request.user).order_by("deadline", "id")

    appeal = _step("appeal")
    confirm = _step("confirm")
    invalidate = _step("invalidate")
    start = _step("start")
    respond = _step("respond")
    finish = _step("finish")
    cannot_fix = _step("cannot_fix")


class AwardViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.AwardSerializer
    permission_classes = [HasPermission]
    permission_map = {"list": Perm.ASSESSMENT_VIEW, "retrieve": Perm.ASSESSMENT_VIEW}
    filterset_fields = ["period", "kind", "staff", "window"]
    ordering_fields = ["rank"]

    def get_queryset(self):
        return selectors.award_list_for_user(self.request.user).order_by(
            "period", "kind", "rank", "id"
        )
