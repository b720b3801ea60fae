from django.urls import path

from . import views

app_name = "inspections"

urlpatterns = [
    path("", views.RoundListView.as_view(), name="round_list"),
    path("new/", views.RoundCreateView.as_view(), name="round_create"),
    path("<int:pk>/", views.RoundDetailView.as_view(), name="round_detail"),
    path("<int:pk>/close/", views.RoundCloseView.as_view(), name="round_close"),
    path("<int:pk>/findings/new/", views.FindingCreateView.as_view(), name="finding_create"),
    path("<int:pk>/people/", views.FindingPeopleView.as_view(), name="finding_people"),
    path("findings/<int:pk>/", views.FindingDetailView.as_view(), name="finding_detail"),
    path(
        "findings/<int:pk>/<slug:action>/",
        views.FindingActionView.as_view(),
        name="finding_action",
    ),
    path("photos/<int:pk>/", views.PhotoView.as_view(), name="photo"),
    path("checklists/", views.ChecklistListView.as_view(), name="checklist_list"),
    path("checklists/new/", views.ChecklistEditView.as_view(), name="checklist_create"),
    path("checklists/<int:pk>/edit/", views.ChecklistEditView.as_view(), name="checklist_update"),
]
