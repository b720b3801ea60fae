from django.urls import path

from . import case_views, inputs
from .views import board, entries, ratings

app_name = "assessments"

urlpatterns = [
    path("assessments/", board.BoardView.as_view(), name="board"),
    path(
        "assessments/periods/<int:pk>/close/",
        board.PeriodActionView.as_view(action="close"),
        name="period_close",
    ),
    path(
        "assessments/periods/<int:pk>/recompute/",
        board.PeriodActionView.as_view(action="recompute"),
        name="period_recompute",
    ),
    path(
        "assessments/periods/<int:pk>/awards/", board.AwardSelectView.as_view(), name="award_select"
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
    path("entries/new/", entries.EntryCreateView.as_view(), name="entry_create"),
    path("entries/lookup/", entries.StaffLookupView.as_view(), name="staff_lookup"),
    path("entries/<int:pk>/", entries.EntryDetailView.as_view(), name="entry_detail"),
    path(
        "entries/<int:pk>/appeal/",
        entries.AppealCreateView.as_view(),
        name="appeal_create",
    ),
    path("evidence/<int:pk>/", entries.EvidenceDownloadView.as_view(), name="evidence"),
    path("my-assessment/", entries.MyRecordView.as_view(), name="my_record"),
    path("appeals/", entries.AppealListView.as_view(), name="appeal_list"),
    path(
        "appeals/<int:pk>/decide/",
        entries.AppealDecideView.as_view(),
        name="appeal_decide",
    ),
    path("rankings/", board.RankingsView.as_view(), name="rankings"),
    path(
        "rectifications/",
        ratings.RectificationListView.as_view(),
        name="rectification_list",
    ),
    path(
        "rectifications/<int:pk>/",
        ratings.RectificationDetailView.as_view(),
        name="rectification_detail",
    ),
    path(
        "rectifications/<int:pk>/step/",
        ratings.RectificationStepView.as_view(),
        name="rectification_step",
    ),
    path(
        "rectifications/<int:pk>/extension/",
        ratings.ExtensionRequestView.as_view(),
        name="extension_request",
    ),
    path(
        "rectifications/extensions/<int:pk>/decide/",
        ratings.ExtensionDecideView.as_view(),
        name="extension_decide",
    ),
    path(
        "rectifications/<int:pk>/call-backs/",
        ratings.CallBackCreateView.as_view(),
        name="call_back_create",
    ),
    path("ratings/rates/", ratings.RatingRatesView.as_view(), name="rating_rates"),
    path("ratings/statistics/", ratings.RatingStatsView.as_view(), name="rating_stats"),
    path("ratings/import/", ratings.RatingImportView.as_view(), name="rating_import"),
    path(
        "ratings/import/template/",
        ratings.RatingTemplateView.as_view(),
        name="rating_import_template",
    ),
    path("awards/", board.AwardListView.as_view(), name="award_list"),
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
