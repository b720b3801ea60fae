"""Issue #18 endpoints: the rating platform's push (a system client), deadline extensions,
call-backs and the rates (people)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.feeds import FeedPushViewSet, FeedResultField
from staff.permissions import HasPermission, Perm

from .. import rating_rates, selectors
from ..conf import conf
from ..models import RatingCallBack, RatingLevel, RectificationExtension
from ..services import rating_feed
from ..services import rectification_extras as extras

# --- the push ---------------------------------------------------------------------------------


class FeedRatingSerializer(serializers.Serializer):
    # Only the shape here; the service checks each row and answers per row.
    case_number = serializers.CharField(allow_blank=True, max_length=200)
    window = serializers.CharField(allow_blank=True, max_length=40)
    staff_number = serializers.CharField(required=False, allow_blank=True, max_length=40)
    service_item = serializers.CharField(required=False, allow_blank=True, max_length=60)
    level = serializers.CharField(required=False, allow_blank=True, max_length=2, default="")
    channel = serializers.CharField(required=False, allow_blank=True, max_length=30, default="")
    # a list of short texts (or one text separated by 、); checked by the service
    reasons = serializers.JSONField(required=False, default=list)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    served_at = serializers.CharField(allow_blank=True, max_length=40)
    received_at = serializers.CharField(required=False, allow_blank=True, max_length=40)
    defaulted = serializers.BooleanField(required=False, default=False)


class FeedBatchSerializer(serializers.Serializer):
    ratings = FeedRatingSerializer(many=True, allow_empty=True)

    def validate_ratings(self, value):
        limit = conf("RATING_PUSH_BATCH_MAX")
        if len(value) > limit:
            raise serializers.ValidationError(
                _("At most %(limit)d ratings per request.") % {"limit": limit}
            )
        return value


class FeedResultSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    case_number = serializers.CharField()
    result = FeedResultField()
    errors = serializers.ListField(child=serializers.CharField())


class FeedAnswerSerializer(serializers.Serializer):
    counts = serializers.DictField(child=serializers.IntegerField())
    results = FeedResultSerializer(many=True)


@extend_schema_view(
    create=extend_schema(request=FeedBatchSerializer, responses=FeedAnswerSerializer)
)
class RatingFeedViewSet(FeedPushViewSet):
    """``POST /api/v1/feeds/ratings/`` with ``Authorization: Client <token>`` (scope
    ``ratings.push``) and ``{"ratings": [...]}``; docs/integration.md "Ratings feed"."""

    client_scope = rating_feed.SCOPE
    batch_serializer = FeedBatchSerializer
    rows = "ratings"
    push = staticmethod(rating_feed.ratings_push)


# --- extensions -------------------------------------------------------------------------------


class ExtensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = RectificationExtension
        fields = [
            "id",
            "case",
            "requested_at",
            "requested_days",
            "reason",
            "status",
            "deadline_before",
            "deadline_after",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields


class ExtensionRequestSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    days = serializers.IntegerField(min_value=1, max_value=365)
    reason = serializers.CharField(max_length=2000)


class ExtensionDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ExtensionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Deadline extensions of the cases in the user's scope; ``POST`` asks (the rated side),
    ``POST …/{id}/decide/`` decides (the center)."""

    serializer_class = ExtensionSerializer
    permission_classes = [HasPermission]
    permission_map = {
        "list": Perm.ASSESSMENT_VIEW,
        "retrieve": Perm.ASSESSMENT_VIEW,
        "create": Perm.RECTIFICATION_EXTEND_REQUEST,
        "decide": Perm.RECTIFICATION_EXTEND_DECIDE,
    }
    filterset_fields = ["status", "case"]
    ordering_fields = ["requested_at"]

    def get_queryset(self):
        return RectificationExtension.objects.filter(
            case__in=selectors.rectification_list_for_user(self.request.user)
        ).order_by("requested_at", "id")

    @extend_schema(request=ExtensionRequestSerializer, responses={201: ExtensionSerializer})
    def create(self, request):
        write = ExtensionRequestSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        case = get_object_or_404(
            selectors.rectification_list_for_user(request.user), pk=write.validated_data["case"]
        )
        extension = extras.extension_request(
            actor=request.user,
            case=case,
            days=write.validated_data["days"],
            reason=write.validated_data["reason"],
        )
        return Response(ExtensionSerializer(extension).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ExtensionDecisionSerializer, responses={200: ExtensionSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        extension = self.get_object()
        write = ExtensionDecisionSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        extension = extras.extension_decide(
            actor=request.user, extension=extension, **write.validated_data
        )
        return Response(ExtensionSerializer(extension).data)


# --- call-backs -------------------------------------------------------------------------------


class CallBackSerializer(serializers.ModelSerializer):
    class Meta:
        model = RatingCallBack
        fields = [
            "id",
            "rating",
            "case",
            "called_at",
            "caller",
            "reached",
            "confirms_rating",
            "satisfaction_after",
            "note",
            "recorded_at",
        ]
        read_only_fields = fields


class CallBackWriteSerializer(serializers.Serializer):
    rating = serializers.IntegerField()
    called_at = serializers.DateTimeField()
    reached = serializers.BooleanField()
    confirms_rating = serializers.BooleanField(required=False, allow_null=True, default=None)
    satisfaction_after = serializers.ChoiceField(
        choices=[("", ""), *RatingLevel.choices], required=False, allow_blank=True, default=""
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class CallBackViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The center's call-backs to citizens (回访), of the ratings in the user's scope."""

    serializer_class = CallBackSerializer
    permission_classes = [HasPermission]
    permission_map = {
        "list": Perm.ASSESSMENT_BOARD,
        "retrieve": Perm.ASSESSMENT_BOARD,
        "create": Perm.RATING_CALLBACK_RECORD,
    }
    filterset_fields = ["rating", "case", "reached"]
    ordering_fields = ["called_at"]

    def get_queryset(self):
        return RatingCallBack.objects.filter(
            rating__in=selectors.rating_list_for_user(self.request.user)
        ).order_by("-called_at", "-id")

    @extend_schema(request=CallBackWriteSerializer, responses={201: CallBackSerializer})
    def create(self, request):
        write = CallBackWriteSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        data = dict(write.validated_data)
        rating = get_object_or_404(
            selectors.rating_list_for_user(request.user), pk=data.pop("rating")
        )
        call = extras.callback_record(actor=request.user, rating=rating, **data)
        return Response(CallBackSerializer(call).data, status=status.HTTP_201_CREATED)


# --- rates ------------------------------------------------------------------------------------


class RateRowSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True)
    label = serializers.CharField()
    events = serializers.IntegerField()
    rated = serializers.IntegerField()
    defaulted = serializers.IntegerField()
    levels = serializers.DictField(child=serializers.IntegerField())
    good = serializers.IntegerField()
    voluntary_good = serializers.IntegerField()
    unrated = serializers.IntegerField()
    bad = serializers.IntegerField()
    replied = serializers.IntegerField()
    rectified = serializers.IntegerField()
    good_rate = serializers.FloatField(allow_null=True)
    voluntary_good_rate = serializers.FloatField(allow_null=True)
    unrated_rate = serializers.FloatField(allow_null=True)
    bad_rate = serializers.FloatField(allow_null=True)
    reply_rate = serializers.FloatField(allow_null=True)
    rectification_rate = serializers.FloatField(allow_null=True)
    satisfaction_after_rate = serializers.FloatField(allow_null=True)


class RatingRatesViewSet(viewsets.ViewSet):
    """``GET /api/v1/rating-rates/?group=month|window|department|service_item|channel
    &from=YYYY-MM-DD&to=YYYY-MM-DD`` (months of the service; the user's scope)."""

    permission_classes = [HasPermission]
    permission_map = {"list": Perm.ASSESSMENT_BOARD}

    @extend_schema(
        parameters=[
            OpenApiParameter("group", str, enum=list(rating_rates.GROUPS)),
            OpenApiParameter("from", str, description="YYYY-MM-DD (its month)"),
            OpenApiParameter("to", str, description="YYYY-MM-DD (its month)"),
        ],
        responses=RateRowSerializer(many=True),
    )
    def list(self, request):
        group = request.query_params.get("group", "month")
        rows = rating_rates.rating_rates_for_user(
            request.user,
            group=group if group in rating_rates.GROUPS else "month",
            start=parse_date(request.query_params.get("from") or "") or None,
            end=parse_date(request.query_params.get("to") or "") or None,
        )
        for row in rows:
            row["key"] = None if row["key"] is None else str(row["key"])
        return Response(RateRowSerializer(rows, many=True).data)
