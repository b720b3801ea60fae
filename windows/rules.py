"""The domain rules of DESIGN.md §2 that concern windows, each reading its default from
``settings.CENTER`` so a center can change the number without touching code."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from staff.models import Certificate, EmploymentType, Staff, StaffStatus

from .models import add_months, months_between


def center(key: str) -> Any:
    return settings.CENTER[key]


def min_tenure_months() -> int:
    return int(center("MIN_TENURE_MONTHS"))


def is_early(start_date: date, end_date: date) -> bool:
    """A stationing ending on ``end_date`` is an early transfer when it lasted under the minimum."""
    return months_between(start_date, end_date) < min_tenure_months()


def tenure_reached_on(start_date: date) -> date:
    return add_months(start_date, min_tenure_months())


# --- chief representative eligibility ----------------------------------------------------------


def chief_ineligibility(
    staff: Staff, *, on: date, certificates: list[Certificate] | None = None
) -> list[str]:
    """Why ``staff`` may not be a chief representative on ``on`` (empty list: eligible).

    Each reason names the rule it breaks, in the user's language. ``certificates`` may be passed
    pre-fetched; otherwise they are read.
    """
    reasons: list[str] = []
    eligible = set(center("CHIEF_ELIGIBLE_EMPLOYMENT_TYPES"))
    kind = staff.employment_type
    if kind == EmploymentType.TEMPORARY:
        reasons.append(
            _(
                "Chief representative eligibility (employment type): %(name)s is a temporary "
                "hire; temporary hires may only do auxiliary work and cannot exercise licensing "
                "authority (Administrative Licensing Law arts. 22–26)."
            )
            % {"name": staff.name}
        )
    elif kind == EmploymentType.RETIRED_REHIRED:
        reasons.append(
            _(
                "Chief representative eligibility (employment type): %(name)s is retired and "
                "rehired; a chief representative must be permanent core staff of the department."
            )
            % {"name": staff.name}
        )
    elif kind not in eligible:
        reasons.append(
            _(
                "Chief representative eligibility (employment type): %(name)s is %(type)s; a chief "
                "representative must be a civil servant, civil-servant-managed, or on the "
                "permanent payroll of an authorized institution."
            )
            % {"name": staff.name, "type": staff.get_employment_type_display()}
        )
    if staff.status == StaffStatus.SECOND_LINE:
        reasons.append(
            _(
                "Chief representative eligibility (second line): %(name)s has moved to the second "
                "line and may not be a chief representative."
            )
            % {"name": staff.name}
        )
    if staff.status == StaffStatus.LEFT:
        reasons.append(
            _("Chief representative eligibility: %(name)s has left the service.")
            % {"name": staff.name}
        )
    if center("CHIEF_REQUIRES_CERTIFICATE"):
        if certificates is None:
            certificates = list(staff.certificates.all())
        if not any(c.is_valid_on(on) for c in certificates):
            reasons.append(
                _(
                    "Chief representative eligibility (law-enforcement certificate): %(name)s "
                    "holds no law-enforcement certificate valid on %(date)s."
                )
                % {"name": staff.name, "date": on.isoformat()}
            )
    return reasons


def ineligible_chief_q(on: date, prefix: str = "") -> Q:
    """A filter on Staff (or on a model reaching Staff by ``prefix``, e.g. ``"staff__"``)
    selecting people who may not be chief representatives: the same rule as
    :func:`chief_ineligibility`, as SQL. The certificate test is an uncorrelated ``IN`` subquery
    (hashed once by PostgreSQL), not an ``EXISTS`` per row."""
    eligible = list(center("CHIEF_ELIGIBLE_EMPLOYMENT_TYPES"))
    q = ~Q(**{f"{prefix}employment_type__in": eligible}) | Q(
        **{f"{prefix}status__in": [StaffStatus.SECOND_LINE, StaffStatus.LEFT]}
    )
    if center("CHIEF_REQUIRES_CERTIFICATE"):
        valid = Certificate.objects.filter(issued_on__lte=on, expires_on__gte=on)
        q |= ~Q(**{f"{prefix}id__in": valid.values("staff_id")})
    return q


# --- issue #16: posts, quota, justification ----------------------------------------------------


def post_refusal(staff: Staff, post: str) -> str:
    """Why ``staff`` may not hold ``post`` without the center's override (``""``: may).

    People whose employment type is not chief-eligible (temporary hires, contract staff, the
    retired and rehired) may hold only the limited posts (intake, consulting, auxiliary)."""
    if post in center("LIMITED_POSTS") or staff.employment_type in center(
        "CHIEF_ELIGIBLE_EMPLOYMENT_TYPES"
    ):
        return ""
    from .models import Post

    allowed = "、".join(str(Post(p).label) for p in center("LIMITED_POSTS"))
    return _(
        "%(name)s is %(type)s and may hold only these posts: %(allowed)s. The center may "
        "override this with a reason."
    ) % {"name": staff.name, "type": staff.get_employment_type_display(), "allowed": allowed}


def quota_refusal(window: Any, stationed: int) -> str:
    """Why one more person may not be stationed at ``window`` holding ``stationed`` people now
    (``""``: there is room)."""
    if stationed < window.headcount_quota:
        return ""
    return _(
        "Window %(window)s already has %(count)d people for a quota of %(quota)d. The center "
        "may override the quota with a reason."
    ) % {"window": window.code, "count": stationed, "quota": window.headcount_quota}


def _letters(text: str) -> str:
    import unicodedata

    return "".join(
        ch for ch in text if not (ch.isspace() or unicodedata.category(ch)[0] in ("P", "S"))
    )


PLACEHOLDERS = {"无", "暂无", "同上", "见附件", "略", "test", "none", "n/a", "na", "xxx", "tbd"}


def justification_problem(text: str) -> str:
    """Why ``text`` is not a justification of substance (``""``: it is). At least
    ``EARLY_JUSTIFICATION_MIN_CHARS`` letters or digits, not a placeholder, not a character or
    two repeated."""
    letters = _letters(text or "").lower()
    minimum = int(center("EARLY_JUSTIFICATION_MIN_CHARS"))
    if len(letters) < minimum:
        return _(
            "The justification must explain the reason in at least %(min)d characters (not "
            "counting spaces and punctuation)."
        ) % {"min": minimum}
    distinct = set(letters)
    if letters in PLACEHOLDERS or len(distinct) <= max(2, len(letters) // 10):
        return _(
            "The justification is repeated or placeholder characters; explain the actual reason."
        )
    return ""
