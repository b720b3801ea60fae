"""The first-login password change: a login the center made or reset (``must_change_password``)
reaches only the password change page, logout, the language switch and static files until its
holder has chosen a password of their own. API calls with such a session answer 403."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

# A directory sign-in (OIDC) proves the person by the directory: no local password to change.
DIRECTORY_BACKENDS = {"staff.directory.DirectoryBackend"}


class MustChangePasswordMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    @cached_property
    def allowed(self) -> tuple[str, ...]:
        return (
            reverse("password_change"),
            reverse("password_change_done"),
            reverse("logout"),
            reverse("set_language"),
            settings.STATIC_URL,
        )

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not request.path.startswith(self.allowed)
            and request.session.get(BACKEND_SESSION_KEY) not in DIRECTORY_BACKENDS
        ):
            if request.path.startswith("/api/"):
                message = _("Change your password before using the system.")
                return JsonResponse({"detail": message}, status=403)
            if request.headers.get("HX-Request"):  # a fragment request: move the whole page
                return HttpResponse(status=204, headers={"HX-Redirect": reverse("password_change")})
            return redirect("password_change")
        return self.get_response(request)
