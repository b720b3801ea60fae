from django.urls import path

from . import account_views, views

app_name = "staff"

urlpatterns = [
    path("departments/", views.DepartmentListView.as_view(), name="department_list"),
    path("departments/<int:pk>/", views.DepartmentDetailView.as_view(), name="department_detail"),
    path("staff/", views.StaffListView.as_view(), name="list"),
    path("staff/new/", views.StaffCreateView.as_view(), name="create"),
    path("staff/import/", views.RosterImportView.as_view(), name="import"),
    path("staff/import/template/", views.RosterTemplateView.as_view(), name="import_template"),
    path("staff/export/", views.RosterExportView.as_view(), name="export"),
    path("staff/exports/<int:pk>/", views.RosterExportDetailView.as_view(), name="export_detail"),
    path(
        "staff/exports/<int:pk>/download/",
        views.RosterExportDownloadView.as_view(),
        name="export_download",
    ),
    path("staff/accounts/", account_views.AccountsView.as_view(), name="accounts"),
    path(
        "staff/accounts/<int:pk>/reset-password/",
        account_views.AccountPasswordResetView.as_view(),
        name="account_password_reset",
    ),
    path(
        "staff/accounts/<int:pk>/active/",
        account_views.AccountActiveView.as_view(),
        name="account_active",
    ),
    path("staff/<int:pk>/", views.StaffDetailView.as_view(), name="detail"),
    path("staff/<int:pk>/edit/", views.StaffUpdateView.as_view(), name="update"),
    path(
        "staff/<int:pk>/certificates/new/",
        views.CertificateCreateView.as_view(),
        name="certificate_create",
    ),
]
