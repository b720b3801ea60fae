"""Recommendations, performance-reference requests, reserve cadres, the HR home."""

from django.urls import path

from . import workflow_views as views

urlpatterns = [
    path("hr/", views.HRHomeView.as_view(), name="hr_home"),
    path("recommendations/", views.RecommendationListView.as_view(), name="recommendation_list"),
    path(
        "recommendations/new/",
        views.RecommendationCreateView.as_view(),
        name="recommendation_create",
    ),
    path(
        "recommendations/<int:pk>/",
        views.RecommendationDetailView.as_view(),
        name="recommendation_detail",
    ),
    path(
        "recommendations/<int:pk>/edit/",
        views.RecommendationEditView.as_view(),
        name="recommendation_edit",
    ),
    path(
        "recommendations/<int:pk>/submit/",
        views.RecommendationSubmitView.as_view(),
        name="recommendation_submit",
    ),
    path(
        "recommendations/<int:pk>/decide/",
        views.RecommendationDecideView.as_view(),
        name="recommendation_decide",
    ),
    path("references/", views.ReferenceListView.as_view(), name="reference_list"),
    path("references/new/", views.ReferenceCreateView.as_view(), name="reference_create"),
    path("references/<int:pk>/", views.ReferenceDetailView.as_view(), name="reference_detail"),
    path(
        "references/<int:pk>/answer/", views.ReferenceAnswerView.as_view(), name="reference_answer"
    ),
    path(
        "references/<int:pk>/withdraw/",
        views.ReferenceWithdrawView.as_view(),
        name="reference_withdraw",
    ),
    path("reserve/", views.ReserveBoardView.as_view(), name="reserve_board"),
    path("reserve/<int:staff_pk>/mark/", views.ReserveMarkView.as_view(), name="reserve_mark"),
    path(
        "reserve/<int:staff_pk>/plan/",
        views.RotationPlanCreateView.as_view(),
        name="rotation_plan_create",
    ),
    path(
        "reserve/plans/<int:pk>/cancel/",
        views.RotationPlanCancelView.as_view(),
        name="rotation_plan_cancel",
    ),
]
