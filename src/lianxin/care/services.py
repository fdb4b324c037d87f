"""The write path of retired-cadre care. Contacts and visits run on the duty engine (lianxin.duties): this
module only decides which plans a retiree has and tells the engine about changes of circumstance."""

from collections import defaultdict
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from lianxin.core import clock
from lianxin.core.audit import actor_context
from lianxin.core.clock import today
from lianxin.duties import kinds as duties_kinds
from lianxin.duties import services as duties
from lianxin.duties.models import Frequency, Plan
from lianxin.people import services as people
from lianxin.people.models import PersonTag

from .models import FLAGS, Assignment, AssignmentRole, PlanEntry, Retiree, Status

PROFILE_FIELDS = ("unit", "former_post", "level", "retirement_date", "contact_preference", "branch", "notes",
                  *FLAGS)


# The family doctor's own duty (on the same engine as the care cadre's contacts and visits).
FOLLOWUP = "health_followup"
duties_kinds.register_kind(FOLLOWUP, _lazy("Health follow-up"))


def _recurring(retiree: Retiree, kind: str):
    """The retiree's running recurring plan of ``kind`` (not ended), if any."""
    return (duties.plans_for(retiree).filter(kind=kind, active=True, end_date__isnull=True)
            .exclude(frequency=Frequency.ONCE).order_by("pk").last())


def care_plans(retiree: Retiree) -> list[Plan]:
    """The care cadre's running plans: the monthly contact and the visits."""
    return [p for p in (_recurring(retiree, "contact"), _recurring(retiree, "visit")) if p is not None]


def doctor_plans(retiree: Retiree) -> list[Plan]:
    """The family doctor's running plan: the health follow-up."""
    return [p for p in (_recurring(retiree, FOLLOWUP),) if p is not None]


def all_plans(retiree: Retiree) -> list[Plan]:
    return care_plans(retiree) + doctor_plans(retiree)


def visit_frequency(retiree: Retiree) -> str:
    """"月联系、季走访": quarterly visits, monthly for those living alone or with limited mobility."""
    return Frequency.MONTHLY if retiree.needs_monthly_visits else Frequency.QUARTERLY


def followup_frequency(retiree: Retiree) -> str:
    """The family doctor follows up each quarter, each month for a chronic illness."""
    return Frequency.MONTHLY if retiree.chronic_illness else Frequency.QUARTERLY


def current(retiree: Retiree, role: str) -> Assignment | None:
    return retiree.assignments.filter(role=role, ended_on__isnull=True).select_related("user").first()


def carer_of(retiree: Retiree):
    found = current(retiree, AssignmentRole.CARE_CADRE)
    return found.user if found else None


def doctor_of(retiree: Retiree):
    found = current(retiree, AssignmentRole.FAMILY_DOCTOR)
    return found.user if found else None


@transaction.atomic
def create_retiree(*, actor, person, care_cadre=None, family_doctor=None, **fields) -> Retiree:
    fields = {k: v for k, v in fields.items() if k in PROFILE_FIELDS}
    if Retiree.objects.filter(person=person).exists():
        raise ValidationError(_("%(name)s is already registered as a retiree.") % {"name": person.name})
    retiree = Retiree(person=person, status=Status.ACTIVE, status_since=today(), **fields)
    retiree.full_clean(exclude=["person"])
    with actor_context(actor):
        retiree.save()
        PersonTag.objects.get_or_create(person=person, kind="retired_cadre")
    if care_cadre is not None:
        assign(retiree, role=AssignmentRole.CARE_CADRE, user=care_cadre, actor=actor)
    if family_doctor is not None:
        assign(retiree, role=AssignmentRole.FAMILY_DOCTOR, user=family_doctor, actor=actor)
    return retiree


@transaction.atomic
def assign(retiree: Retiree, *, role: str, user, actor, note: str = "") -> Assignment:
    """Make ``user`` the retiree's care cadre or family doctor from today, ending the previous assignment.

    The new holder gets the role's duty plans (open obligations move with them, duties.reassign); the first
    care cadre gets the default plans (a monthly contact and a visit each quarter or month), the first family
    doctor the health follow-up."""
    if role not in AssignmentRole.values:
        raise ValidationError(_("Unknown care role."))
    if retiree.status == Status.DECEASED:
        raise ValidationError(_("The retiree has died: no one can be assigned any more."))
    on = today()
    previous = current(retiree, role)
    if previous is not None and previous.user_id == user.pk:
        return previous
    with actor_context(actor):
        if previous is not None:
            previous.ended_on = on
            previous.save(update_fields=["ended_on"])
        assignment = Assignment.objects.create(retiree=retiree, role=role, user=user, started_on=on, actor=actor,
                                               note=note[:200])
    plans = care_plans(retiree) if role == AssignmentRole.CARE_CADRE else doctor_plans(retiree)
    if plans:
        duties.reassign(plans, new_carer=user, actor=actor, note=note)
    ensure_plans(retiree, actor=actor)
    return assignment


def _ensure(retiree, kind, wanted, carer, actor, titles) -> Plan | None:
    """Keep one running plan of ``kind`` at frequency ``wanted``: a plan of another frequency ends today and a
    new one starts. Returns the plan created, if any."""
    plan = _recurring(retiree, kind)
    if plan is not None and plan.frequency != wanted:
        duties.end_plans(plan, actor=actor, note=_("Frequency changed"))
        plan = None
    if plan is not None:
        return None
    return duties.create_plan(actor=actor, subject=retiree, kind=kind, frequency=wanted, carer=carer,
                              title=str(titles[wanted]))


def ensure_plans(retiree: Retiree, *, actor) -> list[Plan]:
    """Bring the retiree's plans in line with the rules: a monthly contact and a visit at the frequency the
    flags ask for (owed by the care cadre), and a health follow-up (owed by the family doctor)."""
    if retiree.status == Status.DECEASED:
        return all_plans(retiree)
    carer, doctor = carer_of(retiree), doctor_of(retiree)
    created = []
    with transaction.atomic():
        if carer is not None:
            created.append(_ensure(retiree, "contact", Frequency.MONTHLY, carer, actor,
                                   {Frequency.MONTHLY: _("Monthly contact")}))
            created.append(_ensure(retiree, "visit", visit_frequency(retiree), carer, actor,
                                   {Frequency.MONTHLY: _("Monthly visit"), Frequency.QUARTERLY: _("Quarterly visit")}))
        if doctor is not None:
            created.append(_ensure(retiree, FOLLOWUP, followup_frequency(retiree), doctor, actor,
                                   {Frequency.MONTHLY: _("Monthly health follow-up"),
                                    Frequency.QUARTERLY: _("Quarterly health follow-up")}))
        created = [p for p in created if p is not None]
        if created and retiree.status == Status.HOSPITALISED:
            duties.pause(created, actor=actor, note=_("In hospital"))
    return all_plans(retiree)


@transaction.atomic
def update_profile(retiree: Retiree, *, actor, **fields) -> Retiree:
    """Change profile fields; a change of the living flags re-evaluates the visit frequency."""
    retiree = Retiree.objects.select_for_update().get(pk=retiree.pk)
    for key, value in fields.items():
        if key in PROFILE_FIELDS:
            setattr(retiree, key, value)
    retiree.full_clean(exclude=["person"])
    with actor_context(actor):
        retiree.save()
    ensure_plans(retiree, actor=actor)
    return retiree


@transaction.atomic
def change_status(retiree: Retiree, status: str, *, actor, on: date | None = None, area=None, care_cadre=None,
                  condolence_by=None, note: str = "") -> Retiree:
    """A change of circumstance, told to the duty engine:

    hospitalised → plans paused; back to active → resumed; moved → the person's area changes and the plans
    (with their open obligations) go to the new area and care cadre; deceased → duties end on the date of
    death, a one-off condolence visit is created and the assignments end."""
    if status not in Status.values:
        raise ValidationError(_("Unknown status."))
    retiree = Retiree.objects.select_for_update().select_related("person").get(pk=retiree.pk)
    old = retiree.status
    if old == Status.DECEASED:
        raise ValidationError(_("The retiree has died: the status cannot change any more."))
    on = on or today()
    if status == Status.HOSPITALISED:
        duties.pause(all_plans(retiree), actor=actor, note=note or _("In hospital"))
    elif status == Status.ACTIVE:
        duties.resume(all_plans(retiree), actor=actor, note=note)
    elif status == Status.MOVED:
        if area is None:
            raise ValidationError(_("Say which area the retiree moved to."))
        people.update_person(retiree.person, actor=actor, area=area)
        retiree.person.refresh_from_db()
        duties.resume(all_plans(retiree), actor=actor, note=note)
        new_carer = care_cadre or carer_of(retiree)
        if care_cadre is not None and care_cadre != carer_of(retiree):
            with actor_context(actor):
                previous = current(retiree, AssignmentRole.CARE_CADRE)
                if previous is not None:
                    previous.ended_on = on
                    previous.save(update_fields=["ended_on"])
                Assignment.objects.create(retiree=retiree, role=AssignmentRole.CARE_CADRE, user=care_cadre,
                                          started_on=on, actor=actor, note=note[:200])
        if new_carer is not None and care_plans(retiree):
            duties.reassign(care_plans(retiree), new_carer=new_carer, area=area, actor=actor,
                            note=note or _("Moved"))
        doctor = doctor_of(retiree)
        if doctor is not None and doctor_plans(retiree):
            duties.reassign(doctor_plans(retiree), new_carer=doctor, area=area, actor=actor, note=note or _("Moved"))
    elif status == Status.DECEASED:
        owner = condolence_by or carer_of(retiree)
        if owner is None:
            raise ValidationError(_("Say who makes the condolence visit."))
        duties.record_death(retiree, actor=actor, on=on, condolence_by=owner)
        with actor_context(actor):
            retiree.assignments.filter(ended_on__isnull=True).update(ended_on=on)
    retiree.status, retiree.status_since = status, on
    with actor_context(actor):
        retiree.save(update_fields=["status", "status_since"])
    return retiree


def add_plan_entry(retiree: Retiree, *, actor, need: str, measure: str = "", result: str = "",
                   next_step: str = "", on: date | None = None) -> PlanEntry:
    if not (need or "").strip():
        raise ValidationError({"need": _("Say what the retiree needs.")})
    with actor_context(actor):
        return PlanEntry.objects.create(retiree=retiree, on=on or today(), need=need.strip(), measure=measure,
                                        result=result, next_step=next_step, author=actor, created_at=clock.now())


def find_assignee(username: str, role: str):
    """The active account called ``username`` that holds ``role`` somewhere (care_cadre / family_doctor)."""
    from lianxin.accounts.models import User

    user = User.objects.filter(username__iexact=username.strip(), is_active=True, grants__role=role).first()
    if user is None:
        raise ValidationError(_("There is no account “%(u)s” with the role %(role)s.")
                              % {"u": username, "role": AssignmentRole(role).label})
    return user


def mark_step(retiree: Retiree, *, item: str, actor, done_on: date | None = None, note: str = ""):
    """Record (or re-date) one item of the "六个一" retirement checklist."""
    from .models import RetirementItem, RetirementStep

    if item not in RetirementItem.values:
        raise ValidationError(_("Unknown checklist item."))
    done_on = done_on or today()
    if done_on > today():
        raise ValidationError(_("The date is in the future."))
    with actor_context(actor):
        step, _created = RetirementStep.objects.update_or_create(
            retiree=retiree, item=item, defaults={"done_on": done_on, "note": note[:200], "actor": actor})
    return step


def add_liaison(unit, *, person, actor, started_on: date | None = None, note: str = ""):
    from .models import Liaison

    if unit.care_liaisons.filter(person=person, ended_on__isnull=True).exists():
        raise ValidationError(_("%(name)s is already a liaison of this unit.") % {"name": person.name})
    with actor_context(actor):
        return Liaison.objects.create(unit=unit, person=person, started_on=started_on or today(), note=note[:200])


def end_liaison(liaison, *, actor, on: date | None = None):
    with actor_context(actor):
        liaison.ended_on = on or today()
        liaison.save(update_fields=["ended_on"])
    return liaison


def create_health_event(*, actor, area, kind: str, title: str, held_on: date, organiser: str = "",
                        note: str = ""):
    from .models import HealthEvent

    event = HealthEvent(area=area, kind=kind, title=(title or "").strip(), held_on=held_on, organiser=organiser,
                        note=note)
    event.full_clean()
    with actor_context(actor):
        event.save()
    return event


def cover(event, retirees, *, actor) -> int:
    """Add retirees to those an event covered (only retirees living in the event's area). Returns how many
    were added."""
    from lianxin.core.trees import subtree_q

    retirees = [r for r in retirees if Retiree.objects.filter(subtree_q("person__area__path", event.area.path),
                                                              pk=r.pk).exists()]
    before = event.retirees.count()
    with actor_context(actor):
        event.retirees.add(*retirees)
    return event.retirees.count() - before


# ---------------------------------------------------------------- festival group visits (节日慰问)


def group_members(*, area, unit=None, flags=()) -> "models.QuerySet[Retiree]":
    """Living retirees of ``area``'s subtree, of ``unit`` if given, having every one of ``flags``."""
    from lianxin.core.trees import subtree_q

    qs = Retiree.objects.filter(subtree_q("person__area__path", area.path)).exclude(status=Status.DECEASED)
    if unit is not None:
        qs = qs.filter(unit=unit)
    for flag in flags:
        if flag not in FLAGS:
            raise ValidationError(_("Unknown circumstance."))
        qs = qs.filter(**{flag: True})
    return qs


def create_group_visit(*, actor, occasion: str, title: str, area, due_on: date, start_on: date | None = None,
                       unit=None, flags=(), client_key: str = ""):
    """A one-off visit duty for each retiree of the group, owed by their care cadre (community staff of the
    retiree's area when there is none). A retried submission (same ``client_key``) returns the first group."""
    from .models import GroupVisit, Occasion

    if occasion not in Occasion.values:
        raise ValidationError(_("Unknown occasion."))
    title = (title or "").strip() or str(Occasion(occasion).label)
    start_on = start_on or today()
    if due_on < start_on:
        raise ValidationError(_("The due date is before the start date."))
    if client_key and actor is not None:
        existing = GroupVisit.objects.filter(created_by=actor, client_key=client_key).first()
        if existing is not None:
            return existing
    members = list(group_members(area=area, unit=unit, flags=flags).select_related("person__area"))
    if not members:
        raise ValidationError(_("No living retiree matches this group."))
    with transaction.atomic(), actor_context(actor):
        group = GroupVisit.objects.create(occasion=occasion, title=title[:120], area=area, unit=unit,
                                          flags=",".join(flags), start_on=start_on, due_on=due_on,
                                          created_by=actor, created_at=clock.now(), client_key=client_key)
        by_carer: dict = {}
        for r in members:
            by_carer.setdefault(carer_of(r), []).append(r)
        plans = []
        for carer, retirees in by_carer.items():
            plans += duties.create_group_one_off(
                actor=actor, subjects=retirees, kind="visit", due_on=due_on, title=group.title, carer=carer,
                owner_role="" if carer else "community_staff", start_date=min(start_on, due_on), grace_days=3)
        group.plans.set(plans)
    return group


def groups_progress(groups) -> dict:
    """Visits done / due (without the obligations) of several groups by pk, in two queries (the list page)."""
    from lianxin.duties.models import Obligation
    from lianxin.duties.status import Status as Colour
    from lianxin.duties.status import with_status

    from .models import GroupVisit

    groups = list(groups)
    through = GroupVisit.plans.through
    plan_groups = defaultdict(list)
    for plan_id, group_id in through.objects.filter(groupvisit__in=groups).values_list("plan_id", "groupvisit_id"):
        plan_groups[plan_id].append(group_id)
    tally = {g.pk: {"done": 0, "due": 0} for g in groups}
    rows = with_status(Obligation.objects.filter(plan__in=list(plan_groups)), clock.now()).values_list(
        "plan_id", "status")
    for plan_id, status in rows:
        for group_id in plan_groups[plan_id]:
            tally[group_id]["done"] += status == Colour.FULFILLED
            tally[group_id]["due"] += status != Colour.CANCELLED
    return {pk: {**t, "rate": round(t["done"] / t["due"], 4) if t["due"] else None} for pk, t in tally.items()}


def group_progress(group) -> dict:
    """Visits done / due of a group, with the obligations (status derived now) for its page."""
    from lianxin.duties.models import Obligation
    from lianxin.duties.status import Status as Colour
    from lianxin.duties.status import with_status

    obligations = list(with_status(Obligation.objects.filter(plan__in=group.plans.all()), clock.now())
                       .select_related("plan", "owner__person").order_by("pk"))
    done = sum(1 for o in obligations if o.status == Colour.FULFILLED)
    due = sum(1 for o in obligations if o.status != Colour.CANCELLED)
    return {"obligations": obligations, "done": done, "due": due,
            "rate": round(done / due, 4) if due else None}
