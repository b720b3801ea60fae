from django.urls import path

from . import views

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
    path("assessments/entries/new/", views.EntryCreateView.as_view(), name="entry_create"),
    path("assessments/entries/lookup/", views.StaffLookupView.as_view(), name="staff_lookup"),
    path("assessments/entries/<int:pk>/", views.EntryDetailView.as_view(), name="entry_detail"),
    path(
        "assessments/entries/<int:pk>/appeal/",
        views.AppealCreateView.as_view(),
        name="appeal_create",
    ),
    path("assessments/evidence/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence"),
    path("assessments/me/", views.MyRecordView.as_view(), name="my_record"),
    path("assessments/appeals/", views.AppealListView.as_view(), name="appeal_list"),
    path(
        "assessments/appeals/<int:pk>/decide/",
        views.AppealDecideView.as_view(),
        name="appeal_decide",
    ),
    path("assessments/rankings/", views.RankingsView.as_view(), name="rankings"),
    path(
        "assessments/rectifications/",
        views.RectificationListView.as_view(),
        name="rectification_list",
    ),
    path(
        "assessments/rectifications/<int:pk>/",
        views.RectificationDetailView.as_view(),
        name="rectification_detail",
    ),
    path(
        "assessments/rectifications/<int:pk>/step/",
        views.RectificationStepView.as_view(),
        name="rectification_step",
    ),
    path("assessments/ratings/statistics/", views.RatingStatsView.as_view(), name="rating_stats"),
    path("assessments/ratings/import/", views.RatingImportView.as_view(), name="rating_import"),
    path(
        "assessments/ratings/import/template/",
        views.RatingTemplateView.as_view(),
        name="rating_import_template",
    ),
    path("assessments/awards/", views.AwardListView.as_view(), name="award_list"),
]
