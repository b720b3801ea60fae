from __future__ import annotations

import calendar
from collections import defaultdict
from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from core.pagination import CountPaginator
from core.workdays import is_working_day
from staff.models import Staff
from staff.permissions import Perm, PermissionRequiredMixin, department_ids, has_perm
from staff.selectors import staff_get_for_user, staff_list_for_user

from . import selectors, services
from .forms import (
    CourseForm,
    EnrollForm,
    FeedbackForm,
    PolicyUpdateForm,
    SessionForm,
    SkillLevelForm,
)
from .gaps import GapFacts
from .menu import menu_for_person, menu_from_facts
from .models import Course, CourseCategory, EnrollmentStatus, OrganizerSide
from .services import AttendanceRow, can_manage_course

PAGE_SIZE = 50


def _errors(exc: ValidationError) -> list[str]:
    return list(exc.messages)


def _add_form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- catalog -------------------------------------------------------------------------------------


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
                "query": _query(request),
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
                _add_form_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error("department", str(exc))
            else:
                messages.success(
                    request, _("The course “%(title)s” was added.") % {"title": course}
                )
                return redirect("training:catalog")
        return render(request, "training/course_form.html", {"form": form}, status=400)


# --- sessions ------------------------------------------------------------------------------------


class CalendarView(PermissionRequiredMixin, View):
    """Month grid (server-rendered) or a paginated list of sessions."""

    permission_required = Perm.TRAINING_VIEW

    def get(self, request):
        today = timezone.localdate()
        try:
            year, month = (int(x) for x in request.GET.get("month", "").split("-"))
            first = date(year, month, 1)
        except ValueError:
            first = today.replace(day=1)
        previous = (first.replace(day=1) - timezone.timedelta(days=1)).replace(day=1)
        following = (first.replace(day=28) + timezone.timedelta(days=7)).replace(day=1)
        context = {
            "view": "list" if request.GET.get("view") == "list" else "month",
            "month": first,
            "previous": previous,
            "following": following,
            "today": today,
        }
        if context["view"] == "list":
            sessions = selectors.session_list_for_user(request.user)
            try:
                day = date.fromisoformat(request.GET.get("day", ""))
            except ValueError:
                sessions = sessions.filter(starts_at__date__gte=first)
            else:
                sessions = sessions.filter(starts_at__date=day)
                context["day"] = day
            context["page"] = CountPaginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
            context["query"] = _query(request)
        else:
            by_day = defaultdict(list)
            for session in selectors.sessions_in_month(request.user, first.year, first.month):
                by_day[timezone.localdate(session.starts_at)].append(session)
            context["weeks"] = [
                [
                    {
                        "date": day,
                        "in_month": day.month == first.month,
                        "working": is_working_day(day),
                        "sessions": by_day.get(day, []),
                    }
                    for day in week
                ]
                for week in calendar.Calendar(0).monthdatescalendar(first.year, first.month)
            ]
        return render(request, "training/calendar.html", context)


def _manageable_courses(user):
    courses = Course.objects.filter(active=True).select_related("department").order_by("title")
    if has_perm(user, Perm.TRAINING_MANAGE_CENTER):
        return courses
    ids = department_ids(user)
    return courses.filter(side=OrganizerSide.DEPARTMENT, department_id__in=ids or [])


class SessionCreateView(PermissionRequiredMixin, View):
    permission_required = Perm.TRAINING_MANAGE

    def get(self, request):
        form = SessionForm(
            courses=_manageable_courses(request.user),
            initial={"course": request.GET.get("course")},
        )
        return render(request, "training/session_form.html", {"form": form})

    def post(self, request):
        form = SessionForm(request.POST, courses=_manageable_courses(request.user))
        if form.is_valid():
            try:
                session = services.session_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _add_form_errors(form, exc)
            else:
                if not session.outside_hours:
                    messages.warning(
                        request,
                        _(
                            "This session falls within working hours: it will not be offered "
                            "on staff training menus."
                        ),
                    )
                messages.success(request, _("The session was scheduled."))
                return redirect("training:session_detail", pk=session.pk)
        return render(request, "training/session_form.html", {"form": form}, status=400)


class SessionDetailView(PermissionRequiredMixin, View):
    permission_required = Perm.TRAINING_VIEW

    def get(self, request, pk, *, enroll_form=None, status=200):
        session = selectors.session_get_for_user(request.user, pk)
        roll = list(selectors.enrollments_for_session(session, request.user))
        own = getattr(request.user, "staff_profile", None)
        mine = next((e for e in roll if own is not None and e.staff_id == own.pk), None)
        now = timezone.now()
        context = {
            "session": session,
            "roll": roll,
            "mine": mine,
            "can_record": has_perm(request.user, Perm.TRAINING_MANAGE)
            and can_manage_course(request.user, session.course)
            and session.starts_at <= now,
            "can_enroll": has_perm(request.user, Perm.TRAINING_MANAGE)
            and session.starts_at > now
            and not session.cancelled,
            "can_self_enroll": own is not None
            and mine is None
            and has_perm(request.user, Perm.TRAINING_SELF_ENROLL)
            and session.starts_at > now
            and not session.cancelled
            and session.taken < session.capacity,
            "can_feedback": mine is not None and mine.status in ("attended", "completed"),
            "can_cancel": mine is not None
            and mine.status in (EnrollmentStatus.INVITED, EnrollmentStatus.ENROLLED)
            and has_perm(request.user, Perm.TRAINING_SELF_ENROLL)
            and session.starts_at > now,
            "enroll_form": enroll_form or EnrollForm(),
            "feedback_form": FeedbackForm(
                initial={"feedback": mine.feedback, "rating": mine.feedback_rating}
                if mine
                else None
            ),
            "attendance_choices": [
                (s.value, s.label)
                for s in (
                    EnrollmentStatus.ATTENDED,
                    EnrollmentStatus.COMPLETED,
                    EnrollmentStatus.ABSENT,
                )
            ],
        }
        return render(request, "training/session_detail.html", context, status=status)


class SessionEnrollView(View):
    """POST: a liaison or the center enrolls people by staff number; staff enroll themselves."""

    def post(self, request, pk):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('login')}?next={request.path}")
        manage = has_perm(request.user, Perm.TRAINING_MANAGE)
        if not manage and not has_perm(request.user, Perm.TRAINING_SELF_ENROLL):
            raise PermissionDenied
        session = selectors.session_get_for_user(request.user, pk)
        status = EnrollmentStatus.ENROLLED
        if manage:
            form = EnrollForm(request.POST)
            if not form.is_valid():
                return SessionDetailView().get(request, pk, enroll_form=form, status=400)
            numbers = form.numbers()
            people = list(staff_list_for_user(request.user).filter(staff_number__in=numbers))
            missing = sorted(set(numbers) - {p.staff_number for p in people})
            if missing:
                form.add_error(
                    "staff_numbers",
                    _("Unknown staff numbers: %(numbers)s") % {"numbers": ", ".join(missing)},
                )
                return SessionDetailView().get(request, pk, enroll_form=form, status=400)
            if form.cleaned_data["invite"]:
                status = EnrollmentStatus.INVITED
        else:
            own = getattr(request.user, "staff_profile", None)
            if own is None:
                raise PermissionDenied
            people = [own]
        try:
            created = services.enrollment_add(
                actor=request.user, session=session, people=people, status=status
            )
        except ValidationError as exc:
            for message in _errors(exc):
                messages.error(request, message)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%(count)s enrolled.") % {"count": len(created)})
        return redirect("training:session_detail", pk=session.pk)


class SessionAttendanceView(PermissionRequiredMixin, View):
    """POST: bulk attendance for the whole roll (all rows or none)."""

    permission_required = Perm.TRAINING_MANAGE

    def post(self, request, pk):
        session = selectors.session_get_for_user(request.user, pk)
        if not can_manage_course(request.user, session.course):
            raise PermissionDenied
        rows = []
        problems = []
        for enrollment in selectors.enrollments_for_session(session, request.user):
            status = request.POST.get(f"status_{enrollment.pk}", "")
            if not status:
                continue
            try:
                hours = request.POST.get(f"hours_{enrollment.pk}", "").strip()
                score = request.POST.get(f"score_{enrollment.pk}", "").strip()
                rows.append(
                    AttendanceRow(
                        enrollment_id=enrollment.pk,
                        status=status,
                        hours=Decimal(hours) if hours else None,
                        score=Decimal(score) if score else None,
                        result=request.POST.get(f"result_{enrollment.pk}", ""),
                    )
                )
            except InvalidOperation:
                problems.append(
                    _("%(name)s: hours and score must be numbers.")
                    % {"name": enrollment.staff.name}
                )
        if not problems and not rows:
            problems.append(_("Mark at least one person."))
        if not problems:
            try:
                changed = services.attendance_record(actor=request.user, session=session, rows=rows)
            except ValidationError as exc:
                problems = _errors(exc)
            else:
                messages.success(
                    request, _("Attendance recorded for %(count)s.") % {"count": len(changed)}
                )
        for problem in problems:
            messages.error(request, problem)
        return redirect("training:session_detail", pk=session.pk)


class EnrollmentCancelView(PermissionRequiredMixin, View):
    """POST: the person withdraws from a session before it starts."""

    permission_required = Perm.TRAINING_SELF_ENROLL

    def post(self, request, pk):
        enrollment = get_object_or_404(selectors.enrollment_list_for_user(request.user), pk=pk)
        try:
            services.enrollment_cancel(actor=request.user, enrollment=enrollment)
        except ValidationError as exc:  # someone else's enrollment: PermissionDenied, a 403
            for message in _errors(exc):
                messages.error(request, message)
        else:
            messages.success(request, _("Your enrollment was cancelled; the seat is free again."))
        return redirect("training:session_detail", pk=enrollment.session_id)


class FeedbackView(PermissionRequiredMixin, View):
    permission_required = Perm.TRAINING_SELF_ENROLL

    def post(self, request, pk):
        enrollment = get_object_or_404(selectors.enrollment_list_for_user(request.user), pk=pk)
        form = FeedbackForm(request.POST)
        if form.is_valid():
            try:
                services.feedback_submit(
                    actor=request.user,
                    enrollment=enrollment,
                    feedback=form.cleaned_data["feedback"],
                    rating=form.cleaned_data["rating"],
                )
            except ValidationError as exc:
                for message in _errors(exc):
                    messages.error(request, message)
            else:
                messages.success(request, _("Thank you for your feedback."))
        else:
            messages.error(request, _("Write your feedback."))
        return redirect("training:session_detail", pk=enrollment.session_id)


# --- people --------------------------------------------------------------------------------------


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
                _add_form_errors(form, exc)
            else:
                messages.success(request, _("The skill level was recorded."))
                return redirect("training:person", pk=person.pk)
        return render(
            request, "training/skill_form.html", {"form": form, "person": person}, status=400
        )


# --- hours and reports ---------------------------------------------------------------------------


class HoursView(PermissionRequiredMixin, View):
    """Hours this year per person in scope (a liaison: their department), against the target."""

    permission_required = Perm.TRAINING_REPORTS

    def get(self, request):
        today = timezone.localdate()
        people = selectors.people_with_hours(request.user, today.year)
        behind = request.GET.get("behind") == "1"
        if behind:
            people = people.filter(hours_total__lt=selectors.pace_target(today))
        people = people.order_by("hours_total", "name", "id")
        page = CountPaginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "training/hours.html",
            {
                "page": page,
                "query": _query(request),
                "behind": behind,
                "target": selectors.annual_target(),
                "pace": selectors.pace_target(today),
                "year": today.year,
            },
        )


class ReportsView(PermissionRequiredMixin, View):
    permission_required = Perm.TRAINING_REPORTS

    def get(self, request):
        today = timezone.localdate()
        user = request.user
        by_department = selectors.hours_by_department(user, today.year)
        behind = selectors.behind_target(user, today)
        onboarding = selectors.onboarding_overdue(user, today)
        policy = selectors.policy_overdue(user, today)
        context = {
            "year": today.year,
            "target": selectors.annual_target(),
            "pace": selectors.pace_target(today),
            "by_department": by_department,
            "behind_count": behind.count(),
            "behind": list(behind[:20]),
            "onboarding_count": onboarding.count(),
            "onboarding": list(onboarding[:50]),
            "policy_count": len(policy),
            "policy": policy[:50],
            "chart_departments": [
                {"label": r["label"], "value": float(r["total"])} for r in by_department[:20]
            ],
            "chart_categories": [
                r for r in selectors.hours_by_category(user, today.year) if r["value"]
            ],
        }
        return render(request, "training/reports.html", context)


# --- policy updates ------------------------------------------------------------------------------


class PolicyUpdateListView(PermissionRequiredMixin, View):
    permission_required = Perm.TRAINING_VIEW

    def get(self, request):
        updates = selectors.policy_update_list_for_user(request.user)
        page = CountPaginator(updates, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "training/policy_list.html",
            {"page": page, "query": _query(request), "today": timezone.localdate()},
        )


class PolicyUpdateCreateView(PermissionRequiredMixin, View):
    permission_required = Perm.POLICY_UPDATE_EDIT

    def get(self, request):
        form = PolicyUpdateForm(initial={"published_on": timezone.localdate()})
        return render(request, "training/policy_form.html", {"form": form})

    def post(self, request):
        form = PolicyUpdateForm(request.POST)
        if form.is_valid():
            try:
                services.policy_update_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _add_form_errors(form, exc)
            else:
                messages.success(request, _("The policy update was published."))
                return redirect("training:policy_list")
        return render(request, "training/policy_form.html", {"form": form}, status=400)


class PolicyUpdateCloseView(PermissionRequiredMixin, View):
    permission_required = Perm.POLICY_UPDATE_EDIT

    def post(self, request, pk):
        update = get_object_or_404(selectors.policy_update_list_for_user(request.user), pk=pk)
        try:
            services.policy_update_close(actor=request.user, update=update)
        except ValidationError as exc:
            for message in _errors(exc):
                messages.error(request, message)
        else:
            messages.success(request, _("The policy update was closed."))
        return redirect("training:policy_list")
