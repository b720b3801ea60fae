"""REST API of law-enforcement certificates (执法证): read through the caller's scope, every
write through ``staff.services`` (``certificate_add``, ``certificate_update``,
``certificate_expire``), so a temporary hire never gets one and every change is audited."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import EndOnDaySerializer

from .. import selectors, services
from ..models import Certificate
from ..permissions import HasPermission, Perm
from .serializers import DepartmentBriefSerializer, StaffBriefSerializer


class CertificateDetailSerializer(serializers.ModelSerializer):
    staff = StaffBriefSerializer(read_only=True)
    department = DepartmentBriefSerializer(source="staff.department", read_only=True)
    valid_today = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = ["id", "staff", "department", "number", "issued_on", "expires_on", "valid_today"]
        read_only_fields = fields

    def get_valid_today(self, obj: Certificate) -> bool:
        return obj.is_valid_on(timezone.localdate())


class CertificateWriteSerializer(serializers.Serializer):
    staff = serializers.IntegerField(help_text="The holder; fixed once recorded.")
    number = serializers.CharField(max_length=50)
    issued_on = serializers.DateField()
    expires_on = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class CertificateUpdateSerializer(serializers.Serializer):
    """PUT: every field; PATCH: the fields given."""

    number = serializers.CharField(max_length=50)
    issued_on = serializers.DateField()
    expires_on = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class CertificateViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Certificates of the people in the caller's scope (window staff: their own); another
    department's person's certificate answers 404."""

    serializer_class = CertificateDetailSerializer
    permission_classes = [HasPermission]
    permission_map = {
        "list": Perm.STAFF_VIEW,
        "retrieve": Perm.STAFF_VIEW,
        "create": Perm.CERTIFICATE_EDIT,
        "update": Perm.CERTIFICATE_EDIT,
        "partial_update": Perm.CERTIFICATE_EDIT,
        "expire": Perm.CERTIFICATE_EDIT,
    }
    filterset_fields = ["staff"]
    ordering_fields = ["expires_on", "issued_on", "number"]

    def get_queryset(self):
        return selectors.certificate_list_for_user(self.request.user)

    @extend_schema(request=CertificateWriteSerializer, responses={201: CertificateDetailSerializer})
    def create(self, request, *args, **kwargs):
        write = CertificateWriteSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        data = dict(write.validated_data)
        staff = get_object_or_404(selectors.staff_list_for_user(request.user), pk=data.pop("staff"))
        certificate = services.certificate_add(actor=request.user, staff=staff, **data)
        return Response(
            self.get_serializer(self.get_queryset().get(pk=certificate.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=CertificateUpdateSerializer, responses=CertificateDetailSerializer)
    def update(self, request, *args, **kwargs):
        certificate = self.get_object()
        partial = kwargs.pop("partial", False)
        write = CertificateUpdateSerializer(data=request.data, partial=partial)
        write.is_valid(raise_exception=True)
        services.certificate_update(
            actor=request.user, certificate=certificate, **write.validated_data
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=certificate.pk)).data)

    @extend_schema(request=EndOnDaySerializer, responses=CertificateDetailSerializer)
    @action(detail=True, methods=["post"])
    def expire(self, request, pk=None):
        """End the certificate early: valid through ``last_day`` (today by default) only."""
        certificate = self.get_object()
        data = EndOnDaySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.certificate_expire(
            actor=request.user,
            certificate=certificate,
            last_day=data.validated_data["last_day"] or timezone.localdate(),
            reason=data.validated_data["reason"],
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=certificate.pk)).data)
