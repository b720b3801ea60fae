"""The notification center: the user's own notifications, mark-read (htmx) and preferences."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from core.pagination import CountPaginator

from . import selectors, services
from .forms import PreferencesForm
from .permissions import VIEW

PAGE_SIZE = 30


@method_decorator(never_cache, name="dispatch")
class NotificationListView(PermissionRequiredMixin, View):
    permission_required = VIEW

    def get(self, request):
        qs = selectors.notification_list_for_user(request.user)
        unread_only = request.GET.get("unread") == "1"
        if unread_only:
            qs = qs.filter(read_at__isnull=True)
        page = CountPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        context = {
            "page": page,
            "unread_only": unread_only,
            "query": "unread=1" if unread_only else "",
        }
        return render(request, "notifications/list.html", context)


class MarkReadView(PermissionRequiredMixin, View):
    permission_required = VIEW

    def post(self, request, pk):
        notification = selectors.notification_get_for_user(request.user, pk)
        services.notification_mark_read(user=request.user, notification=notification)
        if request.htmx:
            return render(
                request,
                "notifications/_item.html",
                {
                    "notification": notification,
                    "unread_notifications": selectors.unread_count(request.user),
                    "oob_badge": True,
                },
            )
        return redirect("notifications:list")


class MarkAllReadView(PermissionRequiredMixin, View):
    permission_required = VIEW

    def post(self, request):
        count = services.notification_mark_all_read(user=request.user)
        messages.success(request, _("%(count)s notifications marked read.") % {"count": count})
        return redirect("notifications:list")


class OpenView(PermissionRequiredMixin, View):
    """Follow a notification to its object, marking it read on the way."""

    permission_required = VIEW

    def get(self, request, pk):
        notification = selectors.notification_get_for_user(request.user, pk)
        services.notification_mark_read(user=request.user, notification=notification)
        link = notification.link
        if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
            return redirect(link)
        return redirect("notifications:list")


@method_decorator(never_cache, name="dispatch")
class PreferencesView(PermissionRequiredMixin, View):
    permission_required = VIEW
    template_name = "notifications/preferences.html"

    def get(self, request):
        chosen = selectors.preferences_for_user(request.user)
        form = PreferencesForm(
            initial={
                "language": request.user.language,
                "email_kinds": [row["kind"].key for row in chosen if row["email"]],
            }
        )
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        form = PreferencesForm(request.POST)
        if form.is_valid():
            try:
                services.preferences_update(
                    user=request.user,
                    language=form.cleaned_data["language"],
                    email_kinds=form.cleaned_data["email_kinds"],
                )
            except ValidationError as exc:
                for name, errors in exc.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                messages.success(request, _("Your notification preferences were saved."))
                return redirect("notifications:preferences")
        return render(request, self.template_name, {"form": form}, status=400)
