"""REST API of the chief representatives' letters (任命书 and 授权书 with the service items they
may approve): read through the caller's scope, every write through
``windows.services.appointment_file`` / ``appointment_end``."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import EndOnDaySerializer
from staff.api.serializers import StaffBriefSerializer
from staff.permissions import HasPermission, Perm

from .. import selectors, services
from ..appointment_reads import appointment_list_for_user
from ..models import AuthorizedItem, ChiefAppointment, ServiceItem


class AuthorizedItemSerializer(serializers.ModelSerializer):
    service_item = serializers.IntegerField(source="service_item_id", read_only=True)
    code = serializers.CharField(source="service_item.code", read_only=True)
    name = serializers.CharField(source="service_item.name", read_only=True)

    class Meta:
        model = AuthorizedItem
        fields = ["service_item", "code", "name", "can_accept", "can_review", "can_decide"]
        read_only_fields = fields


class AppointmentSerializer(serializers.ModelSerializer):
    staff = StaffBriefSerializer(source="stationing.staff", read_only=True)
    window = serializers.CharField(source="stationing.window.code", read_only=True)
    # none for letters brought in by a command or the demo
    filed_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    items = AuthorizedItemSerializer(many=True, read_only=True)
    valid_today = serializers.SerializerMethodField()

    class Meta:
        model = ChiefAppointment
        fields = [
            "id",
            "stationing",
            "staff",
            "window",
            "appointment_number",
            "authorization_number",
            "valid_from",
            "valid_until",
            "valid_today",
            "items",
            "filed_by",
            "filed_at",
        ]
        read_only_fields = fields

    def get_valid_today(self, obj: ChiefAppointment) -> bool:
        return obj.is_valid_on(timezone.localdate())


class AuthorizedItemWriteSerializer(serializers.Serializer):
    service_item = serializers.PrimaryKeyRelatedField(queryset=ServiceItem.objects.all())
    can_accept = serializers.BooleanField(default=False)
    can_review = serializers.BooleanField(default=False)
    can_decide = serializers.BooleanField(default=False)


class AppointmentWriteSerializer(serializers.Serializer):
    stationing = serializers.IntegerField(help_text="An open stationing at the window.")
    appointment_number = serializers.CharField(max_length=60)
    authorization_number = serializers.CharField(max_length=60)
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(required=False, allow_null=True, default=None)
    items = AuthorizedItemWriteSerializer(many=True)
    replace_current = serializers.BooleanField(
        default=False,
        help_text="Relieve the window's current chief explicitly (their letters end the day "
        "before valid_from); without it a second chief is refused.",
    )


class AppointmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Letters of appointment of the people in the caller's scope (another department's person's
    letter answers 404). Filing one makes the person the window's chief; ``end`` relieves them."""

    serializer_class = AppointmentSerializer
    permission_classes = [HasPermission]
    permission_map = {
        "list": Perm.WINDOW_VIEW,
        "retrieve": Perm.WINDOW_VIEW,
        "create": Perm.APPOINTMENT_EDIT,
        "end": Perm.APPOINTMENT_EDIT,
    }
    filterset_fields = ["stationing"]
    ordering_fields = ["valid_from", "filed_at"]

    def get_queryset(self):
        return appointment_list_for_user(self.request.user)

    @extend_schema(request=AppointmentWriteSerializer, responses={201: AppointmentSerializer})
    def create(self, request, *args, **kwargs):
        write = AppointmentWriteSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        data = dict(write.validated_data)
        # through the caller's scope: another department's stationing is not found
        stationing = get_object_or_404(
            selectors.stationing_list_for_user(request.user), pk=data.pop("stationing")
        )
        appointment = services.appointment_file(actor=request.user, stationing=stationing, **data)
        return Response(
            self.get_serializer(self.get_queryset().get(pk=appointment.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=EndOnDaySerializer, responses=AppointmentSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """End the letters on ``last_day``: the person stays at the window as staff and the
        window is without a chief until another is appointed."""
        appointment = self.get_object()
        data = EndOnDaySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.appointment_end(
            actor=request.user,
            appointment=appointment,
            last_day=data.validated_data["last_day"] or timezone.localdate(),
            reason=data.validated_data["reason"],
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=appointment.pk)).data)
