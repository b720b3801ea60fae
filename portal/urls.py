from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/refresh/", views.dashboard_refresh, name="dashboard_refresh"),
    path("dashboard/compliance/<slug:kind>/", views.compliance, name="compliance"),
    path("audit/", views.audit, name="audit"),
    path("liaison/", views.liaison_home, name="liaison_home"),
]
