"""The care pages: the care cadre's phone list and logging, statistics, Excel import, scoping."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from lianxin.care import services as care
from lianxin.care.models import Liaison, Retiree
from lianxin.duties.models import DutyLog
from lianxin.people import services as people

from .conftest import at

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.cookies["django_language"] = "en"
    return client


def stats_row(client, code, **params):
    response = client.get(reverse("care:stats"), params)
    assert response.status_code == 200
    return next(r for r in response.context["rows"] if r["area"].code == code)


def test_phone_log_changes_the_area_compliance(world, client, retiree, cadre, travel):
    travel(at(2026, 3, 10))
    r = retiree()
    county = login(client, world.users["county_staff"])
    before = stats_row(county, "370801", period="quarter")
    assert (before["visit"]["due"], before["visit"]["fulfilled"], before["total"]["rate"]) == (1, 0, 0.0)
    client.logout()
    login(client, cadre)
    page = client.get(reverse("care:mine"))
    assert page.status_code == 200
    cards = page.context["due"]
    assert {o.plan.kind for o in cards} == {"contact", "visit"} and all(o.retiree == r for o in cards)
    photo = SimpleUploadedFile("v.jpg", _jpeg(), "image/jpeg")
    data = {"method": "visit", "notes": "身体不错", "key": "k-1", "photo": photo}
    response = client.post(reverse("care:log", args=[r.pk]), data)
    assert response.status_code == 302
    # A double tap (same key) stores one log.
    client.post(reverse("care:log", args=[r.pk]), {"method": "visit", "notes": "身体不错", "key": "k-1",
                                                   "photo": SimpleUploadedFile("v.jpg", _jpeg(), "image/jpeg")})
    assert DutyLog.objects.count() == 1 and DutyLog.objects.get().photos.count() == 1
    assert client.get(reverse("care:mine")).context["due"] == []
    client.logout()
    after = stats_row(login(client, world.users["county_staff"]), "370801", period="quarter")
    assert (after["visit"]["fulfilled"], after["contact"]["fulfilled"], after["total"]["rate"]) == (1, 1, 1.0)
    # The community row agrees; the sibling town has nothing.
    assert stats_row(client, "37080101", period="quarter")["total"]["rate"] == 1.0
    assert stats_row(client, "37080102", period="quarter")["total"]["due"] == 0


def test_a_carer_logs_only_for_their_retirees(world, client, retiree, cadre_b, travel):
    travel(at(2026, 3, 10))
    r = retiree()
    login(client, cadre_b)
    assert client.post(reverse("care:log", args=[r.pk]), {"method": "phone", "key": "x"}).status_code == 404
    assert client.get(reverse("care:detail", args=[r.pk])).status_code == 404
    # Staff see the retiree but may not log in the carer's name.
    login(client, world.users["community_staff"])
    client.post(reverse("care:log", args=[r.pk]), {"method": "phone", "key": "y"})
    assert DutyLog.objects.count() == 0


def test_scoping_of_list_detail_and_stats(world, client, retiree, cadre, cadre_b):
    mine = retiree()
    other = retiree("3708020101", carer=cadre_b)
    login(client, world.users["county_staff"])
    page = client.get(reverse("care:list")).content.decode()
    assert reverse("care:detail", args=[mine.pk]) in page
    assert reverse("care:detail", args=[other.pk]) not in page
    assert client.get(reverse("care:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("care:detail", args=[mine.pk])).status_code == 200
    codes = {r["area"].code for r in client.get(reverse("care:stats")).context["rows"]}
    assert "370802" not in codes and "370801" in codes
    # A care cadre sees exactly the retirees assigned to them.
    assert set(Retiree.objects.visible_to(cadre)) == {mine}
    login(client, cadre)
    page = client.get(reverse("care:list")).content.decode()
    assert reverse("care:detail", args=[mine.pk]) in page and world.marker("3708010101") not in page
    assert client.get(reverse("care:stats")).status_code == 403


def test_plan_entry_and_status_through_the_page(world, client, retiree, cadre):
    r = retiree()
    login(client, cadre)
    client.post(reverse("care:plan_entry", args=[r.pk]), {"need": "助餐", "measure": "联系食堂"})
    assert r.plan_entries.count() == 1
    assert client.post(reverse("care:status", args=[r.pk]), {"status": "hospitalised"}).status_code == 403
    login(client, world.users["community_staff"])
    client.post(reverse("care:status", args=[r.pk]), {"status": "hospitalised"})
    r.refresh_from_db()
    assert r.status == "hospitalised"
    page = client.get(reverse("care:detail", args=[r.pk])).content.decode()
    assert "助餐" in page and "1 update" in page


HEADER = ["姓名", "手机号", "身份证号", "区划代码", "原单位代码", "原职务", "职级", "退休时间", "情况", "包保干部账号",
          "家庭医生账号"]


def _xlsx(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("r.xlsx", out.getvalue(),
                              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _jpeg():
    from lianxin.testing import tiny_jpeg

    return tiny_jpeg()


def test_excel_import_good_file(world, client, cadre, doctor, travel):
    travel(at(2026, 3, 10))
    login(client, world.users["community_staff"])
    grid = world.areas["3708010101-G"].code
    response = client.post(reverse("care:import"), {"file": _xlsx([
        ["王一", "13900000001", "", grid, "", "科长", "正科", "2020-06-30", "独居、慢性病", "cadre_a", "doctor_a"],
        ["王二", "", "", grid, "", "", "", "", "", "cadre_a", ""],
    ])})
    assert response.status_code == 302, response.context and response.context["errors"]
    one = Retiree.objects.get(person__name="王一")
    assert one.living_alone and one.chronic_illness and str(one.retirement_date) == "2020-06-30"
    assert {p.kind: p.frequency for p in care.care_plans(one)} == {
        "contact": "monthly", "visit": "monthly"}
    assert Retiree.objects.get(person__name="王二").assignments.count() == 1
    export = client.get(reverse("care:export"))
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")


def test_excel_import_bad_rows_import_nothing(world, client, cadre):
    login(client, world.users["community_staff"])
    grid = world.areas["3708010101-G"].code
    response = client.post(reverse("care:import"), {"file": _xlsx([
        ["好人", "", "", grid, "", "", "", "", "", "cadre_a", ""],
        ["坏区划", "", "", "3708020101001", "", "", "", "", "", "", ""],
        ["坏日期", "123", "", grid, "", "", "", "去年", "会飞", "nobody", ""],
    ])})
    assert response.status_code == 200
    errors = {(e.row, e.column) for e in response.context["errors"]}
    assert errors == {(3, "Area code"), (4, "Mobile"), (4, "Retirement date"), (4, "Circumstances"),
                      (4, "Care cadre username")}
    assert not Retiree.objects.filter(person__name="好人").exists()
    report = client.get(reverse("care:import") + "?report=1")
    assert report.status_code == 200


def test_home_widget_and_nav_for_a_care_cadre(world, client, retiree, cadre, travel):
    travel(at(2026, 3, 28))
    retiree()
    login(client, cadre)
    page = client.get(reverse("core:home"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "My retirees" in html and reverse("care:mine") in html
    widget = next(ctx for w, ctx in page.context["widgets"] if w.name == "care_mine")
    assert [n for _label, n, _url in widget["rows"]] == [2, 0]  # March's contact (yellow) and Q1's visit


@pytest.mark.parametrize("bad", ["abc", "²", "9" * 40])
def test_ending_a_liaison_with_a_bad_id_is_refused_quietly(world, client, bad):
    unit = world.orgs["firm-3708010101"]
    person = people.create_person(actor=None, name="联络员 乙", area=world.areas["3708010101"], phone="13700000002")
    care.add_liaison(unit, person=person, actor=None)
    response = login(client, world.users["county_staff"]).post(reverse("care:liaison_change", args=[unit.pk]),
                                                               {"end": bad})
    assert response.status_code == 302
    assert Liaison.objects.get().ended_on is None


def test_covering_with_odd_digits_is_refused_quietly(world, client):
    event = world.health_events["3708010101"]
    response = login(client, world.users["county_staff"]).post(
        reverse("care:health_event_cover", args=[event.pk]), {"retiree": ["²", "9" * 40]})
    assert response.status_code == 302
