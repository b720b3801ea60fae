from django.urls import path

from . import documents, views

app_name = "windows"

urlpatterns = [
    path("windows/", views.WindowBoardView.as_view(), name="board"),
    path("windows/<int:pk>/", views.WindowDetailView.as_view(), name="window_detail"),
    path("stationings/import/", views.GoLiveImportView.as_view(), name="stationing_import"),
    path(
        "stationings/import/template/",
        views.GoLiveTemplateView.as_view(),
        name="stationing_import_template",
    ),
    path("windows/stand-ins/", views.StandInBoardView.as_view(), name="stand_in_board"),
    path(
        "windows/<int:pk>/stand-ins/new/",
        views.StandInCreateView.as_view(),
        name="stand_in_create",
    ),
    path("stand-ins/<int:pk>/edit/", views.StandInUpdateView.as_view(), name="stand_in_update"),
    path("stand-ins/<int:pk>/end/", views.StandInEndView.as_view(), name="stand_in_end"),
    path("stand-ins/<int:pk>/notice/", views.StandInNoticeView.as_view(), name="stand_in_notice"),
    path(
        "stationings/<int:pk>/appoint/",
        views.AppointmentCreateView.as_view(),
        name="appointment_create",
    ),
    path(
        "stationings/<int:pk>/return/",
        views.StationingReturnView.as_view(),
        name="stationing_return",
    ),
    path("windows/without-chief/", views.WindowsWithoutChiefView.as_view(), name="without_chief"),
    path(
        "windows/replacements/",
        views.ReplacementDemandListView.as_view(),
        name="replacement_demands",
    ),
    path("transfers/", views.TransferListView.as_view(), name="transfer_list"),
    path("transfers/new/", views.TransferCreateView.as_view(), name="transfer_create"),
    path(
        "transfers/people/<slug:role>/",
        views.TransferPeopleView.as_view(),
        name="transfer_people",
    ),
    path("transfers/<int:pk>/", views.TransferDetailView.as_view(), name="transfer_detail"),
    path("transfers/<int:pk>/form/", documents.TransferFormView.as_view(), name="transfer_form"),
    path("transfers/<int:pk>/form.pdf", documents.TransferPdfView.as_view(), name="transfer_pdf"),
    path("transfers/<int:pk>/edit/", views.TransferUpdateView.as_view(), name="transfer_update"),
    path("transfers/<int:pk>/vetting/", views.VettingCreateView.as_view(), name="vetting_create"),
    path(
        "transfers/<int:pk>/attachments/",
        views.AttachmentUploadView.as_view(),
        name="attachment_upload",
    ),
    path(
        "attachments/<int:pk>/", views.AttachmentDownloadView.as_view(), name="attachment_download"
    ),
    path(
        "transfers/<int:pk>/<slug:action>/",
        views.TransferActionView.as_view(),
        name="transfer_action",
    ),
]
