"""REST API: rounds and findings, with the same selectors, services and scope as the pages."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from staff.permissions import HasPermission, Perm

from .. import selectors, services
from . import serializers as s


class RoundViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Inspection rounds in the caller's scope (liaison: rounds covering their windows)."""

    serializer_class = s.RoundSerializer
    permission_classes = [HasPermission]
    permission_map = {
        "list": Perm.INSPECTION_VIEW,
        "retrieve": Perm.INSPECTION_VIEW,
        "create": Perm.INSPECTION_RECORD,
        "close": Perm.INSPECTION_RECORD,
    }
    filterset_fields = ["kind", "status"]
    ordering_fields = ["started_at"]

    def get_queryset(self):
        return selectors.round_list_for_user(self.request.user).prefetch_related(
            "inspectors", "windows"
        )

    @extend_schema(request=s.RoundWriteSerializer, responses={201: s.RoundSerializer})
    def create(self, request, *args, **kwargs):
        write = s.RoundWriteSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        data = dict(write.validated_data)
        round_ = services.round_open(actor=request.user, **data)
        return Response(
            self.get_serializer(self.get_queryset().get(pk=round_.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses={200: s.RoundSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        round_ = self.get_object()
        services.round_close(actor=request.user, round=round_)
        return Response(self.get_serializer(self.get_queryset().get(pk=round_.pk)).data)


class FindingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Findings at the caller's windows; photos are uploaded as multipart ``photos``."""

    serializer_class = s.FindingSerializer
    permission_classes = [HasPermission]
    permission_map = {
        "list": Perm.INSPECTION_VIEW,
        "retrieve": Perm.INSPECTION_VIEW,
        "create": Perm.INSPECTION_RECORD,
        "enter": Perm.INSPECTION_RECORD,
        "withdraw": Perm.INSPECTION_RECORD,
    }
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filterset_fields = ["round", "window", "staff", "status"]
    ordering_fields = ["observed_at"]

    def get_queryset(self):
        return selectors.finding_list_for_user(self.request.user)

    @extend_schema(request=s.FindingWriteSerializer, responses={201: s.FindingSerializer})
    def create(self, request, *args, **kwargs):
        write = s.FindingWriteSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        data = dict(write.validated_data)
        if not selectors.round_list_for_user(request.user).filter(pk=data["round"].pk).exists():
            raise NotFound
        finding = services.finding_record(actor=request.user, **data)
        return Response(
            self.get_serializer(self.get_queryset().get(pk=finding.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses={200: s.FindingSerializer})
    @action(detail=True, methods=["post"])
    def enter(self, request, pk=None):
        finding = services.finding_enter(actor=request.user, finding=self.get_object())
        return Response(self.get_serializer(self.get_queryset().get(pk=finding.pk)).data)

    @extend_schema(request=s.FindingWithdrawSerializer, responses={200: s.FindingSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        write = s.FindingWithdrawSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        finding = services.finding_withdraw(
            actor=request.user,
            finding=self.get_object(),
            reason=write.validated_data["reason"],
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=finding.pk)).data)
