"""Worker import (each bad row with its reason, nothing written unless every row is good) and the exports."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from lianxin.accounts.models import RoleGrant
from lianxin.people.models import Person
from lianxin.workforce.models import GridLink, Worker

from .conftest import HOME

HEADER = ["姓名", "手机号", "职业", "所属平台企业", "居住社区代码", "党员", "角色", "兼职网格员所在网格"]


def _xlsx(rows) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    out = BytesIO()
    wb.save(out)
    return SimpleUploadedFile("w.xlsx", out.getvalue(),
                              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@pytest.mark.django_db
def test_import_reports_every_bad_row_and_writes_nothing(world, login):
    firm, grid = world.orgs[f"firm-{HOME}"].name, world.areas[f"{HOME}-G"].code
    good = ["王一", "13500000001", "外卖骑手", firm, HOME, "是", "问题收集员", grid]
    rows = [
        good,
        ["王二", "1350000", "快递员", firm, HOME, "否", "", ""],  # bad mobile
        ["王三", "13500000003", "厨师", firm, HOME, "否", "", ""],  # unknown occupation
        ["王四", "13500000004", "快递员", "无此企业", HOME, "否", "", ""],  # unknown firm
        ["王五", "13500000005", "快递员", firm, "9999999999", "否", "", ""],  # no such community
        ["王十", "13500000011", "快递员", firm, "3708020101", "否", "", ""],  # a community outside the scope
        ["王六", "13500000006", "快递员", firm, HOME, "也许", "", ""],  # not yes/no
        ["王七", "13500000001", "快递员", firm, HOME, "否", "", ""],  # same mobile as row 2
        ["王八", "13500000008", "快递员", firm, HOME, "否", "跑腿", ""],  # unknown role
        ["王九", "13500000009", "快递员", firm, HOME, "否", "", "9999"],  # unknown grid
        ["", "13500000010", "快递员", firm, HOME, "否", "", ""],  # name missing
    ]
    before = (Person.objects.count(), Worker.objects.count())
    response = login(world.users["community_staff"]).post(reverse("workforce:import"), {"file": _xlsx(rows)})
    page = response.content.decode()
    assert response.status_code == 200 and "Nothing was imported" in page
    for reason in ("mobile", "Unknown occupation", "no firm", "no community", "yes or no", "row 2",
                   "Unknown role", "no grid", "required", "may not add workers"):
        assert reason in page, reason
    assert (Person.objects.count(), Worker.objects.count()) == before
    report = login(world.users["community_staff"]).get(reverse("workforce:import"), {"report": "1"})
    sheet = list(load_workbook(BytesIO(report.content)).worksheets[0].iter_rows(values_only=True))
    assert sheet[1][-1] in (None, "") and sheet[2][-1]  # the good row has no error; the bad one has


@pytest.mark.django_db
def test_import_of_good_rows(world, login):
    firm, grid = world.orgs[f"firm-{HOME}"].name, world.areas[f"{HOME}-G"].code
    rows = [["王一", "13500000001", "外卖骑手", firm, HOME, "是", "问题收集员、政策宣讲员", grid],
            ["王二", world.people[HOME].phone, "快递员", firm, HOME, "否", "", ""]]
    client = login(world.users["community_staff"])
    response = client.post(reverse("workforce:import"), {"file": _xlsx(rows[:1])})
    assert response.status_code == 302
    worker = Worker.objects.get(person__phone="13500000001")
    assert worker.is_collector and worker.is_promoter and worker.person.is_party_member
    assert GridLink.objects.get(worker=worker).grant.role == "grid_worker"
    assert RoleGrant.objects.filter(user__person=worker.person, role="grid_worker").exists()
    # The world's person already has a profile: refused with its reason.
    response = client.post(reverse("workforce:import"), {"file": _xlsx(rows[1:])})
    assert "already has a worker profile" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name,min_rows", [
    ("workforce:export", 2), ("workforce:registration_export", 2), ("workforce:committee_export", 2),
    ("workforce:campaign_export", 2), ("workforce:problems_export", 1)])
def test_exports_open_in_openpyxl(world, login, name, min_rows):
    response = login(world.users["county_staff"]).get(reverse(name))
    assert response.status_code == 200
    wb = load_workbook(BytesIO(response.content))
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert len(rows) >= min_rows and rows[0][0]
    if name == "workforce:export":
        names = {r[0] for r in rows[1:]}
        assert names == {world.people[c].name for c in ("3708010101", "3708010102", "3708010201")}
