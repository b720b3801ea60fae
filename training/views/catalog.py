"""The course catalog and creating a course."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from core.forms import add_errors
from core.pagination import CountPaginator, page_query
from staff.permissions import Perm, PermissionRequiredMixin

from .. import selectors, services
from ..forms import (
    CourseForm,
)
from ..models import CourseCategory, OrganizerSide

PAGE_SIZE = 50


class CatalogView(PermissionRequiredMixin, View):
    permission_required = Perm.TRAINING_VIEW

    def get(self, request):
        courses = selectors.course_list_for_user(request.user)
        category = request.GET.get("category", "")
        side = request.GET.get("side", "")
        if category in CourseCategory.values:
            courses = courses.filter(category=category)
        if side in OrganizerSide.values:
            courses = courses.filter(side=side)
        page = CountPaginator(courses, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "training/catalog.html",
            {
                "page": page,
                "query": page_query(request),
                "categories": CourseCategory.choices,
                "sides": OrganizerSide.choices,
                "category": category,
                "side": side,
            },
        )


class CourseCreateView(PermissionRequiredMixin, View):
    permission_required = Perm.TRAINING_MANAGE

    def get(self, request):
        return render(request, "training/course_form.html", {"form": CourseForm(user=request.user)})

    def post(self, request):
        form = CourseForm(request.POST, user=request.user)
        if form.is_valid():
            data = dict(form.cleaned_data)
            level = data.pop("level")
            skills = [(skill, level) for skill in data.pop("skills")]
            try:
                course = services.course_create(actor=request.user, skills=skills, **data)
            except ValidationError as exc:
                add_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error("department", str(exc))
            else:
                messages.success(
                    request, _("The course “%(title)s” was added.") % {"title": course}
                )
                return redirect("training:catalog")
        return render(request, "training/course_form.html", {"form": form}, status=400)
