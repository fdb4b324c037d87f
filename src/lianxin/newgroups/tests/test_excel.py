import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook, load_workbook

from lianxin.core.excel import run_import
from lianxin.newgroups import services
from lianxin.newgroups.imports import FirmImporter
from lianxin.newgroups.models import FirmProfile
from lianxin.orgs.models import Org

pytestmark = pytest.mark.django_db

HEADER = ["企业名称", "行业党委", "区划代码", "行业", "是否总部", "所属总部", "正式党员数", "联系电话", "覆盖方式",
          "覆盖党组织", "纳入台账日期"]


def xlsx(rows) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("firms.xlsx", out.getvalue())


def committee(world):
    return world.orgs["industry-370801"].name


def test_bad_rows_are_each_reported_and_nothing_is_written(world):
    c = committee(world)
    rows = [
        ["好企业", c, "3708010101", "快递", "否", "", 1, "13900001111", "未覆盖", "", "2025-02-01"],
        ["无党委", "不存在的党委", "3708010101", "", "", "", 0, "", "", "", ""],
        ["区划错", c, "9999", "", "", "", 0, "", "", "", ""],
        ["电话错", c, "3708010101", "", "", "", 0, "123", "", "", ""],
        ["党员数错", c, "3708010101", "", "", "", "three", "", "", "", ""],
        ["单建不足", c, "3708010101", "", "", "", 1, "", "单独组建", "单建不足党支部", ""],
        ["联建无组织", c, "3708010101", "", "", "", 1, "", "联合组建", "", ""],
        ["总部错", c, "3708010101", "", "否", "没有这个总部", 0, "", "", "", ""],
        ["日期错", c, "3708010101", "", "", "", 0, "", "", "", "明天"],
        ["好企业", c, "3708010102", "", "", "", 0, "", "", "", ""],
        ["外县", c, "3708020101", "", "", "", 0, "", "", "", ""],
    ]
    before = (FirmProfile.objects.count(), Org.objects.count())
    with translation.override("en"):
        outcome = run_import(FirmImporter(world.users["industry_committee_staff"]), xlsx(rows))
    assert not outcome.ok
    bad = {e.row for e in outcome.problems.listing()}
    assert bad == set(range(3, 13))  # every bad row (row 2 is fine; row 11 repeats row 2's name)
    messages = " ".join(e.message for e in outcome.problems.listing())
    for words in ("There is no industry party committee", "no area with the code", "mainland mobile",
                  "whole number", "at least 3", "joint branch", "no headquarters firm", "2020-06-30",
                  "already in row 2"):
        assert words in messages, words
    assert (FirmProfile.objects.count(), Org.objects.count()) == before


def test_import_creates_firms_with_their_coverage(world):
    c = committee(world)
    rows = [
        ["总部快递", c, "3708010101", "快递", "是", "", 4, "13900001111", "单独组建", "总部快递党支部", "2025-02-01"],
        ["分部网点", c, "3708010102", "", "否", "总部快递", 0, "", "镇街兜底", "", ""],
    ]
    outcome = run_import(FirmImporter(world.users["industry_committee_staff"]), xlsx(rows))
    assert outcome.ok, outcome.problems.listing()
    hq = FirmProfile.objects.get(org__name="总部快递")
    branch_firm = FirmProfile.objects.get(org__name="分部网点")
    assert hq.is_headquarters and branch_firm.headquarters == hq and hq.committee == world.orgs["industry-370801"]
    assert hq.coverage == "own" and hq.covering_org.parent == hq.org and hq.contact_phone == "13900001111"
    assert [c.after for c in hq.coverage_changes.order_by("pk")] == ["none", "own"]
    assert branch_firm.coverage == "town" and branch_firm.org.area == world.areas["3708010102"]


def test_import_page_and_template(world, persona_client):
    client = persona_client("industry_committee_staff")
    client.cookies["django_language"] = "en"
    assert client.get("/newgroups/import/template.xlsx").status_code == 200
    r = client.post("/newgroups/import/", {"file": xlsx([["x", "不存在", "3708010101"] + [""] * 8])})
    assert r.status_code == 200 and b"Nothing was imported" in r.content
    report = client.get("/newgroups/import/?report=1")
    wb = load_workbook(io.BytesIO(report.content))
    assert "industry party committee" in str(list(wb.active.iter_rows(values_only=True))[1])


def sheet_rows(content: bytes, index: int = 0):
    wb = load_workbook(io.BytesIO(content))
    return list(wb.worksheets[index].iter_rows(values_only=True))


def test_exports_open_and_hold_the_rows(world, firms, persona_client, joint_branch):
    f = firms["3708010101"]
    items = dict(world.samples["newgroups.closeoutitem"].items())  # opened before the firm is covered
    services.update_profile(f, actor=None, contact_phone="13912345678", formal_members=2)
    services.change_coverage(f, actor=None, after="joint", covering_org=joint_branch)
    services.assign_instructor(f, instructor=world.users["instructor"], actor=None)
    services.log_visit(f, actor=world.users["instructor"], notes="谈心")
    client = persona_client("org_department")
    rows = sheet_rows(client.get("/newgroups/export.xlsx").content)
    names = [r[0] for r in rows[1:]]
    assert f.name in names and firms["3708020101"].name not in names  # only the county's firms
    mine = next(r for r in rows if r[0] == f.name)
    assert "139****5678" in mine and "13912345678" not in mine  # masked in exports
    history = sheet_rows(client.get("/newgroups/coverage/export.xlsx").content)
    assert any(r[0] == f.name and r[5] == joint_branch.name for r in history[1:])
    instructors = client.get("/newgroups/instructors/export.xlsx").content
    assert any(r[0] == f.name for r in sheet_rows(instructors)[1:])
    assert any(r[0] == f.name and r[6] == "谈心" for r in sheet_rows(instructors, 1)[1:])
    numbers = {r[0] for r in sheet_rows(client.get("/newgroups/closeouts/export.xlsx").content)[1:]}
    assert items["3708010101"].case.number in numbers and items["3708020101"].case.number not in numbers
    measures = sheet_rows(persona_client("town_staff").get("/newgroups/measures/export.xlsx").content)
    titles = {r[2] for r in measures[1:]}
    assert world.samples["newgroups.measuredocument"]["3708010101"].title in titles
    assert world.samples["newgroups.measuredocument"]["3708010201"].title not in titles
