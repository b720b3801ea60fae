from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from staff.permissions import HasPermission, Perm, has_perm
from staff.selectors import staff_get_for_user

from .. import selectors, services
from ..menu import menu_for_person
from ..services import AttendanceRow
from . import serializers as s


class _ServiceErrors:
    """Calls a service as the request's user (its errors are mapped by core.api)."""

    def call(self, fn, **kwargs):
        return fn(actor=self.request.user, **kwargs)


class SkillViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.SkillSerializer
    permission_classes = [HasPermission]
    permission_map = {"list": Perm.TRAINING_VIEW, "retrieve": Perm.TRAINING_VIEW}
    ordering_fields = ["code", "name"]
    filterset_fields = ["kind", "active"]

    def get_queryset(self):
        return selectors.skill_list_for_user(self.request.user)


class CourseViewSet(
    _ServiceErrors,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Courses open to the caller: the center's and their department's."""

    serializer_class = s.CourseSerializer
    permission_classes = [HasPermission]
    permission_map = {
        "list": Perm.TRAINING_VIEW,
        "retrieve": Perm.TRAINING_VIEW,
        "create": Perm.TRAINING_MANAGE,
    }
    ordering_fields = ["title", "code", "hours"]
    filterset_fields = ["category", "side", "mandatory", "active"]

    def get_queryset(self):
        return selectors.course_list_for_user(self.request.user).prefetch_related("skill_links")

    @extend_schema(request=s.CourseWriteSerializer, responses={201: s.CourseSerializer})
    def create(self, request, *args, **kwargs):
        write = s.CourseWriteSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        data = dict(write.validated_data)
        skills = [(row["skill"], row["level"]) for row in data.pop("skills", [])]
        course = self.call(services.course_create, skills=skills, **data)
        course = self.get_queryset().get(pk=course.pk)
        return Response(self.get_serializer(course).data, status=status.HTTP_201_CREATED)


class SessionViewSet(
    _ServiceErrors,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.SessionSerializer
    permission_classes = [HasPermission]
    permission_map = {
        "list": Perm.TRAINING_VIEW,
        "retrieve": Perm.TRAINING_VIEW,
        "create": Perm.TRAINING_MANAGE,
        "enroll": Perm.TRAINING_VIEW,
        "attendance": Perm.TRAINING_MANAGE,
    }
    ordering_fields = ["starts_at", "capacity"]
    filterset_fields = ["course", "online", "outside_hours", "cancelled"]

    def get_queryset(self):
        return selectors.session_list_for_user(self.request.user)

    @extend_schema(request=s.SessionWriteSerializer, responses={201: s.SessionSerializer})
    def create(self, request, *args, **kwargs):
        write = s.SessionWriteSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        data = dict(write.validated_data)
        course = selectors.course_list_for_user(request.user).filter(pk=data["course"].pk).first()
        if course is None:
            raise DjangoValidationError({"course": [_("No such course in your scope.")]})
        data["course"] = course
        session = self.call(services.session_create, **data)
        return Response(
            self.get_serializer(self.get_queryset().get(pk=session.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=s.EnrollInput, responses={201: s.EnrollmentSerializer(many=True)})
    @action(detail=True, methods=["post"])
    def enroll(self, request, pk=None):
        if not (
            has_perm(request.user, Perm.TRAINING_MANAGE)
            or has_perm(request.user, Perm.TRAINING_SELF_ENROLL)
        ):
            raise PermissionDenied
        session = self.get_object()
        data = s.EnrollInput(data=request.data)
        data.is_valid(raise_exception=True)
        visible = set(
            selectors.staff_list_for_user(request.user)
            .filter(pk__in=[p.pk for p in data.validated_data["staff"]])
            .values_list("pk", flat=True)
        )
        people = [p for p in data.validated_data["staff"] if p.pk in visible]
        if len(people) != len(data.validated_data["staff"]):
            raise DjangoValidationError({"staff": [_("No such person in your scope.")]})
        created = self.call(
            services.enrollment_add,
            session=session,
            people=people,
            status=data.validated_data["status"],
        )
        return Response(
            s.EnrollmentSerializer(created, many=True).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=s.AttendanceInput, responses={200: s.EnrollmentSerializer(many=True)})
    @action(detail=True, methods=["post"], pagination_class=None)  # the changed rows, unpaged
    def attendance(self, request, pk=None):
        session = self.get_object()
        data = s.AttendanceInput(data=request.data)
        data.is_valid(raise_exception=True)
        rows = [
            AttendanceRow(
                enrollment_id=row["enrollment"],
                status=row["status"],
                hours=row.get("hours"),
                score=row.get("score"),
                result=row.get("result", ""),
            )
            for row in data.validated_data["rows"]
        ]
        changed = self.call(services.attendance_record, session=session, rows=rows)
        return Response(s.EnrollmentSerializer(changed, many=True).data)


class EnrollmentViewSet(_ServiceErrors, viewsets.ReadOnlyModelViewSet):
    """Enrollments of the people in the caller's scope (staff: their own)."""

    serializer_class = s.EnrollmentSerializer
    permission_classes = [HasPermission]
    permission_map = {
        "list": Perm.TRAINING_MENU,
        "retrieve": Perm.TRAINING_MENU,
        "feedback": Perm.TRAINING_SELF_ENROLL,
    }
    ordering_fields = ["session__starts_at", "status"]
    filterset_fields = ["status", "session", "staff"]

    def get_queryset(self):
        return selectors.enrollment_list_for_user(self.request.user)

    @extend_schema(request=s.FeedbackInput, responses={200: s.EnrollmentSerializer})
    @action(detail=True, methods=["post"])
    def feedback(self, request, pk=None):
        enrollment = self.get_object()
        data = s.FeedbackInput(data=request.data)
        data.is_valid(raise_exception=True)
        updated = self.call(
            services.feedback_submit,
            enrollment=enrollment,
            feedback=data.validated_data["feedback"],
            rating=data.validated_data.get("rating"),
        )
        return Response(self.get_serializer(updated).data)


class PolicyUpdateViewSet(
    _ServiceErrors,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.PolicyUpdateSerializer
    permission_classes = [HasPermission]
    permission_map = {
        "list": Perm.TRAINING_VIEW,
        "retrieve": Perm.TRAINING_VIEW,
        "create": Perm.POLICY_UPDATE_EDIT,
        "close": Perm.POLICY_UPDATE_EDIT,
    }
    ordering_fields = ["published_on", "deadline"]
    filterset_fields = ["closed", "course"]

    def get_queryset(self):
        return selectors.policy_update_list_for_user(self.request.user)

    @extend_schema(request=s.PolicyUpdateWriteSerializer, responses={201: s.PolicyUpdateSerializer})
    def create(self, request, *args, **kwargs):
        write = s.PolicyUpdateWriteSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        update = self.call(services.policy_update_create, **write.validated_data)
        return Response(
            self.get_serializer(self.get_queryset().get(pk=update.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses={200: s.PolicyUpdateSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the update: its staff no longer need the linked course."""
        update = self.call(services.policy_update_close, update=self.get_object())
        return Response(self.get_serializer(self.get_queryset().get(pk=update.pk)).data)


class _OneObjectSchema(AutoSchema):
    """The menu route is a ViewSet ``list`` by routing only: it answers one object."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


class TrainingMenuViewSet(viewsets.ViewSet):
    """GET /api/v1/staff/{id}/training-menu/: the person's menu. Out of scope → 404."""

    schema = _OneObjectSchema()

    permission_classes = [HasPermission]
    permission_map = {"list": Perm.TRAINING_MENU}

    @extend_schema(
        responses={200: s.TrainingMenuSerializer},
        parameters=[OpenApiParameter("staff_pk", int, OpenApiParameter.PATH)],
    )
    def list(self, request, staff_pk=None):
        try:
            person = staff_get_for_user(request.user, int(staff_pk))
        except ValueError as exc:
            raise Http404 from exc
        # Through the documented serializer, so the output is what the schema says (hours as a
        # decimal string, like the course endpoint), not whatever the JSON encoder makes of it.
        return Response(s.TrainingMenuSerializer(s.menu_as_dict(menu_for_person(person))).data)
