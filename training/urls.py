from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("training/", views.CatalogView.as_view(), name="catalog"),
    path("training/courses/new/", views.CourseCreateView.as_view(), name="course_create"),
    path("training/calendar/", views.CalendarView.as_view(), name="calendar"),
    path("training/sessions/new/", views.SessionCreateView.as_view(), name="session_create"),
    path("training/sessions/<int:pk>/", views.SessionDetailView.as_view(), name="session_detail"),
    path(
        "training/sessions/<int:pk>/enroll/",
        views.SessionEnrollView.as_view(),
        name="session_enroll",
    ),
    path(
        "training/sessions/<int:pk>/attendance/",
        views.SessionAttendanceView.as_view(),
        name="session_attendance",
    ),
    path(
        "training/enrollments/<int:pk>/cancel/",
        views.EnrollmentCancelView.as_view(),
        name="enrollment_cancel",
    ),
    path(
        "training/enrollments/<int:pk>/feedback/",
        views.FeedbackView.as_view(),
        name="feedback",
    ),
    path("training/me/", views.MyTrainingView.as_view(), name="my"),
    path("training/staff/<int:pk>/", views.PersonTrainingView.as_view(), name="person"),
    path("training/staff/<int:pk>/menu/", views.PersonMenuView.as_view(), name="person_menu"),
    path("training/staff/<int:pk>/skills/", views.SkillSetView.as_view(), name="skill_set"),
    path("training/hours/", views.HoursView.as_view(), name="hours"),
    path("training/reports/", views.ReportsView.as_view(), name="reports"),
    path("training/policy-updates/", views.PolicyUpdateListView.as_view(), name="policy_list"),
    path(
        "training/policy-updates/new/",
        views.PolicyUpdateCreateView.as_view(),
        name="policy_create",
    ),
    path(
        "training/policy-updates/<int:pk>/close/",
        views.PolicyUpdateCloseView.as_view(),
        name="policy_close",
    ),
]
