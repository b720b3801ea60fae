"""REST API of the promotion workflow (``/api/v1/recommendations/``,
``/api/v1/reference-requests/``), scoped exactly like the browser and calling the same services. A state conflict (someone acted
first, or the version the client sent is stale) answers 409; a refused transition 400 or 403."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from staff.api.serializers import StaffBriefSerializer
from staff.models import Staff
from staff.permissions import HasPermission, Perm
from staff.selectors import staff_list_for_user

from .. import selectors, services
from ..models import (
    Addressee,
    HomeDecision,
    Recommendation,
    RecommendationKind,
    ReferenceRequest,
)


def _person(user, staff: Staff) -> Staff:
    person = staff_list_for_user(user).filter(pk=staff.pk).first()
    if person is None:
        from django.utils.translation import gettext

        raise serializers.ValidationError({"staff": [gettext("No such person in your scope.")]})
    return person


class SnapshotBriefSerializer(serializers.Serializer):
    number = serializers.CharField(read_only=True)
    content_hash = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class RecommendationSerializer(serializers.ModelSerializer):
    staff = StaffBriefSerializer(read_only=True)
    department = serializers.CharField(source="staff.department.name", read_only=True)
    snapshot = SnapshotBriefSerializer(read_only=True, allow_null=True)
    # blank until the home department answers (issue #16)
    home_decision = serializers.ChoiceField(
        choices=HomeDecision.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "staff",
            "department",
            "kind",
            "addressed_to",
            "rationale",
            "period_start",
            "period_end",
            "state",
            "snapshot",
            "feedback",
            "created_at",
            "submitted_at",
            "decided_at",
            "home_decision",
            "home_reason",
            "home_post",
            "home_post_from",
            "home_answered_at",
            "version",
        ]
        read_only_fields = fields


class RecommendationWriteSerializer(serializers.Serializer):
    staff = serializers.PrimaryKeyRelatedField(queryset=Staff.objects.all())
    kind = serializers.ChoiceField(choices=RecommendationKind.choices)
    addressed_to = serializers.ChoiceField(choices=Addressee.choices)
    rationale = serializers.CharField()
    period_start = serializers.DateField(required=False)
    period_end = serializers.DateField(required=False)


class RecommendationUpdateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RecommendationKind.choices, required=False)
    addressed_to = serializers.ChoiceField(choices=Addressee.choices, required=False)
    rationale = serializers.CharField(required=False)
    period_start = serializers.DateField(required=False)
    period_end = serializers.DateField(required=False)
    version = serializers.IntegerField(required=False)


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False)


class DecisionSerializer(serializers.Serializer):
    feedback = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False)


class HomeAnswerSerializer(serializers.Serializer):
    """The home department's answer (issue #16); ``post`` and ``post_from`` may come later."""

    home_decision = serializers.ChoiceField(choices=HomeDecision.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    post = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    post_from = serializers.DateField(required=False, allow_null=True, default=None)
    version = serializers.IntegerField(required=False)


class HomeOutcomeSerializer(serializers.Serializer):
    post = serializers.CharField(max_length=200)
    post_from = serializers.DateField()
    version = serializers.IntegerField(required=False)


class RecommendationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Recommendations in the caller's scope (drafts only for the center). Create and update
    drafts; ``submit`` freezes the evidence; ``adopt`` / ``decline`` record the decision;
    ``home-answer`` / ``home-outcome``: the home department's answer and the post given."""

    serializer_class = RecommendationSerializer
    permission_classes = [HasPermission]
    permission_map = {
        "list": Perm.PROMOTION_VIEW,
        "retrieve": Perm.PROMOTION_VIEW,
        "create": Perm.RECOMMENDATION_EDIT,
        "update": Perm.RECOMMENDATION_EDIT,
        "partial_update": Perm.RECOMMENDATION_EDIT,
        "submit": Perm.RECOMMENDATION_EDIT,
        "adopt": Perm.RECOMMENDATION_DECIDE,
        "decline": Perm.RECOMMENDATION_DECIDE,
        "home_answer": Perm.RECOMMENDATION_HOME_ANSWER,
        "home_outcome": Perm.RECOMMENDATION_HOME_ANSWER,
    }
    filterset_fields = ["state", "kind", "staff", "addressed_to", "home_decision"]
    ordering_fields = ["created_at", "id"]

    def get_queryset(self):
        return selectors.recommendation_list_for_user(self.request.user)

    @extend_schema(request=RecommendationWriteSerializer, responses={201: RecommendationSerializer})
    def create(self, request, *args, **kwargs):
        write = RecommendationWriteSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        data = dict(write.validated_data)
        person = _person(request.user, data.pop("staff"))
        rec = services.recommendation_create(actor=request.user, staff=person, **data)
        return Response(self.get_serializer(rec).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=RecommendationUpdateSerializer, responses={200: RecommendationSerializer}
    )
    def update(self, request, *args, **kwargs):
        rec = self.get_object()
        write = RecommendationUpdateSerializer(data=request.data, partial=kwargs.get("partial"))
        write.is_valid(raise_exception=True)
        data = dict(write.validated_data)
        version = data.pop("version", None)
        rec = services.recommendation_update(
            actor=request.user,
            recommendation=rec,
            expected_version=version,
            **data,
        )
        return Response(self.get_serializer(rec).data)

    @extend_schema(request=VersionSerializer, responses={200: RecommendationSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        rec = self.get_object()
        write = VersionSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        rec = services.recommendation_submit(
            actor=request.user,
            recommendation=rec,
            expected_version=write.validated_data.get("version"),
        )
        return Response(self.get_serializer(rec).data)

    def _decide(self, request, adopted: bool):
        rec = self.get_object()
        write = DecisionSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        rec = services.recommendation_decide(
            actor=request.user,
            recommendation=rec,
            adopted=adopted,
            feedback=write.validated_data["feedback"],
            expected_version=write.validated_data.get("version"),
        )
        return Response(self.get_serializer(rec).data)

    @extend_schema(request=DecisionSerializer, responses={200: RecommendationSerializer})
    @action(detail=True, methods=["post"])
    def adopt(self, request, pk=None):
        return self._decide(request, True)

    @extend_schema(request=DecisionSerializer, responses={200: RecommendationSerializer})
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._decide(request, False)

    @extend_schema(request=HomeAnswerSerializer, responses={200: RecommendationSerializer})
    @action(detail=True, methods=["post"], url_path="home-answer", url_name="home-answer")
    def home_answer(self, request, pk=None):
        rec = self.get_object()
        write = HomeAnswerSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        data = write.validated_data
        rec = services.recommendation_home_answer(
            actor=request.user,
            recommendation=rec,
            accepted=data["home_decision"] == HomeDecision.ACCEPTED,
            reason=data["reason"],
            post=data["post"],
            post_from=data["post_from"],
            expected_version=data.get("version"),
        )
        return Response(self.get_serializer(rec).data)

    @extend_schema(request=HomeOutcomeSerializer, responses={200: RecommendationSerializer})
    @action(detail=True, methods=["post"], url_path="home-outcome", url_name="home-outcome")
    def home_outcome(self, request, pk=None):
        rec = self.get_object()
        write = HomeOutcomeSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        data = write.validated_data
        rec = services.recommendation_home_outcome(
            actor=request.user,
            recommendation=rec,
            post=data["post"],
            post_from=data["post_from"],
            expected_version=data.get("version"),
        )
        return Response(self.get_serializer(rec).data)


class ReferenceRequestSerializer(serializers.ModelSerializer):
    staff = StaffBriefSerializer(read_only=True)
    department = serializers.CharField(source="staff.department.name", read_only=True)
    requested_by = serializers.CharField(source="requested_by.username", read_only=True)
    snapshot = SnapshotBriefSerializer(read_only=True, allow_null=True)
    appraisal = serializers.SerializerMethodField()

    class Meta:
        model = ReferenceRequest
        fields = [
            "id",
            "staff",
            "department",
            "purpose",
            "message",
            "period_start",
            "period_end",
            "due_date",
            "state",
            "requested_by",
            "requested_at",
            "answered_at",
            "appraisal",
            "snapshot",
            "version",
        ]
        read_only_fields = fields

    def get_appraisal(self, obj) -> str | None:
        appraisal = getattr(obj, "appraisal", None) if obj.state == "answered" else None
        return appraisal.text if appraisal else None


class ReferenceRequestWriteSerializer(serializers.Serializer):
    staff = serializers.PrimaryKeyRelatedField(queryset=Staff.objects.all())
    purpose = serializers.CharField(max_length=200)
    message = serializers.CharField(required=False, allow_blank=True, default="")
    period_start = serializers.DateField(required=False)
    period_end = serializers.DateField(required=False)
    due_date = serializers.DateField(required=False)


class AnswerSerializer(serializers.Serializer):
    appraisal = serializers.CharField()
    version = serializers.IntegerField(required=False)


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReferenceRequestViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """HR's performance-reference requests: HR creates and withdraws its own; the center
    ``answer``s with a written appraisal (the evidence pack is frozen with it)."""

    serializer_class = ReferenceRequestSerializer
    permission_classes = [HasPermission]
    permission_map = {
        "list": Perm.REFERENCE_VIEW,
        "retrieve": Perm.REFERENCE_VIEW,
        "create": Perm.REFERENCE_REQUEST,
        "answer": Perm.REFERENCE_ANSWER,
        "withdraw": Perm.REFERENCE_REQUEST,
    }
    filterset_fields = ["state", "staff"]
    ordering_fields = ["due_date", "requested_at", "id"]

    def get_queryset(self):
        return selectors.reference_list_for_user(self.request.user)

    @extend_schema(
        request=ReferenceRequestWriteSerializer, responses={201: ReferenceRequestSerializer}
    )
    def create(self, request, *args, **kwargs):
        write = ReferenceRequestWriteSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        data = dict(write.validated_data)
        person = _person(request.user, data.pop("staff"))
        ref = services.reference_request_create(actor=request.user, staff=person, **data)
        return Response(self.get_serializer(ref).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AnswerSerializer, responses={200: ReferenceRequestSerializer})
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        ref = self.get_object()
        write = AnswerSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        ref = services.reference_request_answer(
            actor=request.user,
            request=ref,
            appraisal=write.validated_data["appraisal"],
            expected_version=write.validated_data.get("version"),
        )
        return Response(self.get_serializer(ref).data)

    @extend_schema(request=WithdrawSerializer, responses={200: ReferenceRequestSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        ref = self.get_object()
        write = WithdrawSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        ref = services.reference_request_withdraw(
            actor=request.user,
            request=ref,
            reason=write.validated_data["reason"],
        )
        return Response(self.get_serializer(ref).data)
