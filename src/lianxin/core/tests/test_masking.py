"""Phone numbers, ID numbers and contact names are masked in every written form, in public output and in logs."""

import json
import logging
import re

import pytest

from lianxin.cases import services
from lianxin.cases.models import Category
from lianxin.core.logredact import redact
from lianxin.core.pii import mask_text

# (as written, the digits that must not survive)
FORMS = [
    ("13800138000", "13800138000"),
    ("138 0013 8000", "13800138000"),
    ("138-0013-8000", "13800138000"),
    ("138.0013.8000", "13800138000"),
    ("+8613800138000", "13800138000"),
    ("+86 138 0013 8000", "13800138000"),
    ("86-13800138000", "13800138000"),
    ("008613800138000", "13800138000"),
    ("１３８００１３８０００", "13800138000"),
    ("＋８６　１３８－００１３－８０００", "13800138000"),
    ("370802198001011234", "370802198001011234"),
    ("37080219800101123X", "37080219800101123X"),
    ("370802 19800101 1234", "370802198001011234"),
    ("370802800101123", "370802800101123"),
    ("0537-2345678", "05372345678"),
    ("(0537)2345678", "05372345678"),
    ("0537 234 5678", "05372345678"),
]
NAMES = [("联系人张三", "张三"), ("联系人：李四，", "李四"), ("姓名王小明先生", "王小明"), ("户主是赵大勇。", "赵大勇")]
KEPT = ["订单号20240101123456789012", "2026-12-01 10:00", "鲁H12345", "金额12345678元", "第3网格"]


def digits(text: str) -> str:
    return re.sub(r"[^\dXx]", "", text.translate(str.maketrans("０１２３４５６７８９", "0123456789")))


@pytest.mark.parametrize("written, number", FORMS)
def test_every_written_form_of_a_number_is_masked(written, number):
    masked = mask_text(f"请联系{written}，谢谢")
    assert number not in digits(masked), masked
    assert "*" in masked and masked.startswith("请联系") and masked.endswith("，谢谢")


@pytest.mark.parametrize("written, name", NAMES)
def test_names_after_contact_words_are_masked(written, name):
    masked = mask_text(written)
    assert name not in masked and name[0] in masked, masked


@pytest.mark.parametrize("text", KEPT)
def test_other_numbers_are_left_alone(text):
    assert mask_text(text) == text


def test_log_lines_and_query_secrets():
    line = 'GET /api/v1/cases/?api_key=AbC123xyz&q=1 "联系人张三 138-0013-8000"'
    out = redact(line)
    assert "AbC123xyz" not in out and "api_key=****" in out and "张三" not in out and "13800138000" not in digits(out)


def test_a_log_record_is_masked_in_every_form(caplog):
    from lianxin.core.logredact import RedactPersonalData

    logger = logging.getLogger("lianxin.test.masking")
    logger.addFilter(RedactPersonalData())
    with caplog.at_level(logging.INFO, logger="lianxin.test.masking"):
        for written, _number in FORMS:
            logger.info("caller %s", written)
    for (written, number), record in zip(FORMS, caplog.records, strict=True):
        assert number not in digits(record.getMessage()), written


@pytest.mark.django_db
def test_open311_publishes_no_number_or_name_in_any_form(client, world):
    reporter = world.users["resident"]
    category = Category.objects.get(full_code="0102")
    text = "；".join(w for w, _n in FORMS) + "；" + "；".join(w for w, _n in NAMES)
    case = services.report(actor=reporter, category=category, title="垃圾满了 13800138000", description=text,
                           address="任城区 0537-2345678", lng=116.05, lat=35.2).case
    for fmt in ("json", "xml"):
        body = client.get(f"/open311/v2/requests.{fmt}").content.decode()
        assert case.number in body
        flat = digits(body)
        for written, number in FORMS:
            assert number not in flat, (fmt, written)
        for _written, name in NAMES:
            assert name not in body, (fmt, name)
    rows = json.loads(client.get("/open311/v2/requests.json").content)
    row = next(r for r in rows if r["service_request_id"] == case.number)
    assert "*" in row["description"] and "*" in row["address"]
