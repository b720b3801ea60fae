"""Settings shared by every environment. Everything that differs comes from the environment.

Long because: Django's settings are one namespace, and every environment variable and center
default is read here, in one place, in the order the deployment docs list them."""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "django_htmx",
    "auditlog",
    "axes",
    "csp",
    # ours, bottom-up: each may import only from those above it
    "core",
    "notifications",  # imports none of the apps below; they register sweeps into it
    "staff",
    "windows",
    "workload",  # issue #18: the workload feed (between windows and assessments)
    "assessments",
    "attendance",
    "inspections",
    "training",
    "promotions",
    "joint",
    "portal",
    "demo",  # the demo center (seed_demo); no app imports it
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.sessions.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "staff.middleware.MustChangePasswordMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
    # last, so it sees a view's exception first: a lost database answers 503, not 500
    "core.middleware.DatabaseUnavailableMiddleware",
]

# --- Behind a reverse proxy (deploy/nginx.conf) ---------------------------------------------------
# How many proxies in front of gunicorn append to X-Forwarded-For (1 behind deploy/nginx.conf).
# Then django-xff sets REMOTE_ADDR to the address the nearest trusted proxy saw, and the login
# lockouts (axes), the API throttles and the reset limits all read it. With 0 the header is
# ignored: a client cannot choose the address it is counted under by sending the header itself.
XFF_TRUSTED_PROXY_DEPTH = int(os.environ.get("TRUSTED_PROXY_DEPTH", "0"))
if XFF_TRUSTED_PROXY_DEPTH:
    MIDDLEWARE.insert(0, "xff.middleware.XForwardedForMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.navigation",
                "notifications.context_processors.unread",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "staff.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "staff.permissions.RolePermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    # random temporary passwords of bulk-created accounts only (staff/hashers.py)
    "staff.hashers.TemporaryPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Optional directory sign-in (OIDC): off unless OIDC_RP_CLIENT_ID is set (settings/directory.py).
from .directory import apply as _apply_directory  # noqa: E402

_apply_directory(globals(), os.environ)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Counter PCs are shared: sessions end at browser close and after 30 idle minutes.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", 30 * 60))
# The idle timeout slides: core.sessions rewrites the session when its last write is older than
# SESSION_REFRESH_SECONDS (not on every request, which cost three queries per page).
SESSION_REFRESH_SECONDS = int(os.environ.get("SESSION_REFRESH_SECONDS", "60"))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates on pages, mails and exports in the language's own format, defined once (config/formats):
# templates write |date:"SHORT_DATE_FORMAT" and the like, never a pattern; machine formats (ISO)
# only where a machine reads them (inputs, URLs, data attributes, CSV).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "window-staff",
    }
}
if os.environ.get("CACHE_URL", "").startswith("redis://"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["CACHE_URL"],
    }

# `seed_demo` creates accounts with the published demo password: production turns it off.
DEMO_SEED_ALLOWED = True

# --- REST API ---------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.authentication.SessionOrTokenChallenge",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.Pagination",
    # Service errors (ValidationError, PermissionDenied, core.exceptions.Conflict) → 400/403/409
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "PAGE_SIZE": 50,
    # throttles count REMOTE_ADDR (set from X-Forwarded-For only behind a trusted proxy, above)
    "NUM_PROXIES": 0,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # Counted in the default cache: Redis in production (CACHE_URL, required there), so every
    # process counts the same requests. A person at a window never comes near these.
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_THROTTLE_ANON", "60/minute"),
        "user": os.environ.get("API_THROTTLE_USER", "1200/minute"),
        # per system client (core.SystemClient: attendance terminals, hall systems)
        "system_client": os.environ.get("API_THROTTLE_SYSTEM_CLIENT", "600/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "窗口工作人员管理系统 API",
    "DESCRIPTION": "Window staff management for government service centers.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "StationingPostEnum": "windows.models.Post",
        "TransferKindEnum": "windows.models.TransferKind",
        "TransferStateEnum": "windows.models.TransferState",
        "GradeEnum": "assessments.models.Grade",
        "RatingLevelEnum": "assessments.models.RatingLevel",
        "PeriodKindEnum": "assessments.models.PeriodKind",
        "RuleKindEnum": "assessments.models.RuleKind",
        "AwardKindEnum": "assessments.models.AwardKind",
        "PeriodStatusEnum": "assessments.models.PeriodStatus",
        "EntryStatusEnum": "assessments.models.EntryStatus",
        "AppealStatusEnum": "assessments.models.AppealStatus",
        "RectificationStatusEnum": "assessments.models.RectificationStatus",
        "StaffStatusEnum": "staff.models.StaffStatus",
        "RuleCategoryEnum": "assessments.models.RuleCategory",
        "CourseCategoryEnum": "training.models.CourseCategory",
    },
}

# --- Celery -----------------------------------------------------------------------------------
# Embedded default: kombu's filesystem transport, so `make run` needs no broker server.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "filesystem://"
_broker_dir = VAR_DIR / "broker"
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        # Otherwise kombu writes its broadcast exchange to ./control in the working directory.
        "control_folder": str(_broker_dir / "control"),
    }
    for _folder in ("queue", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
else:
    # Fail fast when the broker is unreachable: a user's action must not hang on it (the
    # notification relay sends later whatever could not be queued).
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 5}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The dashboard's figures are a snapshot retaken this often (portal.services); the page says
# when it was taken.
DASHBOARD_SNAPSHOT_MINUTES = int(os.environ.get("DASHBOARD_SNAPSHOT_MINUTES", "5"))
# Times are Asia/Shanghai (CELERY_TIMEZONE). Documented in docs/notifications.md.
CELERY_BEAT_SCHEDULE: dict = {
    "portal-dashboard-snapshots": {
        "task": "portal.refresh_dashboard_snapshots",
        "schedule": crontab(minute=f"*/{DASHBOARD_SNAPSHOT_MINUTES}"),
    },
    "notifications-daily-sweeps": {
        "task": "notifications.run_sweeps",
        "schedule": crontab(hour=8, minute=0),
        "kwargs": {"schedule": "daily"},
    },
    "notifications-relay": {
        "task": "notifications.deliver_pending",
        "schedule": crontab(minute="*/5"),
    },
    "notifications-monthly-reports": {
        "task": "notifications.run_sweeps",
        # Daily: the report sweep itself sends from NOTIFICATIONS["MONTHLY_REPORT_DAY"] (the
        # 10th) to the month's end. The first run sends; later ones catch up a missed 10th or a
        # newly appointed liaison and otherwise insert nothing (the rows' unique key).
        "schedule": crontab(hour=8, minute=30),
        "kwargs": {"schedule": "monthly_report"},
    },
    # attendance (issue #17): each person's days from the punches, leave and stepping out
    "attendance-derive": {
        "task": "attendance.derive_recent_days",
        "schedule": crontab(minute="*/10"),
    },
    # Uploaded import files (full ID numbers) that nobody confirmed within the hour.
    "core-purge-import-previews": {
        "task": "core.purge_import_previews",
        "schedule": crontab(minute=15),
    },
    # Jobs whose message was lost (broker down) or whose run died are sent again (core.jobs).
    "core-requeue-jobs": {
        "task": "core.requeue_jobs",
        "schedule": crontab(minute="*/5"),
    },
    # windows: approved transfers take effect on their date (a missed day catches up).
    "windows-apply-due-transfers": {
        "task": "windows.tasks.apply_due_transfers",
        "schedule": crontab(hour=0, minute=20),
    },
    # assessments (issue #18): an open case crosses its promised deadline with no push from the
    # case system; its proposed deduction is written by this sweep.
    "assessments-overdue-cases": {
        "task": "assessments.overdue_cases_sweep",
        "schedule": crontab(hour=0, minute=30),
    },
    # joint: recompute every person's suggested talks (the services keep them exact between runs;
    # this catches up what no event announces). After the transfers above take effect.
    "joint-suggested-talks": {
        "task": "joint.tasks.suggestions_sweep",
        "schedule": crontab(hour=0, minute=40),
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- E-mail -----------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# A mail server that accepts the connection and never answers must not hold the relay for ever.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "window-staff@localhost")

# --- Audit trail ------------------------------------------------------------------------------
AUDITLOG_DISABLE_REMOTE_ADDR = False

# --- Login throttling: per username *and* address, so one office behind NAT is not locked out.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The password-reset form (staff.account_views.PasswordResetView), counted in the shared cache
# per client address and per e-mail address; over either, the same page and no mail.
PASSWORD_RESET_RATE_PER_ADDRESS = os.environ.get("PASSWORD_RESET_RATE_PER_ADDRESS", "10/hour")
PASSWORD_RESET_RATE_PER_EMAIL = os.environ.get("PASSWORD_RESET_RATE_PER_EMAIL", "3/hour")

# --- Content Security Policy: nothing inline may execute, nothing from elsewhere may load. ----
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Import-export ----------------------------------------------------------------------------
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# --- Domain defaults (DESIGN.md §2): settings, not constants ---------------------------------
CENTER = {
    "NAME": os.environ.get("CENTER_NAME", "攀枝花市政务服务中心"),
    "MIN_TENURE_MONTHS": 24,
    "CERTIFICATE_WARNING_DAYS": 60,
    "DASHBOARD_SNAPSHOT_MINUTES": DASHBOARD_SNAPSHOT_MINUTES,
    "ROSTER_IMPORT_MAX_ROWS": int(os.environ.get("ROSTER_IMPORT_MAX_ROWS", "20000")),
    # A paginated list counts its rows exactly up to this many (planner's estimate above it).
    "PAGINATOR_ESTIMATE_ABOVE": int(os.environ.get("PAGINATOR_ESTIMATE_ABOVE", "200000")),
    # A name search counts its matches up to this many and then says "more than": the count of
    # a common surname across a province stops early instead of scanning every name.
    "SEARCH_COUNT_CAP": int(os.environ.get("SEARCH_COUNT_CAP", "1000")),
    "ROSTER_IMPORT_MAX_BYTES": 5 * 1024 * 1024,
    # Up to this many people a roster export is built in the request; above, a background job.
    "ROSTER_EXPORT_INLINE_MAX": int(os.environ.get("ROSTER_EXPORT_INLINE_MAX", "1000")),
    # windows app (issue #3)
    "CHIEF_ELIGIBLE_EMPLOYMENT_TYPES": ["civil_servant", "civil_servant_managed", "institution"],
    "CHIEF_REQUIRES_CERTIFICATE": True,
    "REPLACEMENT_DEADLINE_WORKDAYS": 7,
    # An overdue replacement demand is told to the department's liaisons the day after its due
    # date and escalated to the center this many working days after it (windows.reminders).
    "REPLACEMENT_ESCALATION_WORKDAYS": 3,
    "TENURE_MILESTONE_LOOKAHEAD_DAYS": 90,
    "TRANSFER_ATTACHMENT_EXTENSIONS": [".pdf", ".ofd", ".jpg", ".jpeg", ".png", ".doc", ".docx"],
    "TRANSFER_ATTACHMENT_MAX_BYTES": 5 * 1024 * 1024,
    # issue #16: an early transfer's justification has at least this many characters (not
    # counting spaces and punctuation) and is not one character repeated or a placeholder.
    "EARLY_JUSTIFICATION_MIN_CHARS": 15,
    # People whose employment type is not chief-eligible may hold only these posts, unless the
    # center overrides with a reason (DESIGN.md §2).
    "LIMITED_POSTS": ["intake", "consulting", "auxiliary"],
    # Official documents (issue #20, core/documents.py): the center's code (机关代字) and the
    # number scheme of each document, filled from the document's own identity (so a document
    # printed again carries the same number); the frozen evidence pack keeps its running number
    # (PROMOTIONS["DOCUMENT_PREFIX"]).
    "DOCUMENTS": {
        "CODE": os.environ.get("CENTER_DOCUMENT_CODE", "攀政服"),
        "REPORT_NUMBER": "{code}月报〔{year}〕{month:02d}-{department}号",
        "TRANSFER_NUMBER": "{code}调〔{year}〕{id}号",
        "ATTENDANCE_NUMBER": "{code}勤〔{year}〕{month:02d}-{department}号",
    },
}

# --- Training (issue #5): two-way, menu-style training -------------------------------------
CENTER.update(
    {
        # Center-overridden days, ISO date -> True (working) / False (day off); see core/workdays.
        "WORKDAY_OVERRIDES": {},
        # The center's working hours on working days; a session overlapping them is "in hours".
        "WORKING_HOURS": [("09:00", "12:00"), ("13:30", "17:30")],
        "TRAINING_ANNUAL_HOURS": 90,
        "TRAINING_ONBOARDING_DAYS": 30,
        "TRAINING_POLICY_DEADLINE_DAYS": 30,
        # How far ahead the menu offers sessions, and how far back deductions/ratings count.
        "TRAINING_MENU_HORIZON_DAYS": 120,
        "TRAINING_GAP_LOOKBACK_DAYS": 180,
    }
)
# --- Attendance (issue #17): working time, punches, leave, stepping out, month end -----------
# Each schedule is the day's punches in order: "in" or "out", the clock time, and the grace
# minutes (an "in" up to that late, an "out" up to that early, still counts as on time). A
# working day uses DEFAULT_SCHEDULE; attendance.ScheduleException rows (edited by the center)
# give a date (for the whole center or one window) another schedule: extended hours, a weekend
# service day.
CENTER["ATTENDANCE"] = {
    "SCHEDULES": {
        "standard": [
            {"code": "am_in", "kind": "in", "at": "09:00", "grace": 5},
            {"code": "am_out", "kind": "out", "at": "12:00", "grace": 0},
            {"code": "pm_in", "kind": "in", "at": "13:30", "grace": 5},
            {"code": "pm_out", "kind": "out", "at": "17:30", "grace": 0},
        ],
        "extended": [
            {"code": "am_in", "kind": "in", "at": "09:00", "grace": 5},
            {"code": "am_out", "kind": "out", "at": "12:00", "grace": 0},
            {"code": "pm_in", "kind": "in", "at": "13:30", "grace": 5},
            {"code": "pm_out", "kind": "out", "at": "19:00", "grace": 0},
        ],
        "weekend": [
            {"code": "am_in", "kind": "in", "at": "09:00", "grace": 5},
            {"code": "pm_out", "kind": "out", "at": "17:00", "grace": 0},
        ],
    },
    "DEFAULT_SCHEDULE": "standard",
    "HALF_DAY_SPLIT": "12:30",  # checks before it are the morning's (half-day leave, absence)
    # a punch this long before the first / after the last punch of the day still counts
    "PUNCH_EARLY_MINUTES": 120,
    "PUNCH_LATE_MINUTES": 240,
    "PUSH_BATCH_MAX": 500,  # punches in one request of a terminal
    "IMPORT_MAX_ROWS": int(os.environ.get("ATTENDANCE_IMPORT_MAX_ROWS", "500000")),
    "IMPORT_MAX_BYTES": 60 * 1024 * 1024,
    # make-up punches: asked at most this many days after the day, at most this many a month
    "MAKEUP_CUTOFF_DAYS": 3,
    "MAKEUP_MAX_PER_MONTH": 3,
    # the month's attendance sheet goes to the home department from this day of the next month
    "SHEET_SEND_DAY": 5,
    # the day page derives a span in the request up to this many person-days, else in a worker
    "DERIVE_INLINE_MAX": 50_000,
    # leave approval: the first tier whose max_days covers the leave names its steps, in order;
    # the home department's liaison consents from CONSENT_DAYS on
    "LEAVE_TIERS": [
        {"max_days": 1, "steps": ["chief"]},
        {"max_days": None, "steps": ["chief", "center"]},
    ],
    "LEAVE_DEPARTMENT_CONSENT_DAYS": 2,
    "STEP_OUT_OVERDUE_MINUTES": 30,
    # month end: which assessment rule each kind of attendance deduction is recorded under
    "DEDUCTION_RULES": {
        "late": "A01",
        "left_early": "A02",
        "missing_punch": "A03",
        "absent": "A04",
        "step_out_overdue": "A05",
    },
    # award vetoes: this many occurrences in the award's period bar the award
    "AWARD_VETOES": {
        "service_star": {"late": 5, "left_early": 5, "missing_punch": 5, "absent": 1},
    },
}
# --- Workload feed (issue #18): the queue-and-call and case systems' counts -------------------
CENTER["WORKLOAD"] = {
    "PUSH_BATCH_MAX": 1000,  # records in one request of a system client
    # a record's date at most this many days back (the feed may not rewrite old months)
    "MAX_AGE_DAYS": int(os.environ.get("WORKLOAD_MAX_AGE_DAYS", "62")),
    "MAX_COUNT": 100000,  # largest count of one kind one person may report for one day
    "IMPORT_MAX_ROWS": int(os.environ.get("WORKLOAD_IMPORT_MAX_ROWS", "1000000")),
    "IMPORT_MAX_BYTES": 100 * 1024 * 1024,
    # points = count × the service item's difficulty weight × the kind's weight (after a change
    # here: manage.py workload_rebuild --reprice)
    "KIND_WEIGHTS": {"cases": 1, "tickets": 1, "enquiries": 1, "assisted": 1},
}
# --- Joint management (issue #8): suggested talks from assessment records --------------------
# A talk is suggested after this many deductions that count within 90 days.
CENTER["JOINT_TALK_AFTER_DEDUCTIONS"] = 3
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update(
    {
        "StaffStatusEnum": "staff.models.StaffStatus",
        "EnrollmentStatusEnum": "training.models.EnrollmentStatus",
        "NewEnrollmentStatusEnum": [("invited", "Invited"), ("enrolled", "Enrolled")],
        "FeedResultEnum": "core.feeds.RESULTS",  # every feed's per-row result (core.feeds)
    }
)
# Reminders and notifications (DESIGN.md §5; docs/notifications.md). Offsets are in days unless
# named in months.
NOTIFICATIONS = {
    "TENURE_MONTHS": CENTER["MIN_TENURE_MONTHS"],  # the tenure milestone
    "TENURE_NOTICE_DAYS": 30,  # remind this many days before it
    "CHIEF_LONG_TENURE_MONTHS": 60,  # chief representatives at 5 years
    "CERTIFICATE_NOTICE_DAYS": [60, 30, 7],  # before a law-enforcement certificate expires
    # A milestone reached while the worker was down is still sent within this many days; older
    # ones are not (so a first deployment does not flood everyone with years of history).
    "CATCH_UP_DAYS": int(os.environ.get("NOTIFICATIONS_CATCH_UP_DAYS", "14")),
    "SCORING_DUE_DAY": 5,  # monthly scoring of the previous month is due by this day
    "APPEAL_NOTICE_WORKING_DAYS": 1,  # remind the person this many working days before
    "RECTIFICATION_NOTICE_WORKING_DAYS": 3,  # remind the department before a case's deadline
    "TRAINING_UPCOMING_DAYS": 2,  # remind the enrolled this many days before a session
    "TRAINING_POLICY_NOTICE_DAYS": 7,  # policy-update training due within this many days
    "TRAINING_BEHIND_FROM_MONTH": 10,  # behind the pro-rata annual target: from this month
    "MONTHLY_REPORT_DAY": 10,  # the departments' monthly report of last month, from this day
    "BATCH_SIZE": 1000,  # subjects per sweep batch (one transaction each)
    "DELIVERY_BATCH_SIZE": 100,  # e-mails per relay transaction
    "MAX_EMAIL_ATTEMPTS": 5,
    "SITE_URL": os.environ.get("SITE_URL", "http://localhost:8000"),  # for links in e-mails
}

# --- Promotions (issue #6): eligibility flags, reference requests, rotations, evidence ---------
PROMOTIONS = {
    "DOCUMENT_PREFIX": "TJ",  # recommendation documents: TJ-2026-00017
    "RESERVE_EXCELLENT_YEARS": 3,  # consecutive excellent annual grades → reserve-cadre candidate
    "RETURNED_BAR_YEARS": 3,  # returned for poor performance → no recommendation for this long
    "MIN_TENURE_MONTHS": CENTER["MIN_TENURE_MONTHS"],  # at the windows before a recommendation
    "ROTATION_MIN_MONTHS": 12,  # a reserve cadre's rotation to a window, at least
    "REFERENCE_DUE_DAYS": 10,  # default answer time HR gives the center
    "REFERENCE_NOTICE_DAYS": 3,  # remind the center this many days before a request is due
    "EVIDENCE_YEARS": 5,  # default period of an evidence pack, in years back from today
    "BATCH_EXPORT_MAX": 2000,  # people in one batch export
}
# The workflow API's choice fields ("kind", "state" are names other apps use too).
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "RecommendationKindEnum": "promotions.models.RecommendationKind",
        "AddresseeEnum": "promotions.models.Addressee",
        "RecommendationStateEnum": "promotions.models.RecommendationState",
        "ReferenceStateEnum": "promotions.models.ReferenceState",
    }
)
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "RoundKindEnum": "inspections.models.RoundKind",
        "RoundStatusEnum": "inspections.models.RoundStatus",
        "FindingStatusEnum": "inspections.models.FindingStatus",
    }
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
