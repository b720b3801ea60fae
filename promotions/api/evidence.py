"""``GET /api/v1/staff/{id}/evidence/?start=&end=[&format=xlsx]``: a person's evidence pack as
JSON (the dict of ``promotions.evidence.pack.build_pack``) or as the xlsx file. Same permission and
scope as the page: window staff 403, a person outside a liaison's departments 404."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from core.spreadsheets import XLSX_CONTENT_TYPE, file_response
from staff.permissions import HasPermission, Perm

from ..evidence.forms import period_from
from ..evidence.pack import live_pack
from ..evidence.selectors import evidence_staff_get_for_user
from ..evidence.xlsx import pack_filename, pack_xlsx


class EvidencePackSerializer(serializers.Serializer):
    """Documentation of the pack (codes, ISO dates, decimals as strings)."""

    version = serializers.IntegerField()
    period = serializers.DictField(child=serializers.DateField())
    generated_at = serializers.DateTimeField()
    identity = serializers.DictField(help_text="The person; id_number masked unless allowed.")
    stationings = serializers.ListField(child=serializers.DictField())
    tenure = serializers.DictField(child=serializers.IntegerField())
    chief_service = serializers.ListField(child=serializers.DictField())
    certificates = serializers.ListField(child=serializers.DictField())
    monthly_scores = serializers.ListField(child=serializers.DictField())
    annual_scores = serializers.ListField(child=serializers.DictField())
    deductions = serializers.ListField(child=serializers.DictField())
    bonuses = serializers.ListField(child=serializers.DictField())
    awards = serializers.ListField(child=serializers.DictField())
    ratings = serializers.DictField()
    training = serializers.DictField()
    appraisals = serializers.ListField(child=serializers.DictField())


class _OneObjectSchema(AutoSchema):
    """A ViewSet ``list`` by routing only: it answers one object."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


class _FormatIsTheFileType(DefaultContentNegotiation):
    """``?format=`` chooses the file here (json or xlsx), not a DRF renderer."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class EvidenceViewSet(viewsets.ViewSet):
    schema = _OneObjectSchema()
    permission_classes = [HasPermission]
    permission_map = {"list": Perm.EVIDENCE_VIEW}
    renderer_classes = [JSONRenderer]
    content_negotiation_class = _FormatIsTheFileType

    @extend_schema(
        operation_id="staff_evidence",
        parameters=[
            OpenApiParameter("staff_pk", int, OpenApiParameter.PATH),
            OpenApiParameter("start", OpenApiTypes.DATE, description="default: 5 years back"),
            OpenApiParameter("end", OpenApiTypes.DATE, description="default: today"),
            OpenApiParameter("format", str, enum=["json", "xlsx"], description="default: json"),
        ],
        responses={
            (200, "application/json"): EvidencePackSerializer,
            (200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY,
            400: OpenApiResponse(description="Invalid period or format."),
        },
    )
    def list(self, request, staff_pk=None):
        try:
            person = evidence_staff_get_for_user(request.user, int(staff_pk))
        except ValueError as exc:
            raise Http404 from exc
        kind = request.query_params.get("format", "json")
        if kind not in ("json", "xlsx"):
            return Response({"format": ["json", "xlsx"]}, status=400)
        form, period = period_from(request.query_params)
        if period is None:
            return Response(form.errors, status=400)
        pack = live_pack(person, start=period[0], end=period[1], viewer=request.user)
        if kind == "xlsx":
            return file_response(
                pack_xlsx(pack), filename=pack_filename(pack), content_type=XLSX_CONTENT_TYPE
            )
        return Response(pack)
