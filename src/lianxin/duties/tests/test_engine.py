"""The duty engine: generation, fulfilment, changes of circumstance, statuses, compliance and reminders."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from lianxin.duties import services as duties
from lianxin.duties.models import DutyLog, Obligation, Plan, PlanEvent, Reminder
from lianxin.duties.status import Status, status_expression, status_of
from lianxin.duties.tasks import generate_daily, remind_daily

from .conftest import at

pytestmark = pytest.mark.django_db
D = dt.date
NEW_YEAR = D(2026, 1, 1)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def care_plans(person, carer, start=NEW_YEAR, grace_days=5):
    """Retired-cadre care: a monthly contact and a quarterly visit."""
    contact = duties.create_plan(actor=None, subject=person, kind="contact", frequency="monthly", carer=carer,
                                 start_date=start, grace_days=grace_days)
    visit = duties.create_plan(actor=None, subject=person, kind="visit", frequency="quarterly", carer=carer,
                               start_date=start, grace_days=grace_days)
    return contact, visit


def ob(plan, start):
    return Obligation.objects.get(plan=plan, period_start=start)


def status(o, now):
    o.refresh_from_db()
    sql = Obligation.objects.annotate(s=status_expression(now)).get(pk=o.pk).s
    assert sql == status_of(o, now), now
    return sql


# ---------------------------------------------------------------- generation


def test_generation_is_idempotent(world, retiree, carer, travel):
    travel(at(2026, 1, 5))
    contact, visit = care_plans(retiree(), carer)
    assert Obligation.objects.count() == 2  # January and Q1, generated when the plans were made
    assert duties.generate_obligations(until=D(2026, 12, 31)) == 11 + 3
    assert duties.generate_obligations(until=D(2026, 12, 31)) == 0
    assert duties.generate_obligations(until=D(2026, 12, 31)) == 0
    assert contact.obligations.count() == 12 and visit.obligations.count() == 4
    assert generate_daily.call() == 0  # the periodic task: today's periods exist already
    # A concurrent run that computed the same rows before this one stored them: the constraint drops them.
    Obligation.objects.bulk_create(duties._new_obligations(contact, D(2026, 12, 31), None), ignore_conflicts=True)
    assert Obligation.objects.count() == 16
    march = ob(contact, D(2026, 3, 1))
    assert (march.period_end, march.due_at, march.owner, march.area) == (
        D(2026, 4, 1), at(2026, 4, 1, 0), carer, retiree_area(contact))


def retiree_area(plan):
    return plan.subject.area


def test_daily_task_generates_the_new_period_once(world, retiree, carer, travel):
    travel(at(2026, 1, 31, 23))
    contact, _visit = care_plans(retiree(), carer)
    assert contact.obligations.count() == 1
    travel(at(2026, 2, 1, 0, 30))
    assert generate_daily.call() == 1
    assert generate_daily.call() == 0
    assert list(contact.obligations.values_list("period_start", flat=True)) == [D(2026, 1, 1), D(2026, 2, 1)]


def test_yearly_expert_contact_and_monthly_meetings(world, retiree, carer, travel):
    travel(at(2026, 12, 31, 20))
    expert = duties.create_plan(actor=None, subject=retiree(), kind="contact", frequency="yearly", carer=carer,
                                start_date=D(2026, 1, 1), grace_days=0)
    branch = world.orgs["firm-3708010101"]
    meeting = duties.create_plan(actor=None, subject=branch, kind="meeting", frequency="monthly",
                                 owner_role="community_staff", start_date=D(2026, 12, 1), grace_days=3)
    assert meeting.area == branch.area
    out = duties.log_duty(actor=carer, plan=expert, method="phone")
    assert [o.period_start for o in out.fulfilled] == [D(2026, 1, 1)]
    staff = world.users["community_staff"]
    assert duties.plan_owners(meeting) == [staff]
    assert duties.log_duty(actor=staff, subject=branch, kind="meeting", method="visit").fulfilled == [
        ob(meeting, D(2026, 12, 1))]
    travel(at(2027, 1, 1, 1))
    generate_daily.call()
    assert status(ob(expert, D(2027, 1, 1)), at(2027, 1, 1, 1)) == Status.BLUE
    assert status(ob(expert, D(2026, 1, 1)), at(2027, 1, 1, 1)) == Status.FULFILLED


# ---------------------------------------------------------------- logs and period boundaries


def test_month_and_quarter_boundaries_in_shanghai_time(world, retiree, carer, travel):
    travel(at(2026, 3, 20))
    person = retiree()
    contact, visit = care_plans(person, carer)
    # 23:30 on 31 March in Shanghai is 15:30 UTC: the visit is in March and in Q1.
    travel(at(2026, 3, 31, 23, 30))
    with pytest.raises(ValidationError, match="future date: 2026-04-01 is after today") as e:
        duties.log_duty(actor=carer, subject=person, kind="visit", method="visit", done_on=D(2026, 4, 1))
    assert e.value.code == "future"
    out = duties.log_duty(actor=carer, subject=person, kind="visit", method="visit")
    assert out.log.done_on == D(2026, 3, 31)
    assert {(o.plan_id, o.period_start) for o in out.fulfilled} == {(contact.pk, D(2026, 3, 1)),
                                                                     (visit.pk, D(2026, 1, 1))}
    # 00:30 on 1 April in Shanghai is still 31 March in UTC: the contact is April's, and a contact is no visit.
    travel(at(2026, 4, 1, 0, 30))
    out = duties.log_duty(actor=carer, subject=person, kind="contact", method="phone")
    assert out.log.done_on == D(2026, 4, 1)
    assert [(o.plan_id, o.period_start) for o in out.fulfilled] == [(contact.pk, D(2026, 4, 1))]
    duties.generate_obligations()
    assert ob(visit, D(2026, 4, 1)).fulfilled_by is None
    out = duties.log_duty(actor=carer, plan=visit, method="visit", done_on=D(2026, 4, 1), notes="home visit")
    assert [(o.plan_id, o.period_start) for o in out.fulfilled] == [(visit.pk, D(2026, 4, 1))]


def test_first_log_wins_and_later_logs_are_kept(world, retiree, carer, travel):
    travel(at(2026, 3, 10))
    contact, _visit = care_plans(retiree(), carer)
    first = duties.log_duty(actor=carer, plan=contact, method="phone", done_on=D(2026, 3, 2))
    second = duties.log_duty(actor=carer, plan=contact, method="online", done_on=D(2026, 3, 9))
    assert first.fulfilled and not second.fulfilled
    march = ob(contact, D(2026, 3, 1))
    assert march.fulfilled_by == first.log and march.fulfilled_at == at(2026, 3, 10)
    assert DutyLog.objects.count() == 2 and not second.log.late


def test_grace_window(world, retiree, carer, travel):
    travel(at(2026, 3, 10))
    on_time, edge, too_late = (care_plans(retiree(), carer)[0] for _ in range(3))
    travel(at(2026, 4, 5, 22))
    out = duties.log_duty(actor=carer, plan=on_time, method="phone", done_on=D(2026, 3, 20))
    march = ob(on_time, D(2026, 3, 1))
    assert out.fulfilled == [march] and not out.log.late
    march.refresh_from_db()
    assert march.fulfilled_in_grace
    travel(at(2026, 4, 6, 0))  # the last moment of the grace window still counts
    assert duties.log_duty(actor=carer, plan=edge, method="phone", done_on=D(2026, 3, 20)).fulfilled
    travel(at(2026, 4, 6, 0, 0, 1))
    out = duties.log_duty(actor=carer, plan=too_late, method="phone", done_on=D(2026, 3, 20))
    assert out.fulfilled == [] and out.log.late
    assert DutyLog.objects.filter(pk=out.log.pk, late=True).exists()
    assert status(ob(too_late, D(2026, 3, 1)), at(2026, 4, 6, 0, 0, 1)) == Status.MISSED
    # April is unaffected by a late log for March.
    assert ob(too_late, D(2026, 4, 1)).fulfilled_by is None


def test_idempotent_log_creation(world, retiree, carer, travel, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lianxin.core.uploads import store_upload
    from lianxin.testing import tiny_jpeg

    travel(at(2026, 3, 10))
    contact, _visit = care_plans(retiree(), carer)
    photo = lambda: store_upload(SimpleUploadedFile("v.jpg", tiny_jpeg(), "image/jpeg"),  # noqa: E731
                                 area=contact.area)
    kw = dict(actor=carer, plan=contact, method="visit", done_on=D(2026, 3, 9), notes="well", lng=116.05, lat=35.2,
              device_time=at(2026, 3, 9, 15), idempotency_key="phone-7f3a")
    first = duties.log_duty(photos=[photo()], **kw)
    again = duties.log_duty(photos=[photo()], **kw)  # a retry re-uploads the same photo
    assert first.created and not again.created
    assert again.log == first.log and again.fulfilled == first.fulfilled
    assert DutyLog.objects.count() == 1 and first.log.photos.count() == 1
    with pytest.raises(ValidationError, match="already used") as e:
        duties.log_duty(photos=[], **kw)
    assert e.value.code == "key_reused"
    # Another carer may use the same key for their own log.
    theirs, _visit = care_plans(retiree(), world.users["community_staff"])
    other = duties.log_duty(actor=world.users["community_staff"], plan=theirs, method="phone",
                            idempotency_key="phone-7f3a")
    assert other.created and DutyLog.objects.count() == 2


def test_log_validation_and_permission(world, retiree, carer, travel):
    travel(at(2026, 3, 10))
    person = retiree()
    contact, visit = care_plans(person, carer)
    with pytest.raises(ValidationError, match="both longitude and latitude"):
        duties.log_duty(actor=carer, plan=contact, method="phone", lng=116.0)
    with pytest.raises(ValidationError, match="Unknown method"):
        duties.log_duty(actor=carer, plan=contact, method="letter")
    with pytest.raises(ValidationError, match="does not fulfil"):
        duties.log_duty(actor=carer, plan=visit, kind="contact", method="phone")
    with pytest.raises(ValidationError, match="no duty of this kind"):
        duties.log_duty(actor=carer, subject=retiree(), kind="contact", method="phone")
    with pytest.raises(PermissionDenied):
        duties.log_duty(actor=world.users["resident"], plan=contact, method="phone")
    assert DutyLog.objects.count() == 0


# ---------------------------------------------------------------- changes of circumstance


def test_reassignment_mid_period_moves_only_open_obligations(world, retiree, carer, carer_b, admin, travel):
    travel(at(2025, 12, 20))
    person = retiree()
    contact = duties.create_plan(actor=admin, subject=person, kind="contact", frequency="monthly", carer=carer,
                                 start_date=D(2025, 12, 1))
    duties.log_duty(actor=carer, plan=contact, method="phone")
    travel(at(2026, 2, 3))  # January ended unfulfilled (still in its grace window); February is open
    duties.generate_obligations(until=D(2026, 3, 31))
    new_area = world.areas["3708010201-G"]
    (event,) = duties.reassign(person, new_carer=carer_b, actor=admin, area=new_area, note="moved")
    dec, jan, feb, mar = (ob(contact, D(y, m, 1)) for y, m in [(2025, 12), (2026, 1), (2026, 2), (2026, 3)])
    old_area = world.areas["3708010101-G"]
    assert (dec.owner, dec.area, dec.fulfilled_by_id is not None) == (carer, old_area, True)
    assert (jan.owner, jan.area) == (carer, old_area)
    assert (feb.owner, feb.area) == (mar.owner, mar.area) == (carer_b, new_area)
    contact.refresh_from_db()
    assert (contact.carer, contact.area) == (carer_b, new_area)
    assert (event.from_carer, event.to_carer, event.from_area, event.to_area, event.moved_obligations) == (
        carer, carer_b, old_area, new_area, 2)
    assert list(contact.events.values_list("kind", flat=True)) == ["created", "reassigned"]
    # Each carer sees their own obligations; area staff see what lies in their area.
    assert set(Obligation.objects.visible_to(carer_b)) == {feb, mar}
    assert set(Obligation.objects.visible_to(carer)) == {dec, jan}
    assert set(Obligation.objects.visible_to(world.users["community_staff"])) == {dec, jan}
    assert set(Plan.objects.visible_to(carer_b)) == {contact}
    assert not Plan.objects.visible_to(carer).exists()
    assert set(Obligation.objects.visible_to(world.users["county_staff"])) == {dec, jan, feb, mar}
    # The new carer's log fulfils February.
    assert duties.log_duty(actor=carer_b, plan=contact, method="visit").fulfilled == [feb]
    with pytest.raises(PermissionDenied):
        duties.log_duty(actor=carer, plan=contact, method="visit")


def test_pause_stops_generation_and_is_not_counted_as_missed(world, retiree, carer, admin, travel):
    travel(at(2026, 1, 5))
    person = retiree()
    contact, visit = care_plans(person, carer)
    travel(at(2026, 2, 10))
    duties.generate_obligations()
    assert duties.pause(person, actor=admin, note="in hospital") == 2
    now = at(2026, 2, 10)
    assert status(ob(contact, D(2026, 2, 1)), now) == Status.PAUSED
    assert status(ob(visit, D(2026, 1, 1)), now) == Status.PAUSED
    # January ended before the pause (and its grace window closed on 6 February): not excused.
    assert status(ob(contact, D(2026, 1, 1)), now) == Status.MISSED
    assert duties.generate_obligations(until=D(2026, 12, 31)) == 0
    travel(at(2026, 4, 15))
    assert duties.send_reminders() == 0
    figures = duties.compliance(area=world.areas["370801"], start=D(2026, 1, 1), end=D(2026, 5, 1))
    assert figures == {"due": 1, "fulfilled": 0, "missed": 1, "rate": 0.0}  # January's contact only
    assert duties.resume(person, actor=admin, note="home again") == 2
    # Periods that ended during the pause stay excused; generation restarts with the current period.
    assert status(ob(contact, D(2026, 2, 1)), at(2026, 4, 15)) == Status.PAUSED
    assert not contact.obligations.filter(period_start=D(2026, 3, 1)).exists()
    assert status(ob(contact, D(2026, 4, 1)), at(2026, 4, 15)) == Status.BLUE
    assert ob(visit, D(2026, 4, 1)).owner == carer
    assert list(contact.events.values_list("kind", flat=True)) == ["created", "paused", "resumed"]


def test_resume_within_the_period_reopens_its_obligation(world, retiree, carer, admin, travel):
    travel(at(2026, 3, 3))
    contact, _visit = care_plans(retiree(), carer)
    duties.pause(contact, actor=admin)
    travel(at(2026, 3, 12))
    duties.resume(contact, actor=admin)
    assert status(ob(contact, D(2026, 3, 1)), at(2026, 3, 12)) == Status.BLUE


def test_death_ends_duties_and_creates_a_condolence_visit(world, retiree, carer, admin, travel):
    travel(at(2026, 4, 20))
    person = retiree()
    contact, visit = care_plans(person, carer, start=D(2026, 4, 1))
    duties.log_duty(actor=carer, plan=contact, method="phone", done_on=D(2026, 4, 18))
    travel(at(2026, 5, 20))
    duties.generate_obligations()
    condolence = duties.record_death(person, actor=admin, on=D(2026, 5, 18), within_days=7)
    for plan in (contact, visit):
        plan.refresh_from_db()
        assert plan.end_date == D(2026, 5, 18)
    now = at(2026, 5, 20)
    assert status(ob(contact, D(2026, 5, 1)), now) == Status.CANCELLED
    assert status(ob(visit, D(2026, 4, 1)), now) == Status.CANCELLED
    assert status(ob(contact, D(2026, 4, 1)), now) == Status.FULFILLED
    assert duties.generate_obligations(until=D(2026, 12, 31)) == 0
    assert (condolence.frequency, condolence.due_date, condolence.carer, condolence.title) == (
        "once", D(2026, 5, 27), carer, "Condolence visit")
    (owed,) = condolence.obligations.all()
    assert (owed.period_start, owed.period_end, owed.owner) == (D(2026, 5, 20), D(2026, 5, 28), carer)
    assert status(owed, now) == Status.BLUE
    assert owed.due_at - owed.warn_at == dt.timedelta(days=2)  # a quarter of its 8 days
    # Recording it twice changes nothing.
    assert duties.record_death(person, actor=admin, on=D(2026, 5, 18), within_days=7) == condolence
    travel(at(2026, 5, 22))
    out = duties.log_duty(actor=carer, subject=person, kind="visit", method="visit", notes="with the family")
    assert out.fulfilled == [owed]
    assert duties.compliance(owner=carer, start=D(2026, 1, 1), end=D(2027, 1, 1), now=at(2026, 7, 1)) == {
        "due": 2, "fulfilled": 2, "missed": 0, "rate": 1.0}  # April's contact and the condolence visit


def test_every_n_days(world, retiree, carer, travel):
    travel(at(2026, 3, 5))
    plan = duties.create_plan(actor=None, subject=retiree(), kind="visit", frequency="every_n_days", every_days=10,
                              carer=carer, start_date=D(2026, 3, 5), grace_days=0)
    duties.generate_obligations(until=D(2026, 3, 31))
    assert list(plan.obligations.values_list("period_start", "period_end")) == [
        (D(2026, 3, 5), D(2026, 3, 15)), (D(2026, 3, 15), D(2026, 3, 25)), (D(2026, 3, 25), D(2026, 4, 4))]
    first = ob(plan, D(2026, 3, 5))
    assert first.due_at - first.warn_at == dt.timedelta(days=2.5)
    travel(at(2026, 3, 14, 20))
    assert duties.log_duty(actor=carer, plan=plan, method="visit").fulfilled == [first]
    travel(at(2026, 3, 15, 8))
    assert duties.log_duty(actor=carer, plan=plan, method="visit").fulfilled == [ob(plan, D(2026, 3, 15))]
    with pytest.raises(ValidationError):
        duties.create_plan(actor=None, subject=retiree(), kind="visit", frequency="every_n_days", carer=carer)


def test_group_festival_visit_is_one_off_per_subject(world, retiree, carer, carer_b, travel):
    travel(at(2026, 2, 1))
    with_carer, with_other, alone = retiree(), retiree(), retiree()
    care_plans(with_carer, carer)
    care_plans(with_other, carer_b)
    kw = dict(actor=world.users["community_staff"], subjects=[with_carer, with_other, alone], kind="visit",
              due_on=D(2026, 2, 16), title="2026 Spring Festival visit", owner_role="community_staff")
    plans = duties.create_group_one_off(**kw)
    assert [p.carer for p in plans] == [carer, carer_b, None]
    assert all(p.frequency == "once" and p.obligations.count() == 1 for p in plans)
    assert duties.plan_owners(plans[2]) == [world.users["community_staff"]]
    before = Obligation.objects.count()
    assert duties.create_group_one_off(**kw) == plans  # repeated: nothing new
    assert duties.generate_obligations(until=D(2026, 12, 31)) > 0  # (only the recurring plans' periods)
    assert Obligation.objects.filter(plan__in=plans).count() == 3 and Obligation.objects.count() > before
    festival = ob(plans[0], D(2026, 2, 1))
    assert (festival.period_end, festival.due_at, festival.grace_until) == (
        D(2026, 2, 17), at(2026, 2, 17, 0), at(2026, 2, 17, 0))
    travel(at(2026, 2, 14))
    out = duties.log_duty(actor=carer, plan=plans[0], method="visit")
    assert out.fulfilled == [festival]
    figures = duties.compliance(Obligation.objects.filter(plan__in=plans), now=at(2026, 3, 1))
    assert figures == {"due": 3, "fulfilled": 1, "missed": 2, "rate": 0.3333}


# ---------------------------------------------------------------- statuses


def test_statuses_at_the_boundaries_in_sql_and_python(world, retiree, carer, admin, travel):
    travel(at(2026, 3, 1))
    contact, _visit = care_plans(retiree(), carer, start=D(2026, 3, 1))
    march = ob(contact, D(2026, 3, 1))
    assert (march.warn_at, march.due_at, march.grace_until) == (at(2026, 3, 25, 0), at(2026, 4, 1, 0),
                                                                 at(2026, 4, 6, 0))
    second = dt.timedelta(seconds=1)
    for moment, want in [
        (march.warn_at - second, Status.BLUE), (march.warn_at, Status.YELLOW), (march.due_at - second, Status.YELLOW),
        (march.due_at, Status.RED), (march.grace_until, Status.RED), (march.grace_until + second, Status.MISSED),
    ]:
        assert status(march, moment) == want, moment
    listed = duties.due_soon(kind="contact", now=at(2026, 3, 28))
    assert list(listed) == [march] and listed[0].status == Status.YELLOW
    assert list(duties.overdue(kind="contact", now=at(2026, 4, 2))) == [march]
    assert list(duties.overdue(kind="contact", now=at(2026, 4, 7))) == [march]  # missed is overdue too
    assert list(duties.overdue(area=world.areas["370802"], now=at(2026, 4, 2))) == []
    duties.pause(contact, actor=admin)
    assert status(march, march.warn_at) == Status.PAUSED
    duties.resume(contact, actor=admin)
    assert status(march, march.warn_at) == Status.YELLOW  # resumed on 1 March: the period has not ended
    travel(at(2026, 3, 30))
    duties.log_duty(actor=carer, plan=contact, method="phone")
    assert status(march, march.grace_until + second) == Status.FULFILLED


# ---------------------------------------------------------------- compliance


def test_compliance_by_area_owner_kind_and_range(world, retiree, carer, carer_b, travel):
    travel(at(2026, 1, 2))
    plans = {}
    for name, code, who in [("a1", "3708010101", carer), ("a2", "3708010101", carer),
                            ("a3", "3708010102", carer_b), ("b1", "3708020101", carer_b)]:
        plans[name] = care_plans(retiree(code), who)
    travel(at(2026, 1, 20))
    for name in ("a1", "a3", "b1"):
        duties.log_duty(actor=plans[name][0].carer, plan=plans[name][0], method="phone")
    # a2: a visit fulfils the Q1 visit and, logged for the subject, January's contact.
    duties.log_duty(actor=carer, subject=plans["a2"][1].subject, kind="visit", method="visit")
    now = at(2026, 2, 10)  # January's grace closed on 6 February; Q1 is still running
    county_a = world.areas["370801"]
    assert duties.compliance(area=county_a, start=D(2026, 1, 1), end=D(2026, 3, 1), now=now) == {
        "due": 3, "fulfilled": 3, "missed": 0, "rate": 1.0}
    travel(at(2026, 3, 10))
    duties.generate_obligations()
    now = at(2026, 3, 10)  # February's grace closed on 6 March; nobody logged in February
    assert duties.compliance(area=county_a, start=D(2026, 1, 1), end=D(2026, 4, 1), now=now) == {
        "due": 6, "fulfilled": 3, "missed": 3, "rate": 0.5}
    # The range is on when the grace window closed: January's closed on 6 February.
    assert duties.compliance(area=world.areas["3708010101"], kind="contact", start=D(2026, 2, 1),
                             end=D(2026, 4, 1), now=now) == {"due": 4, "fulfilled": 2, "missed": 2, "rate": 0.5}
    assert duties.compliance(area=world.areas["3708010101"], kind="contact", start=D(2026, 2, 7),
                             end=D(2026, 4, 1), now=now) == {"due": 2, "fulfilled": 0, "missed": 2, "rate": 0.0}
    assert duties.compliance(owner=carer_b, now=now)["due"] == 4
    assert duties.compliance(kind="visit", now=now) == {"due": 0, "fulfilled": 0, "missed": 0, "rate": None}
    assert duties.compliance(area=world.areas["370802"], start=D(2026, 2, 1), end=D(2026, 2, 10), now=now)[
        "fulfilled"] == 1


# ---------------------------------------------------------------- reminders


def test_reminders_are_sent_once_per_colour(world, retiree, carer, admin, travel, django_capture_on_commit_callbacks):
    carer.language = "en"  # the carer chose English: the reminders are written in it
    carer.save(update_fields=["language"])
    travel(at(2026, 3, 10))
    contact, _visit = care_plans(retiree(), carer)
    in_hospital = retiree()
    paused, _ = care_plans(in_hospital, carer)
    duties.pause(in_hospital, actor=admin)
    role_owned = duties.create_plan(actor=None, subject=world.orgs["firm-3708010101"], kind="meeting",
                                    frequency="monthly", owner_role="community_staff", start_date=D(2026, 3, 1))
    assert duties.send_reminders() == 0
    travel(at(2026, 3, 25, 8))
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_daily.call() == 3  # the contact, the quarter's visit and the meeting
    assert duties.send_reminders() == 0
    inbox = carer.notifications.filter(kind="duty_yellow")
    assert inbox.count() == 2 and inbox.filter(title__startswith="Due soon: Contact for 离退休干部").count() == 1
    assert world.users["community_staff"].notifications.filter(kind="duty_yellow").count() == 1
    travel(at(2026, 4, 1, 8))
    assert duties.send_reminders() == 3  # March's contact and meeting, the Q1 visit
    assert duties.send_reminders() == 0
    assert carer.notifications.filter(kind="duty_red").count() == 2
    march = ob(contact, D(2026, 3, 1))
    assert sorted(march.reminders.values_list("colour", flat=True)) == ["red", "yellow"]
    assert not Reminder.objects.filter(obligation__plan=paused).exists()
    assert Reminder.objects.filter(obligation__plan=role_owned).count() == 2
    travel(at(2026, 4, 30, 8))  # April's turned yellow (the task generates them first); March's never repeat
    assert remind_daily.call() == 2
    assert remind_daily.call() == 0


# ---------------------------------------------------------------- audit and roles


def test_writes_are_audited_with_their_actor(world, retiree, carer, carer_b, admin, travel):
    travel(at(2026, 3, 10))
    contact = duties.create_plan(actor=admin, subject=retiree(), kind="contact", frequency="monthly", carer=carer,
                                 start_date=D(2026, 3, 1))
    out = duties.log_duty(actor=carer, plan=contact, method="phone")
    duties.reassign(contact, new_carer=carer_b, actor=admin)
    assert LogEntry.objects.get_for_object(contact).filter(actor=admin).count() == 2  # created, re-assigned
    assert LogEntry.objects.get_for_object(out.log).get().actor == carer
    assert LogEntry.objects.get_for_object(out.fulfilled[0]).filter(actor=carer).exists()
    assert PlanEvent.objects.filter(plan=contact, actor=admin).count() == 2


def test_staff_see_their_subtree_and_nobody_sees_a_sibling_area(world, retiree, carer, travel):
    travel(at(2026, 3, 10))
    home = care_plans(retiree("3708010101"), carer)[0]
    sibling = care_plans(retiree("3708020101"), world.users["community_staff"])[0]
    duties.log_duty(actor=carer, plan=home, method="phone")
    for role in ("community_staff", "town_staff", "county_staff", "org_department"):
        user = world.users[role]
        for model in (Plan, Obligation, DutyLog):
            assert model.objects.visible_to(user).filter(area=home.area).exists(), (role, model)
        if role != "community_staff":  # (the community persona is the sibling plan's carer)
            assert not Obligation.objects.visible_to(user).filter(plan=sibling).exists(), role
    assert Obligation.objects.visible_to(world.users["administrator"]).filter(plan=sibling).exists()
    assert not Plan.objects.visible_to(world.users["resident"]).exists()
    assert not Obligation.objects.visible_to(world.users["department_handler"]).exists()
    assert set(DutyLog.objects.visible_to(carer)) == set(home.logs.all())
