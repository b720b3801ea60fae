from django.utils import timezone
from rest_framework import serializers

from core.api import ModelSerializer
from staff.api.serializers import DepartmentBriefSerializer, StaffBriefSerializer
from staff.models import Staff

from ..models import (
    Post,
    ServiceItem,
    StandIn,
    Stationing,
    TransferKind,
    TransferRequest,
    Vetting,
    VettingDecision,
    Window,
    months_between,
)


class ServiceItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceItem
        fields = ["id", "code", "name", "is_licensing", "promised_working_days"]
        read_only_fields = fields


class CurrentStationingSerializer(serializers.ModelSerializer):
    staff = StaffBriefSerializer(read_only=True)
    tenure_months = serializers.SerializerMethodField()

    class Meta:
        model = Stationing
        fields = ["id", "staff", "post", "start_date", "tenure_months"]
        read_only_fields = fields

    def get_tenure_months(self, obj: Stationing) -> int:
        return obj.tenure_months()

    def to_representation(self, instance: Stationing | dict) -> dict:
        """The declared fields' output (the schema reads them), written out: a page of windows
        at the province nests ~1,650 of these, as plain rows (``selectors.attach_brief_people``),
        and DRF's field-by-field path over model instances cost several times the page's SQL.
        ``tests/windows/test_queries.py`` checks it equals the generic output."""
        if isinstance(instance, dict):
            return {
                "id": instance["id"],
                "staff": {
                    "id": instance["staff_id"],
                    "staff_number": instance["staff__staff_number"],
                    "name": instance["staff__name"],
                },
                "post": instance["post"],
                "start_date": instance["start_date"].isoformat(),
                "tenure_months": months_between(instance["start_date"], timezone.localdate()),
            }
        return super().to_representation(instance)


class WindowSerializer(serializers.ModelSerializer):
    department = DepartmentBriefSerializer(read_only=True)
    service_items = ServiceItemSerializer(many=True, read_only=True)
    current = CurrentStationingSerializer(many=True, read_only=True)
    open_requests = serializers.IntegerField(read_only=True)

    class Meta:
        model = Window
        fields = [
            "id",
            "code",
            "name",
            "hall_area",
            "floor",
            "department",
            "service_items",
            "headcount_quota",
            "active",
            "current",
            "open_requests",
        ]
        read_only_fields = fields


class StationingSerializer(ModelSerializer):
    staff = StaffBriefSerializer(read_only=True)
    window = serializers.SlugRelatedField(slug_field="code", read_only=True)
    tenure_months = serializers.SerializerMethodField()

    class Meta:
        model = Stationing
        fields = [
            "id",
            "staff",
            "window",
            "post",
            "start_date",
            "end_date",
            "end_reason",
            "is_early_end",
            "tenure_months",
        ]
        read_only_fields = fields

    def get_tenure_months(self, obj: Stationing) -> int:
        return obj.tenure_months()


class TransferSerializer(serializers.ModelSerializer):
    department = DepartmentBriefSerializer(read_only=True)
    window = serializers.SlugRelatedField(slug_field="code", read_only=True)
    to_window = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    outgoing = StaffBriefSerializer(read_only=True, allow_null=True)  # none on an appointment
    incoming = StaffBriefSerializer(read_only=True, allow_null=True)  # none on a withdrawal

    class Meta:
        model = TransferRequest
        fields = [
            "id",
            "kind",
            "state",
            "department",
            "window",
            "to_window",
            "outgoing",
            "incoming",
            "incoming_post",
            "raised_by",
            "reason",
            "early_justification",
            "override_reason",
            "is_early",
            "effective_date",
            "deadline",
            "decision_note",
            "center_consent_at",
            "department_consent_at",
            "applied_at",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class TransferWriteSerializer(serializers.Serializer):
    """Input; the querysets are narrowed to the caller's departments by the view."""

    kind = serializers.ChoiceField(choices=TransferKind.choices)
    window = serializers.PrimaryKeyRelatedField(queryset=Window.objects.all())
    to_window = serializers.PrimaryKeyRelatedField(
        queryset=Window.objects.all(), required=False, allow_null=True
    )
    outgoing = serializers.PrimaryKeyRelatedField(
        queryset=Staff.objects.all(), required=False, allow_null=True
    )
    incoming = serializers.PrimaryKeyRelatedField(
        queryset=Staff.objects.all(), required=False, allow_null=True
    )
    incoming_post = serializers.ChoiceField(choices=Post.choices, default=Post.STAFF)
    effective_date = serializers.DateField()
    reason = serializers.CharField()
    early_justification = serializers.CharField(required=False, allow_blank=True, default="")
    override_reason = serializers.CharField(
        required=False, allow_blank=True, help_text="The center only: overrides post and quota."
    )
    version = serializers.IntegerField(required=False)

    def __init__(self, *args, windows=None, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if windows is not None:
            self.fields["window"].queryset = windows
            self.fields["to_window"].queryset = windows
        if people is not None:
            self.fields["outgoing"].queryset = people
            self.fields["incoming"].queryset = people


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ApproveSerializer(NoteSerializer):
    override_reason = serializers.CharField(
        required=False, allow_blank=True, help_text="The center only: overrides post and quota."
    )


class ReturnSerializer(serializers.Serializer):
    reason = serializers.CharField()
    end_date = serializers.DateField(required=False, allow_null=True, default=None)


class ReplacementDemandSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    window = serializers.CharField(source="window.code", read_only=True)
    department = serializers.IntegerField(source="department_id", read_only=True)
    returned_stationing = serializers.IntegerField(source="returned_stationing_id", read_only=True)
    reason = serializers.CharField(read_only=True)
    due_date = serializers.DateField(read_only=True)
    fulfilled_at = serializers.DateTimeField(read_only=True)


class VettingSerializer(serializers.ModelSerializer):
    staff = StaffBriefSerializer(read_only=True)
    vetted_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Vetting
        fields = [
            "id",
            "transfer",
            "staff",
            "political_ok",
            "political_notes",
            "ability_ok",
            "ability_notes",
            "fitness_ok",
            "fitness_notes",
            "decision",
            "vetted_by",
            "vetted_at",
        ]
        read_only_fields = fields


class VettingWriteSerializer(serializers.Serializer):
    transfer = serializers.IntegerField()
    political_ok = serializers.BooleanField()
    political_notes = serializers.CharField(required=False, allow_blank=True, default="")
    ability_ok = serializers.BooleanField()
    ability_notes = serializers.CharField(required=False, allow_blank=True, default="")
    fitness_ok = serializers.BooleanField()
    fitness_notes = serializers.CharField(required=False, allow_blank=True, default="")
    decision = serializers.ChoiceField(choices=VettingDecision.choices)


class StandInSerializer(serializers.ModelSerializer):
    a = StaffBriefSerializer(read_only=True)
    b = StaffBriefSerializer(read_only=True)
    window_code = serializers.CharField(source="window.code", read_only=True)

    class Meta:
        model = StandIn
        fields = [
            "id",
            "window",
            "window_code",
            "service_item",
            "a",
            "b",
            "valid_from",
            "valid_until",
            "exception_note",
            "created_at",
        ]
        read_only_fields = fields


class StandInWriteSerializer(serializers.Serializer):
    window = serializers.PrimaryKeyRelatedField(queryset=Window.objects.all())
    service_item = serializers.PrimaryKeyRelatedField(
        queryset=ServiceItem.objects.all(), required=False, allow_null=True, default=None
    )
    a = serializers.PrimaryKeyRelatedField(queryset=Staff.objects.all())
    b = serializers.PrimaryKeyRelatedField(queryset=Staff.objects.all())
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(required=False, allow_null=True, default=None)
    exception_note = serializers.CharField(required=False, allow_blank=True, default="")
