"""The REST API router: every app's ViewSets under /api/v1/."""

from rest_framework.routers import DefaultRouter

from assessments.api.views import (
    AppealViewSet,
    AwardViewSet,
    EntryViewSet,
    PeriodViewSet,
    RatingViewSet,
    RectificationViewSet,
    RuleViewSet,
    ScoreViewSet,
    WindowInputViewSet,
)
from joint.api.views import FollowUpViewSet, TalkViewSet, VisitViewSet
from notifications.api.views import NotificationViewSet
from staff.api.certificates import CertificateViewSet
from staff.api.views import DepartmentViewSet, StaffViewSet
from windows.api.appointments import AppointmentViewSet
from windows.api.views import (
    StandInViewSet,
    StationingViewSet,
    TransferViewSet,
    VettingViewSet,
    WindowViewSet,
)

router = DefaultRouter()
router.register("departments", DepartmentViewSet, basename="department")
router.register("staff", StaffViewSet, basename="staff")
router.register("windows", WindowViewSet, basename="window")
router.register("stationings", StationingViewSet, basename="stationing")
router.register("transfers", TransferViewSet, basename="transfer")
router.register("vettings", VettingViewSet, basename="vetting")
router.register("stand-ins", StandInViewSet, basename="stand-in")
# chief representatives' letters and law-enforcement certificates (issue #16)
router.register("appointments", AppointmentViewSet, basename="appointment")
router.register("certificates", CertificateViewSet, basename="certificate")

# --- training (issue #5) ---
from training.api.views import (  # noqa: E402
    CourseViewSet,
    EnrollmentViewSet,
    PolicyUpdateViewSet,
    SessionViewSet,
    SkillViewSet,
    TrainingMenuViewSet,
)

router.register("skills", SkillViewSet, basename="skill")
router.register("courses", CourseViewSet, basename="course")
router.register("sessions", SessionViewSet, basename="session")
router.register("enrollments", EnrollmentViewSet, basename="enrollment")
router.register("policy-updates", PolicyUpdateViewSet, basename="policyupdate")
router.register(
    r"staff/(?P<staff_pk>[0-9]+)/training-menu", TrainingMenuViewSet, basename="training-menu"
)
# --- end training ---

router.register("visits", VisitViewSet, basename="visit")
router.register("talks", TalkViewSet, basename="talk")
router.register("follow-ups", FollowUpViewSet, basename="follow-up")

# --- assessments (issue #4) ---
router.register("assessment-rules", RuleViewSet, basename="assessment-rule")
router.register("periods", PeriodViewSet, basename="period")
router.register("entries", EntryViewSet, basename="entry")
router.register("scores", ScoreViewSet, basename="score")
router.register("appeals", AppealViewSet, basename="appeal")
router.register("ratings", RatingViewSet, basename="rating")
router.register("rectifications", RectificationViewSet, basename="rectification")
router.register("awards", AwardViewSet, basename="award")
router.register("window-inputs", WindowInputViewSet, basename="window-input")
router.register("notifications", NotificationViewSet, basename="notification")

# --- assessments, ratings feed (issue #18) ---
from assessments.api.feed import (  # noqa: E402
    CallBackViewSet,
    ExtensionViewSet,
    RatingFeedViewSet,
    RatingRatesViewSet,
)

router.register("feeds/ratings", RatingFeedViewSet, basename="rating-feed")
router.register("rectification-extensions", ExtensionViewSet, basename="rectification-extension")
router.register("rating-call-backs", CallBackViewSet, basename="rating-call-back")
router.register("rating-rates", RatingRatesViewSet, basename="rating-rates")
# --- end ratings feed ---

# --- promotions (issue #6): the workflow ---
from promotions.api.workflow import RecommendationViewSet, ReferenceRequestViewSet  # noqa: E402

router.register("recommendations", RecommendationViewSet, basename="recommendation")
router.register("reference-requests", ReferenceRequestViewSet, basename="reference-request")
# --- end promotions workflow ---

# --- promotions (issue #6): the evidence pack ---
from promotions.api.evidence import EvidenceViewSet  # noqa: E402

router.register(r"staff/(?P<staff_pk>[0-9]+)/evidence", EvidenceViewSet, basename="staff-evidence")
# --- end promotions evidence ---

# --- attendance (issue #17) ---
from attendance.api.views import AttendanceDayViewSet, PunchPushViewSet  # noqa: E402

router.register("punches", PunchPushViewSet, basename="punch")
router.register("attendance-days", AttendanceDayViewSet, basename="attendance-day")
# --- end attendance ---

# --- inspections (issue #17) ---
from inspections.api.views import FindingViewSet, RoundViewSet  # noqa: E402

router.register("inspection-rounds", RoundViewSet, basename="inspection-round")
router.register("inspection-findings", FindingViewSet, basename="inspection-finding")
# --- end inspections ---

# --- issue #18 (h18c): the case system's feed and the overdue-case deductions ---
from assessments.api.cases import CaseDeductionViewSet, CaseFeedViewSet  # noqa: E402

router.register("feeds/cases", CaseFeedViewSet, basename="case-feed")
router.register("case-deductions", CaseDeductionViewSet, basename="case-deduction")
# --- end issue #18 (h18c) ---

# --- workload (issue #18) ---
from workload.api.views import WorkloadPushViewSet  # noqa: E402

router.register("feeds/workload", WorkloadPushViewSet, basename="workload-feed")
# --- end workload ---
