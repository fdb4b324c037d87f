"""Retiree care on the duty engine: default plans, flags, status changes and re-assignment."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lianxin.care import services as care
from lianxin.care.models import Assignment, Status
from lianxin.duties import services as duties
from lianxin.duties.models import Obligation, Plan

from .conftest import at, make_user

pytestmark = pytest.mark.django_db
D = dt.date


def plans(r):
    return {p.kind: p for p in care.care_plans(r)}


def test_assigning_a_care_cadre_creates_monthly_contact_and_quarterly_visit(world, retiree, cadre, doctor, travel):
    travel(at(2026, 2, 10))
    r = retiree()
    p = plans(r)
    assert (p["contact"].frequency, p["visit"].frequency) == ("monthly", "quarterly")
    assert p["contact"].carer == cadre and p["visit"].carer == cadre
    assert p["contact"].area == r.person.area
    assert {a.role: a.user for a in r.assignments.all()} == {"care_cadre": cadre, "family_doctor": doctor}
    assert Obligation.objects.filter(plan__in=p.values()).count() == 2  # February and Q1
    # Assigning the same person again changes nothing (the third plan is the doctor's follow-up).
    care.assign(r, role="care_cadre", user=cadre, actor=None)
    assert Plan.objects.count() == 3 and Assignment.objects.filter(retiree=r).count() == 2


def test_flags_raise_and_lower_the_visit_frequency(world, retiree, travel):
    travel(at(2026, 2, 10))
    r = retiree()
    quarterly = plans(r)["visit"]
    care.update_profile(r, actor=None, living_alone=True)
    monthly = plans(r)["visit"]
    assert monthly.frequency == "monthly" and monthly.pk != quarterly.pk
    quarterly.refresh_from_db()
    assert quarterly.end_date == D(2026, 2, 10)
    assert Obligation.objects.get(plan=quarterly).cancelled_at is not None  # Q1 no longer owed quarterly
    assert Obligation.objects.get(plan=monthly).period_start == D(2026, 2, 10)  # a part-month from today
    # Another flag that does not change the rule leaves the plan alone; clearing the flags lowers it again.
    care.update_profile(r, actor=None, limited_mobility=True, empty_nest=True)
    assert plans(r)["visit"].pk == monthly.pk
    care.update_profile(r, actor=None, living_alone=False, limited_mobility=False)
    assert plans(r)["visit"].frequency == "quarterly"
    assert plans(r)["contact"].frequency == "monthly"
    # Created with a flag: monthly from the start.
    assert plans(retiree(limited_mobility=True))["visit"].frequency == "monthly"


def test_hospital_pauses_and_return_resumes(world, retiree, travel):
    travel(at(2026, 2, 10))
    r = retiree()
    care.change_status(r, Status.HOSPITALISED, actor=None)
    assert all(p.paused for p in care.all_plans(r)) and len(care.all_plans(r)) == 3
    assert all(o.paused for o in Obligation.objects.all())
    r.refresh_from_db()
    assert r.status == Status.HOSPITALISED
    travel(at(2026, 4, 3))
    assert duties.generate_obligations() == 0  # nothing generated while paused
    care.change_status(r, Status.ACTIVE, actor=None)
    assert not any(p.paused for p in care.all_plans(r))
    april = Obligation.objects.filter(period_start=D(2026, 4, 1))
    assert april.count() == 3 and not any(o.paused for o in april)
    # The periods spent in hospital stay excused: they count for nothing (April's contact, Q2's visit and
    # Q2's health follow-up remain).
    assert duties.compliance(now=at(2026, 12, 31))["due"] == 3


def test_moving_reassigns_area_and_carer(world, retiree, cadre, cadre_b, travel):
    travel(at(2026, 2, 10))
    r = retiree()
    contact = plans(r)["contact"]
    duties.log_duty(actor=cadre, plan=contact, method="phone")  # February's contact is done
    travel(at(2026, 3, 5))
    duties.generate_obligations()
    new_area = world.areas["3708010201-G"]
    care.change_status(r, Status.MOVED, actor=None, area=new_area, care_cadre=cadre_b)
    r.refresh_from_db()
    assert r.status == Status.MOVED and r.person.area == new_area
    assert care.carer_of(r) == cadre_b
    assert [(a.user, a.ended_on) for a in r.assignments.filter(role="care_cadre")] == [
        (cadre, D(2026, 3, 5)), (cadre_b, None)]
    feb = Obligation.objects.get(plan=contact, period_end=D(2026, 3, 1))
    march = Obligation.objects.get(plan=contact, period_end=D(2026, 4, 1))
    assert (feb.owner, feb.area) == (cadre, world.areas["3708010101-G"])  # done: stays where it was
    assert (march.owner, march.area) == (cadre_b, new_area)
    # The family doctor keeps the retiree; the follow-up moves to the new area.
    followup = care.doctor_plans(r)[0]
    assert (followup.carer, followup.area) == (care.doctor_of(r), new_area)
    with pytest.raises(ValidationError):
        care.change_status(r, Status.MOVED, actor=None)  # no area given


def test_death_ends_duties_and_creates_a_condolence_visit(world, retiree, cadre, travel):
    travel(at(2026, 2, 10))
    r = retiree()
    care.change_status(r, Status.DECEASED, actor=None, on=D(2026, 2, 9))
    r.refresh_from_db()
    assert r.status == Status.DECEASED and r.status_since == D(2026, 2, 9)
    assert care.all_plans(r) == []  # every recurring plan has ended, the doctor's too
    condolence = Plan.objects.get(frequency="once")
    assert condolence.carer == cadre and condolence.kind == "visit"
    assert not r.assignments.filter(ended_on__isnull=True).exists()
    assert Obligation.objects.filter(cancelled_at__isnull=True, plan__frequency="monthly").count() == 0
    with pytest.raises(ValidationError):
        care.change_status(r, Status.ACTIVE, actor=None)


def test_reassignment_mid_period_moves_open_obligations(world, retiree, cadre, cadre_b, travel):
    travel(at(2026, 1, 10))
    r = retiree()
    contact, visit = plans(r)["contact"], plans(r)["visit"]
    duties.log_duty(actor=cadre, plan=contact, method="phone")
    travel(at(2026, 2, 15))
    duties.generate_obligations()
    care.assign(r, role="care_cadre", user=cadre_b, actor=None)
    assert {p.carer for p in care.care_plans(r)} == {cadre_b}
    assert Obligation.objects.get(plan=contact, period_end=D(2026, 2, 1)).owner == cadre
    assert Obligation.objects.get(plan=contact, period_end=D(2026, 3, 1)).owner == cadre_b
    assert Obligation.objects.get(plan=visit, period_end=D(2026, 4, 1)).owner == cadre_b
    # The old cadre no longer sees the retiree; the new one logs the visit and it counts.
    from lianxin.care.models import Retiree

    assert not Retiree.objects.visible_to(cadre).filter(pk=r.pk).exists()
    assert Retiree.objects.visible_to(cadre_b).filter(pk=r.pk).exists()
    out = duties.log_duty(actor=cadre_b, subject=r, kind="visit", method="visit")
    assert {o.plan_id for o in out.fulfilled} == {contact.pk, visit.pk}


def test_plan_entries(world, retiree, cadre):
    r = retiree()
    care.add_plan_entry(r, actor=cadre, need="血压药", measure="联系家庭医生", next_step="下月复查")
    care.add_plan_entry(r, actor=cadre, need="助餐")
    assert r.plan_entries.count() == 2
    with pytest.raises(ValidationError):
        care.add_plan_entry(r, actor=cadre, need=" ")


def test_family_doctor_follows_up_quarterly_and_monthly_for_chronic_illness(world, retiree, doctor, travel):
    travel(at(2026, 2, 10))
    r = retiree()
    followup = care.doctor_plans(r)[0]
    assert (followup.kind, followup.frequency, followup.carer) == ("health_followup", "quarterly", doctor)
    # A care cadre's visit is not the doctor's follow-up, and the doctor's follow-up is not a contact.
    cadre = care.carer_of(r)
    out = duties.log_duty(actor=cadre, subject=r, kind="visit", method="visit")
    assert followup.pk not in {o.plan_id for o in out.fulfilled}
    out = duties.log_duty(actor=doctor, subject=r, kind="health_followup", method="visit")
    assert {o.plan_id for o in out.fulfilled} == {followup.pk}
    with pytest.raises(PermissionDenied):
        duties.log_duty(actor=doctor, subject=r, kind="contact", method="phone")
    care.update_profile(r, actor=None, chronic_illness=True)
    monthly = care.doctor_plans(r)[0]
    assert monthly.frequency == "monthly" and monthly.carer == doctor and monthly.pk != followup.pk
    # A new doctor takes the open follow-ups over.
    other = make_user(world, "doctor_b", "family_doctor", "3708010101")
    care.assign(r, role="family_doctor", user=other, actor=None)
    assert care.doctor_plans(r)[0].carer == other
    assert Obligation.objects.get(plan=monthly, period_start=D(2026, 2, 10)).owner == other
    assert {p.carer for p in care.care_plans(r)} == {cadre}  # the care cadre's plans stay with the cadre
