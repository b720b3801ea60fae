"""The roster as a spreadsheet: one resource, Chinese column headers, keyed on the staff number.

Column headers and choice labels are the file format (what a center's spreadsheets say), so they
are fixed in Chinese whatever the interface language; codes and English labels are accepted too
(the cells' labels and widgets: ``staff.roster_cells``).
"""

from __future__ import annotations

import copy
import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from import_export import fields, resources
from import_export.instance_loaders import CachedInstanceLoader

from core.audit import AuditedBatch

from . import idcard
from .models import (
    CenterRole,
    Education,
    EmploymentType,
    Gender,
    PoliticalStatus,
    Staff,
    StaffStatus,
)
from .permissions import Perm, department_ids, has_perm
from .roster_cells import BooleanWidget, ChoiceWidget, DateWidget, DepartmentWidget, TextWidget

COLUMNS: dict[str, str] = {
    "staff_number": "工号",
    "name": "姓名",
    "gender": "性别",
    "date_of_birth": "出生日期",
    "id_number": "身份证号",
    "mobile": "手机号码",
    "political_status": "政治面貌",
    "employment_type": "用工性质",
    "rank": "职级",
    "education": "学历",
    "department": "派驻单位编码",
    "center_role": "岗位类别",
    "status": "在岗状态",
    "is_reserve_cadre": "后备干部",
}
REQUIRED = ("staff_number", "name", "gender", "id_number", "employment_type", "department")


def _repeated(values) -> set[str]:
    seen: set[str] = set()
    repeated: set[str] = set()
    for value in values:
        if value:
            (repeated if value in seen else seen).add(value)
    return repeated


class StaffResource(resources.ModelResource):
    """Import and export of the roster for one user (scope and masking follow the user)."""

    def __init__(self, user=None, reason: str = ""):
        self.user = user
        self.reason = reason
        self.show_id_numbers = user is None or has_perm(user, Perm.ID_NUMBER_VIEW)
        self._duplicates: set[str] = set()
        self._originals: dict[int, Staff] = {}
        self._lock = False
        self._audit = AuditedBatch(actor=user, reason=reason)
        super().__init__()
        self.fields["department"] = fields.Field(
            attribute="department", column_name=COLUMNS["department"], widget=DepartmentWidget(user)
        )

    staff_number = fields.Field("staff_number", COLUMNS["staff_number"], widget=TextWidget())
    name = fields.Field("name", COLUMNS["name"], widget=TextWidget())
    gender = fields.Field("gender", COLUMNS["gender"], widget=ChoiceWidget(Gender))
    date_of_birth = fields.Field("date_of_birth", COLUMNS["date_of_birth"], widget=DateWidget())
    id_number = fields.Field("id_number", COLUMNS["id_number"], widget=TextWidget())
    mobile = fields.Field("mobile", COLUMNS["mobile"], widget=TextWidget())
    political_status = fields.Field(
        "political_status", COLUMNS["political_status"], widget=ChoiceWidget(PoliticalStatus)
    )
    employment_type = fields.Field(
        "employment_type", COLUMNS["employment_type"], widget=ChoiceWidget(EmploymentType)
    )
    rank = fields.Field("rank", COLUMNS["rank"], widget=TextWidget())
    education = fields.Field("education", COLUMNS["education"], widget=ChoiceWidget(Education))
    center_role = fields.Field(
        "center_role", COLUMNS["center_role"], widget=ChoiceWidget(CenterRole)
    )
    status = fields.Field("status", COLUMNS["status"], widget=ChoiceWidget(StaffStatus))
    is_reserve_cadre = fields.Field(
        "is_reserve_cadre", COLUMNS["is_reserve_cadre"], widget=BooleanWidget()
    )

    class Meta:
        model = Staff
        import_id_fields = ("staff_number",)
        fields = tuple(COLUMNS)
        export_order = tuple(COLUMNS)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        skip_diff = True
        instance_loader_class = CachedInstanceLoader

    # --- scope ----------------------------------------------------------------------------------
    def get_queryset(self) -> QuerySet[Staff]:
        qs = Staff.objects.select_related("department")
        if self._lock:  # a commit: nobody edits these people until it is over (see roster.py)
            qs = qs.select_for_update(of=("self",))
        ids = department_ids(self.user) if self.user is not None else None
        return qs if ids is None else qs.filter(department_id__in=ids)

    def version(self) -> str:
        """A digest of the stored people the file updates, as read (locked, on a commit): two
        reads agree only if none of them was saved in between."""
        stamps = sorted((pk, str(stored.updated_at)) for pk, stored in self._originals.items())
        return hashlib.sha256(repr(stamps).encode()).hexdigest()

    # --- import ---------------------------------------------------------------------------------
    def before_import(self, dataset, **kwargs):
        """Check the columns, and look up in two queries which staff and ID numbers the file
        shares with the database and with itself, so rows validate without per-row queries."""
        headers = dataset.headers or []
        missing = [COLUMNS[f] for f in REQUIRED if COLUMNS[f] not in headers]
        if missing:
            unknown = [h for h in headers if h and h not in COLUMNS.values()]
            message = _("Missing columns: %(columns)s.") % {"columns": "、".join(missing)}
            if unknown:  # often the missing one, misspelt: say both at once
                message += " " + _("Unknown columns: %(columns)s.") % {
                    "columns": "、".join(unknown)
                }
            raise ValueError(message)
        text = TextWidget()
        numbers = [text.clean(v) for v in dataset[COLUMNS["staff_number"]]]
        id_numbers = [idcard.normalize(text.clean(v)) for v in dataset[COLUMNS["id_number"]]]
        self._duplicates = _repeated(numbers)
        self._duplicate_ids = _repeated(id_numbers)
        self._existing_numbers = set(
            Staff.objects.filter(staff_number__in=set(numbers)).values_list(
                "staff_number", flat=True
            )
        )
        self._id_owner = dict(
            Staff.objects.filter(id_number__in=set(id_numbers)).values_list(
                "id_number", "staff_number"
            )
        )

    def import_data_inner(self, dataset, dry_run, *args, **kwargs):
        self._lock = not dry_run
        return super().import_data_inner(dataset, dry_run, *args, **kwargs)

    def after_init_instance(self, instance, new, row, **kwargs):
        if not new:  # as stored: what skip_row and the audit entry of an update compare with
            self._originals[instance.pk] = copy.copy(instance)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """A row that changes nothing is reported as unchanged and not saved. (import-export
        compares only with ``skip_diff`` off, which would deep-copy every row.)"""
        if import_validation_errors or instance.pk is None:
            return False
        stored = self._originals[instance.pk]
        return all(
            getattr(instance, f.attname) == getattr(stored, f.attname)
            for f in Staff._meta.concrete_fields
        )

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        value = row.get(field.column_name)
        blank = value is None or (isinstance(value, str) and not value.strip())
        if blank and instance.pk:
            return  # a blank cell never wipes an existing value
        if field.attribute == "id_number" and not blank:
            row = {**row, field.column_name: idcard.normalize(str(value))}
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict({})
        if instance.pk is None:
            for name in REQUIRED:
                attribute = "department_id" if name == "department" else name
                if name not in errors and getattr(instance, attribute) in (None, ""):
                    errors.setdefault(name, []).append(_("This column is required."))
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        from .services import certificate_held_refusal, clean_staff, employment_type_refusal

        errors = dict(import_validation_errors or {})
        if not errors:
            try:
                clean_staff(instance, check_database=False)
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
        number, id_number = instance.staff_number, instance.id_number
        stored = self._originals.get(instance.pk) if instance.pk else None
        if stored is not None and instance.employment_type != stored.employment_type:
            # as on the page and the API: the center only, and never a temporary hire who holds
            # a valid certificate (a query for such a row only)
            refusal = employment_type_refusal(self.user) or certificate_held_refusal(instance)
            if refusal:
                errors.setdefault("employment_type", []).append(refusal)
        if number in self._duplicates:
            errors.setdefault("staff_number", []).append(
                _("Staff number %(number)s appears more than once in the file.")
                % {"number": number}
            )
        elif instance.pk is None and number in self._existing_numbers:
            errors.setdefault("staff_number", []).append(
                _("Staff number %(number)s belongs to a person outside your departments.")
                % {"number": number}
            )
        if id_number in self._duplicate_ids:
            errors.setdefault("id_number", []).append(
                _("This ID number appears more than once in the file.")
            )
        elif self._id_owner.get(id_number, number) != number:
            errors.setdefault("id_number", []).append(
                _("This ID number is already registered to another person.")
            )
        if errors:
            raise ValidationError(errors)

    def do_instance_save(self, instance, is_create):
        original = None if is_create else self._originals[instance.pk]
        self._audit.save(instance, created=is_create, original=original)

    def after_import(self, dataset, result, **kwargs):
        # Runs inside the import's transaction: new people and every audit entry commit or roll
        # back with the updates. Rows were checked against the database before the import, so a
        # conflict here means someone else saved the same staff or ID number meanwhile.
        try:
            self._audit.flush()
        except IntegrityError as exc:
            raise ValueError(
                _("Someone else changed the roster during the import; nothing was imported.")
            ) from exc
        # Not super(): import-export's after_import resets the id sequence to the largest id,
        # which could rewind it below an id another transaction has drawn but not committed yet.
        # New people take their ids from the sequence itself (files never carry ids).

    # --- export ---------------------------------------------------------------------------------
    def dehydrate_id_number(self, staff: Staff) -> str:
        return staff.id_number if self.show_id_numbers else staff.masked_id_number

    def headers(self) -> list[str]:
        return list(COLUMNS.values())

    def rows(self, queryset) -> Any:
        """Export rows, streamed in chunks with the department joined."""
        export_fields = self.get_export_fields()
        for staff in queryset.select_related("department").iterator(chunk_size=2000):
            yield [self.export_field(f, staff) for f in export_fields]
