from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from attendance.views import days as attendance_days
from portal import views as portal_views
from staff import account_views
from staff.api.views import ObtainTokenView

from .api import router

urlpatterns = [
    path("", portal_views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True,
            extra_context={"directory_sign_in": settings.OIDC_ENABLED},
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/change/",
        account_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        account_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "accounts/password/reset/", account_views.PasswordResetView.as_view(), name="password_reset"
    ),
    path(
        "accounts/password/reset/sent/",
        account_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        account_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # Django's language switch, which also keeps a signed-in person's choice for their notices
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("portal.urls")),
    path("", include("staff.urls")),
    path("", include("windows.urls")),
    path("", include("training.urls")),  # training (issue #5)
    path("joint/", include("joint.urls")),
    path("", include("assessments.urls")),
    path("inspections/", include("inspections.urls")),
    path("", include("notifications.urls")),
    path("promotions/", include("promotions.urls")),
    path("attendance/", include("attendance.urls")),
    path("workload/", include("workload.urls")),  # workload (issue #18)
    path(
        "hall/<str:token>/", attendance_days.hall_screen, name="hall_screen"
    ),  # attendance (issue #17)
]
if settings.OIDC_ENABLED:  # directory sign-in (staff/directory.py): /oidc/authenticate/, callback
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))

handler500 = "core.middleware.server_error"  # a lost database answers 503 (core.middleware)
