"""Batch exports of evidence packs: pick people and a period, follow the build, download the
workbook. Only the requester (and center administrators) see an export."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from core.pagination import page_query
from core.spreadsheets import XLSX_CONTENT_TYPE
from staff.filters import StaffFilter
from staff.permissions import Perm, PermissionRequiredMixin
from staff.selectors import staff_list_for_user

from ..evidence import exports
from ..evidence.forms import EvidencePeriodForm, ExportRequestForm
from ..models import ExportState

PAGE_SIZE = 50
FILTER_FIELDS = ("q", "department")


class ExportListView(PermissionRequiredMixin, View):
    permission_required = Perm.EVIDENCE_EXPORT

    def get(self, request):
        page = Paginator(exports.export_list_for_user(request.user), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        return render(request, "promotions/export_list.html", {"page": page})


def _filter(request, data):
    filterset = StaffFilter(data, queryset=staff_list_for_user(request.user), request=request)
    for name in list(filterset.form.fields):
        if name not in FILTER_FIELDS:
            del filterset.form.fields[name]
    return filterset


class ExportCreateView(PermissionRequiredMixin, View):
    """GET: the picker (filter by department or name, tick people); POST: request the export of
    the ticked people or of everyone in the filter."""

    permission_required = Perm.EVIDENCE_EXPORT

    def get(self, request, form=None, status=200):
        filterset = _filter(request, request.GET if form is None else request.POST)
        people = filterset.qs
        page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
        if form is None:
            form = ExportRequestForm(initial=_default_period())
        query = page_query(request)
        context = {
            "filter": filterset,
            "page": page,
            "matching": page.paginator.count,
            "maximum": exports.batch_max(),
            "form": form,
            "query": query,
            "filter_values": {name: filterset.data.get(name, "") for name in FILTER_FIELDS},
        }
        return render(request, "promotions/export_create.html", context, status=status)

    def post(self, request):
        form = ExportRequestForm(request.POST)
        if not form.is_valid():
            return self.get(request, form=form, status=400)
        data = form.cleaned_data
        if data["scope"] == ExportRequestForm.ALL:
            # One more than allowed, so the service reports "too many" rather than cutting.
            ids = list(
                _filter(request, request.POST).qs.values_list("pk", flat=True)[
                    : exports.batch_max() + 1
                ]
            )
        else:
            ids = data["staff"]
        try:
            export = exports.evidence_export_request(
                actor=request.user, staff_ids=ids, start=data["start"], end=data["end"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
            return self.get(request, form=form, status=400)
        messages.success(
            request,
            _("The export of %(count)d people is being prepared.") % {"count": export.total},
        )
        return redirect("promotions:export_detail", pk=export.pk)


def _default_period() -> dict:
    form = EvidencePeriodForm({})
    form.is_valid()
    return {"start": form.cleaned_data["start"], "end": form.cleaned_data["end"]}


class ExportDetailView(PermissionRequiredMixin, View):
    """The export and its progress; htmx polls this URL for the progress fragment while the
    export is queued or running (the fragment stops polling once it is finished)."""

    permission_required = Perm.EVIDENCE_EXPORT

    def get(self, request, pk: int):
        export = exports.export_get_for_user(request.user, pk)
        template = (
            "promotions/_export_progress.html" if request.htmx else "promotions/export_detail.html"
        )
        return render(request, template, {"export": export})


@method_decorator(never_cache, name="dispatch")
class ExportDownloadView(PermissionRequiredMixin, View):
    permission_required = Perm.EVIDENCE_EXPORT

    def get(self, request, pk: int):
        export = exports.export_get_for_user(request.user, pk)
        if export.state != ExportState.DONE or not export.file:
            raise Http404
        name = f"晋升佐证材料-批量-{export.pk}-{export.created_at:%Y%m%d}.xlsx"
        response = FileResponse(
            export.file.open("rb"),
            as_attachment=True,
            filename=name,
            content_type=XLSX_CONTENT_TYPE,
        )
        response["Cache-Control"] = "no-store"
        return response
