"""The roster as a spreadsheet: one resource, Chinese column headers, keyed on the staff number.

Column headers and choice labels are the file format (what a center's spreadsheets say), so they
are fixed in Chinese whatever the interface language; codes and English labels are accepted too.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from core.audit import audited

from . import idcard
from .models import (
    CenterRole,
    Department,
    Education,
    EmploymentType,
    Gender,
    PoliticalStatus,
    Staff,
    StaffStatus,
)
from .permissions import Perm, department_ids, has_perm

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
TRUE_WORDS = {"是", "y", "yes", "true", "1"}
FALSE_WORDS = {"否", "n", "no", "false", "0", ""}


class ChoiceWidget(widgets.Widget):
    """Reads a choice by its Chinese label, English label or code; writes the Chinese label."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = choices

    @cached_property
    def zh(self) -> dict[str, str]:
        with translation.override("zh-hans"):
            return {value: str(label) for value, label in self.choices.choices}

    @cached_property
    def lookup(self) -> dict[str, str]:
        with translation.override("en"):
            english = {str(label).lower(): value for value, label in self.choices.choices}
        chinese = {label: value for value, label in self.zh.items()}
        return chinese | english | {value: value for value in self.choices.values}

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            return ""
        found = self.lookup.get(text) or self.lookup.get(text.lower())
        if found is None:
            raise ValueError(
                _("“%(value)s” is not one of: %(allowed)s.")
                % {"value": text, "allowed": "、".join(self.zh.values())}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        return self.zh.get(value, value or "")


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a number cell such as a phone number
        return str(value).strip()

    def render(self, value, obj=None, **kwargs):
        return value or ""


class DateWidget(widgets.Widget):
    FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d")

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = str(value).strip()
        for fmt in self.FORMATS:
            try:
                return datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError(_("“%(value)s” is not a date; write it as 2024-03-01.") % {"value": text})

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class BooleanWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = "" if value is None else str(value).strip().lower()
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        raise ValueError(_("Write 是 or 否."))

    def render(self, value, obj=None, **kwargs):
        return "是" if value else "否"


class DepartmentWidget(widgets.ForeignKeyWidget):
    """A department by its code, limited to the departments the importing user may touch."""

    def __init__(self, user, **kwargs):
        super().__init__(Department, field="code", **kwargs)
        self.user = user
        self._cache: dict[str, Department] | None = None

    def _departments(self) -> dict[str, Department]:
        if self._cache is None:
            qs = Department.objects.all()
            ids = department_ids(self.user) if self.user is not None else None
            if ids is not None:
                qs = qs.filter(id__in=ids)
            self._cache = {d.code: d for d in qs}
        return self._cache

    def clean(self, value, row=None, **kwargs):
        code = "" if value is None else str(value).strip()
        if not code:
            return None
        department = self._departments().get(code)
        if department is None:
            raise ValueError(
                _("Unknown department code “%(code)s”, or not one of yours.") % {"code": code}
            )
        return department

    def render(self, value, obj=None, **kwargs):
        return value.code if value else ""


class StaffResource(resources.ModelResource):
    """Import and export of the roster for one user (scope and masking follow the user)."""

    def __init__(self, user=None, reason: str = ""):
        self.user = user
        self.reason = reason
        self.show_id_numbers = user is None or has_perm(user, Perm.ID_NUMBER_VIEW)
        self._duplicates: set[str] = set()
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
        use_transactions = True

    # --- scope ----------------------------------------------------------------------------------
    def get_queryset(self) -> QuerySet[Staff]:
        qs = Staff.objects.select_related("department")
        ids = department_ids(self.user) if self.user is not None else None
        return qs if ids is None else qs.filter(department_id__in=ids)

    # --- import ---------------------------------------------------------------------------------
    def before_import(self, dataset, **kwargs):
        missing = [COLUMNS[f] for f in REQUIRED if COLUMNS[f] not in (dataset.headers or [])]
        if missing:
            raise ValueError(_("Missing columns: %(columns)s.") % {"columns": "、".join(missing)})
        column = COLUMNS["staff_number"]
        seen: dict[str, int] = {}
        for row in dataset.dict:
            number = TextWidget().clean(row.get(column))
            if number:
                seen[number] = seen.get(number, 0) + 1
        self._duplicates = {number for number, count in seen.items() if count > 1}

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
        except Exception as exc:  # ValidationError from the fields
            errors = exc.update_error_dict({}) if hasattr(exc, "update_error_dict") else {}
            if not errors:
                raise
        if instance.staff_number in self._duplicates:
            errors.setdefault("staff_number", []).append(
                _("Staff number %(number)s appears more than once in the file.")
                % {"number": instance.staff_number}
            )
        if instance.pk is None:
            for name in REQUIRED:
                if name not in errors and getattr(
                    instance, name if name != "department" else "department_id"
                ) in (None, ""):
                    errors.setdefault(name, []).append(_("This column is required."))
        if errors:
            from django.core.exceptions import ValidationError

            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        from django.core.exceptions import ValidationError

        from .services import clean_staff

        errors = dict(import_validation_errors or {})
        if not errors:
            try:
                clean_staff(instance)
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def do_instance_save(self, instance, is_create):
        with audited(actor=self.user, reason=self.reason):
            instance.save(force_insert=is_create)

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
