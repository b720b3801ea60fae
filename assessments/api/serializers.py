from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from core.api import ModelSerializer
from staff.models import Staff
from staff.permissions import Perm, has_perm, scope
from windows.models import ServiceItem, Window

from ..models import (
    Appeal,
    AppealStatus,
    AssessmentRule,
    Award,
    Entry,
    Evidence,
    Grade,
    Period,
    Rating,
    RatingChannel,
    RatingLevel,
    Rectification,
    RectificationLog,
    Score,
    WindowAssessment,
)
from ..workflow import RECTIFICATION_ACTIONS


class RuleSerializer(serializers.ModelSerializer):
    reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="Why the rule changes (required for a change; kept in the audit trail).",
    )

    class Meta:
        model = AssessmentRule
        extra_kwargs = {"points": {"min_value": Decimal("0.01")}}  # the table's check constraint
        fields = [
            "id",
            "code",
            "category",
            "description",
            "points",
            "unit",
            "kind",
            "evidence_required",
            "joint_liability",
            "active",
            "reason",
        ]


class PeriodSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = Period
        fields = [
            "id",
            "kind",
            "year",
            "number",
            "label",
            "start_date",
            "end_date",
            "status",
            "bonus_cap",
            "monthly_weight",
            "review_weight",
            "closed_at",
        ]
        read_only_fields = fields


class AssessedStaffSerializer(serializers.ModelSerializer):
    class Meta:
        model = Staff
        fields = ["id", "staff_number", "name", "department_id"]
        read_only_fields = fields


class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evidence
        fields = ["id", "original_name", "content_type", "size", "uploaded_at"]
        read_only_fields = fields


class EntrySerializer(serializers.ModelSerializer):
    staff = AssessedStaffSerializer(read_only=True)
    rule_code = serializers.CharField(source="rule.code", read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)
    appeal_status = serializers.SerializerMethodField()

    class Meta:
        model = Entry
        fields = [
            "id",
            "period",
            "staff",
            "window",
            "rule",
            "rule_code",
            "kind",
            "date",
            "quantity",
            "points",
            "original_points",
            "status",
            "notes",
            "joint_parent",
            "joint_share",
            "appeal_deadline",
            "recorded_at",
            "evidence",
            "appeal_status",
        ]
        read_only_fields = fields

    def get_appeal_status(self, entry) -> str | None:
        appeal = getattr(entry, "appeal", None) if hasattr(entry, "appeal") else None
        return appeal.status if appeal else None


class EntryWriteSerializer(serializers.Serializer):
    staff = serializers.PrimaryKeyRelatedField(queryset=Staff.objects.all())
    rule = serializers.PrimaryKeyRelatedField(queryset=AssessmentRule.objects.all())
    date = serializers.DateField()
    quantity = serializers.DecimalField(max_digits=6, decimal_places=2, default=1)
    window = serializers.PrimaryKeyRelatedField(
        queryset=Window.objects.all(), required=False, allow_null=True
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    joint_liability = serializers.BooleanField(required=False, allow_null=True, default=None)
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class ScoreSerializer(ModelSerializer):
    staff = AssessedStaffSerializer(read_only=True)
    period_label = serializers.CharField(source="period.label", read_only=True)

    class Meta:
        model = Score
        fields = [
            "id",
            "period",
            "period_label",
            "staff",
            "department",
            "window",
            "base",
            "deductions",
            "bonus_raw",
            "bonus",
            "monthly_average",
            "review_score",
            "total",
            "entry_count",
            "rank_center",
            "rank_department",
            "suggested_grade",
            "department_grade",
            "computed_at",
        ]
        read_only_fields = fields


class ReviewSerializer(serializers.Serializer):
    value = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0, max_value=100)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200)


class GradeSerializer(serializers.Serializer):
    grade = serializers.ChoiceField(choices=Grade.choices, allow_blank=True)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200)


class WindowInputSerializer(ModelSerializer):
    reason = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=200
    )

    class Meta:
        model = WindowAssessment
        fields = [
            "id",
            "period",
            "window",
            "efficiency",
            "efficiency_override",
            "duty_votes",
            "public_votes",
            "reason",
        ]
        extra_kwargs = {"efficiency": {"min_value": 0, "max_value": 100}}
        # one row per window and period, which the service replaces: not DRF's unique check
        validators: list = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:  # only windows and open periods the caller may see
            self.fields["window"].queryset = scope(
                Window.objects.all(), request.user, department="department"
            )


class AppealSerializer(serializers.ModelSerializer):
    staff = AssessedStaffSerializer(read_only=True)
    attachments = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Appeal
        fields = [
            "id",
            "entry",
            "staff",
            "reason",
            "status",
            "submitted_at",
            "decided_at",
            "decision_note",
            "points_before",
            "points_after",
            "attachments",
        ]
        read_only_fields = fields


class AppealWriteSerializer(serializers.Serializer):
    entry = serializers.IntegerField()
    reason = serializers.CharField()
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class AppealDecideSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=[AppealStatus.UPHELD, AppealStatus.REDUCED, AppealStatus.CANCELLED]
    )
    note = serializers.CharField()
    points_after = serializers.DecimalField(
        max_digits=7, decimal_places=2, required=False, allow_null=True
    )


class RatingSerializer(ModelSerializer):
    """The rater's identity is included only for those allowed to see it (never the rated)."""

    class Meta:
        model = Rating
        fields = [
            "id",
            "event_ref",
            "window",
            "department",
            "staff",
            "service_item",
            "level",
            "channel",
            "served_at",
            "received_at",
            "reasons",
            "defaulted",
            "comment",
            "rater_name",
            "rater_phone",
            "created_at",
        ]
        read_only_fields = fields

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is None or not has_perm(request.user, Perm.RATING_RATER_VIEW):
            fields.pop("rater_name", None)
            fields.pop("rater_phone", None)
        return fields


class RatingWriteSerializer(serializers.Serializer):
    event_ref = serializers.CharField(max_length=60)
    window = serializers.SlugRelatedField(slug_field="code", queryset=Window.objects.all())
    staff = serializers.SlugRelatedField(
        slug_field="staff_number", queryset=Staff.objects.all(), required=False, allow_null=True
    )
    service_item = serializers.SlugRelatedField(
        slug_field="code", queryset=ServiceItem.objects.all(), required=False, allow_null=True
    )
    level = serializers.ChoiceField(
        choices=[("", "")] + list(RatingLevel.choices), allow_blank=True, default=""
    )
    channel = serializers.ChoiceField(choices=RatingChannel.choices, default=RatingChannel.ONSITE)
    served_at = serializers.DateTimeField()
    received_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    reasons = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, default=list
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    rater_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=50)
    rater_phone = serializers.CharField(required=False, allow_blank=True, default="", max_length=20)


class RectificationLogSerializer(ModelSerializer):
    class Meta:
        model = RectificationLog
        fields = ["from_status", "to_status", "note", "at"]
        read_only_fields = fields


class RectificationSerializer(ModelSerializer):
    event_ref = serializers.CharField(source="rating.event_ref", read_only=True)
    level = serializers.CharField(source="rating.level", read_only=True)

    class Meta:
        model = Rectification
        fields = [
            "id",
            "rating",
            "event_ref",
            "level",
            "window",
            "department",
            "staff",
            "status",
            "opened_on",
            "deadline",
            "appeal_reason",
            "reply",
            "replied_at",
            "satisfaction_after",
            "closed_at",
            "department_response",
            "department_responded_at",
        ]
        read_only_fields = fields


class RectificationStepSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
    satisfaction_after = serializers.ChoiceField(
        choices=[("", "")] + list(RatingLevel.choices), required=False, allow_blank=True, default=""
    )


class AwardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Award
        fields = [
            "id",
            "period",
            "kind",
            "staff",
            "window",
            "department",
            "score",
            "rank",
            "components",
            "awarded_at",
        ]
        read_only_fields = fields


RECTIFICATION_ACTION_NAMES = list(RECTIFICATION_ACTIONS)
