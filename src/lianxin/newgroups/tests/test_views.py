
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from lianxin.accounts import services as accounts
from lianxin.duties.models import DutyLog
from lianxin.newgroups import services
from lianxin.newgroups.models import FirmProfile, MeasureDocument
from lianxin.people import services as people
from lianxin.testing import PASSWORD, tiny_jpeg

pytestmark = pytest.mark.django_db


def en(client):
    client.cookies["django_language"] = "en"
    return client


def test_firm_list_filters_and_links(world, firms, persona_client, joint_branch):
    services.change_coverage(services.update_profile(firms["3708010101"], actor=None, formal_members=1),
                             actor=None, after="joint", covering_org=joint_branch)
    client = en(persona_client("org_department"))
    page = client.get("/newgroups/").content.decode()
    for code in ("3708010101", "3708010102", "3708010201"):
        assert f'href="/newgroups/firms/{firms[code].pk}/"' in page
    assert f'/newgroups/firms/{firms["3708020101"].pk}/' not in page
    joint = client.get("/newgroups/", {"coverage": "joint"}).content.decode()
    assert f'/newgroups/firms/{firms["3708010101"].pk}/' in joint
    assert f'/newgroups/firms/{firms["3708010102"].pk}/' not in joint
    below = client.get("/newgroups/", {"coverage": "below"}).content.decode()
    assert f'/newgroups/firms/{firms["3708010101"].pk}/' not in below  # 1 member, joint: meets the rule
    assert f'/newgroups/firms/{firms["3708010102"].pk}/' in below
    town = client.get("/newgroups/", {"area": world.areas["37080102"].pk}).content.decode()
    assert f'/newgroups/firms/{firms["3708010201"].pk}/' in town
    assert f'/newgroups/firms/{firms["3708010101"].pk}/' not in town


def test_contact_number_masked_for_viewers(world, firms, persona_client):
    firm = services.update_profile(firms["3708010101"], actor=None, contact_phone="13912345678")
    url = f"/newgroups/firms/{firm.pk}/"
    assert "13912345678" in persona_client("industry_committee_staff").get(url).content.decode()
    page = persona_client("community_staff").get(url).content.decode()
    assert "13912345678" not in page and "139****5678" in page


def test_create_and_edit_firm(world, persona_client):
    client = en(persona_client("industry_committee_staff"))
    committee = world.orgs["industry-370801"]
    r = client.post("/newgroups/new/", {"name": "新开网点", "committee": committee.pk, "area": "3708010201",
                                        "workers": 12, "formal_members": 2, "probationary_members": 0,
                                        "contact_phone": "13800001234"})
    firm = FirmProfile.objects.get(org__name="新开网点")
    assert r.status_code == 302 and firm.org.parent == committee and firm.org.kind == "firm"
    assert firm.coverage == "none" and firm.coverage_changes.count() == 1
    r = client.post(f"/newgroups/firms/{firm.pk}/edit/", {"workers": 20, "formal_members": 3,
                                                          "probationary_members": 1, "committee": committee.pk,
                                                          "registered_on": firm.registered_on.isoformat()})
    firm.refresh_from_db()
    assert r.status_code == 302 and firm.formal_members == 3 and firm.contact_phone == "13800001234"
    # Outside the committee's county: refused, nothing created.
    r = client.post("/newgroups/new/", {"name": "外县网点", "committee": committee.pk, "area": "3708020101",
                                        "workers": 1, "formal_members": 0, "probationary_members": 0})
    assert not FirmProfile.objects.filter(org__name="外县网点").exists()


def test_assign_visit_and_retry_does_not_duplicate(world, firms, persona_client):
    firm = firms["3708010101"]
    staff = en(persona_client("industry_committee_staff"))
    instructor = world.users["instructor"]
    r = staff.post(f"/newgroups/firms/{firm.pk}/instructor/", {"instructor": instructor.pk})
    assert r.status_code == 302 and services.current_instructor(firm) == instructor
    staff.logout()
    client = en(persona_client("instructor"))
    mine = client.get("/newgroups/mine/").content.decode()
    assert f'href="/newgroups/firms/{firm.pk}/"' in mine
    data = {"method": "visit", "notes": "走访座谈", "key": "k-1",
            "photo": SimpleUploadedFile("p.jpg", tiny_jpeg(), "image/jpeg")}
    client.post(f"/newgroups/firms/{firm.pk}/visit/", data)
    data["photo"] = SimpleUploadedFile("p.jpg", tiny_jpeg(), "image/jpeg")
    client.post(f"/newgroups/firms/{firm.pk}/visit/", data)
    assert DutyLog.objects.filter(kind="firm_visit", subject_id=firm.pk).count() == 1
    assert services.firm_obligations(firm).filter(fulfilled_by__isnull=False).count() == 1


def test_coverage_post_with_bad_evidence_changes_nothing(world, firms, persona_client, joint_branch):
    firm = firms["3708010101"]
    client = en(persona_client("org_department"))
    r = client.post(f"/newgroups/firms/{firm.pk}/coverage/", {"after": "own", "covering_org": joint_branch.pk},
                    follow=True)
    assert b"under the firm" in r.content
    assert firm.coverage_changes.count() == 1
    client.post(f"/newgroups/firms/{firm.pk}/coverage/", {"after": "joint", "covering_org": joint_branch.pk})
    firm.refresh_from_db()
    assert firm.coverage == "joint"


def test_measures_by_level_with_file(world, persona_client):
    client = en(persona_client("org_department"))
    committee = world.orgs["industry-370801"]
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    r = client.post("/newgroups/measures/new/", {
        "level": "industry", "org": committee.pk, "title": "快递行业党建措施", "number": "快党发〔2026〕1号",
        "issued_on": "2026-01-05", "file": SimpleUploadedFile("m.pdf", pdf, "application/pdf")})
    doc = MeasureDocument.objects.get(title="快递行业党建措施")
    assert r.status_code == 302 and doc.area == committee.area and doc.file.content_type == "application/pdf"
    assert client.get(f"/newgroups/measures/{doc.pk}/file").status_code == 200
    bad = client.post("/newgroups/measures/new/", {"level": "town", "title": "x", "issued_on": "2026-01-05"})
    assert bad.status_code == 200 and not MeasureDocument.objects.filter(title="x").exists()
    # The industry committee's staff reach it through their org grant, file included.
    staff = persona_client("industry_committee_staff")
    assert staff.get(f"/newgroups/measures/{doc.pk}/file").status_code == 200
    # The city's measures are read everywhere measures are read.
    city = services.add_measure(actor=None, level="city", org=world.orgs["committee"], title="市级措施",
                                issued_on=doc.issued_on)
    town = en(persona_client("town_staff"))
    assert "市级措施" in town.get("/newgroups/measures/").content.decode()
    assert town.get(f"/newgroups/measures/{city.pk}/").status_code == 200
    assert persona_client("resident").get(f"/newgroups/measures/{city.pk}/").status_code == 404


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_page_of_the_app_renders(world, client, language):
    from lianxin.core.tests.test_permission_matrix import home_url, routes

    client.cookies["django_language"] = language
    client.force_login(world.users["administrator"], backend="django.contrib.auth.backends.ModelBackend")
    mine = {name: r for name, r in routes().items() if name.startswith("newgroups:")}
    assert len(mine) > 20
    for name, (pattern, scope) in mine.items():
        response = client.get(home_url(world, name, pattern, scope))
        assert response.status_code in (200, 302, 405), f"{name}: {response.status_code}"


def test_closeout_history_shows_the_moves_in_words(world, persona_client):
    item = world.samples["newgroups.closeoutitem"]["3708010101"]
    client = persona_client("industry_committee_staff")
    client.cookies["django_language"] = "en"
    page = client.get(reverse("newgroups:closeout", args=[item.pk])).content.decode()
    history = page.split('<ol class="timeline">')[1].split("</ol>")[0]
    assert "Reported" in history and "</strong> report " not in history


def _instructor(world, n):
    person = people.create_person(actor=None, name=f"指导员 {n}", area=world.areas["370801"])
    return accounts.create_account(actor=None, username=f"inst_{n}", person=person, area=world.areas["370801"],
                                   password=PASSWORD, grants=[("instructor", {"org": world.orgs["industry-370801"]})])


@pytest.mark.parametrize("route", ["list", "detail"])
def test_firm_pages_queries_do_not_grow_with_instructors(world, firms, persona_client, route):
    client = persona_client("administrator")
    home = firms["3708010101"]
    url = reverse("newgroups:firms") if route == "list" else reverse("newgroups:firm", args=[home.pk])

    def count():
        with CaptureQueriesContext(connection) as q:
            assert client.get(url).status_code == 200
        return len(q)

    services.assign_instructor(home, instructor=_instructor(world, 0), actor=None)
    few = count()
    for n, code in enumerate(("3708010102", "3708010201", "3708020101"), 1):
        firm = home if route == "detail" else firms[code]
        services.assign_instructor(firm, instructor=_instructor(world, n), actor=None)
    assert count() == few


def test_instructor_list_queries_do_not_grow_with_the_firms(world, firms, client):
    instructor = _instructor(world, 9)
    client.force_login(instructor, backend="django.contrib.auth.backends.ModelBackend")

    def count():
        with CaptureQueriesContext(connection) as q:
            page = client.get(reverse("newgroups:mine"))
        assert page.status_code == 200
        return len(q), page.content.decode()

    services.assign_instructor(firms["3708010101"], instructor=instructor, actor=None)
    few, _page = count()
    for code in ("3708010102", "3708010201"):
        services.assign_instructor(firms[code], instructor=instructor, actor=None)
    many, page = count()
    assert many == few
    assert page.count('id="firm-') == 3


def test_firm_list_and_exports_show_the_instructors_name(world, firms, persona_client):
    instructor = _instructor(world, 5)
    services.assign_instructor(firms["3708010101"], instructor=instructor, actor=None)
    client = persona_client("administrator")
    page = client.get(reverse("newgroups:firms")).content.decode()
    row = page.split(f'<tr data-firm="{firms["3708010101"].pk}">')[1].split("</tr>")[0]
    assert "指导员 5" in row and instructor.username not in page
    for name in ("newgroups:export", "newgroups:instructors_export"):
        book = load_workbook(io.BytesIO(client.get(reverse(name)).content))
        values = {str(c) for sheet in book for r in sheet.iter_rows(values_only=True) for c in r}
        assert "指导员 5" in values and instructor.username not in values, name
