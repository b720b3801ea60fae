"""Sessions: the calendar, creating one, its page, enrolling and cancelling, recording attendance,
feedback."""

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

from core.forms import add_errors
from core.pagination import CountPaginator, page_query
from core.workdays import is_working_day
from staff.permissions import Perm, PermissionRequiredMixin, department_ids, has_perm
from staff.selectors import staff_list_for_user

from .. import selectors, services
from ..forms import (
    EnrollForm,
    FeedbackForm,
    SessionForm,
)
from ..models import Course, EnrollmentStatus, OrganizerSide
from ..services import AttendanceRow, can_manage_course

PAGE_SIZE = 50


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
            context["query"] = page_query(request)
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
                add_errors(form, exc)
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
            for message in exc.messages:
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
                problems = list(exc.messages)
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
            for message in exc.messages:
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
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("Thank you for your feedback."))
        else:
            messages.error(request, _("Write your feedback."))
        return redirect("training:session_detail", pk=enrollment.session_id)
