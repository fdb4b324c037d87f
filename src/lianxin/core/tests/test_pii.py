import io
import logging
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from lianxin.core import clock, pii
from lianxin.core.logredact import RedactPersonalData, redact


@pytest.fixture(autouse=True)
def _english():
    """The messages are checked in their English source form, whatever language another test left active."""
    from django.utils import translation

    with translation.override("en"):
        yield


def make_id(region="370811", born="19850312", seq="123") -> str:
    first17 = f"{region}{born}{seq}"
    return first17 + pii.id_check_char(first17)


def find_id_with_check(check: str) -> str:
    for seq in range(1000):
        number = make_id(seq=f"{seq:03d}")
        if number[-1] == check:
            return number
    raise AssertionError("no sequence gives that check character")


# --- mobile numbers ---------------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("13912345678", "13912345678"),
    ("+86 139 1234 5678", "13912345678"),
    ("0086-139-1234-5678", "13912345678"),
    (" 15012345678 ", "15012345678"),
    ("19912345678", "19912345678"),
])
def test_valid_mobile_is_normalised(value, expected):
    assert pii.validate_mobile(value) == expected


@pytest.mark.parametrize("value", [
    "12345678901",  # second digit 2
    "10012345678",
    "1391234567",  # 10 digits
    "139123456789",  # 12 digits
    "1391234567a",
    "abcdefghijk",
    "",
    None,
    "+1 139 1234 5678",
])
def test_invalid_mobile_refused(value):
    with pytest.raises(ValidationError) as e:
        pii.validate_mobile(value)
    assert e.value.code == "mobile"


def test_mobile_error_message_never_echoes_the_full_number():
    with pytest.raises(ValidationError) as e:
        pii.validate_mobile("123456789012")  # 12 digits: invalid, but looks like personal data
    text = " ".join(e.value.messages)
    assert "123456789012" not in text
    assert "****" in text


# --- resident ID numbers ----------------------------------------------------------------------------

def test_generated_ids_validate():
    for seq in range(0, 1000, 37):
        number = make_id(seq=f"{seq:03d}")
        assert pii.validate_id_number(number) == number


def test_known_real_format_example():
    # The GB 11643 standard's own example: 11010519491231002X.
    assert pii.id_check_char("11010519491231002") == "X"
    assert pii.validate_id_number("11010519491231002X") == "11010519491231002X"


def test_lowercase_x_is_accepted_and_normalised():
    number = find_id_with_check("X")
    assert pii.validate_id_number(number.lower()) == number
    assert pii.validate_id_number(f"  {number[:-1]}x ") == number


def test_bad_check_digit_refused():
    number = make_id()
    wrong = "0" if number[-1] != "0" else "1"
    with pytest.raises(ValidationError) as e:
        pii.validate_id_number(number[:-1] + wrong)
    assert e.value.code == "id_check"
    assert "check digit" in e.value.messages[0]


def test_impossible_birth_date_refused():
    with pytest.raises(ValidationError) as e:
        pii.validate_id_number(make_id(born="19990230"))
    assert e.value.code == "id_date"
    assert "does not exist" in e.value.messages[0]


def test_future_birth_date_refused():
    future = clock.today() + timedelta(days=30)
    with pytest.raises(ValidationError) as e:
        pii.validate_id_number(make_id(born=future.strftime("%Y%m%d")))
    assert e.value.code == "id_date"
    assert "out of range" in e.value.messages[0]


def test_birth_before_1900_refused():
    with pytest.raises(ValidationError) as e:
        pii.validate_id_number(make_id(born="18991231"))
    assert e.value.code == "id_date"


@pytest.mark.parametrize("value", [
    lambda: make_id()[:-1],  # 17 characters
    lambda: make_id() + "1",  # 19 characters
    lambda: "X" + make_id()[1:],  # X not at the end
    lambda: make_id()[:5] + "a" + make_id()[6:],
    lambda: "",
    lambda: None,
])
def test_wrong_format_refused(value):
    with pytest.raises(ValidationError) as e:
        pii.validate_id_number(value())
    assert e.value.code == "id_format"


def test_birth_date_from_id():
    assert pii.birth_date_from_id(make_id(born="19850312")) == date(1985, 3, 12)
    assert pii.birth_date_from_id("37081119990230123X") is None
    assert pii.birth_date_from_id(None) is None


# --- masking ----------------------------------------------------------------------------------------

def test_masking():
    assert pii.mask_mobile("13912345678") == "139****5678"
    assert pii.mask_mobile("") == ""
    assert pii.mask_mobile("12345") == "****"
    number = make_id()
    masked = pii.mask_id_number(number)
    assert masked == number[:3] + "*" * 11 + number[-4:]
    assert len(masked) == 18
    assert pii.mask_id_number("") == ""
    assert pii.mask_any(number) == masked
    assert pii.mask_any("13912345678") == "139****5678"
    assert pii.mask_any("abc") == "****"
    assert pii.mask_any(None) == ""
    assert pii.mask_any("") == ""


# --- the logging filter -----------------------------------------------------------------------------

@pytest.fixture
def redacting_logger():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactPersonalData())
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("lianxin.tests.redact")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield logger, stream
    finally:
        logger.removeHandler(handler)
        logger.propagate = True


def test_log_filter_redacts_phone_and_id_in_args_and_message(redacting_logger):
    logger, stream = redacting_logger
    number = make_id()
    logger.info("called %s about %s", "13912345678", number)
    logger.warning(f"inline 15012345678 and {number.lower()[:-1]}x")
    logger.info("order 213912345678901 stays")  # a longer digit run is not a phone number
    out = stream.getvalue()
    lines = out.splitlines()
    assert "13912345678" not in lines[0]
    assert "15012345678" not in out
    assert number not in out
    assert number[:-1] not in out
    assert "139****5678" in out
    assert "150****5678" in out
    assert pii.mask_id_number(number) in out
    assert "213912345678901" in out


def test_log_filter_keeps_unrelated_lines_and_broken_formats(redacting_logger):
    logger, stream = redacting_logger
    logger.info("plain %d items", 3)
    assert "plain 3 items" in stream.getvalue()
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "bad %d", ("notanumber",), None)
    assert RedactPersonalData().filter(record) is True


def test_redact_function():
    assert redact("tel:13912345678.") == "tel:139****5678."
    assert redact("nothing here") == "nothing here"


def test_settings_attach_the_filter_to_the_console_handler(settings):
    assert "redact_pii" in settings.LOGGING["handlers"]["console"]["filters"]
