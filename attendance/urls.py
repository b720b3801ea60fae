from django.urls import path

from . import documents, views

app_name = "attendance"

urlpatterns = [
    path("", views.day_view, name="day"),
    path("me/", views.my_attendance, name="me"),
    path("board/", views.on_duty, name="board"),
    path("staff/<int:pk>/", views.person_month, name="person_month"),
    path("leave/", views.leave_list, name="leave_list"),
    path("leave/new/", views.leave_create, name="leave_create"),
    path("leave/<int:pk>/", views.leave_detail, name="leave_detail"),
    path("leave/<int:pk>/<str:action>/", views.leave_action, name="leave_action"),
    path("out/", views.step_outs, name="step_outs"),
    path("out/<int:pk>/back/", views.step_out_back, name="step_out_back"),
    path("makeups/", views.makeups, name="makeups"),
    path("makeups/<int:pk>/decide/", views.makeup_decide, name="makeup_decide"),
    path("import/", views.PunchImportView.as_view(), name="import"),
    path("import/template/", views.import_template, name="import_template"),
    path("derive/", views.derive, name="derive"),
    path("month/", views.month_end, name="month"),
    path("month/<str:action>/", views.month_action, name="month_action"),
    path("sheet/", views.sheet, name="sheet"),
    path("sheet/xlsx/", views.sheet_xlsx, name="sheet_xlsx"),
    path("sheet/print/", documents.sheet_print, name="sheet_print"),
    path("sheet/pdf/", documents.sheet_pdf, name="sheet_pdf"),
]
