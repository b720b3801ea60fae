"""REST API: the same selectors, services and scope as the browser."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from staff.models import Staff, StaffStatus
from staff.permissions import HasPermission, Perm, department_ids

from .. import selectors, services
from ..models import Window
from .serializers import (
    ApproveSerializer,
    NoteSerializer,
    ReplacementDemandSerializer,
    ReturnSerializer,
    StandInSerializer,
    StandInWriteSerializer,
    StationingSerializer,
    TransferSerializer,
    TransferWriteSerializer,
    VettingSerializer,
    VettingWriteSerializer,
    WindowSerializer,
)


class WindowViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = WindowSerializer
    permission_classes = [HasPermission]
    permission_map = {"list": Perm.WINDOW_VIEW, "retrieve": Perm.WINDOW_VIEW}
    ordering_fields = ["code", "name"]
    filterset_fields = ["active", "department"]

    def get_queryset(self):
        # a list draws its page's people as plain rows (below); one window, as models
        return selectors.window_list_for_user(self.request.user, with_people=self.action != "list")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)  # the API always pages (settings)
        return None if page is None else selectors.attach_brief_people(page)


class StationingViewSet(viewsets.ReadOnlyModelViewSet):
    """Stationings of the caller's departments (window staff: their own)."""

    serializer_class = StationingSerializer
    permission_classes = [HasPermission]
    permission_map = {
        "list": Perm.STAFF_VIEW,
        "retrieve": Perm.STAFF_VIEW,
        "return_": Perm.STATIONING_RETURN,
    }
    ordering_fields = ["start_date", "end_date"]
    filterset_fields = ["window", "staff", "post", "is_early_end"]

    def get_queryset(self):
        return selectors.stationing_list_for_user(self.request.user)

    @extend_schema(request=ReturnSerializer, responses={201: ReplacementDemandSerializer})
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        """Return the person for poor performance: the stationing ends with that reason and a
        replacement is demanded from the department (the center only)."""
        stationing = self.get_object()
        data = ReturnSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        demand = services.stationing_return(
            actor=request.user,
            stationing=stationing,
            reason=data.validated_data["reason"],
            end_date=data.validated_data["end_date"],
        )
        return Response(ReplacementDemandSerializer(demand).data, status=status.HTTP_201_CREATED)


class TransferViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Transfer requests; state changes are POST actions calling the workflow services."""

    serializer_class = TransferSerializer
    permission_classes = [HasPermission]
    permission_map = {
        "list": Perm.TRANSFER_VIEW,
        "retrieve": Perm.TRANSFER_VIEW,
        "create": Perm.TRANSFER_EDIT,
        "update": Perm.TRANSFER_EDIT,
        "partial_update": Perm.TRANSFER_EDIT,
        "submit": Perm.TRANSFER_EDIT,
        "start_vetting": Perm.TRANSFER_EDIT,
        "approve": Perm.TRANSFER_EDIT,
        "reject": Perm.TRANSFER_EDIT,
        "withdraw": Perm.TRANSFER_EDIT,
    }
    filterset_fields = ["state", "kind", "department", "window", "is_early", "raised_by"]
    ordering_fields = ["created_at", "effective_date"]

    def get_queryset(self):
        return selectors.transfer_list_for_user(self.request.user)

    def _write_serializer(self, **kwargs) -> TransferWriteSerializer:
        ids = department_ids(self.request.user)
        windows = Window.objects.all()
        people = Staff.objects.filter(status=StaffStatus.ACTIVE)
        if ids is not None:
            windows, people = (
                windows.filter(department_id__in=ids),
                people.filter(department_id__in=ids),
            )
        return TransferWriteSerializer(windows=windows, people=people, **kwargs)

    @extend_schema(request=TransferWriteSerializer, responses={201: TransferSerializer})
    def create(self, request, *args, **kwargs):
        write = self._write_serializer(data=request.data)
        write.is_valid(raise_exception=True)
        data = {k: v for k, v in write.validated_data.items() if k != "version"}
        transfer = services.transfer_create(actor=request.user, **data)
        return Response(self.get_serializer(transfer).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TransferWriteSerializer, responses={200: TransferSerializer})
    def update(self, request, *args, **kwargs):
        transfer = self.get_object()
        write = self._write_serializer(data=request.data, partial=kwargs.pop("partial", False))
        write.is_valid(raise_exception=True)
        data = dict(write.validated_data)
        version = data.pop("version", transfer.version)
        transfer = services.transfer_update(
            actor=request.user,
            transfer=transfer,
            expected_version=version,
            **data,
        )
        return Response(self.get_serializer(transfer).data)

    def _transition(self, request, fn, *, extra, serializer=NoteSerializer):
        transfer = self.get_object()
        note = serializer(data=request.data)
        note.is_valid(raise_exception=True)
        done = fn(actor=request.user, transfer=transfer, **extra(note.validated_data))
        return Response(self.get_serializer(done).data)

    @extend_schema(request=None, responses=TransferSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._transition(request, services.transfer_submit, extra=lambda d: {})

    @extend_schema(request=None, responses=TransferSerializer)
    @action(detail=True, methods=["post"], url_path="start-vetting")
    def start_vetting(self, request, pk=None):
        return self._transition(request, services.transfer_start_vetting, extra=lambda d: {})

    @extend_schema(request=ApproveSerializer, responses=TransferSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._transition(
            request,
            services.transfer_approve,
            extra=lambda d: {"note": d["note"], "override_reason": d.get("override_reason")},
            serializer=ApproveSerializer,
        )

    @extend_schema(request=NoteSerializer, responses=TransferSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._transition(
            request, services.transfer_reject, extra=lambda d: {"note": d["note"]}
        )

    @extend_schema(request=NoteSerializer, responses=TransferSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._transition(
            request, services.transfer_withdraw, extra=lambda d: {"note": d["note"]}
        )


class VettingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = VettingSerializer
    permission_classes = [HasPermission]
    permission_map = {
        "list": Perm.TRANSFER_VIEW,
        "retrieve": Perm.TRANSFER_VIEW,
        "create": Perm.VETTING_RECORD,
    }
    filterset_fields = ["transfer", "decision"]
    ordering_fields = ["vetted_at"]

    def get_queryset(self):
        return selectors.vetting_list_for_user(self.request.user)

    @extend_schema(request=VettingWriteSerializer, responses={201: VettingSerializer})
    def create(self, request, *args, **kwargs):
        write = VettingWriteSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        data = dict(write.validated_data)
        transfer = get_object_or_404(
            selectors.transfer_list_for_user(request.user), pk=data.pop("transfer")
        )
        vetting = services.vetting_record(actor=request.user, transfer=transfer, **data)
        return Response(self.get_serializer(vetting).data, status=status.HTTP_201_CREATED)


class StandInViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """A/B pairs (AB岗) of the caller's windows; a new pair goes through ``stand_in_create``."""

    serializer_class = StandInSerializer
    permission_classes = [HasPermission]
    permission_map = {
        "list": Perm.STAND_IN_VIEW,
        "retrieve": Perm.STAND_IN_VIEW,
        "create": Perm.STAND_IN_EDIT,
    }
    filterset_fields = ["window", "a", "b", "service_item"]
    ordering_fields = ["valid_from"]

    def get_queryset(self):
        return selectors.stand_in_list_for_user(self.request.user)

    @extend_schema(request=StandInWriteSerializer, responses={201: StandInSerializer})
    def create(self, request, *args, **kwargs):
        write = StandInWriteSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        data = dict(write.validated_data)
        # the window through the caller's scope: another department's window is not found
        data["window"] = get_object_or_404(
            selectors.window_list_for_user(request.user, with_items=False), pk=data["window"].pk
        )
        pair = services.stand_in_create(actor=request.user, **data)
        return Response(
            self.get_serializer(self.get_queryset().get(pk=pair.pk)).data,
            status=status.HTTP_201_CREATED,
        )
