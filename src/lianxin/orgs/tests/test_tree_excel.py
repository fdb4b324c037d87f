"""The organisation tree in Excel: rows named by ID (or code), the export reads back unchanged, a re-import
renames and moves in place, loops and bad rows change nothing, and the importer's scope holds."""


import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lianxin.core.testkit import exported_rows, xlsx_bytes
from lianxin.orgs import services
from lianxin.orgs.models import Org

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_client")]

URL = reverse("orgs:import")
HEADERS = ["ID", "Code", "Name", "Kind", "Parent ID", "Parent code", "Area code"]


@pytest.fixture
def admin(persona_client):
    return persona_client("administrator")


def xlsx(rows, headers=HEADERS, name="orgs.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, xlsx_bytes(headers, rows))


def export(client) -> list[tuple]:
    return exported_rows(client, reverse("orgs:export"))


def snapshot():
    return {o.pk: (o.code, o.name, o.short_name, o.kind, o.parent_id, o.path, o.area_id, o.industry, o.is_active,
                   o.updated_at) for o in Org.objects.all()}


def errors(response) -> set[tuple[int, str]]:
    return {(e.row, e.column) for e in response.context["errors"]}


def test_export_names_each_org_and_its_parent_by_id(admin, world):
    rows = export(admin)
    assert rows[0] == ("ID", "Code", "Name", "Short name", "Kind", "Parent ID", "Parent code",
                       "Parent organisation", "Area code", "Area name", "Industry", "Active")
    firm, industry = world.orgs["firm-3708010101"], world.orgs["industry-370801"]
    by_id = {r[0]: r for r in rows[1:]}
    assert set(by_id) == set(Org.objects.values_list("pk", flat=True))
    assert tuple(v or None for v in by_id[firm.pk][2:]) == (
        firm.name, None, "Firm", industry.pk, None, industry.name, "3708010101", "甲一社区", "Express delivery", "Yes")


def test_export_query_count_does_not_grow_with_the_tree(admin, world):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            export(admin)
        return len(ctx)

    before = count()
    for i in range(30):
        services.create_org(actor=None, parent=world.orgs["firm-3708010101"], kind="branch", name=f"支部{i}",
                            area=world.areas["3708010101"])
    assert count() == before


def test_reimporting_the_export_changes_nothing(admin, world, client, settings):
    for language in ("en", "zh-hans"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        before, logs = snapshot(), LogEntry.objects.count()
        rows = export(admin)
        response = admin.post(URL, {"file": xlsx(rows[1:], headers=list(rows[0]))})
        assert response.status_code == 302 and response["Location"] == reverse("orgs:tree")
        assert snapshot() == before and LogEntry.objects.count() == logs


def test_a_reimport_renames_and_moves_in_place(admin, world):
    firm, dept = world.orgs["firm-3708010101"], world.orgs["dept-370801"]
    person = world.people["3708010101"]
    rows = [
        # A new branch under the firm, named by the firm's new code, above the firm's row.
        ["", "BR-1", "网点党支部", "党支部", "", "FIRM-1", "3708010101"],
        [firm.pk, "FIRM-1", "快递网点（改名）", "firm", dept.pk, "", "3708010101"],
    ]
    response = admin.post(URL, {"file": xlsx(rows)})
    assert response.status_code == 302, response.context and response.context["errors"]
    firm.refresh_from_db()
    assert (firm.name, firm.code, firm.parent_id, firm.area_id) == ("快递网点（改名）", "FIRM-1", dept.pk,
                                                                    world.areas["3708010101"].pk)
    assert firm.path == f"{dept.path}{firm.pk}/"
    branch = Org.objects.get(code="BR-1")
    assert branch.parent_id == firm.pk and branch.kind == "branch" and branch.path.startswith(firm.path)
    person.refresh_from_db()
    assert person.org_id == firm.pk and person.area_id == world.areas["3708010101-G"].pk
    assert firm.industry == "express"  # no Industry column in the file: left as it was

    # Without an ID, a row with a known code updates that organisation.
    response = admin.post(URL, {"file": xlsx([["", "BR-1", "网点联合党支部", "branch", "", "FIRM-1", "3708010101"]])})
    assert response.status_code == 302
    branch.refresh_from_db()
    assert branch.name == "网点联合党支部" and Org.objects.filter(code="BR-1").count() == 1


def test_loops_and_bad_rows_are_reported_and_nothing_changes(admin, world):
    industry, firm, dept = world.orgs["industry-370801"], world.orgs["firm-3708010101"], world.orgs["dept-370801"]
    before, logs = snapshot(), LogEntry.objects.count()
    rows = [
        [industry.pk, "", industry.name, "industry_committee", firm.pk, "", "370801"],  # 2: under its own firm
        ["", "A", "甲", "branch", "", "B", "370801"],  # 3: a loop of two new rows
        ["", "B", "乙", "branch", "", "A", "370801"],  # 4
        ["", "C", "丙", "branch", 999999, "", "370801"],  # 5: unknown parent ID
        ["", "C", "丙二", "branch", "", "", "370801"],  # 6: the code of row 5 again
        ["", "D", "丁", "choir", "", "", "370801"],  # 7: unknown kind
        ["", "E", "戊", "branch", "", "", "370899"],  # 8: unknown area
        ["", "F", "己", "branch", industry.pk, "A", "370801"],  # 9: parent ID and code disagree
        [dept.pk, "", dept.name, "department", dept.pk, "", "370801"],  # 10: its own parent
    ]
    response = admin.post(URL, {"file": xlsx(rows)})
    assert response.status_code == 200
    assert snapshot() == before and LogEntry.objects.count() == logs
    assert errors(response) == {
        (2, "Parent ID"), (3, "Parent code"), (4, "Parent code"), (5, "Parent ID"), (6, "Code"), (7, "Kind"),
        (8, "Area code"), (9, "Parent ID"), (10, "Parent ID"),
    }
    messages = {(e.row, e.column): e.message for e in response.context["errors"]}
    assert "loop" in messages[(2, "Parent ID")] and "loop" in messages[(3, "Parent code")]
    assert "999999" in messages[(5, "Parent ID")] and "row 5" in messages[(6, "Code")]


def test_county_staff_import_within_their_county(persona_client, world):
    staff = persona_client("county_staff")
    rows = export(staff)
    names = {r[2] for r in rows[1:]}
    assert world.orgs["industry-370801"].name in names and world.orgs["industry-370802"].name not in names
    before = snapshot()
    # Their own export reads back, although the industry committee's parent is outside their scope.
    assert staff.post(URL, {"file": xlsx(rows[1:], headers=list(rows[0]))}).status_code == 302
    assert snapshot() == before
    firm, other = world.orgs["firm-3708010101"], world.orgs["dept-370802"]
    response = staff.post(URL, {"file": xlsx([
        ["", "", "新企业", "firm", "", "", "3708020101"],  # 2: in the other county
        [firm.pk, "", firm.name, "firm", world.orgs["industry-370802"].pk, "", "3708010101"],  # 3: moved there
        [other.pk, "", "改名", "department", "", "", "370802"],  # 4: an org of the other county
        ["", "", "县直新部门", "department", "", "", "370801"],  # 5: fine
    ])})
    assert response.status_code == 200 and snapshot() == before
    assert errors(response) == {(2, "Area code"), (3, "Parent ID"), (4, "ID"), (4, "Area code")}


def test_only_who_may_change_orgs_may_import_them(persona_client, world):
    for role in ("community_staff", "department_handler"):
        client = persona_client(role)
        assert client.get(URL).status_code == 403
        assert client.get(reverse("orgs:export")).status_code == 200
    assert persona_client("resident").get(reverse("orgs:export")).status_code == 403
    page = persona_client("town_staff").get(reverse("orgs:tree")).content.decode()
    assert reverse("orgs:import") in page and reverse("orgs:export") in page
    assert persona_client("town_staff").get(URL).status_code == 200
