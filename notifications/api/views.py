from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import selectors, services
from ..permissions import CanReadOwnNotifications
from .serializers import MarkedReadSerializer, NotificationSerializer


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's own notifications (anyone else's answer 404). ``?unread=1`` filters."""

    serializer_class = NotificationSerializer
    permission_classes = [CanReadOwnNotifications]
    ordering_fields = ["created_at"]
    filterset_fields = ["kind"]

    def get_queryset(self):
        qs = selectors.notification_list_for_user(self.request.user)
        if self.request.query_params.get("unread") == "1":
            qs = qs.filter(read_at__isnull=True)
        return qs

    @extend_schema(request=None, responses={200: NotificationSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = services.notification_mark_read(
            user=request.user, notification=self.get_object()
        )
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses={200: MarkedReadSerializer})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": services.notification_mark_all_read(user=request.user)})
