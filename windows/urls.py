from django.urls import path

from . import documents
from .views import returns, stand_ins, transfers, windows

app_name = "windows"

urlpatterns = [
    path("windows/", windows.WindowBoardView.as_view(), name="board"),
    path("windows/<int:pk>/", windows.WindowDetailView.as_view(), name="window_detail"),
    path("stationings/import/", windows.GoLiveImportView.as_view(), name="stationing_import"),
    path(
        "stationings/import/template/",
        windows.GoLiveTemplateView.as_view(),
        name="stationing_import_template",
    ),
    path("windows/stand-ins/", stand_ins.StandInBoardView.as_view(), name="stand_in_board"),
    path(
        "windows/<int:pk>/stand-ins/new/",
        stand_ins.StandInCreateView.as_view(),
        name="stand_in_create",
    ),
    path("stand-ins/<int:pk>/edit/", stand_ins.StandInUpdateView.as_view(), name="stand_in_update"),
    path("stand-ins/<int:pk>/end/", stand_ins.StandInEndView.as_view(), name="stand_in_end"),
    path(
        "stand-ins/<int:pk>/notice/", stand_ins.StandInNoticeView.as_view(), name="stand_in_notice"
    ),
    path(
        "stationings/<int:pk>/appoint/",
        windows.AppointmentCreateView.as_view(),
        name="appointment_create",
    ),
    path(
        "stationings/<int:pk>/return/",
        returns.StationingReturnView.as_view(),
        name="stationing_return",
    ),
    path("windows/without-chief/", returns.WindowsWithoutChiefView.as_view(), name="without_chief"),
    path(
        "windows/replacements/",
        returns.ReplacementDemandListView.as_view(),
        name="replacement_demands",
    ),
    path("transfers/", transfers.TransferListView.as_view(), name="transfer_list"),
    path("transfers/new/", transfers.TransferCreateView.as_view(), name="transfer_create"),
    path(
        "transfers/people/<slug:role>/",
        transfers.TransferPeopleView.as_view(),
        name="transfer_people",
    ),
    path("transfers/<int:pk>/", transfers.TransferDetailView.as_view(), name="transfer_detail"),
    path("transfers/<int:pk>/form/", documents.TransferFormView.as_view(), name="transfer_form"),
    path("transfers/<int:pk>/form.pdf", documents.TransferPdfView.as_view(), name="transfer_pdf"),
    path(
        "transfers/<int:pk>/edit/", transfers.TransferUpdateView.as_view(), name="transfer_update"
    ),
    path(
        "transfers/<int:pk>/vetting/", transfers.VettingCreateView.as_view(), name="vetting_create"
    ),
    path(
        "transfers/<int:pk>/attachments/",
        transfers.AttachmentUploadView.as_view(),
        name="attachment_upload",
    ),
    path(
        "attachments/<int:pk>/",
        transfers.AttachmentDownloadView.as_view(),
        name="attachment_download",
    ),
    path(
        "transfers/<int:pk>/<slug:action>/",
        transfers.TransferActionView.as_view(),
        name="transfer_action",
    ),
]
