from django.urls import path

from . import group_last_views, views

app_name = "joint"

urlpatterns = [
    path("", views.DepartmentView.as_view(), name="department"),
    path("center/", views.CenterView.as_view(), name="center"),
    path("center/last-in-group/", group_last_views.group_last_list, name="group_last"),  # #18
    path("visits/", views.VisitListView.as_view(), name="visit_list"),
    path("visits/new/", views.VisitCreateView.as_view(), name="visit_create"),
    path("visits/<int:pk>/", views.VisitDetailView.as_view(), name="visit_detail"),
    path("talks/", views.TalkListView.as_view(), name="talk_list"),
    path("talks/new/", views.TalkCreateView.as_view(), name="talk_create"),
    path("talks/<int:pk>/", views.TalkDetailView.as_view(), name="talk_detail"),
    path(
        "talks/<int:pk>/follow-ups/new/",
        views.FollowUpCreateView.as_view(),
        name="follow_up_create",
    ),
    path("follow-ups/", views.FollowUpListView.as_view(), name="follow_up_list"),
    path(
        "follow-ups/<int:pk>/transition/",
        views.FollowUpTransitionView.as_view(),
        name="follow_up_transition",
    ),
    path("request-talk/", views.TalkRequestView.as_view(), name="talk_request"),
    path("report/", views.ReportView.as_view(), name="report"),
    path("report/xlsx/", views.ReportDownloadView.as_view(), name="report_download"),
    path("report/print/", views.ReportPrintView.as_view(), name="report_print"),
    path("report/pdf/", views.ReportPdfView.as_view(), name="report_pdf"),
]
