"""Recommendations, performance-reference requests, reserve cadres, the HR home."""

from django.urls import path

from . import reference_views, reserve_views
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
    path("references/", reference_views.ReferenceListView.as_view(), name="reference_list"),
    path("references/new/", reference_views.ReferenceCreateView.as_view(), name="reference_create"),
    path(
        "references/<int:pk>/",
        reference_views.ReferenceDetailView.as_view(),
        name="reference_detail",
    ),
    path(
        "references/<int:pk>/answer/",
        reference_views.ReferenceAnswerView.as_view(),
        name="reference_answer",
    ),
    path(
        "references/<int:pk>/withdraw/",
        reference_views.ReferenceWithdrawView.as_view(),
        name="reference_withdraw",
    ),
    path("reserve/", reserve_views.ReserveBoardView.as_view(), name="reserve_board"),
    path(
        "reserve/<int:staff_pk>/mark/", reserve_views.ReserveMarkView.as_view(), name="reserve_mark"
    ),
    path(
        "reserve/<int:staff_pk>/plan/",
        reserve_views.RotationPlanCreateView.as_view(),
        name="rotation_plan_create",
    ),
    path(
        "reserve/plans/<int:pk>/cancel/",
        reserve_views.RotationPlanCancelView.as_view(),
        name="rotation_plan_cancel",
    ),
]
