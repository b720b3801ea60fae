from django.urls import path

from . import documents
from .views import days, leave, month

app_name = "attendance"

urlpatterns = [
    path("", days.day_view, name="day"),
    path("me/", days.my_attendance, name="me"),
    path("board/", days.on_duty, name="board"),
    path("staff/<int:pk>/", days.person_month, name="person_month"),
    path("leave/", leave.leave_list, name="leave_list"),
    path("leave/new/", leave.leave_create, name="leave_create"),
    path("leave/<int:pk>/", leave.leave_detail, name="leave_detail"),
    path("leave/<int:pk>/<str:action>/", leave.leave_action, name="leave_action"),
    path("out/", leave.step_outs, name="step_outs"),
    path("out/<int:pk>/back/", leave.step_out_back, name="step_out_back"),
    path("makeups/", month.makeups, name="makeups"),
    path("makeups/<int:pk>/decide/", month.makeup_decide, name="makeup_decide"),
    path("import/", month.PunchImportView.as_view(), name="import"),
    path("import/template/", month.import_template, name="import_template"),
    path("derive/", month.derive, name="derive"),
    path("month/", month.month_end, name="month"),
    path("month/<str:action>/", month.month_action, name="month_action"),
    path("sheet/", month.sheet, name="sheet"),
    path("sheet/xlsx/", month.sheet_xlsx, name="sheet_xlsx"),
    path("sheet/print/", documents.sheet_print, name="sheet_print"),
    path("sheet/pdf/", documents.sheet_pdf, name="sheet_pdf"),
]
