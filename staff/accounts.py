"""Logins for the people of the roster: created in bulk, disabled and re-enabled in bulk, a
temporary password set by the center. Every write here is audited (django-auditlog's entries,
attributed to the actor with a reason) and refused without ``Perm.ACCOUNT_MANAGE``.

**Username rule**: a person's username is their staff number in lower case (``A0001`` → ``a0001``),
as in the demo. A person whose username is already taken by another login is skipped and reported,
never given a different name silently.

**First login**: every account made or reset here has ``must_change_password``; the middleware
(``staff.middleware``) lets its holder reach only the password change page (and log out) until
they have chosen their own password.

**Credentials die with the password**: ``User.save()`` calls :func:`tokens_revoke` whenever a new
password is set, whatever the path; other sessions end because their session hash no longer
matches (Django's own check), while the password change page keeps the current session
(``update_session_auth_hash``).
"""

from __future__ import annotations

import copy
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import get_hashers_by_algorithm, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from core.audit import AuditedBatch, audited

from .models import Role, Staff, StaffStatus, User
from .permissions import Perm, has_perm

# No 0/O, 1/l/I: the password is read off a sheet of paper and typed at a counter PC.
PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"  # noqa: S105
PASSWORD_LENGTH = 12
TEMPORARY_HASHER = "pbkdf2_sha256_temporary"  # staff.hashers.TemporaryPasswordHasher


@dataclass
class IssuedAccount:
    """A login made (or reset) for a person; ``password`` is the only copy of it, or empty when
    the center typed one initial password for everyone."""

    staff_number: str
    name: str
    department: str
    username: str
    password: str = ""


@dataclass
class AccountsResult:
    created: list[IssuedAccount] = field(default_factory=list)
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # (staff no., name, why)


def username_for(staff: Staff) -> str:
    return (staff.staff_number or "").strip().lower()


def temporary_password() -> str:
    """A random password that passes the configured validators: letters of both cases and a
    digit, never only digits."""
    while True:
        password = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))
        if (
            any(c.islower() for c in password)
            and any(c.isupper() for c in password)
            and any(c.isdigit() for c in password)
        ):
            return password


def _hash_temporary(password: str) -> str:
    hasher = TEMPORARY_HASHER if TEMPORARY_HASHER in get_hashers_by_algorithm() else "default"
    return make_password(password, hasher=hasher)


def _require(actor: Any) -> None:
    if not has_perm(actor, Perm.ACCOUNT_MANAGE):
        raise PermissionDenied(_("You are not allowed to manage accounts."))


def tokens_revoke(*, user: User) -> int:
    """Delete every API token of ``user`` (called by ``User.save()`` on a new password)."""
    from rest_framework.authtoken.models import Token

    deleted, _by_model = Token.objects.filter(user=user).delete()
    return deleted


def people_without_account(people: QuerySet[Staff]) -> QuerySet[Staff]:
    """Of ``people``, those an account can be made for: no login yet, not left the service."""
    return people.filter(user__isnull=True).exclude(status=StaffStatus.LEFT)


@transaction.atomic
def accounts_create(
    *,
    actor: Any,
    people: QuerySet[Staff],
    initial_password: str = "",
    reason: str = "",
) -> AccountsResult:
    """Make a login (role: window staff) for each of ``people`` who has none and has not left.

    Each gets a random password of their own (returned, never stored in clear), or
    ``initial_password`` when given (checked by the password validators; ValidationError
    otherwise). Every account must change its password at first login. People whose username is
    taken are skipped and listed. The people are locked while their accounts are made, so two
    creations at once cannot make two logins for one person."""
    _require(actor)
    if initial_password:
        validate_password(initial_password)
    reason = reason or _("Accounts created in bulk")
    candidates = list(
        people_without_account(people)
        .select_for_update(of=("self",))
        .select_related("department")
        .order_by("staff_number", "id")
    )
    wanted = {username_for(p) for p in candidates}
    taken = set(
        User.objects.annotate(lower=Lower("username"))
        .filter(lower__in=wanted)
        .values_list("lower", flat=True)
    )
    shared_hash = make_password(initial_password) if initial_password else ""
    result = AccountsResult()
    batch = AuditedBatch(actor=actor, reason=reason)
    pairs: list[tuple[Staff, User]] = []
    seen: set[str] = set()
    for person in candidates:
        username = username_for(person)
        if not username or username in taken or username in seen:
            result.skipped.append(
                (
                    person.staff_number,
                    person.name,
                    _("The username %(username)s is already taken.") % {"username": username},
                )
            )
            continue
        seen.add(username)
        password = "" if initial_password else temporary_password()
        user = User(
            username=username,
            first_name=person.name,
            role=Role.STAFF,
            must_change_password=True,
            password=shared_hash or _hash_temporary(password),
        )
        batch.save(user, created=True)
        pairs.append((person, user))
        result.created.append(
            IssuedAccount(
                staff_number=person.staff_number,
                name=person.name,
                department=person.department.name,
                username=username,
                password=password,
            )
        )
    batch.flush()  # the users get their keys here
    for person, user in pairs:
        original = copy.copy(person)
        person.user = user
        batch.save(person, created=False, original=original)
    batch.flush()
    return result


@transaction.atomic
def accounts_set_active(*, actor: Any, users: QuerySet[User], active: bool, reason: str) -> int:
    """Disable (``active=False``) or re-enable the given logins, e.g. when stationings end.
    A disabled login can neither sign in nor use its API tokens, and its sessions end at their
    next request. Never touches the actor's own login or a superuser's. A reason is required.
    Returns how many logins changed."""
    _require(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    locked = list(
        User.objects.filter(pk__in=users.values("pk"))  # no join to lock through
        .select_for_update()
        .exclude(pk=getattr(actor, "pk", None))
        .exclude(is_superuser=True)
        .exclude(is_active=active)
        .order_by("id")
    )
    batch = AuditedBatch(actor=actor, reason=reason)
    for user in locked:
        original = copy.copy(user)
        user.is_active = active
        batch.save(user, created=False, original=original)
    batch.flush()
    return len(locked)


@transaction.atomic
def account_password_reset(*, actor: Any, user: User, reason: str = "") -> str:
    """Give ``user`` a new random temporary password (returned: the only copy) that must be
    changed at the next login. Their API tokens are deleted and their sessions end. The center
    cannot reset its own password here (the change page is for that), nor, unless the actor is
    a superuser, a superuser's."""
    _require(actor)
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.pk == getattr(actor, "pk", None):
        raise ValidationError(_("Change your own password on the password change page."))
    if locked.is_superuser and not getattr(actor, "is_superuser", False):
        raise PermissionDenied(_("Only a superuser may reset a superuser's password."))
    password = temporary_password()
    locked.set_password(password)
    locked.must_change_password = True
    with audited(actor=actor, reason=reason or _("Password reset by the center")):
        locked.save()
    return password


def password_set_by_holder(*, user: User, password: str, reason: str) -> None:
    """The holder chose their own password (the change page, or a reset link by e-mail): it is
    set, the first-login obligation lifted, and the change audited (the hash masked)."""
    user.set_password(password)
    user.must_change_password = False
    with audited(actor=user, reason=reason):
        user.save()


def accounts_sheet(accounts: list[IssuedAccount]) -> bytes:
    """The accounts just made, with their passwords, as a formula-safe xlsx: handed out once."""
    from core import spreadsheets

    headers = ["工号", "姓名", "派驻单位", "用户名", "初始密码"]
    rows = [[a.staff_number, a.name, a.department, a.username, a.password] for a in accounts]
    return spreadsheets.xlsx_bytes([("账号", headers, rows)])


def with_account_state(people: QuerySet[Staff]) -> QuerySet[Staff]:
    """``people`` with their login and whether they are stationed now (for the accounts page)."""
    return people.select_related("user", "department").annotate(
        stationed=Exists(_open_stationing())
    )


def _open_stationing() -> QuerySet[Staff]:
    """The outer person, if stationed now (``stationings`` is the windows app's relation, read
    by name: staff imports nothing from above). Both conditions in one ``filter`` share one
    inner join (``end_date__isnull`` alone would also match a person with no stationing)."""
    return Staff.objects.filter(
        pk=OuterRef("pk"), stationings__isnull=False, stationings__end_date__isnull=True
    )


def people_for_accounts(
    *,
    department: Any = None,
    window_code: str = "",
    status: str = "",
    account: str = "",
    stationed: str = "",
    q: str = "",
) -> QuerySet[Staff]:
    """The people the accounts page acts on: every person (the center's page), narrowed by home
    department, the window they are stationed at now (its code), duty status, account state
    (``none``, ``active``, ``disabled``), whether they are stationed now (``yes``/``no``: a
    disabled-when-the-stationing-ended sweep is ``stationed=no, account=active``), or a staff
    number / name."""
    people = Staff.objects.all()
    if department is not None:
        people = people.filter(department=department)
    if window_code:
        people = people.filter(
            stationings__window__code__iexact=window_code.strip(),
            stationings__end_date__isnull=True,  # at most one open stationing a person
        )
    if status:
        people = people.filter(status=status)
    if account == "none":
        people = people.filter(user__isnull=True)
    elif account == "active":
        people = people.filter(user__isnull=False, user__is_active=True)
    elif account == "disabled":
        people = people.filter(user__isnull=False, user__is_active=False)
    if stationed in ("yes", "no"):
        open_stationing = _open_stationing()
        people = people.filter(
            Exists(open_stationing) if stationed == "yes" else ~Exists(open_stationing)
        )
    if q:
        q = q.strip()
        people = people.filter(staff_number__iexact=q) | people.filter(name__contains=q)
    return people


def language_choose(*, user: User, language: str) -> bool:
    """The signed-in person's own choice of language from the top bar: besides the page (Django's
    cookie), their notices and e-mails are rendered in it (``User.language``). An unknown code
    changes nothing. Returns whether it changed."""
    if language not in dict(User._meta.get_field("language").choices) or user.language == language:
        return False
    user.language = language
    with audited(actor=user, reason=_("Language chosen in the top bar")):
        user.save(update_fields=["language"])
    return True
