"""Dates and times on Chinese pages (FORMAT_MODULE_PATH): Django's own, written out so that every
page, mail and export shows the same 2026年12月3日. Input formats stay Django's (ISO first for
the browsers' date inputs, see core.forms)."""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

DATE_FORMAT = "Y年n月j日"  # 2026年12月3日
SHORT_DATE_FORMAT = "Y年n月j日"
TIME_FORMAT = "H:i"  # 09:05
DATETIME_FORMAT = "Y年n月j日 H:i"
SHORT_DATETIME_FORMAT = "Y年n月j日 H:i"
YEAR_MONTH_FORMAT = "Y年n月"  # 2026年12月
MONTH_DAY_FORMAT = "n月j日"  # 12月3日
