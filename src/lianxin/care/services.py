"""The write path of retired-cadre care. Contacts and visits run on the duty engine (lianxin.duties): this
module only decides which plans a retiree has and tells the engine about changes of circumstance."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.core import clock
from lianxin.core.audit import actor_context
from lianxin.duties import services as duties
from lianxin.duties.models import Frequency, Plan
from lianxin.duties.periods import today
from lianxin.people import services as people
from lianxin.people.models import PersonTag

from .models import FLAGS, Assignment, AssignmentRole, PlanEntry, Retiree, Status

PROFILE_FIELDS = ("unit", "former_post", "level", "retirement_date", "contact_preference", "branch", "notes",
                  *FLAGS)


def _recurring(retiree: Retiree, kind: str):
    """The retiree's running recurring plan of ``kind`` (not ended), if any."""
    return (duties.plans_for(retiree).filter(kind=kind, active=True, end_date__isnull=True)
            .exclude(frequency=Frequency.ONCE).order_by("pk").last())


def care_plans(retiree: Retiree) -> list[Plan]:
    return [p for p in (_recurring(retiree, "contact"), _recurring(retiree, "visit")) if p is not None]


def visit_frequency(retiree: Retiree) -> str:
    """"月联系、季走访": quarterly visits, monthly for those living alone or with limited mobility."""
    return Frequency.MONTHLY if retiree.needs_monthly_visits else Frequency.QUARTERLY


def current(retiree: Retiree, role: str) -> Assignment | None:
    return retiree.assignments.filter(role=role, ended_on__isnull=True).select_related("user").first()


def carer_of(retiree: Retiree):
    found = current(retiree, AssignmentRole.CARE_CADRE)
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

    A new care cadre gets the retiree's duty plans (open obligations move with them, duties.reassign); the
    first care cadre gets the default plans: a monthly contact and a visit each quarter (or month)."""
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
    if role == AssignmentRole.CARE_CADRE:
        plans = care_plans(retiree)
        if plans:
            duties.reassign(plans, new_carer=user, actor=actor, note=note)
        ensure_plans(retiree, actor=actor)
    return assignment


def ensure_plans(retiree: Retiree, *, actor) -> list[Plan]:
    """Bring the retiree's plans in line with the rules: a monthly contact and a visit at the frequency the
    flags ask for (a visit plan of the wrong frequency ends today and a new one starts)."""
    carer = carer_of(retiree)
    if carer is None or retiree.status == Status.DECEASED:
        return care_plans(retiree)
    created = []
    with transaction.atomic():
        if _recurring(retiree, "contact") is None:
            created.append(duties.create_plan(actor=actor, subject=retiree, kind="contact",
                                              frequency=Frequency.MONTHLY, carer=carer, title=_("Monthly contact")))
        visit = _recurring(retiree, "visit")
        wanted = visit_frequency(retiree)
        if visit is not None and visit.frequency != wanted:
            duties.end_plans(visit, actor=actor, note=_("Visit frequency changed"))
            visit = None
        if visit is None:
            title = _("Monthly visit") if wanted == Frequency.MONTHLY else _("Quarterly visit")
            created.append(duties.create_plan(actor=actor, subject=retiree, kind="visit", frequency=wanted,
                                              carer=carer, title=title))
        if created and retiree.status == Status.HOSPITALISED:
            duties.pause(created, actor=actor, note=_("In hospital"))
    return care_plans(retiree)


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
        duties.pause(care_plans(retiree), actor=actor, note=note or _("In hospital"))
    elif status == Status.ACTIVE:
        duties.resume(care_plans(retiree), actor=actor, note=note)
    elif status == Status.MOVED:
        if area is None:
            raise ValidationError(_("Say which area the retiree moved to."))
        people.update_person(retiree.person, actor=actor, area=area)
        retiree.person.refresh_from_db()
        duties.resume(care_plans(retiree), actor=actor, note=note)
        new_carer = care_cadre or carer_of(retiree)
        if care_cadre is not None and care_cadre != carer_of(retiree):
            with actor_context(actor):
                previous = current(retiree, AssignmentRole.CARE_CADRE)
                previous.ended_on = on
                previous.save(update_fields=["ended_on"])
                Assignment.objects.create(retiree=retiree, role=AssignmentRole.CARE_CADRE, user=care_cadre,
                                          started_on=on, actor=actor, note=note[:200])
        if new_carer is not None and care_plans(retiree):
            duties.reassign(care_plans(retiree), new_carer=new_carer, area=area, actor=actor,
                            note=note or _("Moved"))
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
