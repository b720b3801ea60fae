"""Workload pages: the month per window and per person (scoped), the import of a queue
system's export and the difficulty weights (the center)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from core import spreadsheets
from core.forms import add_errors
from core.history import history_for
from core.imports import TwoStepImportView
from staff.permissions import Perm, PermissionRequiredMixin, has_perm, permission_required
from windows.models import ServiceItem

from . import selectors
from .forms import WeightForm, WorkloadUploadForm
from .models import ItemWeight
from .services import imports as import_service
from .services import weights as weight_service

PAGE_SIZE = 50


def _month(request) -> date:
    raw = request.GET.get("month") or ""
    parsed = parse_date(raw + "-01") if len(raw) == 7 else None
    return (parsed or timezone.localdate()).replace(day=1)


@permission_required(Perm.WORKLOAD_VIEW)
def month_view(request):
    """One month: the windows (by points) and the people (by points) in the user's scope."""
    month = _month(request)
    windows = selectors.window_months_for_user(request.user, month=month)
    people = Paginator(selectors.staff_months_for_user(request.user, month=month), PAGE_SIZE)
    return render(
        request,
        "workload/month.html",
        {
            "month": month,
            "windows": windows[:200],
            "page": people.get_page(request.GET.get("page")),
            "kinds": selectors.KIND_LABELS,
            "can_import": has_perm(request.user, Perm.WORKLOAD_IMPORT),
            "can_weigh": has_perm(request.user, Perm.WORKLOAD_WEIGHT_EDIT),
        },
    )


class WorkloadImportView(PermissionRequiredMixin, TwoStepImportView):
    permission_required = Perm.WORKLOAD_IMPORT
    form_class = WorkloadUploadForm
    template_name = "workload/import.html"
    salt = "workload.import"
    restart_url_name = "workload:import"
    file_error = import_service.WorkloadFileError
    import_file = staticmethod(import_service.workload_import)

    def succeeded(self, request, result, filename):
        messages.success(
            request,
            _(
                "Imported %(file)s: %(created)d new records, %(updated)d counts replaced,"
                " %(duplicate)d unchanged."
            )
            % {
                "file": filename,
                "created": result.created,
                "updated": result.updated,
                "duplicate": result.duplicate,
            },
        )
        return redirect("workload:month")


@permission_required(Perm.WORKLOAD_IMPORT)
def import_template(request):
    return spreadsheets.file_response(
        import_service.workload_template(),
        filename="工作量导入模板.xlsx",
        content_type=spreadsheets.XLSX_CONTENT_TYPE,
    )


@permission_required(Perm.WORKLOAD_WEIGHT_EDIT)
def weight_list(request):
    return render(request, "workload/weights.html", {"rows": weight_service.weight_rows()})


@permission_required(Perm.WORKLOAD_WEIGHT_EDIT)
def weight_edit(request, pk: int):
    item = get_object_or_404(ServiceItem.objects.select_related("department"), pk=pk)
    current = ItemWeight.objects.filter(service_item=item).first()
    form = WeightForm(request.POST or None, initial={"weight": current.weight if current else 1})
    if request.method == "POST" and form.is_valid():
        try:
            weight_service.item_weight_set(
                actor=request.user,
                service_item=item,
                weight=form.cleaned_data["weight"],
                effective_from=form.cleaned_data["effective_from"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The weight of %(item)s is saved.") % {"item": item.code})
            return redirect("workload:weights")
    history = history_for(current) if current is not None else []
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "workload/weight_form.html",
        {"form": form, "item": item, "weight": current, "history": history},
        status=status,
    )
