from datetime import date

import pytest
from django.core.exceptions import ValidationError

from staff import idcard


def test_check_digit_matches_gb11643_example():
    # The standard's worked example: 11010519491231002X
    assert idcard.check_digit("11010519491231002") == "X"
    idcard.validate_id_number("11010519491231002X")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("11010519491231002", "format"),
        ("1101051949123100XX", "format"),
        ("110105194913310021", "birth"),
        ("110105194912310021", "checksum"),
    ],
)
def test_bad_numbers_are_refused_with_a_reason(value, code):
    with pytest.raises(ValidationError) as excinfo:
        idcard.validate_id_number(value)
    assert excinfo.value.code == code


def test_mask_keeps_region_and_last_four():
    assert idcard.mask("510402199001011234") == "510402********1234"
    assert idcard.mask("") == ""


def test_generate_is_valid_and_encodes_birth_and_gender():
    import random

    number = idcard.generate(random.Random(1), region="510402", born=date(1990, 2, 3), female=True)
    idcard.validate_id_number(number)
    assert idcard.birth_date(number) == date(1990, 2, 3)
    assert int(number[16]) % 2 == 0
