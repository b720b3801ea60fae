"""REST API of joint management, scoped exactly like the browser: another department's object and
a talk the caller may not know about answer 404; creation re-checks scope in the service."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from staff.permissions import HasPermission, Perm
from staff.selectors import staff_list_for_user

from .. import selectors, services
from ..models import FollowUpState
from .serializers import (
    FollowUpSerializer,
    FollowUpWriteSerializer,
    TalkSerializer,
    TalkWriteSerializer,
    TransitionSerializer,
    VisitSerializer,
    VisitWriteSerializer,
)


class _Base(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [HasPermission]


class VisitViewSet(mixins.CreateModelMixin, _Base):
    serializer_class = VisitSerializer
    permission_map = {
        "list": Perm.VISIT_LIST,
        "retrieve": Perm.VISIT_LIST,
        "create": Perm.VISIT_EDIT,
    }
    filterset_fields = ["department"]
    ordering_fields = ["date", "id"]

    def get_queryset(self):
        return selectors.visit_list_for_user(self.request.user)

    @extend_schema(request=VisitWriteSerializer, responses={201: VisitSerializer})
    def create(self, request, *args, **kwargs):
        write = VisitWriteSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        try:
            department = selectors.department_for_user(
                request.user, write.validated_data.pop("department").pk
            )
        except Http404 as exc:
            raise serializers.ValidationError({"department": [_not_yours_department()]}) from exc
        visit = services.visit_record(
            actor=request.user, department=department, **write.validated_data
        )
        return Response(self.get_serializer(visit).data, status=status.HTTP_201_CREATED)


class TalkViewSet(mixins.CreateModelMixin, _Base):
    serializer_class = TalkSerializer
    permission_map = {"list": Perm.TALK_LIST, "retrieve": Perm.TALK_LIST, "create": Perm.TALK_EDIT}
    filterset_fields = ["staff", "kind", "level"]
    ordering_fields = ["date", "id"]

    def get_queryset(self):
        return selectors.talk_list_for_user(self.request.user)

    @extend_schema(request=TalkWriteSerializer, responses={201: TalkSerializer})
    def create(self, request, *args, **kwargs):
        write = TalkWriteSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        data = dict(write.validated_data)
        person = staff_list_for_user(request.user).filter(pk=data.pop("staff").pk).first()
        if person is None:
            raise serializers.ValidationError({"staff": [_not_yours()]})
        talk = services.talk_record(actor=request.user, staff=person, **data)
        return Response(self.get_serializer(talk).data, status=status.HTTP_201_CREATED)


def _not_yours_department() -> str:
    from django.utils.translation import gettext

    return gettext("No such department in your scope.")


def _not_yours() -> str:
    from django.utils.translation import gettext

    return gettext("No such person in your departments.")


class FollowUpViewSet(mixins.CreateModelMixin, _Base):
    """Follow-ups; state changes are POST actions ``start``, ``resolve`` (with ``note``) and
    ``reopen`` (center only), all through ``services.follow_up_transition``."""

    serializer_class = FollowUpSerializer
    permission_map = {
        "list": Perm.FOLLOW_UP_LIST,
        "retrieve": Perm.FOLLOW_UP_LIST,
        "create": Perm.TALK_EDIT,
        "start": Perm.FOLLOW_UP_TRANSITION,
        "resolve": Perm.FOLLOW_UP_TRANSITION,
        "reopen": Perm.FOLLOW_UP_TRANSITION,
    }
    filterset_fields = ["state"]
    ordering_fields = ["due_date", "id"]

    def get_queryset(self):
        return selectors.follow_up_list_for_user(self.request.user)

    @extend_schema(request=FollowUpWriteSerializer, responses={201: FollowUpSerializer})
    def create(self, request, *args, **kwargs):
        write = FollowUpWriteSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        data = dict(write.validated_data)
        talk = selectors.talk_list_for_user(request.user).filter(pk=data.pop("talk")).first()
        if talk is None:
            raise NotFound
        follow_up = services.follow_up_add(actor=request.user, talk=talk, **data)
        return Response(self.get_serializer(follow_up).data, status=status.HTTP_201_CREATED)

    def _transition(self, request, to):
        follow_up = self.get_object()
        write = TransitionSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        follow_up = services.follow_up_transition(
            actor=request.user,
            follow_up=follow_up,
            to=to,
            note=write.validated_data["note"],
        )
        return Response(self.get_serializer(follow_up).data)

    @extend_schema(request=TransitionSerializer, responses={200: FollowUpSerializer})
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._transition(request, FollowUpState.IN_PROGRESS)

    @extend_schema(request=TransitionSerializer, responses={200: FollowUpSerializer})
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        return self._transition(request, FollowUpState.RESOLVED)

    @extend_schema(request=TransitionSerializer, responses={200: FollowUpSerializer})
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Back to open from in progress, or (center only) from resolved to in progress."""
        current = self.get_object().state
        to = FollowUpState.IN_PROGRESS if current == FollowUpState.RESOLVED else FollowUpState.OPEN
        return self._transition(request, to)
