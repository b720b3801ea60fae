from __future__ import annotations

from rest_framework import serializers

from core.feeds import FeedResultField

from ..conf import conf
from ..models import AttendanceDay


class PunchItemSerializer(serializers.Serializer):
    # Each row is checked by the service, which answers per row; here only the shape.
    staff_number = serializers.CharField(allow_blank=True, max_length=40)
    at = serializers.CharField(allow_blank=True, max_length=40)
    record_id = serializers.CharField(allow_blank=True, max_length=200)
    device = serializers.CharField(required=False, allow_blank=True, max_length=60)
    method = serializers.CharField(required=False, allow_blank=True, max_length=20)


class PunchBatchSerializer(serializers.Serializer):
    punches = PunchItemSerializer(many=True, allow_empty=True)

    def validate_punches(self, value):
        limit = conf("PUSH_BATCH_MAX")
        if len(value) > limit:
            from django.utils.translation import gettext as _

            raise serializers.ValidationError(
                _("At most %(limit)d punches per request.") % {"limit": limit}
            )
        return value


class PunchResultSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    record_id = serializers.CharField()
    result = FeedResultField()
    errors = serializers.ListField(child=serializers.CharField())


class AttendanceDaySerializer(serializers.ModelSerializer):
    staff_number = serializers.CharField(source="staff.staff_number", read_only=True)
    staff_name = serializers.CharField(source="staff.name", read_only=True)

    class Meta:
        model = AttendanceDay
        fields = [
            "id",
            "staff",
            "staff_number",
            "staff_name",
            "date",
            "department",
            "window",
            "status",
            "late",
            "late_minutes",
            "left_early",
            "missing",
            "absent_halves",
            "step_out_overdue",
            "checks",
        ]
        read_only_fields = fields
