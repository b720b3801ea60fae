from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from assessments.models import AssessmentRule
from staff.models import Staff, User
from windows.models import Window

from ..models import ChecklistItem, ChecklistTemplate, Finding, Round, RoundKind


class FindingSerializer(serializers.ModelSerializer):
    window_code = serializers.CharField(source="window.code", read_only=True)
    staff_name = serializers.CharField(
        source="staff.name", read_only=True, default=None, allow_null=True
    )
    rule_code = serializers.CharField(
        source="rule.code", read_only=True, default=None, allow_null=True
    )
    item_text = serializers.CharField(
        source="item.text", read_only=True, default=None, allow_null=True
    )
    photos = serializers.SerializerMethodField()

    class Meta:
        model = Finding
        fields = [
            "id",
            "round",
            "window",
            "window_code",
            "staff",
            "staff_name",
            "item",
            "item_text",
            "rule",
            "rule_code",
            "note",
            "observed_at",
            "status",
            "entry",
            "recorded_by",
            "recorded_at",
            "decided_by",
            "decided_at",
            "withdraw_reason",
            "photos",
        ]
        read_only_fields = fields

    def get_photos(self, obj) -> list[str]:
        # The photos are served only through the permission-checked page view.
        return [reverse("inspections:photo", args=[p.pk]) for p in obj.photos.all()]


class RoundSerializer(serializers.ModelSerializer):
    finding_count = serializers.IntegerField(read_only=True)
    pending_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Round
        fields = [
            "id",
            "kind",
            "checklist",
            "leader",
            "inspectors",
            "windows",
            "started_at",
            "ended_at",
            "status",
            "notes",
            "finding_count",
            "pending_count",
        ]
        read_only_fields = fields


class RoundWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RoundKind.choices)
    checklist = serializers.PrimaryKeyRelatedField(queryset=ChecklistTemplate.objects.all())
    inspectors = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), many=True)
    windows = serializers.PrimaryKeyRelatedField(queryset=Window.objects.all(), many=True)
    leader = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True, default=None
    )
    started_at = serializers.DateTimeField(required=False, default=None)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class FindingWriteSerializer(serializers.Serializer):
    round = serializers.PrimaryKeyRelatedField(queryset=Round.objects.all())
    window = serializers.PrimaryKeyRelatedField(queryset=Window.objects.all())
    staff = serializers.PrimaryKeyRelatedField(
        queryset=Staff.objects.all(), required=False, allow_null=True, default=None
    )
    item = serializers.PrimaryKeyRelatedField(
        queryset=ChecklistItem.objects.all(), required=False, allow_null=True, default=None
    )
    rule = serializers.PrimaryKeyRelatedField(
        queryset=AssessmentRule.objects.all(), required=False, allow_null=True, default=None
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")
    observed_at = serializers.DateTimeField(required=False, default=None)
    photos = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class FindingWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField()
