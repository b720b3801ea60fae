from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, FormView, ListView

from core import spreadsheets
from core.forms import add_errors
from core.imports import TwoStepImportView
from core.pagination import CountPaginator, page_query

from . import roster, roster_exports, selectors, services
from .filters import StaffFilter
from .forms import CertificateForm, RosterUploadForm, StaffForm
from .models import ExportFormat, ExportState, Staff
from .panels import panels_for
from .permissions import Perm, PermissionRequiredMixin, has_perm

PAGE_SIZE = 50


class DepartmentListView(PermissionRequiredMixin, ListView):
    permission_required = Perm.DEPARTMENT_LIST
    template_name = "staff/department_list.html"
    context_object_name = "departments"
    paginate_by = 100

    def get_queryset(self):
        return selectors.department_list_for_user(self.request.user)


class DepartmentDetailView(PermissionRequiredMixin, DetailView):
    permission_required = Perm.DEPARTMENT_VIEW
    template_name = "staff/department_detail.html"
    context_object_name = "department"

    def get_object(self, queryset=None):
        return selectors.department_get_for_user(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        people = selectors.staff_list_for_user(self.request.user).filter(department=self.object)
        context["people"] = people.order_by("name", "id")[:200]
        context["liaisons"] = self.object.liaisons.order_by("username")
        return context


class StaffListView(PermissionRequiredMixin, View):
    permission_required = Perm.STAFF_LIST

    def get(self, request):
        filterset = StaffFilter(
            request.GET, queryset=selectors.staff_list_for_user(request.user), request=request
        )
        searched = bool(filterset.form.is_valid() and filterset.form.cleaned_data.get("q"))
        cap = settings.CENTER["SEARCH_COUNT_CAP"] if searched else None
        page = CountPaginator(filterset.qs, PAGE_SIZE, cap=cap).get_page(request.GET.get("page"))
        query = page_query(request)
        context = {"filter": filterset, "page": page, "query": query}
        if request.htmx:
            return render(request, "staff/_staff_table.html", context)
        context["filter_fields"] = _filter_fields(request, filterset)
        return render(request, "staff/staff_list.html", context)


def _filter_fields(request, filterset: StaffFilter) -> list[dict]:
    """The filter bar's selects as plain values (name, label, options with the chosen one
    marked), drawn by a loop in the template: Django's widget templates render each option
    through a template of its own (a third of the page's time with every department listed).
    One query: the departments in the user's scope."""
    fields = []
    for bound in filterset.form:
        if bound.name == "q":
            continue
        chosen = bound.value()
        if isinstance(chosen, (list, tuple)):  # the ordering field's value is a list
            chosen = chosen[0] if chosen else None
        chosen = "" if chosen is None else str(chosen)
        options = [
            {"value": str(value), "label": label, "selected": str(value) == chosen}
            for value, label in bound.field.widget.choices
        ]
        fields.append(
            {"name": bound.html_name, "id": bound.auto_id, "label": bound.label, "options": options}
        )
    return fields


@method_decorator(never_cache, name="dispatch")
class StaffDetailView(PermissionRequiredMixin, DetailView):
    permission_required = Perm.STAFF_VIEW
    template_name = "staff/staff_detail.html"
    context_object_name = "person"

    def get_object(self, queryset=None):
        return selectors.staff_get_for_user(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        from core.history import history_for

        context = super().get_context_data(**kwargs)
        person = self.object
        user = self.request.user
        context["show_id"] = has_perm(user, Perm.ID_NUMBER_VIEW)
        context["can_edit"] = has_perm(user, Perm.STAFF_EDIT)
        context["certificates"] = selectors.certificate_list_for_staff(person)
        context["today"] = timezone.localdate()
        context["history"] = history_for(person, limit=20)
        context["panels"] = panels_for(user, person)
        return context


class StaffFormMixin(PermissionRequiredMixin):
    permission_required = Perm.STAFF_EDIT
    form_class = StaffForm
    template_name = "staff/staff_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            self.object = self.save(data)
        except ValidationError as exc:
            form.add_error(None, exc) if not hasattr(exc, "error_dict") else add_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message % {"name": self.object.name})
        return redirect("staff:detail", pk=self.object.pk)


class StaffCreateView(StaffFormMixin, FormView):
    success_message = gettext_lazy("%(name)s was added.")

    def save(self, data):
        return services.staff_create(actor=self.request.user, **data)


@method_decorator(never_cache, name="dispatch")
class StaffUpdateView(StaffFormMixin, FormView):
    success_message = gettext_lazy("%(name)s was updated.")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.person = selectors.staff_get_for_user(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Staff.objects.get(pk=self.person.pk)
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.person, **kwargs)

    def save(self, data):
        return services.staff_update(actor=self.request.user, staff=self.person, **data)


class CertificateCreateView(PermissionRequiredMixin, FormView):
    permission_required = Perm.CERTIFICATE_EDIT
    form_class = CertificateForm
    template_name = "staff/certificate_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.person = selectors.staff_get_for_user(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.person, **kwargs)

    def form_valid(self, form):
        try:
            services.certificate_add(
                actor=self.request.user, staff=self.person, **form.cleaned_data
            )
        except ValidationError as exc:
            add_errors(form, exc) if hasattr(exc, "error_dict") else form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The certificate was recorded."))
        return redirect("staff:detail", pk=self.person.pk)


class RosterImportView(PermissionRequiredMixin, TwoStepImportView):
    """Upload → dry run showing every row → confirm. Nothing is written until the file is clean."""

    permission_required = Perm.STAFF_IMPORT
    form_class = RosterUploadForm
    template_name = "staff/roster_import.html"
    salt = "staff.roster-import"
    restart_url_name = "staff:import"
    file_error = roster.RosterFileError
    import_file = staticmethod(roster.roster_import)

    def preview_context(self, result):
        return {"counts": {action: result.count(action) for action in ("new", "update", "skip")}}

    def succeeded(self, request, result, filename):
        messages.success(
            request,
            _("Imported %(new)d new and %(update)d updated people from %(file)s.")
            % {"new": result.count("new"), "update": result.count("update"), "file": filename},
        )
        return redirect("staff:list")


class RosterTemplateView(PermissionRequiredMixin, View):
    permission_required = Perm.STAFF_IMPORT

    def get(self, request):
        return spreadsheets.file_response(
            roster.roster_template(),
            filename="人员名册导入模板.xlsx",
            content_type=spreadsheets.XLSX_CONTENT_TYPE,
        )


class RosterExportView(PermissionRequiredMixin, View):
    """GET: the staff list's people (its filters) as a file at once when there are at most
    ``ROSTER_EXPORT_INLINE_MAX``, else a page offering to build it in the background; POST:
    request that background export."""

    permission_required = Perm.STAFF_EXPORT

    def get(self, request):
        fmt = request.GET.get("format", "xlsx")
        if fmt not in {"xlsx", "csv"}:
            raise Http404
        people = roster_exports.filtered_staff(request.user, request.GET)
        limit = roster_exports.inline_max()
        matching = people[: limit + 1].count()  # never counts past the limit
        if matching > limit:
            query = request.GET.copy()
            query.pop("page", None)
            context = {"format": fmt, "limit": limit, "filters": query.lists()}
            return render(request, "staff/roster_export_confirm.html", context)
        content, content_type, suffix = roster.roster_export(
            actor=request.user, queryset=people, fmt=fmt
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return spreadsheets.file_response(
            content, filename=f"人员名册-{stamp}.{suffix}", content_type=content_type
        )

    def post(self, request):
        filters = {k: v for k, v in request.POST.items() if k not in {"csrfmiddlewaretoken"}}
        fmt = filters.pop("format", "xlsx")
        try:
            export = roster_exports.roster_export_request(
                actor=request.user, filters=filters, fmt=fmt
            )
        except ValidationError as exc:
            raise Http404 from exc
        messages.success(
            request,
            _("The export of %(count)d people is being prepared.") % {"count": export.total},
        )
        return redirect("staff:export_detail", pk=export.pk)


class RosterExportDetailView(PermissionRequiredMixin, View):
    """The export and its progress; htmx polls this URL for the progress fragment while it is
    queued or running."""

    permission_required = Perm.STAFF_EXPORT

    def get(self, request, pk: int):
        export = roster_exports.roster_export_get_for_user(request.user, pk)
        template = "staff/_export_progress.html" if request.htmx else "staff/export_detail.html"
        return render(request, template, {"export": export})


@method_decorator(never_cache, name="dispatch")
class RosterExportDownloadView(PermissionRequiredMixin, View):
    permission_required = Perm.STAFF_EXPORT

    def get(self, request, pk: int):
        export = roster_exports.roster_export_get_for_user(request.user, pk)
        if export.state != ExportState.DONE or not export.file:
            raise Http404
        content_type = (
            spreadsheets.XLSX_CONTENT_TYPE
            if export.format == ExportFormat.XLSX
            else "text/csv; charset=utf-8"
        )
        response = FileResponse(
            export.file.open("rb"),
            as_attachment=True,
            filename=f"人员名册-{export.pk}-{export.created_at:%Y%m%d}.{export.format}",
            content_type=content_type,
        )
        response["Cache-Control"] = "no-store"
        return response
