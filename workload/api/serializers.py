from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers

from core.feeds import FeedResultField

from ..conf import conf


class WorkloadItemSerializer(serializers.Serializer):
    # Each row is checked by the service, which answers per row; here only the shape.
    staff_number = serializers.CharField(allow_blank=True, max_length=40)
    window = serializers.CharField(allow_blank=True, max_length=20)
    service_item = serializers.CharField(required=False, allow_blank=True, max_length=40)
    date = serializers.CharField(allow_blank=True, max_length=20)
    kind = serializers.CharField(allow_blank=True, max_length=20)
    count = serializers.IntegerField()


class WorkloadBatchSerializer(serializers.Serializer):
    records = WorkloadItemSerializer(many=True, allow_empty=True)

    def validate_records(self, value):
        limit = conf("PUSH_BATCH_MAX")
        if len(value) > limit:
            raise serializers.ValidationError(
                _("At most %(limit)d records per request.") % {"limit": limit}
            )
        return value


class WorkloadResultSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    result = FeedResultField()
    errors = serializers.ListField(child=serializers.CharField())


class WorkloadAnswerSerializer(serializers.Serializer):
    counts = serializers.DictField(child=serializers.IntegerField())
    results = WorkloadResultSerializer(many=True)
