"""Personal data: validation and masking of mainland mobile numbers and resident ID numbers."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lianxin.core import clock

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
ID_RE = re.compile(r"^\d{17}[\dX]$")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def normalize_mobile(value: str) -> str:
    digits = re.sub(r"[\s-]", "", str(value or ""))
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    return digits


def validate_mobile(value: str) -> str:
    number = normalize_mobile(value)
    if not MOBILE_RE.match(number):
        raise ValidationError(
            _("“%(value)s” is not a mainland mobile number (11 digits starting with 13–19)."),
            code="mobile", params={"value": mask_any(str(value)[:20])},
        )
    return number


def id_check_char(first17: str) -> str:
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def validate_id_number(value: str) -> str:
    """Check a GB 11643 resident ID: 18 characters, a real birth date, the ISO 7064 MOD 11-2 check."""
    number = str(value or "").strip().upper()
    if not ID_RE.match(number):
        raise ValidationError(_("A resident ID number has 17 digits followed by a digit or X."), code="id_format")
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as e:
        raise ValidationError(_("The birth date inside the ID number does not exist."), code="id_date") from e
    if born.year < 1900 or born > clock.today():
        raise ValidationError(_("The birth date inside the ID number is out of range."), code="id_date")
    if id_check_char(number[:17]) != number[17]:
        raise ValidationError(_("The ID number's check digit is wrong: please check for a typo."), code="id_check")
    return number


def birth_date_from_id(number: str) -> date | None:
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except (ValueError, TypeError):
        return None


def mask_mobile(value: str) -> str:
    return f"{value[:3]}****{value[-4:]}" if value and len(value) >= 7 else ("****" if value else "")


def mask_id_number(value: str) -> str:
    return f"{value[:3]}{'*' * (len(value) - 7)}{value[-4:]}" if value and len(value) > 7 else ("****" if value else "")


def mask_any(value) -> str:
    """Mask for audit entries and log lines: keep a little of each end, never the whole value."""
    value = "" if value is None else str(value)
    if len(value) == 18:
        return mask_id_number(value)
    if len(value) >= 7:
        return mask_mobile(value)
    return "****" if value else ""
