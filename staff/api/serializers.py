from rest_framework import serializers

from ..models import Certificate, Department, Education, Staff
from ..permissions import Perm, has_perm


class DepartmentSerializer(serializers.ModelSerializer):
    headcount = serializers.IntegerField(read_only=True)

    class Meta:
        model = Department
        fields = ["id", "code", "name", "short_name", "active", "headcount"]
        read_only_fields = fields


class DepartmentBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "code", "name"]
        read_only_fields = fields


class CertificateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Certificate
        fields = ["id", "number", "issued_on", "expires_on"]
        read_only_fields = fields


class StaffSerializer(serializers.ModelSerializer):
    """Output. The ID number is masked unless the requesting user may read it."""

    department = DepartmentBriefSerializer(read_only=True)
    id_number = serializers.SerializerMethodField()
    # Declared so the schema says "" is a valid value (read-only fields otherwise lose allow_blank).
    education = serializers.ChoiceField(choices=Education.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Staff
        fields = [
            "id",
            "staff_number",
            "name",
            "gender",
            "date_of_birth",
            "id_number",
            "mobile",
            "political_status",
            "employment_type",
            "rank",
            "education",
            "department",
            "center_role",
            "status",
            "is_reserve_cadre",
            "updated_at",
        ]
        read_only_fields = fields

    def get_id_number(self, staff: Staff) -> str:
        request = self.context.get("request")
        if request is not None and has_perm(request.user, Perm.ID_NUMBER_VIEW):
            return staff.id_number
        return staff.masked_id_number


class StaffWriteSerializer(serializers.ModelSerializer):
    """Input for create and update; the service does the validation and the scope check."""

    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all())

    class Meta:
        model = Staff
        fields = [
            "staff_number",
            "name",
            "gender",
            "date_of_birth",
            "id_number",
            "mobile",
            "political_status",
            "employment_type",
            "rank",
            "education",
            "department",
            "center_role",
            "status",
            "is_reserve_cadre",
        ]
        validators = []  # uniqueness is checked by the service, with the same messages

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            field.validators = [v for v in field.validators if "Unique" not in type(v).__name__]
        return fields
