from django.urls import path

from . import clients, views

app_name = "portal"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/refresh/", views.dashboard_refresh, name="dashboard_refresh"),
    path("dashboard/compliance/<slug:kind>/", views.compliance, name="compliance"),
    path("audit/", views.audit, name="audit"),
    path("liaison/", views.liaison_home, name="liaison_home"),
    # --- system clients (issue #18) ---
    path("system-clients/", clients.client_list, name="client_list"),
    path("system-clients/new/", clients.client_new, name="client_create"),
    path("system-clients/<int:pk>/token/", clients.client_token, name="client_token"),
    path("system-clients/<int:pk>/rotate/", clients.client_rotate_view, name="client_rotate"),
    path("system-clients/<int:pk>/revoke/", clients.client_revoke_view, name="client_revoke"),
]
