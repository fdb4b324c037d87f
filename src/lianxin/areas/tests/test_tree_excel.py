"""The area tree in Excel: the export reads back unchanged, a re-import renames and moves in place (every record
keeps its area), bad rows change nothing, and the importer's scope holds."""

import io

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from lianxin.accounts import services as accounts
from lianxin.areas import services
from lianxin.areas.models import Area
from lianxin.core.importing import run_import_job
from lianxin.core.models import ImportJob
from lianxin.core.testkit import exported_rows, xlsx_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_client")]

HEADERS = ["Division code", "Name", "Level", "Parent code"]
URL = reverse("areas:import")


@pytest.fixture
def admin(persona_client):
    return persona_client("administrator")


def xlsx(rows, headers=HEADERS, name="areas.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, xlsx_bytes(headers, rows))


def export(client) -> list[tuple]:
    return exported_rows(client, reverse("areas:export"))


def reupload(rows: list[tuple], name="areas.xlsx") -> SimpleUploadedFile:
    return xlsx(rows[1:], headers=list(rows[0]), name=name)


def snapshot():
    return {a.pk: (a.code, a.name, a.kind, a.parent_id, a.path, a.is_demo_code, a.updated_at)
            for a in Area.objects.all()}


def errors(response) -> set[tuple[int, str]]:
    return {(e.row, e.column) for e in response.context["errors"]}


def county_admin(world, code="370801"):
    return accounts.create_account(actor=None, username=f"admin-{code}", person=None, area=world.areas[code],
                                   grants=[("administrator", {"area": world.areas[code]})])


def test_export_has_one_row_per_visible_area_parents_first(admin, world, persona_client):
    rows = export(admin)
    assert rows[0] == ("Division code", "Name", "Level", "Parent code", "Parent name", "Made-up code")
    by_code = {r[0]: r for r in rows[1:]}
    assert set(by_code) == set(Area.objects.values_list("code", flat=True))
    assert by_code["3708010102"] == ("3708010102", "甲一村", "Community / village", "37080101", "甲一镇", "No")
    assert not by_code["370800"][3]  # the city: no parent
    codes = [r[0] for r in rows[1:]]
    assert all(codes.index(r[3]) < codes.index(r[0]) for r in rows[1:] if r[3])

    county = [r[0] for r in export(persona_client("county_staff"))[1:]]
    assert "370801" in county and "3708010101001" in county
    assert not {"370800", "370802", "3708020101"} & set(county)


def test_export_query_count_does_not_grow_with_the_tree(admin, world):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            export(admin)
        return len(ctx)

    before = count()
    for i in range(30):
        services.create_area(actor=None, kind="grid", code=f"3708010101{i + 100}", name=f"网格{i}",
                             parent=world.areas["3708010101"])
    assert count() == before


def test_reimporting_the_export_changes_nothing(admin, world):
    before, logs = snapshot(), LogEntry.objects.count()
    rows = export(admin)
    response = admin.post(URL, {"file": reupload(rows)})
    assert response.status_code == 302 and response["Location"] == reverse("areas:tree")
    assert snapshot() == before
    assert LogEntry.objects.count() == logs


def test_the_chinese_export_reads_back_too(client, admin, world, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    rows = export(admin)
    assert rows[0][:4] == ("区划代码", "名称", "层级", "上级代码")
    before = snapshot()
    assert admin.post(URL, {"file": reupload(rows)}).status_code == 302
    assert snapshot() == before


def test_a_reimport_renames_and_moves_in_place_and_every_record_keeps_its_area(admin, world):
    village, grid = world.areas["3708010102"], world.areas["3708010102-G"]
    person, case = world.people["3708010102"], world.cases["3708010102"]
    firm = world.orgs["firm-3708010102"]
    rows = export(admin)
    header, body = rows[0], [list(r) for r in rows[1:]]
    for r in body:
        if r[0] == village.code:
            r[1], r[3] = "甲一新村", "37080102"  # renamed and moved to the other town
    # A new town and its community, the community above its town in the file.
    body.insert(1, ["3708010301", "甲三社区", "社区", "37080103", "", ""])
    body.append(["37080103", "甲三镇", "town", "370801", "", "否"])
    response = admin.post(URL, {"file": xlsx(body, headers=list(header))})
    assert response.status_code == 302, response.context and response.context["errors"]

    village.refresh_from_db()
    grid.refresh_from_db()
    town2 = world.areas["37080102"]
    assert (village.name, village.parent_id) == ("甲一新村", town2.pk)
    assert village.path == f"{town2.path}{village.pk}/" and grid.path == f"{village.path}{grid.pk}/"
    person.refresh_from_db()
    case.refresh_from_db()
    firm.refresh_from_db()
    assert person.area_id == grid.pk and case.area_id == grid.pk and firm.area_id == village.pk
    new_town = Area.objects.get(code="37080103")
    assert new_town.parent == world.areas["370801"]
    assert Area.objects.get(code="3708010301").parent == new_town
    entry = LogEntry.objects.get_for_object(village).latest("timestamp")
    assert entry.actor == world.users["administrator"] and "name" in entry.changes_dict


def test_bad_rows_are_reported_each_on_its_row_and_nothing_changes(admin, world):
    before, logs = snapshot(), LogEntry.objects.count()
    rows = [
        ["3708010103", "甲一新社区", "community", "37080101"],  # row 2: good
        ["3708010104", "无上级", "community", "37089999"],  # row 3: unknown parent
        ["37080199", "错层镇", "town", "370800"],  # row 4: a town under the city
        ["3708010103", "重复", "community", "37080101"],  # row 5: the code of row 2 again
        ["37A8", "字母", "community", "37080101"],  # row 6: not digits
        ["3708010105", "怪层级", "planet", "37080101"],  # row 7: unknown level
        ["3708010101", "改层级", "town", "37080101"],  # row 8: an existing community made a town
        ["", "", "", ""] + ["x"],  # row 9: an empty row but for an extra cell: code, name and level missing
    ]
    response = admin.post(URL, {"file": xlsx(rows, headers=[*HEADERS, "Notes"])})
    assert response.status_code == 200
    assert snapshot() == before and LogEntry.objects.count() == logs
    assert errors(response) == {
        (3, "Parent code"), (4, "Parent code"), (5, "Division code"), (6, "Division code"), (7, "Level"),
        (8, "Level"), (9, "Division code"), (9, "Name"), (9, "Level"),
    }
    messages = {(e.row, e.column): e.message for e in response.context["errors"]}
    assert "37089999" in messages[(3, "Parent code")]
    assert messages[(4, "Parent code")] == "A Town / street must sit under a County / district."
    assert "row 2" in messages[(5, "Division code")]
    assert "planet" in messages[(7, "Level")]
    assert "Nothing was imported" in response.content.decode()


def test_row_errors_come_in_chinese_by_default(client, admin, world, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    response = admin.post(URL, {"file": xlsx([["3708010104", "无上级", "社区", "37089999"],
                                              ["3708010105", "怪层级", "星球", "37080101"]])})
    parent, level = response.context["errors"]
    assert parent.column == "上级代码" and "37089999" in parent.message and "There is" not in parent.message
    assert level.column == "层级" and "星球" in level.message and "、网格" in level.message


def test_a_county_administrator_stays_in_the_county(client, world):
    admin_a = county_admin(world)
    client.force_login(admin_a, backend="django.contrib.auth.backends.ModelBackend")
    rows = export(client)
    assert {r[0] for r in rows[1:]} >= {"370801", "3708010101"} and "370802" not in {r[0] for r in rows[1:]}
    before = snapshot()
    # Its own export reads back although the county's parent (the city) is outside its scope.
    assert client.post(URL, {"file": reupload(rows)}).status_code == 302
    assert snapshot() == before
    response = client.post(URL, {"file": xlsx([
        ["3708010101", "甲一社区", "community", "37080201"],  # row 2: moved into the other county
        ["37080202", "乙二镇", "town", "370802"],  # row 3: a town added in the other county
        ["370803", "丙县", "county", "370800"],  # row 4: a county beside its own
        ["3708020101", "甲一新村", "community", "37080101"],  # row 5: a code used in the other county
    ])})
    assert response.status_code == 200 and snapshot() == before
    assert errors(response) == {(2, "Parent code"), (3, "Parent code"), (4, "Parent code"), (5, "Division code")}
    messages = {e.row: e.message for e in response.context["errors"]}
    assert all("in your scope" in messages[row] for row in (2, 3, 4))
    assert "already exists" in messages[5]


def test_a_row_under_a_refused_row_says_so(client, world):
    client.force_login(county_admin(world), backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(URL, {"file": xlsx([
        ["3708010301", "甲三社区", "community", "3708020101"],  # row 2: under row 3
        ["3708020101", "甲三镇", "town", "370801"],  # row 3: its code is used in the other county
    ])})
    assert [(e.row, e.column) for e in response.context["errors"]] == [(2, ""), (3, "Division code")]
    assert response.context["errors"][0].message == "Its parent, row 3, could not be imported."
    assert not Area.objects.filter(code="3708010301").exists()


def test_only_who_may_change_areas_may_import_them(persona_client, world):
    for role in ("county_staff", "org_department", "community_staff"):
        client = persona_client(role)
        assert client.get(URL).status_code == 403
        assert client.post(URL, {"file": xlsx([["3708010109", "新", "community", "37080101"]])}).status_code == 403
        assert client.get(reverse("areas:export")).status_code == 200
    assert persona_client("resident").get(reverse("areas:export")).status_code == 403
    assert not Area.objects.filter(code="3708010109").exists()


def test_the_tree_page_links_export_and_import(admin, world, persona_client):
    page = admin.get(reverse("areas:tree")).content.decode()
    assert reverse("areas:export") in page and reverse("areas:import") in page
    page = persona_client("county_staff").get(reverse("areas:tree")).content.decode()
    assert reverse("areas:export") in page and reverse("areas:import") not in page


def test_the_template_has_the_columns_and_an_example_under_a_real_area(admin, world):
    response = admin.get(reverse("areas:import_template"))
    wb = load_workbook(io.BytesIO(response.content))
    header, example = list(wb.worksheets[0].values)[:2]
    assert header[:4] == tuple(HEADERS) and example[3] == "370800" and example[2] == "County / district"
    assert "Help" in wb.sheetnames


def test_a_long_file_is_imported_in_the_background_all_or_nothing(admin, world, settings,
                                                                  django_capture_on_commit_callbacks):
    settings.IMPORT_SYNC_ROWS = 3
    rows = [list(r) for r in export(admin)]
    for r in rows[1:]:
        if r[0] == "3708010101":
            r[1] = "甲一新社区"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(URL, {"file": reupload(rows)})
    job = ImportJob.objects.get(name="areas")
    assert response.status_code == 302 and response["Location"] == f"{URL}?job={job.pk}"
    assert run_import_job.call(job.pk) == "done"
    assert Area.objects.get(code="3708010101").name == "甲一新社区"
    job.refresh_from_db()
    assert job.created_count == len(rows) - 1
