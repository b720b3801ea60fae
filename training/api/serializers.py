from rest_framework import serializers

from staff.models import Staff

from ..models import (
    Course,
    CourseSkill,
    Enrollment,
    EnrollmentStatus,
    PolicyUpdate,
    Session,
    Skill,
)


class SkillSerializer(serializers.ModelSerializer):
    class Meta:
        model = Skill
        fields = ["id", "code", "name", "kind", "service_item", "description", "active"]
        read_only_fields = fields


class CourseSkillSerializer(serializers.ModelSerializer):
    class Meta:
        model = CourseSkill
        fields = ["skill", "level"]
        read_only_fields = fields


class CourseSerializer(serializers.ModelSerializer):
    skills = CourseSkillSerializer(source="skill_links", many=True, read_only=True)
    session_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Course
        fields = [
            "id",
            "code",
            "title",
            "category",
            "side",
            "department",
            "hours",
            "mandatory",
            "materials",
            "active",
            "skills",
            "session_count",
        ]
        read_only_fields = fields


class CourseSkillInput(serializers.Serializer):
    skill = serializers.PrimaryKeyRelatedField(queryset=Skill.objects.filter(active=True))
    level = serializers.IntegerField(min_value=1, max_value=5)


class CourseWriteSerializer(serializers.ModelSerializer):
    skills = CourseSkillInput(many=True, required=False)

    class Meta:
        model = Course
        fields = [
            "code",
            "title",
            "category",
            "side",
            "department",
            "hours",
            "mandatory",
            "materials",
            "skills",
        ]
        validators = []


class SessionSerializer(serializers.ModelSerializer):
    course_title = serializers.CharField(source="course.title", read_only=True)
    side = serializers.CharField(source="course.side", read_only=True)
    taken = serializers.IntegerField(read_only=True)

    class Meta:
        model = Session
        fields = [
            "id",
            "course",
            "course_title",
            "side",
            "starts_at",
            "ends_at",
            "place",
            "online",
            "capacity",
            "taken",
            "trainer",
            "outside_hours",
            "cancelled",
        ]
        read_only_fields = fields


class SessionWriteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Session
        fields = ["course", "starts_at", "ends_at", "place", "online", "capacity", "trainer"]


class EnrollInput(serializers.Serializer):
    staff = serializers.PrimaryKeyRelatedField(
        queryset=Staff.objects.all(), many=True, allow_empty=False
    )
    status = serializers.ChoiceField(
        choices=[EnrollmentStatus.INVITED, EnrollmentStatus.ENROLLED],
        default=EnrollmentStatus.ENROLLED,
    )


class AttendanceRowInput(serializers.Serializer):
    enrollment = serializers.IntegerField()
    status = serializers.ChoiceField(choices=EnrollmentStatus.choices)
    hours = serializers.DecimalField(max_digits=5, decimal_places=1, required=False)
    score = serializers.DecimalField(
        max_digits=5, decimal_places=1, required=False, allow_null=True
    )
    result = serializers.CharField(required=False, allow_blank=True, default="")


class AttendanceInput(serializers.Serializer):
    rows = AttendanceRowInput(many=True)


class EnrollmentSerializer(serializers.ModelSerializer):
    staff_name = serializers.CharField(source="staff.name", read_only=True)
    course = serializers.IntegerField(source="session.course_id", read_only=True)

    class Meta:
        model = Enrollment
        fields = [
            "id",
            "session",
            "course",
            "staff",
            "staff_name",
            "status",
            "hours_credited",
            "score",
            "result",
            "feedback",
            "feedback_rating",
            "updated_at",
        ]
        read_only_fields = fields


class FeedbackInput(serializers.Serializer):
    feedback = serializers.CharField()
    rating = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)


class PolicyUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = PolicyUpdate
        fields = [
            "id",
            "title",
            "summary",
            "published_on",
            "deadline",
            "service_items",
            "course",
            "closed",
        ]
        read_only_fields = fields


class PolicyUpdateWriteSerializer(serializers.ModelSerializer):
    deadline = serializers.DateField(required=False)

    class Meta:
        model = PolicyUpdate
        fields = ["title", "summary", "published_on", "deadline", "service_items", "course"]


class _GapOut(serializers.Serializer):
    kind = serializers.CharField()
    skill = serializers.IntegerField(allow_null=True)
    weight = serializers.FloatField()
    reason = serializers.CharField()
    due = serializers.DateField(allow_null=True)
    courses = serializers.ListField(child=serializers.IntegerField())


class _CourseOut(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    category = serializers.CharField()
    side = serializers.CharField()
    hours = serializers.DecimalField(max_digits=5, decimal_places=1)
    mandatory = serializers.BooleanField()


class _SessionOut(serializers.Serializer):
    id = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField()
    online = serializers.BooleanField()
    seats_left = serializers.IntegerField()


class _ItemOut(serializers.Serializer):
    course = _CourseOut()
    due = serializers.DateField(allow_null=True)
    weight = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())
    enrolled_session = serializers.IntegerField(allow_null=True)
    sessions = _SessionOut(many=True)


class TrainingMenuSerializer(serializers.Serializer):
    """Documentation of the menu endpoint's output (built by :func:`menu_as_dict`)."""

    person = serializers.IntegerField()
    gaps = _GapOut(many=True)
    uncovered = _GapOut(many=True)
    items = _ItemOut(many=True)


def menu_as_dict(menu) -> dict:
    def gap(g):
        return {
            "kind": g.kind,
            "skill": g.skill,
            "weight": g.weight,
            "reason": g.reason,
            "due": g.due,
            "courses": sorted(g.courses),
        }

    return {
        "person": menu.person_id,
        "gaps": [gap(g) for g in menu.gaps],
        "uncovered": [gap(g) for g in menu.uncovered],
        "items": [
            {
                "course": {
                    "id": item.course.id,
                    "code": item.course.code,
                    "title": item.course.title,
                    "category": item.course.category,
                    "side": item.course.side,
                    "hours": item.course.hours,
                    "mandatory": item.course.mandatory,
                },
                "due": item.due,
                "weight": item.weight,
                "reasons": [g.reason for g in item.gaps],
                "enrolled_session": item.enrolled_session_id,
                "sessions": [
                    {
                        "id": s.id,
                        "starts_at": s.starts_at,
                        "ends_at": s.ends_at,
                        "place": s.place,
                        "online": s.online,
                        "seats_left": s.seats_left,
                    }
                    for s in item.sessions
                ],
            }
            for item in menu.items
        ],
    }
