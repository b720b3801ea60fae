from django.urls import path

from . import case_views, inputs, views

app_name = "assessments"

urlpatterns = [
    path("assessments/", views.BoardView.as_view(), name="board"),
    path(
        "assessments/periods/<int:pk>/close/",
        views.PeriodActionView.as_view(action="close"),
        name="period_close",
    ),
    path(
        "assessments/periods/<int:pk>/recompute/",
        views.PeriodActionView.as_view(action="recompute"),
        name="period_recompute",
    ),
    path(
        "assessments/periods/<int:pk>/awards/", views.AwardSelectView.as_view(), name="award_select"
    ),
    path("assessments/periods/<int:pk>/results/", inputs.ResultsView.as_view(), name="results"),
    path(
        "assessments/periods/<int:pk>/window-inputs/",
        inputs.WindowInputsView.as_view(),
        name="window_inputs",
    ),
    path("assessments/scores/<int:pk>/review/", inputs.ReviewSetView.as_view(), name="review_set"),
    path(
        "assessments/scores/<int:pk>/grade/", inputs.GradeRecordView.as_view(), name="grade_record"
    ),
    path("assessments/rules/", inputs.RuleListView.as_view(), name="rule_list"),
    path("assessments/rules/new/", inputs.RuleFormView.as_view(), name="rule_create"),
    path("assessments/rules/<int:pk>/edit/", inputs.RuleFormView.as_view(), name="rule_edit"),
    path("entries/new/", views.EntryCreateView.as_view(), name="entry_create"),
    path("entries/lookup/", views.StaffLookupView.as_view(), name="staff_lookup"),
    path("entries/<int:pk>/", views.EntryDetailView.as_view(), name="entry_detail"),
    path(
        "entries/<int:pk>/appeal/",
        views.AppealCreateView.as_view(),
        name="appeal_create",
    ),
    path("evidence/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence"),
    path("my-assessment/", views.MyRecordView.as_view(), name="my_record"),
    path("appeals/", views.AppealListView.as_view(), name="appeal_list"),
    path(
        "appeals/<int:pk>/decide/",
        views.AppealDecideView.as_view(),
        name="appeal_decide",
    ),
    path("rankings/", views.RankingsView.as_view(), name="rankings"),
    path(
        "rectifications/",
        views.RectificationListView.as_view(),
        name="rectification_list",
    ),
    path(
        "rectifications/<int:pk>/",
        views.RectificationDetailView.as_view(),
        name="rectification_detail",
    ),
    path(
        "rectifications/<int:pk>/step/",
        views.RectificationStepView.as_view(),
        name="rectification_step",
    ),
    path(
        "rectifications/<int:pk>/extension/",
        views.ExtensionRequestView.as_view(),
        name="extension_request",
    ),
    path(
        "rectifications/extensions/<int:pk>/decide/",
        views.ExtensionDecideView.as_view(),
        name="extension_decide",
    ),
    path(
        "rectifications/<int:pk>/call-backs/",
        views.CallBackCreateView.as_view(),
        name="call_back_create",
    ),
    path("ratings/rates/", views.RatingRatesView.as_view(), name="rating_rates"),
    path("ratings/statistics/", views.RatingStatsView.as_view(), name="rating_stats"),
    path("ratings/import/", views.RatingImportView.as_view(), name="rating_import"),
    path(
        "ratings/import/template/",
        views.RatingTemplateView.as_view(),
        name="rating_import_template",
    ),
    path("awards/", views.AwardListView.as_view(), name="award_list"),
    # --- issue #18: overdue cases reported by the case system ---
    path(
        "assessments/overdue-cases/",
        case_views.case_deduction_list,
        name="case_deductions",
    ),
    path(
        "assessments/overdue-cases/propose/",
        case_views.case_deduction_propose,
        name="case_deduction_propose",
    ),
    path(
        "assessments/overdue-cases/confirm/",
        case_views.case_deduction_confirm,
        name="case_deduction_confirm",
    ),
    path(
        "assessments/overdue-cases/<int:pk>/dismiss/",
        case_views.case_deduction_dismiss,
        name="case_deduction_dismiss",
    ),
]
