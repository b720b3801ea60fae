from rest_framework import serializers

from staff.api.serializers import DepartmentBriefSerializer, StaffBriefSerializer
from staff.models import Department, Staff, User
from windows.models import Window

from ..models import Confidentiality, FollowUp, FollowUpState, TalkerKind, TalkKind, Visit
from ..permissions import notes_visible


class VisitSerializer(serializers.ModelSerializer):
    department = DepartmentBriefSerializer(read_only=True)
    windows = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")

    class Meta:
        model = Visit
        fields = [
            "id",
            "department",
            "date",
            "visitors",
            "visitor_users",
            "windows",
            "summary",
            "created_at",
        ]
        read_only_fields = fields


class VisitWriteSerializer(serializers.Serializer):
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all())
    date = serializers.DateField()
    visitors = serializers.CharField()
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    windows = serializers.PrimaryKeyRelatedField(
        queryset=Window.objects.all(), many=True, required=False, default=list
    )
    visitor_users = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), many=True, required=False, default=list
    )


class FollowUpSerializer(serializers.ModelSerializer):
    talk = serializers.PrimaryKeyRelatedField(read_only=True)
    staff = serializers.SerializerMethodField()

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "talk",
            "staff",
            "description",
            "owner",
            "due_date",
            "state",
            "resolution",
            "resolved_on",
        ]
        read_only_fields = fields

    def get_staff(self, follow_up) -> dict:
        return StaffBriefSerializer(follow_up.talk.staff).data


class TalkSerializer(serializers.Serializer):
    """A talk as the caller may see it: ``topics``, ``concerns`` and ``notes`` are present only
    for those who may read them (joint/permissions.py); ``notes_visible`` says which it is."""

    id = serializers.IntegerField(read_only=True)
    staff = StaffBriefSerializer(read_only=True)
    date = serializers.DateField(read_only=True)
    talker_kind = serializers.CharField(read_only=True)
    talker_names = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True)
    level = serializers.CharField(read_only=True)
    notes_visible = serializers.SerializerMethodField()

    def get_notes_visible(self, talk) -> bool:
        return notes_visible(self.context["request"].user, talk)

    def to_representation(self, talk):
        data = super().to_representation(talk)
        if data["notes_visible"]:
            data.update(topics=talk.topics, concerns=talk.concerns, notes=talk.notes)
        return data


class TalkWriteSerializer(serializers.Serializer):
    staff = serializers.PrimaryKeyRelatedField(queryset=Staff.objects.all())
    date = serializers.DateField()
    talker_kind = serializers.ChoiceField(choices=TalkerKind.choices)
    talker_names = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=TalkKind.choices)
    topics = serializers.CharField(required=False, allow_blank=True, default="")
    concerns = serializers.CharField(required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    level = serializers.ChoiceField(
        choices=Confidentiality.choices, default=Confidentiality.STANDARD
    )


class FollowUpWriteSerializer(serializers.Serializer):
    talk = serializers.IntegerField()
    description = serializers.CharField()
    owner = serializers.CharField(max_length=100)
    due_date = serializers.DateField()


class TransitionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


STATE_OF_ACTION = {
    "start": FollowUpState.IN_PROGRESS,
    "resolve": FollowUpState.RESOLVED,
    "reopen": FollowUpState.OPEN,
}
