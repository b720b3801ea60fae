from django.urls import path

from .views import catalog, people, policies, reports, sessions

app_name = "training"

urlpatterns = [
    path("training/", catalog.CatalogView.as_view(), name="catalog"),
    path("training/courses/new/", catalog.CourseCreateView.as_view(), name="course_create"),
    path("training/calendar/", sessions.CalendarView.as_view(), name="calendar"),
    path("training/sessions/new/", sessions.SessionCreateView.as_view(), name="session_create"),
    path(
        "training/sessions/<int:pk>/", sessions.SessionDetailView.as_view(), name="session_detail"
    ),
    path(
        "training/sessions/<int:pk>/enroll/",
        sessions.SessionEnrollView.as_view(),
        name="session_enroll",
    ),
    path(
        "training/sessions/<int:pk>/attendance/",
        sessions.SessionAttendanceView.as_view(),
        name="session_attendance",
    ),
    path(
        "training/enrollments/<int:pk>/cancel/",
        sessions.EnrollmentCancelView.as_view(),
        name="enrollment_cancel",
    ),
    path(
        "training/enrollments/<int:pk>/feedback/",
        sessions.FeedbackView.as_view(),
        name="feedback",
    ),
    path("training/me/", people.MyTrainingView.as_view(), name="my"),
    path("training/staff/<int:pk>/", people.PersonTrainingView.as_view(), name="person"),
    path("training/staff/<int:pk>/menu/", people.PersonMenuView.as_view(), name="person_menu"),
    path("training/staff/<int:pk>/skills/", people.SkillSetView.as_view(), name="skill_set"),
    path("training/hours/", reports.HoursView.as_view(), name="hours"),
    path("training/reports/", reports.ReportsView.as_view(), name="reports"),
    path("training/policy-updates/", policies.PolicyUpdateListView.as_view(), name="policy_list"),
    path(
        "training/policy-updates/new/",
        policies.PolicyUpdateCreateView.as_view(),
        name="policy_create",
    ),
    path(
        "training/policy-updates/<int:pk>/close/",
        policies.PolicyUpdateCloseView.as_view(),
        name="policy_close",
    ),
]
