from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token

from portal import views as portal_views

from .api import router

urlpatterns = [
    path("", portal_views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/auth/token/", obtain_auth_token, name="api-token"),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("portal.urls")),
    path("", include("staff.urls")),
    path("", include("windows.urls")),
    path("", include("training.urls")),  # training (issue #5)
    path("joint/", include("joint.urls")),
    path("", include("assessments.urls")),
    path("", include("notifications.urls")),
    path("promotions/", include("promotions.urls")),
    path("attendance/", include("attendance.urls")),  # attendance (issue #17)
]
