"""Departments, the people seconded from them, their accounts and their certificates."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import ChoiceLabels
from core.models import ExportJob, JobState

from . import idcard
from .querysets import CertificateQuerySet, DepartmentQuerySet, StaffQuerySet
from .validators import mobile_validator


class Role(models.TextChoices):
    CENTER_ADMIN = "center_admin", _("Center administrator")
    LIAISON = "liaison", _("Department liaison")
    HR = "hr", _("HR / organization department")
    STAFF = "staff", _("Window staff")


class User(AbstractUser):
    """A login. Its role decides what it may do; a liaison's departments decide what it may see."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STAFF)
    departments = models.ManyToManyField(
        "staff.Department",
        verbose_name=_("departments (liaison)"),
        related_name="liaisons",
        blank=True,
    )
    # Notifications and e-mails are rendered in this language, whoever triggers them.
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=[("zh-hans", "简体中文"), ("en", "English")],
        default="zh-hans",
    )
    # Set on an account the center made or reset (staff.accounts): until its holder chooses a
    # password of their own, staff.middleware lets them reach only the password change page.
    must_change_password = models.BooleanField(_("must change password"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def effective_role(self) -> str:
        return Role.CENTER_ADMIN if self.is_superuser else self.role

    def save(self, *args, **kwargs):
        # A new password revokes the credentials issued under the old one, whichever path set it
        # (own change, reset by e-mail, the center's reset, Django admin, changepassword): the
        # API tokens are deleted here; other sessions end by themselves, their session hash no
        # longer matching. ``_password`` is what AbstractBaseUser.save() itself reads to tell a
        # new password from a hash upgrade at login (which changes no secret and keeps tokens).
        password_changed = self._password is not None and self.pk is not None
        upgrade = self._password is None and list(kwargs.get("update_fields") or ()) == ["password"]
        if upgrade:  # the login's rehash of the same secret: not a change worth an audit entry
            from auditlog.context import disable_auditlog

            with disable_auditlog():
                super().save(*args, **kwargs)
        else:
            super().save(*args, **kwargs)
        if password_changed:
            from .accounts import tokens_revoke

            tokens_revoke(user=self)


class Department(models.Model):
    """A home department (派驻单位) that seconds staff to the center."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    active = models.BooleanField(_("active"), default=True)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["code", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class PoliticalStatus(models.TextChoices):
    PARTY_MEMBER = "party_member", _("CPC member")
    PROBATIONARY = "probationary", _("Probationary CPC member")
    LEAGUE_MEMBER = "league_member", _("Communist Youth League member")
    DEMOCRATIC_PARTY = "democratic_party", _("Democratic party member")
    MASSES = "masses", _("Masses")


#: Party members as the dashboard counts them (and the staff list filters them).
PARTY_STATUSES = (PoliticalStatus.PARTY_MEMBER, PoliticalStatus.PROBATIONARY)


class EmploymentType(models.TextChoices):
    CIVIL_SERVANT = "civil_servant", _("Civil servant")
    CIVIL_SERVANT_MANAGED = "civil_servant_managed", _("Civil-servant-managed")
    INSTITUTION = "institution", _("Institution staff")
    CONTRACT = "contract", _("Contract staff")
    TEMPORARY = "temporary", _("Temporary hire")
    RETIRED_REHIRED = "retired_rehired", _("Retired and rehired")


class Education(models.TextChoices):
    DOCTORATE = "doctorate", _("Doctorate")
    MASTER = "master", _("Master's degree")
    BACHELOR = "bachelor", _("Bachelor's degree")
    COLLEGE = "college", _("College diploma")
    SECONDARY = "secondary", _("Secondary school")


class CenterRole(models.TextChoices):
    MANAGEMENT = "management", _("Center management")
    SUPERVISION = "supervision", _("Supervision and public resources")
    WINDOW = "window", _("Window staff")


class StaffStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SECOND_LINE = "second_line", _("Second-line")
    LEFT = "left", _("Left")


#: At the center, as the dashboard's headcounts count people (second-line staff included).
PRESENT_STATUSES = (StaffStatus.ACTIVE, StaffStatus.SECOND_LINE)


class Staff(ChoiceLabels, models.Model):
    """A person working at the center. The staff number is the natural key for imports."""

    staff_number = models.CharField(_("staff number"), max_length=20, unique=True)
    name = models.CharField(_("full name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    id_number = models.CharField(
        _("ID number"), max_length=18, unique=True, validators=[idcard.validate_id_number]
    )
    mobile = models.CharField(
        _("mobile phone"), max_length=11, blank=True, validators=[mobile_validator]
    )
    political_status = models.CharField(
        _("political status"),
        max_length=20,
        choices=PoliticalStatus.choices,
        default=PoliticalStatus.MASSES,
    )
    employment_type = models.CharField(
        _("employment type"), max_length=30, choices=EmploymentType.choices
    )
    rank = models.CharField(_("civil service rank"), max_length=50, blank=True)
    education = models.CharField(
        _("education"), max_length=20, choices=Education.choices, blank=True
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="staff",
        verbose_name=_("home department"),
    )
    center_role = models.CharField(
        _("center role"), max_length=20, choices=CenterRole.choices, default=CenterRole.WINDOW
    )
    status = models.CharField(
        _("duty status"), max_length=20, choices=StaffStatus.choices, default=StaffStatus.ACTIVE
    )
    is_reserve_cadre = models.BooleanField(_("reserve cadre"), default=False)
    user = models.OneToOneField(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff_profile",
        verbose_name=_("user account"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = StaffQuerySet.as_manager()

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["staff_number", "id"]
        indexes = [
            models.Index(fields=["department", "status"], name="staff_dept_status_idx"),
            models.Index(fields=["employment_type"], name="staff_employment_idx"),
            models.Index(fields=["name", "id"], name="staff_name_idx"),
            # A department's people (and their status) without reading the table, index-only:
            # the joint app's confidentiality filter reads ``staff_id IN (… department = D)``,
            # a department's headcount counts those not left.
            models.Index(fields=["department", "id", "status"], name="staff_dept_id_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(id_number=Upper("id_number")),
                name="staff_id_number_upper",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.staff_number}）"

    @property
    def masked_id_number(self) -> str:
        return idcard.mask(self.id_number)

    @property
    def age(self) -> int | None:
        if not self.date_of_birth:
            return None
        today = timezone.localdate()
        born = self.date_of_birth
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


class Certificate(models.Model):
    """A law-enforcement certificate (执法证). A person may hold several over the years."""

    staff = models.ForeignKey(
        Staff, on_delete=models.CASCADE, related_name="certificates", verbose_name=_("staff member")
    )
    number = models.CharField(_("certificate number"), max_length=50)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"))

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("law-enforcement certificate")
        verbose_name_plural = _("law-enforcement certificates")
        ordering = ["-expires_on", "id"]
        indexes = [models.Index(fields=["expires_on"], name="certificate_expiry_idx")]
        constraints = [
            models.UniqueConstraint(fields=["number"], name="certificate_number_unique"),
            models.CheckConstraint(
                condition=models.Q(expires_on__gt=models.F("issued_on")),
                name="certificate_expires_after_issue",
                violation_error_message=_("The expiry date must be after the issue date."),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def is_valid_on(self, day) -> bool:
        return self.issued_on <= day <= self.expires_on


ExportState = JobState  # the states of every export job (core.models)


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", "xlsx"
    CSV = "csv", "CSV"


def roster_export_path(instance: RosterExport, filename: str) -> str:
    return f"staff/exports/{instance.created_at:%Y/%m}/{filename}"


class RosterExport(ExportJob):
    """A roster export too large for a web request, built by a Celery task
    (``staff.roster_exports``). The row is the truth: what was asked (the staff list's filters,
    applied again in the worker within the requester's scope), how far the build is, the file."""

    filters = models.JSONField(_("filters"), default=dict, blank=True)
    format = models.CharField(
        _("format"), max_length=4, choices=ExportFormat.choices, default=ExportFormat.XLSX
    )
    file = models.FileField(_("file"), upload_to=roster_export_path, max_length=200, blank=True)

    class Meta(ExportJob.Meta):
        verbose_name = _("roster export")
        verbose_name_plural = _("roster exports")
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="roster_export_user_idx")
        ]
