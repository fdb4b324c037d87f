import io

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from lianxin.accounts.models import RoleGrant, User
from lianxin.core.excel import REDACTED
from lianxin.orgs import services as orgs
from lianxin.people.models import Person

HEADERS = ["Username", "Person", "Name", "Mobile", "Area code", "Roles", "Granted at", "Initial password"]
COMMUNITY = "3708010101"
GRID = "3708010101001"
STRONG = "Lianxin-Import-2026"


def xlsx(rows, headers=HEADERS) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("accounts.xlsx", out.getvalue())


pytestmark = pytest.mark.usefixtures("english_client")  # messages asserted in English


@pytest.fixture
def admin(persona_client):
    return persona_client("administrator")


def good_rows(world):
    existing = world.people[COMMUNITY]
    return [
        # An existing person, found by mobile; password sign-in; roles granted at the grid.
        ["grid_wang", existing.phone, "", "", "", "grid_worker", GRID, STRONG],
        # A new person from name + mobile + area; SMS only; one role here and one at an org.
        ["staff_li", "", "李静", "13600000001", COMMUNITY, "community_staff, town_staff@37080101", "", ""],
    ]


def post(client, file):
    return client.post(reverse("accounts:import"), {"file": file})


def test_good_file_creates_accounts_people_and_grants(admin, world):
    response = post(admin, xlsx(good_rows(world)))
    assert response.status_code == 302, response.context and response.context["errors"]
    wang = User.objects.get(username="grid_wang")
    assert wang.person == world.people[COMMUNITY] and wang.check_password(STRONG)
    assert wang.area == world.people[COMMUNITY].area
    assert [(g.role, g.area.code) for g in wang.grants.all()] == [("grid_worker", GRID)]
    li = User.objects.get(username="staff_li")
    assert not li.has_usable_password()
    assert li.person.name == "李静" and li.person.phone == "13600000001" and li.area.code == COMMUNITY
    grants = {(g.role, g.area.code) for g in li.grants.all()}
    assert grants == {("community_staff", COMMUNITY), ("town_staff", "37080101")}
    actor = world.users["administrator"]
    for obj in (wang, li, li.person):
        entries = LogEntry.objects.get_for_object(obj)
        assert entries.filter(action=LogEntry.Action.CREATE, actor=actor).exists()


def test_bad_rows_import_nothing(admin, world):
    rows = good_rows(world) + [
        ["P_Community", "", "周", "13600000002", COMMUNITY, "", "", ""],  # row 4: username taken
        ["grid_wang", "", "吴", "13600000003", COMMUNITY, "", "", ""],  # row 5: username twice in the file
        ["new_one", "13600009999", "", "", "", "", "", ""],  # row 6: no such person
        ["new_two", "", "郑", "13600000004", COMMUNITY, "astronaut", "", ""],  # row 7: unknown role
        ["new_three", "", "冯", "13600000005", COMMUNITY, "", "", "12345"],  # row 8: weak password
        ["new_four", "", "陈", "13600000006", COMMUNITY, "department_handler", "", ""],  # row 9: needs an org
    ]
    users, people = User.objects.count(), Person.objects.count()
    response = post(admin, xlsx(rows))
    assert response.status_code == 200
    assert (User.objects.count(), Person.objects.count()) == (users, people)
    cells = {(e.row, e.column) for e in response.context["errors"]}
    assert "taken" in next(e.message for e in response.context["errors"] if e.row == 4)
    assert cells == {(4, "Username"), (5, "Username"), (6, "Person"), (7, "Roles"), (8, "Initial password"),
                     (9, "Roles")}
    report = load_workbook(io.BytesIO(admin.get(reverse("accounts:import") + "?report=1").content)).active
    values = list(report.values)
    assert values[0][-1] == "Errors"
    assert values[1][7] == REDACTED  # the password never goes back out
    assert STRONG not in repr(values) and "12345" not in repr(values[7][:-1])


def test_redacted_password_is_rejected(admin, world):
    response = post(admin, xlsx([["zz", "", "钱", "13600000007", COMMUNITY, "", "", REDACTED]]))
    assert [(e.row, e.column) for e in response.context["errors"]] == [(2, "Initial password")]


def test_grant_at_an_org_by_code(client, world):
    orgs.update_org(world.orgs["industry-370801"], actor=None, code="IND-A")
    root = User.objects.create_superuser("root", password=STRONG)
    client.force_login(root, backend="django.contrib.auth.backends.ModelBackend")
    both = "industry_committee_staff@IND-A,county_staff"
    rows = [["ind_sun", "", "孙", "13600000011", "370801", "industry_committee_staff", "IND-A", ""],
            ["ind_li", "", "李", "13600000012", "370801", both, "", ""]]
    response = post(client, xlsx(rows))
    assert response.status_code == 302
    assert User.objects.get(username="ind_sun").grants.get().org.code == "IND-A"
    li = User.objects.get(username="ind_li")
    grants = {(g.role, g.org.code if g.org_id else g.area.code) for g in li.grants.all()}
    assert grants == {("industry_committee_staff", "IND-A"), ("county_staff", "370801")}


def test_reimport_is_refused_row_by_row(admin, world):
    post(admin, xlsx(good_rows(world)))
    users = User.objects.count()
    response = post(admin, xlsx(good_rows(world)))
    assert User.objects.count() == users
    messages = {}
    for e in response.context["errors"]:
        messages[(e.row, e.column)] = messages.get((e.row, e.column), "") + e.message
    assert set(messages) == {(2, "Person"), (3, "Mobile")}
    assert "already has an account" in messages[(2, "Person")]
    assert "already belongs to someone in the registry" in messages[(3, "Mobile")]


def test_chinese_headers(admin, world):
    headers = ["用户名", "人员", "姓名", "手机号", "区划代码", "角色", "授权范围", "初始密码"]
    rows = [["cn_user", "", "褚", "13600000008", COMMUNITY, "resident", "", ""]]
    response = post(admin, xlsx(rows, headers))
    assert response.status_code == 302
    assert User.objects.get(username="cn_user").grants.get().role == "resident"


def test_fake_file(admin):
    response = post(admin, SimpleUploadedFile("accounts.xlsx", b"username,person\nx,y\n"))
    assert "not an Excel workbook" in " ".join(response.context["form"].errors["file"])


@pytest.mark.parametrize("role", ["community_staff", "county_staff", "org_department", "grid_worker"])
def test_only_account_admins_may_import(persona_client, role):
    client = persona_client(role)
    assert client.get(reverse("accounts:import")).status_code == 403
    assert client.get(reverse("accounts:import_template")).status_code == 403


def test_template(admin):
    response = admin.get(reverse("accounts:import_template"))
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header, example = list(ws.values)[:2]
    assert header[0] == "Username" and example[0] == "zhangsan"
    assert "Initial password" in header


def test_list_and_nav_link_to_import(admin):
    html = admin.get(reverse("accounts:list")).content.decode()
    assert html.count(reverse("accounts:import")) == 2  # nav entry and list button
    assert RoleGrant.objects.exists()
