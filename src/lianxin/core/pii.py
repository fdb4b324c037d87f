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


# ----------------------------------------------------------------------------------------------- free text
# Phone and ID numbers as people write them: spaced, dashed or dotted groups, +86 / 86 / 0086 prefixes, full-width
# digits (matched on a same-length ASCII copy, so positions carry over), 15- and 18-digit IDs, landlines with an
# area code; and a name written after a contact word (联系人张三, 姓名：李四).
_WIDE = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)} | {"＋": "+", "－": "-", "．": ".", "（": "(",
                                                                        "）": ")", "　": " ", "Ｘ": "X", "ｘ": "x"})
_SEP = r"[\s\-.·]?"
_TEXT_RE = re.compile(
    r"(?<![\dA-Za-z])(?:"
    # 18-digit ID (optionally grouped 6-8-4) and 15-digit ID
    rf"(?P<id18>[1-9]\d{{5}}{_SEP}(?:18|19|20)\d{{2}}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]){_SEP}\d{{3}}[\dXx])"
    r"|(?P<id15>[1-9]\d{5}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3})"
    # mobile, with an optional country prefix and separators between any digits
    rf"|(?P<mobile>(?:(?:\+|00)?86{_SEP})?1[3-9]\d(?:{_SEP}\d){{8}})"
    # landline with an area code: 0537-2345678, (0537)2345678, 0537 234 5678
    rf"|(?P<landline>\(?0\d{{2,3}}\)?{_SEP}[2-9]\d{{2,3}}{_SEP}\d{{4}})"
    r")(?![\dA-Za-z])"
)
_CONTACT_WORDS = "联系人|姓名|户主|报告人|举报人|当事人|申请人|监护人"  # words a name follows, not a description
_NAME_RE = re.compile(rf"(?P<word>{_CONTACT_WORDS})(?P<gap>[:：\s是为]*)(?P<name>[\u4e00-\u9fff]{{2,3}}?)"
                      r"(?=[\s,，。;；:：、)）(（电手]|先生|女士|$|1[3-9]|\d)")


def _mask_digits(text: str) -> str:
    """Keep the first three and the last four digits of a number, hide every digit between (separators stay)."""
    digits = [i for i, c in enumerate(text) if c.isdigit() or c in "Xx"]
    keep = set(digits[:3] + digits[-4:]) if len(digits) > 10 else set(digits[:3] + digits[-2:])
    return "".join(c if (i in keep or i not in digits) else "*" for i, c in enumerate(text))


def mask_text(text) -> str:
    """``text`` with every phone number, ID number and contact name in it masked: for public output and logs."""
    if not text:
        return "" if text is None else str(text)
    text = str(text)
    ascii_copy = text.translate(_WIDE)
    out, last = [], 0
    for m in _TEXT_RE.finditer(ascii_copy):
        out += [text[last:m.start()], _mask_digits(text[m.start():m.end()])]
        last = m.end()
    out.append(text[last:])
    masked = "".join(out)
    return _NAME_RE.sub(lambda m: f"{m['word']}{m['gap']}{m['name'][0]}{'*' * (len(m['name']) - 1)}", masked)
