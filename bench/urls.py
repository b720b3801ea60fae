"""The benchmark's URLconf: the project's URLs plus the bare views under /bench/bare/ (never
mounted by the project itself)."""

from django.urls import path

from config.urls import urlpatterns as project_urlpatterns

from . import bare

bare_patterns = [
    path("bench/bare/dashboard/", bare.dashboard, name="bare-dashboard"),
    path("bench/bare/staff/", bare.staff_list, name="bare-staff"),
    path("bench/bare/staff/<int:pk>/", bare.staff_detail, name="bare-staff-detail"),
    path("bench/bare/departments/", bare.department_list, name="bare-departments"),
    path("bench/bare/windows/", bare.window_list, name="bare-windows"),
    path("bench/bare/transfers/", bare.transfer_list, name="bare-transfers"),
    path("bench/bare/liaison/", bare.liaison_home, name="bare-liaison"),
    path("bench/bare/scores/board/", bare.score_board, name="bare-score-board"),
    path("bench/bare/scores/", bare.score_list, name="bare-scores"),
    path("bench/bare/entries/", bare.entry_list, name="bare-entries"),
    path("bench/bare/appeals/", bare.appeal_list, name="bare-appeals"),
    path("bench/bare/rectifications/", bare.rectification_list, name="bare-rectifications"),
    path("bench/bare/courses/", bare.course_list, name="bare-courses"),
    path("bench/bare/training/me/", bare.training_menu, name="bare-training-me"),
    path("bench/bare/training/<int:pk>/", bare.training_menu, name="bare-training"),
    path("bench/bare/evidence/<int:pk>/", bare.evidence_pack, name="bare-evidence"),
    path("bench/bare/joint/", bare.joint_department, name="bare-joint"),
    path("bench/bare/talks/", bare.talk_list, name="bare-talks"),
    path("bench/bare/notifications/", bare.notification_list, name="bare-notifications"),
]

urlpatterns = bare_patterns + list(project_urlpatterns)
