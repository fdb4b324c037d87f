"""Festival group visits, the family doctor's phone view, the ledgers in Excel, import in update mode and the
statistics charts."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from lianxin.care import services as care
from lianxin.care.models import GroupVisit, Retiree
from lianxin.duties.models import DutyLog, Obligation, Plan
from lianxin.people import services as people

from .conftest import at, make_user

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.cookies["django_language"] = "en"
    return client


def sheet(response) -> list[list]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [[c for c in row] for row in ws.iter_rows(values_only=True)]


# ---------------------------------------------------------------- festival visits


def test_festival_visit_for_a_group_and_its_progress(world, client, retiree, cadre, cadre_b, travel):
    travel(at(2026, 10, 8))
    alone = retiree(empty_nest=True)
    other = retiree(carer=cadre_b, empty_nest=True)
    retiree()  # not empty-nest: not in the group
    retiree("3708020101")  # another county: outside the area
    staff = login(client, world.users["county_staff"])
    data = {"occasion": "double_ninth", "title": "重阳节走访", "area": "370801", "flags": ["empty_nest"],
            "start_on": "2026-10-08", "due_on": "2026-10-17", "key": "g-1"}
    response = staff.post(reverse("care:group_create"), data)
    assert response.status_code == 302
    group = GroupVisit.objects.get(title="重阳节走访")
    assert response["Location"] == reverse("care:group", args=[group.pk])
    staff.post(reverse("care:group_create"), data)  # a resubmitted form creates nothing new
    assert GroupVisit.objects.filter(title="重阳节走访").count() == 1
    plans = list(group.plans.order_by("pk"))
    assert {(p.subject_id, p.carer) for p in plans} == {(alone.pk, cadre), (other.pk, cadre_b)}
    assert all(p.frequency == "once" and p.due_date.isoformat() == "2026-10-17" for p in plans)
    page = staff.get(reverse("care:group", args=[group.pk]))
    assert (page.context["progress"]["done"], page.context["progress"]["due"]) == (0, 2)

    # The care cadre sees the festival visit on the phone and logs it there.
    client.logout()
    login(client, cadre)
    cards = client.get(reverse("care:mine")).context["due"]
    festival = [o for o in cards if o.plan.title == "重阳节走访"]
    assert [o.retiree for o in festival] == [alone]
    client.post(reverse("care:log", args=[alone.pk]), {"method": "visit", "key": "f-1"})
    client.logout()
    page = login(client, world.users["county_staff"]).get(reverse("care:group", args=[group.pk]))
    assert (page.context["progress"]["done"], page.context["progress"]["due"]) == (1, 2)
    assert 'data-done="1" data-due="2"' in page.content.decode()
    listing = client.get(reverse("care:groups"), {"q": "重阳"}).content.decode()
    assert reverse("care:group", args=[group.pk]) in listing and "1 / 2" in listing
    rows = sheet(client.get(reverse("care:export_groups")))
    assert sorted(r[3] for r in rows[1:] if r[0] == "重阳节走访") == sorted([alone.name, other.name])


def test_festival_visit_rejects_an_empty_group_and_foreign_areas(world, client, retiree, travel):
    travel(at(2026, 1, 20))
    retiree()
    staff = login(client, world.users["community_staff"])
    before = Plan.objects.count()
    page = staff.post(reverse("care:group_create"), {"occasion": "spring_festival", "area": "3708010101",
                                                     "flags": ["living_alone"], "due_on": "2026-02-16", "key": "a"})
    assert page.status_code == 200 and "No living retiree matches this group." in page.content.decode()
    page = staff.post(reverse("care:group_create"), {"occasion": "spring_festival", "area": "3708020101",
                                                     "due_on": "2026-02-16", "key": "b"})
    assert "There is no area with this code in your scope." in page.content.decode()
    assert Plan.objects.count() == before and not GroupVisit.objects.filter(title="Spring Festival").exists()
    # Without a title the occasion names the group.
    staff.post(reverse("care:group_create"), {"occasion": "spring_festival", "area": "3708010101",
                                              "due_on": "2026-02-16", "key": "c"})
    assert GroupVisit.objects.filter(title="Spring Festival").count() == 1


# ---------------------------------------------------------------- the family doctor's phone view


def test_family_doctor_logs_a_follow_up_from_the_phone(world, client, retiree, doctor, travel):
    travel(at(2026, 3, 10))
    r = retiree(chronic_illness=True)
    login(client, doctor)
    page = client.get(reverse("care:mine"))
    cards = page.context["due"]
    assert [(o.plan.kind, o.plan.frequency) for o in cards] == [("health_followup", "monthly")]
    assert 'name="duty" value="health_followup"' in page.content.decode()
    response = client.post(reverse("care:log", args=[r.pk]),
                           {"method": "visit", "duty": "health_followup", "key": "d-1"})
    assert response.status_code == 302
    log = DutyLog.objects.get()
    assert (log.kind, log.actor) == ("health_followup", doctor)
    assert client.get(reverse("care:mine")).context["due"] == []
    # The care cadre's duties are untouched by the doctor's visit.
    assert Obligation.objects.filter(plan__kind__in=["contact", "visit"], fulfilled_by__isnull=False).count() == 0
    # Statistics count follow-ups apart from the care cadre's compliance.
    client.logout()
    row = next(r for r in login(client, world.users["county_staff"]).get(
        reverse("care:stats"), {"period": "month"}).context["rows"] if r["area"].code == "370801")
    assert (row["followup"]["fulfilled"], row["followup"]["due"]) == (1, 1)
    assert (row["total"]["fulfilled"], row["total"]["due"]) == (0, 2)


# ---------------------------------------------------------------- ledgers


def test_every_ledger_exports_what_the_user_sees(world, client, retiree, cadre, travel):
    travel(at(2026, 3, 10))
    here, there = retiree(), retiree("3708020101")
    for r in (here, there):
        care.add_plan_entry(r, actor=None, need=f"需求 {r.name}")
        care.mark_step(r, item="ceremony", actor=None)
        care.assign(r, role="care_cadre", user=make_user(world, f"c{r.pk}", "care_cadre", "3708010101"), actor=None)
    care.add_liaison(world.orgs["firm-3708010101"], person=here.person, actor=None)
    care.add_liaison(world.orgs["firm-3708020101"], person=there.person, actor=None)
    from lianxin.duties import services as duties

    duties.log_duty(actor=care.carer_of(here), subject=here, kind="visit", method="visit", notes="note")
    duties.log_duty(actor=care.carer_of(there), subject=there, kind="visit", method="visit", notes="note")
    staff = login(client, world.users["county_staff"])
    page = staff.get(reverse("care:ledgers"))
    names = ["care:export", "care:export_assignments", "care:export_logs", "care:export_obligations",
             "care:export_plan_entries", "care:export_steps", "care:export_liaisons", "care:export_health_events",
             "care:export_groups", "wishes:export"]
    for name in names:
        assert reverse(name) in page.content.decode(), name
        text = str(sheet(staff.get(reverse(name))))
        assert there.name not in text, name
    for name in ("care:export_assignments", "care:export_logs", "care:export_obligations", "care:export_plan_entries",
                 "care:export_steps", "care:export_liaisons"):
        assert here.name in str(sheet(staff.get(reverse(name)))), name
    history = sheet(staff.get(reverse("care:export_assignments")))
    assert sum(1 for row in history[1:] if row[0] == here.name and row[2] == "Care cadre") == 2  # re-assigned
    steps = sheet(staff.get(reverse("care:export_steps")))
    mine = next(row for row in steps if row[1] == here.name)
    assert mine[-1] == 1 and "2026-03-10" in mine
    obligations = sheet(staff.get(reverse("care:export_obligations"), {"start": "2026-03-01", "end": "2026-04-01"}))
    assert {row[6] for row in obligations[1:]} >= {"Done"} and all(row[3] >= "2026-03-01" for row in obligations[1:])
    # The per-person plan needs the "plan" right: the other county's staff get theirs only.
    client.logout()
    assert login(client, world.users["resident"]).get(reverse("care:ledgers")).status_code == 403


# ---------------------------------------------------------------- import in update mode


def _xlsx(rows):
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("r.xlsx", out.getvalue())


HEADERS = ["姓名", "手机号", "身份证号", "区划代码", "原职务", "职级", "情况", "包保干部账号"]


def test_import_updates_registered_retirees(world, client, cadre, cadre_b, doctor, travel):
    travel(at(2026, 3, 10))
    person = people.create_person(actor=None, name="王建国", area=world.areas["3708010101-G"], phone="13912340001",
                                  id_number="370801195001011235")
    r = care.create_retiree(actor=None, person=person, care_cadre=cadre, family_doctor=doctor, former_post="科长",
                            level="正科级", chronic_illness=True)
    grid = world.areas["3708010101-G"].code
    before = Retiree.objects.count()
    staff = login(client, world.users["county_staff"])
    page = staff.get(reverse("care:import")).content.decode()
    assert 'id="import-update-mode"' in page
    upload = _xlsx([HEADERS,
                    ["王建国", "", "370801195001011235", grid, "副局长", "", "独居", "cadre_b"],
                    ["李四", "13912340002", "", grid, "科员", "", "", ""]])
    response = staff.post(reverse("care:import"), {"file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    r.refresh_from_db()
    # The filled cells replace what is stored (the circumstances cell as a whole); empty ones keep it.
    assert (r.former_post, r.level, r.living_alone, r.chronic_illness) == ("副局长", "正科级", True, False)
    assert care.carer_of(r) == cadre_b and Retiree.objects.count() == before + 1
    assert care.care_plans(r)[1].frequency == "monthly"  # living alone: monthly visits
    # Matched by mobile the second time; "none" clears the circumstances; nothing is duplicated.
    upload = _xlsx([HEADERS, ["王建国", "13912340001", "", grid, "", "", "无", ""]])
    assert staff.post(reverse("care:import"), {"file": upload}).status_code == 302
    care.update_profile(r, actor=None, chronic_illness=True)
    r.refresh_from_db()
    assert r.chronic_illness
    upload = _xlsx([HEADERS, ["王建国", "13912340001", "", grid, "", "", "无", ""]])
    assert staff.post(reverse("care:import"), {"file": upload}).status_code == 302
    r.refresh_from_db()
    assert not (r.living_alone or r.chronic_illness) and r.former_post == "副局长"
    assert Retiree.objects.count() == before + 1
    # Row-level errors change nothing: an ID number and a mobile of two different people.
    upload = _xlsx([HEADERS, ["王建国", "13912340002", "370801195001011235", grid, "局长", "", "", ""]])
    page = staff.post(reverse("care:import"), {"file": upload})
    assert page.status_code == 200
    assert "two different people" in page.content.decode()
    r.refresh_from_db()
    assert r.former_post == "副局长"


# ---------------------------------------------------------------- statistics


def test_stats_by_unit_with_charts_and_the_other_figures(world, client, retiree, cadre, travel):
    travel(at(2026, 3, 10))
    unit = world.orgs["firm-3708010101"]
    a, b = retiree(unit=unit), retiree(unit=unit)
    care.mark_step(a, item="ceremony", actor=None)
    care.add_plan_entry(a, actor=None, need="助餐")
    event = care.create_health_event(actor=None, area=world.areas["3708010101"], kind="checkup", title="体检",
                                     held_on=at(2026, 3, 5).date())
    care.cover(event, [a], actor=None)
    login(client, cadre).post(reverse("care:log", args=[b.pk]), {"method": "visit", "key": "v"})
    client.logout()
    page = login(client, world.users["county_staff"]).get(reverse("care:stats"), {"period": "quarter"})
    html = page.content.decode()
    for chart in ("chart-areas", "chart-units", "chart-months"):
        assert f'id="{chart}"' in html
    unit_row = next(u for u in page.context["units"] if u["unit_id"] == unit.pk)
    assert (unit_row["retirees"], unit_row["ceremonies"], unit_row["entries"], unit_row["covered"]) == (2, 1, 1, 1)
    assert (unit_row["visit"]["fulfilled"], unit_row["visit"]["due"]) == (1, 2)
    area_row = next(r for r in page.context["rows"] if r["area"].code == "37080101")
    assert area_row["covered"] == 1 and area_row["coverage"] == round(1 / area_row["retirees"], 4)
    assert area_row["ceremonies"] == 1 and area_row["entries"] == 1
    march = next(m for m in page.context["months"] if m["label"] == "2026-03")
    assert (march["contact_due"], march["contact_done"]) == (2, 1)
    assert 'style="width: 50%"' in html  # the unit's visits: half done
