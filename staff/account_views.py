"""The center's accounts page (logins in bulk, disable / re-enable, a person's password reset)
and the password pages every user has (Django's views with our templates and forms)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views import i18n as i18n_views
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from rest_framework.throttling import BaseThrottle

from core import ratelimit, spreadsheets

from . import accounts
from .account_forms import (
    AccountCreateForm,
    AccountFilterForm,
    HolderPasswordChangeForm,
    LocalizedPasswordResetForm,
    ReasonForm,
    ResetLinkSetPasswordForm,
)
from .models import User
from .permissions import Perm, PermissionRequiredMixin

logger = logging.getLogger(__name__)

LISTED = 100  # people shown on the page; the actions apply to every person the filter matches


@method_decorator(never_cache, name="dispatch")
class AccountsView(PermissionRequiredMixin, View):
    """GET: the filter, how many people it matches in each account state, the first
    ``LISTED`` of them. POST ``action=create|disable|enable`` acts on every person the filter
    (sent again as hidden fields) matches."""

    permission_required = Perm.ACCOUNT_MANAGE
    template_name = "staff/accounts.html"

    def get(self, request):
        return self.page(request, AccountFilterForm(request.GET))

    def page(self, request, filters, *, create_form=None, reason_form=None, status=200):
        context = {
            "filters": filters,
            "create_form": create_form or AccountCreateForm(),
            "reason_form": reason_form or ReasonForm(),
        }
        if filters.is_valid():
            people = filters.people()
            context["counts"] = {
                "without": accounts.people_without_account(people).count(),
                "active": people.filter(user__is_active=True).count(),
                "disabled": people.filter(user__is_active=False).count(),
            }
            context["people"] = accounts.with_account_state(people).order_by("staff_number", "id")[
                :LISTED
            ]
            context["hidden"] = [
                (name, filters.data[name]) for name in filters.fields if filters.data.get(name)
            ]
            context["listed"] = LISTED
        return render(request, self.template_name, context, status=status)

    def post(self, request):
        filters = AccountFilterForm(request.POST)
        if not filters.is_valid():
            return self.page(request, filters, status=400)
        people = filters.people()
        action = request.POST.get("action")
        if action == "create":
            return self.create(request, filters, people)
        if action in ("disable", "enable"):
            form = ReasonForm(request.POST)
            if not form.is_valid():
                return self.page(request, filters, reason_form=form, status=400)
            users = User.objects.filter(pk__in=people.filter(user__isnull=False).values("user_id"))
            changed = accounts.accounts_set_active(
                actor=request.user,
                users=users,
                active=action == "enable",
                reason=form.cleaned_data["reason"],
            )
            message = (
                _("%(count)d accounts were re-enabled.")
                if action == "enable"
                else _("%(count)d accounts were disabled.")
            )
            messages.success(request, message % {"count": changed})
            return redirect(reverse("staff:accounts") + "?" + _filter_query(filters))
        return self.page(request, filters, status=400)

    def create(self, request, filters, people):
        form = AccountCreateForm(request.POST)
        if not form.is_valid():
            return self.page(request, filters, create_form=form, status=400)
        typed = form.cleaned_data["mode"] == AccountCreateForm.TYPED
        try:
            result = accounts.accounts_create(
                actor=request.user,
                people=people,
                initial_password=form.cleaned_data["password1"] if typed else "",
            )
        except ValidationError as exc:
            form.add_error("password1", exc)
            return self.page(request, filters, create_form=form, status=400)
        for number, name, why in result.skipped:
            messages.warning(request, f"{name}（{number}）：{why}")
        if not result.created:
            messages.info(request, _("Nobody matched needed an account."))
            return redirect(reverse("staff:accounts") + "?" + _filter_query(filters))
        if typed:
            messages.success(
                request,
                _(
                    "%(count)d accounts were created with the initial password you typed; each "
                    "must change it at first login."
                )
                % {"count": len(result.created)},
            )
            return redirect(reverse("staff:accounts") + "?" + _filter_query(filters))
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return spreadsheets.file_response(
            accounts.accounts_sheet(result.created),
            filename=f"初始账号-{stamp}.xlsx",
            content_type=spreadsheets.XLSX_CONTENT_TYPE,
        )


def _filter_query(filters: AccountFilterForm) -> str:
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for name in filters.fields:
        value = filters.data.get(name)
        if value:
            query[name] = value
    return query.urlencode()


@method_decorator(never_cache, name="dispatch")
class AccountPasswordResetView(PermissionRequiredMixin, View):
    """POST: a new temporary password for this login, shown on the answer page once."""

    permission_required = Perm.ACCOUNT_MANAGE

    def post(self, request, pk: int):
        user = get_object_or_404(User, pk=pk)
        try:
            password = accounts.account_password_reset(actor=request.user, user=user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect(_back(user))
        context = {"account": user, "password": password, "back": _back(user)}
        return render(request, "staff/account_password.html", context)


class AccountActiveView(PermissionRequiredMixin, View):
    """POST ``active=0|1`` with a reason: disable or re-enable this one login."""

    permission_required = Perm.ACCOUNT_MANAGE

    def post(self, request, pk: int):
        user = get_object_or_404(User, pk=pk)
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the reason."))
            return redirect(_back(user))
        active = request.POST.get("active") == "1"
        changed = accounts.accounts_set_active(
            actor=request.user,
            users=User.objects.filter(pk=user.pk),
            active=active,
            reason=form.cleaned_data["reason"],
        )
        if changed:
            messages.success(
                request,
                (_("%(username)s was re-enabled.") if active else _("%(username)s was disabled."))
                % {"username": user.username},
            )
        else:
            messages.info(request, _("Nothing changed."))
        return redirect(_back(user))


def _back(user: User) -> str:
    person = getattr(user, "staff_profile", None)
    if person is not None:
        return reverse("staff:detail", args=[person.pk])
    return reverse("staff:accounts")


# --- the password pages of every user ---------------------------------------------------------


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = HolderPasswordChangeForm
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("password_change_done")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["first_login"] = self.request.user.must_change_password
        return context


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"


def _within(scope: str, ident: str, rate: str) -> bool:
    limit, seconds = ratelimit.parse_rate(rate)
    return ratelimit.hit(scope, ident, limit=limit, seconds=seconds)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset form, limited per client address and per e-mail address
    (``PASSWORD_RESET_RATE_PER_ADDRESS`` / ``_PER_EMAIL``, counted in the shared cache): over
    either limit the same "link sent" page answers and no mail goes out, so the limit reveals
    nothing about whether an account has the address."""

    form_class = LocalizedPasswordResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        # the client as the API's throttles see it (X-Forwarded-For behind a proxy, NUM_PROXIES)
        address = BaseThrottle().get_ident(self.request) or ""
        email = form.cleaned_data["email"].strip().lower()
        # both counted on every request, so one address cannot probe many e-mails unseen
        allowed = [
            _within("password_reset.address", address, settings.PASSWORD_RESET_RATE_PER_ADDRESS),
            _within("password_reset.email", email, settings.PASSWORD_RESET_RATE_PER_EMAIL),
        ]
        if not all(allowed):
            logger.warning("password reset over the limit (address %s)", address)
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)

    @property
    def extra_email_context(self):
        return {"center_name": settings.CENTER["NAME"]}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = ResetLinkSetPasswordForm
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


@require_POST
def set_language(request):
    """Django's language switch (the cookie, the redirect back), and for a signed-in person their
    own language too: their notices and e-mails follow the page's language they chose."""
    response = i18n_views.set_language(request)
    if request.user.is_authenticated:
        accounts.language_choose(user=request.user, language=request.POST.get("language", ""))
    return response
