"""Promotions pages under /promotions/: the evidence pack, its snapshots and batch exports
(``views.evidence``, ``views.exports``); recommendations and the HR home (``views.workflow``),
performance-reference requests (``views.references``), reserve cadres (``views.reserve``)."""

from django.urls import path

from .views import evidence, exports, references, reserve, workflow

app_name = "promotions"

urlpatterns = [
    path("staff/<int:pk>/evidence/", evidence.EvidenceView.as_view(), name="evidence"),
    path("staff/<int:pk>/evidence.xlsx", evidence.EvidenceXlsxView.as_view(), name="evidence_xlsx"),
    path(
        "staff/<int:pk>/evidence/print/",
        evidence.EvidencePrintView.as_view(),
        name="evidence_print",
    ),
    path("staff/<int:pk>/evidence.pdf", evidence.EvidencePdfView.as_view(), name="evidence_pdf"),
    path("snapshots/<str:number>/", evidence.SnapshotView.as_view(), name="snapshot"),
    path(
        "snapshots/<str:number>/print/",
        evidence.SnapshotPrintView.as_view(),
        name="snapshot_print",
    ),
    path(
        "snapshots/<str:number>/evidence.pdf",
        evidence.SnapshotPdfView.as_view(),
        name="snapshot_pdf",
    ),
    path(
        "snapshots/<str:number>/evidence.xlsx",
        evidence.SnapshotXlsxView.as_view(),
        name="snapshot_xlsx",
    ),
    path("exports/", exports.ExportListView.as_view(), name="export_list"),
    path("exports/new/", exports.ExportCreateView.as_view(), name="export_create"),
    path("exports/<int:pk>/", exports.ExportDetailView.as_view(), name="export_detail"),
    path(
        "exports/<int:pk>/download/",
        exports.ExportDownloadView.as_view(),
        name="export_download",
    ),
    path("hr/", workflow.HRHomeView.as_view(), name="hr_home"),
    path("recommendations/", workflow.RecommendationListView.as_view(), name="recommendation_list"),
    path(
        "recommendations/new/",
        workflow.RecommendationCreateView.as_view(),
        name="recommendation_create",
    ),
    path(
        "recommendations/<int:pk>/",
        workflow.RecommendationDetailView.as_view(),
        name="recommendation_detail",
    ),
    path(
        "recommendations/<int:pk>/edit/",
        workflow.RecommendationEditView.as_view(),
        name="recommendation_edit",
    ),
    path(
        "recommendations/<int:pk>/submit/",
        workflow.RecommendationSubmitView.as_view(),
        name="recommendation_submit",
    ),
    path(
        "recommendations/<int:pk>/decide/",
        workflow.RecommendationDecideView.as_view(),
        name="recommendation_decide",
    ),
    path(
        "recommendations/<int:pk>/home-answer/",
        workflow.RecommendationHomeAnswerView.as_view(),
        name="recommendation_home_answer",
    ),
    path(
        "recommendations/<int:pk>/home-outcome/",
        workflow.RecommendationHomeOutcomeView.as_view(),
        name="recommendation_home_outcome",
    ),
    path("references/", references.ReferenceListView.as_view(), name="reference_list"),
    path("references/new/", references.ReferenceCreateView.as_view(), name="reference_create"),
    path(
        "references/<int:pk>/",
        references.ReferenceDetailView.as_view(),
        name="reference_detail",
    ),
    path(
        "references/<int:pk>/answer/",
        references.ReferenceAnswerView.as_view(),
        name="reference_answer",
    ),
    path(
        "references/<int:pk>/withdraw/",
        references.ReferenceWithdrawView.as_view(),
        name="reference_withdraw",
    ),
    path("reserve/", reserve.ReserveBoardView.as_view(), name="reserve_board"),
    path("reserve/<int:staff_pk>/mark/", reserve.ReserveMarkView.as_view(), name="reserve_mark"),
    path(
        "reserve/<int:staff_pk>/plan/",
        reserve.RotationPlanCreateView.as_view(),
        name="rotation_plan_create",
    ),
    path("rotations/", reserve.RotationListView.as_view(), name="rotation_list"),
    path(
        "rotations/<int:staff_pk>/propose/",
        reserve.RotationProposeView.as_view(),
        name="rotation_propose",
    ),
    path(
        "rotations/plans/<int:pk>/start/",
        reserve.RotationStartView.as_view(),
        name="rotation_start",
    ),
    path(
        "reserve/plans/<int:pk>/cancel/",
        reserve.RotationPlanCancelView.as_view(),
        name="rotation_plan_cancel",
    ),
]
