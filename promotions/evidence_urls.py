"""Evidence pack pages: per person, printable, xlsx, frozen snapshots, batch exports."""

from django.urls import path

from . import evidence_views as views

urlpatterns: list = [
    path("staff/<int:pk>/evidence/", views.EvidenceView.as_view(), name="evidence"),
    path("staff/<int:pk>/evidence.xlsx", views.EvidenceXlsxView.as_view(), name="evidence_xlsx"),
    path("snapshots/<str:number>/", views.SnapshotView.as_view(), name="snapshot"),
    path(
        "snapshots/<str:number>/evidence.xlsx",
        views.SnapshotXlsxView.as_view(),
        name="snapshot_xlsx",
    ),
]

from . import export_views  # noqa: E402

urlpatterns += [
    path("exports/", export_views.ExportListView.as_view(), name="export_list"),
    path("exports/new/", export_views.ExportCreateView.as_view(), name="export_create"),
    path("exports/<int:pk>/", export_views.ExportDetailView.as_view(), name="export_detail"),
    path(
        "exports/<int:pk>/download/",
        export_views.ExportDownloadView.as_view(),
        name="export_download",
    ),
]
