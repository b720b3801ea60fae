"""The roster file's cells, read and written as the center's spreadsheets write them: the Chinese
labels of the choices (fixed, not the interface catalog), common aliases, yes/no words, dates as
text or spreadsheet dates, departments by code within what the importing user may touch. Used by
the roster resource (``staff.resources``) and the go-live stationing import."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from import_export import widgets

from .models import (
    CenterRole,
    Department,
    Education,
    EmploymentType,
    Gender,
    PoliticalStatus,
    StaffStatus,
)
from .permissions import department_ids

TRUE_WORDS = {"是", "y", "yes", "true", "1"}
FALSE_WORDS = {"否", "n", "no", "false", "0", ""}


# The file format's Chinese labels, fixed here rather than read from the interface catalog, so
# that rewording a translation never breaks the spreadsheets centers already have.
FILE_LABELS: dict[type, dict[str, str]] = {
    Gender: {"male": "男", "female": "女"},
    PoliticalStatus: {
        "party_member": "中共党员",
        "probationary": "中共预备党员",
        "league_member": "共青团员",
        "democratic_party": "民主党派",
        "masses": "群众",
    },
    EmploymentType: {
        "civil_servant": "公务员",
        "civil_servant_managed": "参公管理",
        "institution": "事业编制",
        "contract": "合同制",
        "temporary": "临聘人员",
        "retired_rehired": "退休返聘",
    },
    Education: {
        "doctorate": "博士研究生",
        "master": "硕士研究生",
        "bachelor": "大学本科",
        "college": "大学专科",
        "secondary": "高中及中专",
    },
    CenterRole: {
        "management": "中心管理层",
        "supervision": "监察及公共资源交易",
        "window": "窗口工作人员",
    },
    StaffStatus: {"active": "在岗", "second_line": "退居二线", "left": "已离岗"},
}
# Common ways people write the same thing in a roster.
ALIASES = {
    "党员": "party_member",
    "预备党员": "probationary",
    "团员": "league_member",
    "参公": "civil_servant_managed",
    "事业编": "institution",
    "临聘": "temporary",
    "合同工": "contract",
    "本科": "bachelor",
    "专科": "college",
    "研究生": "master",
    "博士": "doctorate",
    "退居二线": "second_line",
    "离岗": "left",
}


class ChoiceWidget(widgets.Widget):
    """Reads a choice by its Chinese label, a common alias, its English label or its code;
    writes the Chinese label."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = choices
        self.zh = FILE_LABELS[choices]
        assert set(self.zh) == set(choices.values), choices

    @cached_property
    def lookup(self) -> dict[str, str]:
        with translation.override("en"):
            english = {str(label).lower(): value for value, label in self.choices.choices}
        chinese = {label: value for value, label in self.zh.items()}
        aliases = {k: v for k, v in ALIASES.items() if v in self.zh}
        return aliases | chinese | english | {value: value for value in self.choices.values}

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
