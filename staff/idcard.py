"""Chinese resident identity numbers (GB 11643-1999): validation, masking, demo generation."""

from __future__ import annotations

import random
import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CODES = "10X98765432"
_PATTERN = re.compile(r"^\d{17}[\dX]$")


def check_digit(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return CHECK_CODES[total % 11]


def birth_date(number: str) -> date | None:
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def normalize(number: str) -> str:
    return (number or "").strip().upper()


def validate_id_number(value: str) -> None:
    number = normalize(value)
    if not _PATTERN.match(number):
        raise ValidationError(
            _("An ID number has 18 characters: 17 digits and a digit or X."), code="format"
        )
    born = birth_date(number)
    if born is None or not date(1900, 1, 1) <= born <= date.today():
        raise ValidationError(_("The birth date inside the ID number is not valid."), code="birth")
    if check_digit(number[:17]) != number[17]:
        raise ValidationError(
            _("The ID number's check digit is wrong; please check the number."), code="checksum"
        )


def mask(value: str | None) -> str:
    """``510402199001011234`` → ``510402********1234``."""
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def generate(rng: random.Random, *, region: str, born: date, female: bool) -> str:
    sequence = rng.randrange(0, 100)
    gender_digit = rng.choice((0, 2, 4, 6, 8) if female else (1, 3, 5, 7, 9))
    first17 = f"{region}{born:%Y%m%d}{sequence:02d}{gender_digit}"
    return first17 + check_digit(first17)
