from django.urls import path

from . import views

app_name = "workload"

urlpatterns = [
    path("", views.month_view, name="month"),
    path("import/", views.WorkloadImportView.as_view(), name="import"),
    path("import/template/", views.import_template, name="import_template"),
    path("weights/", views.weight_list, name="weights"),
    path("weights/<int:pk>/", views.weight_edit, name="weight_edit"),
]
