import io
import os

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from lianxin.core.pii import id_check_char
from lianxin.orgs import services as orgs
from lianxin.people.models import Person

HEADERS = ["Name", "Mobile", "ID number", "Kinds", "Area code", "Org code", "Party member", "Notes"]
GRID = "3708010101001"  # the community_staff persona's community's grid
SIBLING = "3708010102"  # a community next door, outside that persona's scope


def id_number(serial: str, born: str = "19800101") -> str:
    first17 = f"370801{born}{serial}"
    return first17 + id_check_char(first17)


def xlsx(rows, headers=HEADERS, name="people.xlsx") -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def good_rows():
    return [
        ["王芳", "13700000001", id_number("001"), "resident", GRID, "", "否", ""],
        ["李强", "137 0000 0002", "", "rider, volunteer", GRID, "", "是", "夜班"],
        ["赵敏", "", id_number("002"), "Retired cadre", "3708010101", "", "", ""],
    ]


def upload(client, file, url="people:import"):
    return client.post(reverse(url), {"file": file})


def read(response):
    return load_workbook(io.BytesIO(b"".join(response) if response.streaming else response.content))


pytestmark = pytest.mark.usefixtures("english_client")  # messages asserted in English


@pytest.fixture
def staff(persona_client):
    return persona_client("community_staff")


def test_good_file_imports_all_rows_with_audit(staff, world):
    before = Person.objects.count()
    response = upload(staff, xlsx(good_rows()))
    assert response.status_code == 302
    assert response["Location"] == reverse("people:list")
    assert Person.objects.count() == before + 3
    li = Person.objects.get(name="李强")
    assert li.phone == "13700000002" and li.is_party_member and li.notes == "夜班"
    assert sorted(li.kind_codes) == ["rider", "volunteer"]
    zhao = Person.objects.get(name="赵敏")
    assert zhao.kind_codes == ["retired_cadre"] and zhao.birth_date.year == 1980
    for person in Person.objects.filter(name__in=["王芳", "李强", "赵敏"]):
        entry = LogEntry.objects.get_for_object(person).get(action=LogEntry.Action.CREATE)
        assert entry.actor == world.users["community_staff"]


def test_bad_rows_import_nothing_and_each_error_has_its_row(staff, world):
    good_id = id_number("003")
    bad_id = good_id[:-1] + ("0" if good_id[-1] != "0" else "1")
    rows = good_rows() + [
        ["坏手机", "12345", "", "", GRID, "", "", ""],  # row 5
        ["坏身份证", "", bad_id, "", GRID, "", "", ""],  # row 6: check digit
        ["怪类别", "", "", "astronaut", GRID, "", "", ""],  # row 7
        ["隔壁", "13700000009", "", "", SIBLING, "", "", ""],  # row 8: outside the persona's scope
        ["重复", "13700000001", "", "", GRID, "", "", ""],  # row 9: same phone as row 2
    ]
    before = Person.objects.count()
    response = upload(staff, xlsx(rows))
    assert response.status_code == 200
    assert Person.objects.count() == before
    errors = {(e.row, e.column) for e in response.context["errors"]}
    assert errors == {(5, "Mobile"), (6, "ID number"), (7, "Kinds"), (8, "Area code"), (9, "Mobile")}
    messages = {e.row: e.message for e in response.context["errors"]}
    assert "astronaut" in messages[7]
    assert "row 2" in messages[9]
    html = response.content.decode()
    assert response["Content-Language"] == "en"
    assert "Nothing was imported" in html and "?report=1" in html


def test_error_report_is_an_xlsx_with_the_errors_column(staff, world):
    rows = [good_rows()[0], ["坏手机", "12345", "", "", GRID, "", "", ""]]
    upload(staff, xlsx(rows))
    response = staff.get(reverse("people:import") + "?report=1")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = read(response).active
    values = list(ws.values)
    assert values[0] == (*HEADERS, "Errors")
    assert ws.freeze_panes == "A2" and ws["A1"].font.b
    assert values[1][0] == "王芳" and not values[1][-1]
    assert values[2][0] == "坏手机" and values[2][-1].startswith("Mobile:")


def test_corrected_error_report_imports(staff, world):
    upload(staff, xlsx([good_rows()[0], ["坏手机", "12345", "", "", GRID, "", "", ""]]))
    wb = read(staff.get(reverse("people:import") + "?report=1"))
    wb.active["B3"] = "13700000005"
    out = io.BytesIO()
    wb.save(out)
    response = upload(staff, SimpleUploadedFile("fixed.xlsx", out.getvalue()))
    assert response.status_code == 302
    assert Person.objects.filter(phone="13700000005").exists()
    assert staff.get(reverse("people:import") + "?report=1").status_code == 404


@pytest.mark.parametrize("content", [os.urandom(2048), "姓名,手机号\n张三,13700000001\n".encode()])
def test_fake_xlsx_gets_a_clear_message(staff, content):
    before = Person.objects.count()
    response = upload(staff, SimpleUploadedFile("people.xlsx", content, "application/vnd.ms-excel"))
    assert response.status_code == 200
    assert "not an Excel workbook" in " ".join(response.context["form"].errors["file"])
    assert Person.objects.count() == before


def test_missing_required_column_is_reported(staff):
    response = upload(staff, xlsx([["王芳", "13700000001"]], headers=["Name", "Mobile"]))
    assert "Area code" in " ".join(response.context["form"].errors["file"])


def test_reimport_creates_no_duplicates(staff, world):
    upload(staff, xlsx(good_rows()))
    count = Person.objects.count()
    response = upload(staff, xlsx(good_rows()))
    assert response.status_code == 200
    assert Person.objects.count() == count
    messages = {(e.row, e.column): e.message for e in response.context["errors"]}
    assert "already belongs to someone in the registry" in messages[(2, "Mobile")]
    assert "already belongs to someone in the registry" in messages[(4, "ID number")]
    assert {row for row, _col in messages} == {2, 3, 4}


def test_chinese_headers_and_org_code(staff, world):
    firm = orgs.update_org(world.orgs["firm-3708010101"], actor=None, code="91370800MA3FIRM01X")
    headers = ["姓名", "手机号", "身份证号", "类别", "区划代码", "组织代码", "党员", "备注"]
    rows = [["孙丽", "13700000011", "", "Courier", GRID, "91370800MA3FIRM01X", "是", ""]]
    response = upload(staff, xlsx(rows, headers=headers))
    assert response.status_code == 302
    person = Person.objects.get(phone="13700000011")
    assert person.org == firm and person.is_party_member and person.kind_codes == ["courier"]


def test_org_outside_scope_is_an_error(staff, world):
    orgs.update_org(world.orgs["firm-3708010102"], actor=None, code="FIRM-B")
    response = upload(staff, xlsx([["孙丽", "13700000011", "", "", GRID, "FIRM-B", "", ""]]))
    assert [(e.row, e.column) for e in response.context["errors"]] == [(2, "Org code")]


@pytest.mark.parametrize("role", ["grid_worker", "department_handler", "org_department", "resident"])
def test_roles_without_add_get_403(persona_client, role):
    client = persona_client(role)
    assert client.get(reverse("people:import")).status_code == 403
    assert client.get(reverse("people:import_template")).status_code == 403
    assert client.post(reverse("people:import"), {"file": xlsx(good_rows())}).status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("people:import"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_template_has_headers_and_an_example(staff, world):
    response = staff.get(reverse("people:import_template"))
    wb = read(response)
    ws = wb.worksheets[0]
    header, example = list(ws.values)[:2]
    assert "Name" in header and "Area code" in header
    assert example[header.index("Area code")] in {a.code for a in world.areas.values()}
    assert ws["A1"].font.b and ws.freeze_panes == "A2"
    assert len(wb.worksheets) == 2  # the help sheet


def test_export_honours_scope_and_masks_numbers(staff, world):
    response = staff.get(reverse("people:export"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    ws = read(response).active
    rows = list(ws.values)
    header, body = rows[0], rows[1:]
    text = repr(body)
    assert world.marker("3708010101") in text
    for sibling in ("3708010102", "3708010201", "3708020101"):
        assert world.marker(sibling) not in text
    mine = world.people["3708010101"]
    phone_col = header.index("Mobile")
    row = next(r for r in body if r[0] == mine.name)
    assert row[phone_col] == mine.phone_masked != mine.phone
    assert mine.phone not in text
    assert ws["A1"].font.b and ws.freeze_panes == "A2"


def test_export_uses_the_list_filters(staff, world):
    upload(staff, xlsx(good_rows()))
    ws = read(staff.get(reverse("people:export") + "?party=1")).active
    names = [r[0] for r in list(ws.values)[1:]]
    # Of the uploaded people only the party member; the world's own party members (other apps' records) may be
    # listed too, but no one who is not a party member is.
    assert [n for n in names if n in {r[0] for r in good_rows()}] == ["李强"]
    assert names and not Person.objects.filter(name__in=names, is_party_member=False).exists()
    ws = read(staff.get(reverse("people:export") + "?q=" + "MK")).active
    assert [r[0] for r in list(ws.values)[1:]] == [world.people["3708010101"].name]


def test_list_links_to_export_with_its_query(staff):
    html = staff.get(reverse("people:list") + "?q=MK&party=").content.decode()
    assert reverse("people:export") + "?q=MK&amp;party=" in html
    assert reverse("people:import") in html
