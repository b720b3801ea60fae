from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from .. import selectors, services
from ..filters import StaffFilter
from ..permissions import HasPermission, Perm
from .serializers import DepartmentSerializer, StaffSerializer, StaffWriteSerializer


class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DepartmentSerializer
    permission_classes = [HasPermission]
    permission_map = {"list": Perm.DEPARTMENT_LIST, "retrieve": Perm.DEPARTMENT_VIEW}
    ordering_fields = ["code", "name"]
    ordering = ["code"]
    filterset_fields = ["active"]

    def get_queryset(self):
        return selectors.department_list_for_user(self.request.user)


class StaffViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Staff in the caller's scope. Another department's person answers 404."""

    serializer_class = StaffSerializer
    permission_classes = [HasPermission]
    permission_map = {
        "list": Perm.STAFF_LIST,
        "retrieve": Perm.STAFF_VIEW,
        "create": Perm.STAFF_EDIT,
        "update": Perm.STAFF_EDIT,
        "partial_update": Perm.STAFF_EDIT,
    }
    filterset_class = StaffFilter
    ordering_fields = ["staff_number", "name", "department__code", "date_of_birth", "updated_at"]

    def get_queryset(self):
        return selectors.staff_list_for_user(self.request.user).order_by("staff_number", "id")

    @extend_schema(request=StaffWriteSerializer, responses={201: StaffSerializer})
    def create(self, request, *args, **kwargs):
        write = StaffWriteSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        try:
            staff = services.staff_create(actor=request.user, **write.validated_data)
        except DjangoPermissionDenied as exc:
            raise serializers.ValidationError({"department": [str(exc)]}) from exc
        return Response(self.get_serializer(staff).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=StaffWriteSerializer, responses={200: StaffSerializer})
    def update(self, request, *args, **kwargs):
        staff = self.get_object()
        partial = kwargs.pop("partial", False)
        write = StaffWriteSerializer(staff, data=request.data, partial=partial)
        write.is_valid(raise_exception=True)
        try:
            staff = services.staff_update(actor=request.user, staff=staff, **write.validated_data)
        except DjangoPermissionDenied as exc:
            raise serializers.ValidationError({"department": [str(exc)]}) from exc
        return Response(self.get_serializer(staff).data)


class ObtainTokenView(ObtainAuthToken):
    """``POST /api/v1/auth/token/`` (DRF's view): a login whose temporary password is still to
    be changed gets no token (it would outlive the change it skipped)."""

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        if user.must_change_password:
            return Response(
                {"detail": _("Change your password in the browser before using the API.")},
                status=status.HTTP_403_FORBIDDEN,
            )
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
