"""A person's training: their page with its history and menu, one's own training, skill levels."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from core.forms import add_errors
from staff.models import Staff
from staff.permissions import Perm, PermissionRequiredMixin, has_perm
from staff.selectors import staff_get_for_user

from .. import selectors, services
from ..forms import (
    SkillLevelForm,
)
from ..gaps import GapFacts
from ..menu import menu_for_person, menu_from_facts
from ..models import EnrollmentStatus


def person_context(person: Staff) -> dict:
    """The person's training page: every enrollment and skill is read once, for the history and
    for the menu's gap sources alike."""
    today = timezone.localdate()
    history = list(selectors.training_history(person))
    skills = list(selectors.staff_skills(person))
    now = timezone.now()
    hours = selectors.hours_for_person(person, today.year)
    target = selectors.annual_target()
    facts = GapFacts.for_person(person, today, enrollments=history, skills=skills)
    return {
        "person": person,
        "today": today,
        "menu": menu_from_facts(facts, now=now),
        "upcoming": [
            e
            for e in history
            if e.session.starts_at >= now
            and e.status in (EnrollmentStatus.INVITED, EnrollmentStatus.ENROLLED)
        ],
        "history": [e for e in history if e.session.starts_at < now][:100],
        "hours": hours,
        "target": target,
        "pace": selectors.pace_target(today),
        "percent": min(int(hours["total"] * 100 / target), 100) if target else 100,
        "skills": skills,
    }


class PersonTrainingView(PermissionRequiredMixin, View):
    """A person's training: the menu, enrolled sessions, hours against the target, history."""

    permission_required = Perm.TRAINING_MENU

    def get(self, request, pk):
        person = staff_get_for_user(request.user, pk)
        context = person_context(person)
        context["is_self"] = getattr(request.user, "staff_profile", None) == person
        context["can_edit_skills"] = has_perm(request.user, Perm.TRAINING_SKILL_EDIT)
        return render(request, "training/person.html", context)


class PersonMenuView(PermissionRequiredMixin, View):
    """A person's menu alone (the fragment the staff detail page loads into its training panel,
    so that page does not compute the menu itself)."""

    permission_required = Perm.TRAINING_MENU

    def get(self, request, pk):
        person = staff_get_for_user(request.user, pk)
        today = timezone.localdate()
        return render(
            request,
            "training/_menu.html",
            {"menu": menu_for_person(person, today=today), "today": today},
        )


class MyTrainingView(PermissionRequiredMixin, View):
    permission_required = Perm.TRAINING_MENU

    def get(self, request):
        person = getattr(request.user, "staff_profile", None)
        if person is None:
            return redirect("training:catalog")
        return redirect("training:person", pk=person.pk)


class SkillSetView(PermissionRequiredMixin, View):
    permission_required = Perm.TRAINING_SKILL_EDIT

    def get(self, request, pk):
        person = staff_get_for_user(request.user, pk)
        form = SkillLevelForm(initial={"assessed_on": timezone.localdate()})
        return render(request, "training/skill_form.html", {"form": form, "person": person})

    def post(self, request, pk):
        person = staff_get_for_user(request.user, pk)
        form = SkillLevelForm(request.POST)
        if form.is_valid():
            try:
                services.staff_skill_set(actor=request.user, person=person, **form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The skill level was recorded."))
                return redirect("training:person", pk=person.pk)
        return render(
            request, "training/skill_form.html", {"form": form, "person": person}, status=400
        )
