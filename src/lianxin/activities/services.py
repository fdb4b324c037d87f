"""The life of an activity, every step a service with history (``Event``): planned → notice sent → sign-up
(seat limit, first-come waitlist promoted automatically) → sign-in (rotating QR or the organiser's roster;
应到 / 实到 / 请假 with reasons) → minutes → held, only when the records its kind requires exist; postponed or
cancelled with a reason. A held party meeting of a branch fulfils that period's duty on the duty engine."""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.accounts.models import User
from lianxin.core import clock
from lianxin.core.audit import actor_context
from lianxin.core.notify import Message, notify
from lianxin.core.trees import subtree_q
from lianxin.orgs.models import Org
from lianxin.people.models import Person

from . import kinds, qr
from .models import EXPECTED, Activity, Audience, Event, Minutes, Participant, Participation, Status, Theme

NOTICE_CHANNELS = ("inapp", "sms")


def _event(activity, kind, actor, note: str = "") -> Event:
    return Event.objects.create(activity=activity, kind=kind, at=clock.now(), actor=actor, note=note[:300])


def _lock(activity) -> Activity:
    return Activity.objects.select_for_update(of=("self",)).select_related("org", "area").get(pk=activity.pk)


def _tell(activity, persons_q: Q, *, kind: str, title: str, body: str = "", channels=("inapp",)) -> None:
    """Tell the accounts of the persons matched by ``persons_q`` after commit."""
    users = list(User.objects.filter(is_active=True, person__isnull=False).filter(persons_q))
    link = f"/activities/mine/#a{activity.pk}"
    if users:
        transaction.on_commit(lambda: notify(users, kind=kind, title=title, body=body, link=link,
                                             channels=channels), robust=True)


def _require_open(activity) -> None:
    if not activity.is_open:
        raise ValidationError(_("This activity is %(status)s: it cannot change any more.")
                              % {"status": activity.get_status_display()})


# ------------------------------------------------------------------------------------------- themes


def month_start(day: date) -> date:
    return day.replace(day=1)


@transaction.atomic
def publish_theme(*, actor, area, month: date, title: str, materials: str = "", org=None) -> Theme:
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Give the theme."))
    with actor_context(actor):
        theme, _created = Theme.objects.update_or_create(
            area=area, month=month_start(month),
            defaults={"title": title, "materials": materials, "org": org, "published_by": actor})
    return theme


def theme_for(area, day: date) -> Theme | None:
    """The month's theme for an activity in ``area``: the one published by the nearest level above it."""
    ids = [int(p) for p in area.path.strip("/").split("/") if p]
    return (Theme.objects.filter(month=month_start(day), area_id__in=ids).order_by("-area__depth", "pk").first())


# ------------------------------------------------------------------------------------------- planning


def _local_day(moment: datetime) -> date:
    from lianxin.duties.periods import local_date

    return local_date(moment)


@transaction.atomic
def create_activity(*, actor, kind: str, title: str, starts_at: datetime, ends_at: datetime, place: str,
                    org: Org | None = None, area=None, audience: str = Audience.MEMBERS, audience_org=None,
                    seat_limit: int | None = None, theme: Theme | None = None, agenda: str = "") -> Activity:
    if kind not in kinds.KINDS:
        raise ValidationError(_("Unknown kind of activity."))
    spec = kinds.KINDS[kind]
    if org is None and area is None:
        raise ValidationError(_("Say which organisation or area organises the activity."))
    if spec.party and (org is None or org.kind not in ("branch", "general_branch", "temporary_branch",
                                                        "party_committee")):
        raise ValidationError(_("A party meeting is organised by a party branch."))
    if ends_at <= starts_at:
        raise ValidationError(_("The end is not after the start."))
    if audience not in Audience.values:
        raise ValidationError(_("Unknown audience."))
    if audience == Audience.MEMBERS:
        audience_org = audience_org or org
        if audience_org is None:
            raise ValidationError(_("Say whose members are invited."))
        seat_limit = None
    elif seat_limit is not None and seat_limit < 1:
        raise ValidationError(_("Give at least one seat, or no limit."))
    area = area or org.area
    if theme is None and spec.takes_theme:
        theme = theme_for(area, _local_day(starts_at))
    with actor_context(actor):
        activity = Activity.objects.create(
            kind=kind, title=(title or "").strip() or str(spec.label), org=org, area=area, audience=audience,
            audience_org=audience_org if audience == Audience.MEMBERS else None, seat_limit=seat_limit,
            starts_at=starts_at, ends_at=ends_at, place=place, theme=theme, agenda=agenda, created_by=actor,
            created_at=clock.now())
    _event(activity, Event.Kind.PLANNED, actor)
    return activity


@transaction.atomic
def list_people(activity, persons, *, actor) -> int:
    """Put chosen persons on an activity's list (audience ``list``: a class's students, a training's
    trainees); returns how many were added."""
    activity = _lock(activity)
    _require_open(activity)
    if activity.audience != Audience.LIST:
        raise ValidationError(_("Only an activity for a chosen list of persons takes names."))
    have = set(activity.participants.values_list("person_id", flat=True))
    rows = [Participant(activity=activity, person=p, status=Participation.INVITED, voting=p.is_party_member,
                        joined_at=clock.now()) for p in persons if p.pk not in have]
    Participant.objects.bulk_create(rows)
    return len(rows)


def roster_people(activity):
    """The members an activity of ``audience=members`` invites: persons of the audience org's subtree."""
    if activity.audience_org_id is None:
        return Person.objects.none()
    return Person.objects.filter(subtree_q("org__path", activity.audience_org.path))


@transaction.atomic
def send_notice(activity, *, actor, channels=NOTICE_CHANNELS) -> int:
    """Put the members on the roster (应到) and tell everyone on the list; returns how many were told."""
    activity = _lock(activity)
    _require_open(activity)
    now = clock.now()
    if activity.audience == Audience.MEMBERS:
        have = set(activity.participants.values_list("person_id", flat=True))
        Participant.objects.bulk_create([
            Participant(activity=activity, person=p, status=Participation.INVITED, voting=p.is_party_member,
                        joined_at=now)
            for p in roster_people(activity).exclude(pk__in=have).order_by("pk")])
    listed = activity.participants.filter(status__in=EXPECTED)
    count = listed.count()
    when = activity.starts_at.astimezone(_tz())
    _tell(activity, Q(person__in=listed.values("person_id")), kind="activity_notice", channels=channels,
          title=Message(gettext_lazy("Notice: %(title)s"), title=activity.title),
          body=Message(gettext_lazy("%(when)s at %(place)s."), when=f"{when:%Y-%m-%d %H:%M}",
                       place=activity.place))
    activity.status, activity.notified_at = Status.NOTIFIED, now
    activity.save(update_fields=["status", "notified_at"])
    with_account = User.objects.filter(person__in=listed.values("person_id"), is_active=True).count()
    _event(activity, Event.Kind.NOTIFIED, actor,
           _("%(n)d on the list, %(a)d with an account") % {"n": count, "a": with_account})
    return count


def _tz():
    from lianxin.workdays.calendar import tz

    return tz()


# ------------------------------------------------------------------------------------------- sign-up


def _taken(activity) -> int:
    return activity.participants.filter(status__in=(Participation.REGISTERED, Participation.ATTENDED)).count()


def seats_left(activity) -> int | None:
    return None if activity.seat_limit is None else max(activity.seat_limit - _taken(activity), 0)


def _promote(activity, actor) -> list[Participant]:
    """Fill free seats from the waitlist, first come first served."""
    promoted = []
    while activity.seat_limit is None or _taken(activity) < activity.seat_limit:
        nxt = activity.participants.filter(status=Participation.WAITLISTED).order_by("joined_at", "pk").first()
        if nxt is None:
            break
        nxt.status = Participation.REGISTERED
        nxt.save(update_fields=["status"])
        promoted.append(nxt)
        _event(activity, Event.Kind.PROMOTED, actor, nxt.person.name)
        _tell(activity, Q(person=nxt.person), kind="activity_promoted",
              title=Message(gettext_lazy("A seat is yours: %(title)s"), title=activity.title))
    return promoted


@transaction.atomic
def sign_up(activity, person: Person, *, actor) -> Participant:
    """Sign up for an open activity: a seat if one is free, else the end of the waitlist."""
    activity = _lock(activity)
    _require_open(activity)
    if activity.audience != Audience.OPEN:
        raise ValidationError(_("This activity is for the members of %(org)s: no sign-up is needed.")
                              % {"org": activity.audience_org})
    row = activity.participants.filter(person=person).first()
    if row is not None and row.status != Participation.WITHDRAWN:
        return row
    free = activity.seat_limit is None or _taken(activity) < activity.seat_limit
    status = Participation.REGISTERED if free else Participation.WAITLISTED
    with actor_context(actor):
        if row is None:
            row = Participant.objects.create(activity=activity, person=person, status=status,
                                             voting=person.is_party_member, joined_at=clock.now())
        else:  # signing up again after withdrawing: to the end of the queue
            row.status, row.joined_at, row.reason = status, clock.now(), ""
            row.save(update_fields=["status", "joined_at", "reason"])
    return row


@transaction.atomic
def withdraw(activity, person: Person, *, actor) -> list[Participant]:
    """Give up a seat (or a place on the waitlist); the first on the waitlist takes a freed seat."""
    activity = _lock(activity)
    _require_open(activity)
    row = activity.participants.filter(person=person).exclude(status=Participation.WITHDRAWN).first()
    if row is None:
        return []
    if row.status == Participation.ATTENDED:
        raise ValidationError(_("Already signed in: the attendance stays."))
    row.status = Participation.WITHDRAWN
    row.save(update_fields=["status"])
    return _promote(activity, actor)


@transaction.atomic
def excuse(activity, person: Person, *, actor, reason: str) -> Participant:
    """请假: absent with a reason. Stays among those expected (应到); frees an open activity's seat."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the absence."))
    activity = _lock(activity)
    _require_open(activity)
    row = activity.participants.filter(person=person).first()
    if row is None or row.status in (Participation.WITHDRAWN, Participation.WAITLISTED):
        raise ValidationError(_("%(name)s is not on the list.") % {"name": person.name})
    row.status, row.reason, row.signed_in_at, row.signin_method = Participation.EXCUSED, reason[:200], None, ""
    row.save(update_fields=["status", "reason", "signed_in_at", "signin_method"])
    if activity.audience == Audience.OPEN:
        _promote(activity, actor)
    return row


# ------------------------------------------------------------------------------------------- sign-in


@transaction.atomic
def open_signin(activity, *, actor) -> Activity:
    activity = _lock(activity)
    _require_open(activity)
    if activity.signin_opened_at is None:
        activity.signin_opened_at = clock.now()
        activity.save(update_fields=["signin_opened_at"])
        _event(activity, Event.Kind.SIGNIN_OPENED, actor)
    return activity


@dataclass
class SignIn:
    participant: Participant
    created: bool


@transaction.atomic
def sign_in(activity, person: Person, *, actor, method: str = "roster", token: str = "") -> SignIn:
    """实到. By QR (the person scans the organiser's current code) or by the organiser's tick on the roster.
    Once per person: a repeat answers with the first sign-in."""
    activity = _lock(activity)
    _require_open(activity)
    if method == "qr":
        if activity.signin_opened_at is None:
            raise ValidationError(_("Sign-in has not been opened yet."))
        if not qr.valid(activity, token):
            raise ValidationError(_("This code has expired: scan the code on the organiser's screen again."),
                                  code="expired")
    elif method != "roster":
        raise ValidationError(_("Unknown sign-in method."))
    row = activity.participants.filter(person=person).first()
    if row is not None and row.status == Participation.ATTENDED:
        return SignIn(row, False)
    if row is None or row.status == Participation.WITHDRAWN:
        in_roster = (activity.audience == Audience.MEMBERS
                     and roster_people(activity).filter(pk=person.pk).exists())
        walk_in = activity.audience == Audience.OPEN and (
            activity.seat_limit is None or _taken(activity) < activity.seat_limit)
        if not (in_roster or walk_in):
            raise ValidationError(_("%(name)s is not on the list of this activity.") % {"name": person.name})
        if row is None:
            row = Participant(activity=activity, person=person, voting=person.is_party_member,
                              joined_at=clock.now())
    elif row.status == Participation.WAITLISTED:
        raise ValidationError(_("%(name)s is on the waitlist, without a seat yet.") % {"name": person.name})
    row.status, row.reason = Participation.ATTENDED, ""
    row.signed_in_at, row.signin_method = clock.now(), method
    with actor_context(actor):
        row.save()
    return SignIn(row, True)


@transaction.atomic
def untick(activity, person: Person, *, actor) -> Participant | None:
    """The organiser takes back a tick made by mistake: the person is expected again, not present."""
    activity = _lock(activity)
    _require_open(activity)
    row = activity.participants.filter(person=person, status=Participation.ATTENDED).first()
    if row is None:
        return None
    row.status = Participation.REGISTERED if activity.audience == Audience.OPEN else Participation.INVITED
    row.signed_in_at, row.signin_method = None, ""
    row.save(update_fields=["status", "signed_in_at", "signin_method"])
    return row


def attendance(activity) -> dict:
    """应到 / 实到 / 请假 (and the open sign-up's queue) of one activity."""
    row = activity.participants.aggregate(
        expected=Count("pk", filter=Q(status__in=EXPECTED)),
        attended=Count("pk", filter=Q(status=Participation.ATTENDED)),
        excused=Count("pk", filter=Q(status=Participation.EXCUSED)),
        registered=Count("pk", filter=Q(status=Participation.REGISTERED)),
        waitlisted=Count("pk", filter=Q(status=Participation.WAITLISTED)),
        voting_expected=Count("pk", filter=Q(status__in=EXPECTED, voting=True)),
        voting_present=Count("pk", filter=Q(status=Participation.ATTENDED, voting=True)),
    )
    row["absent"] = row["expected"] - row["attended"] - row["excused"]
    return row


def quorum(activity) -> tuple[bool, int, int]:
    """(reached, voting members present, voting members expected): more than half must be present."""
    a = attendance(activity)
    return a["voting_present"] * 2 > a["voting_expected"], a["voting_present"], a["voting_expected"]


# ------------------------------------------------------------------------------------------- minutes, held


@transaction.atomic
def write_minutes(activity, *, actor, text: str | None = None, resolutions: str | None = None,
                  photos=()) -> Minutes:
    activity = _lock(activity)
    _require_open(activity)
    minutes, _created = Minutes.objects.get_or_create(activity=activity, defaults={"updated_at": clock.now()})
    if text is not None:
        minutes.text = text.strip()
    if resolutions is not None:
        minutes.resolutions = resolutions.strip()
    minutes.written_by, minutes.updated_at = actor, clock.now()
    with actor_context(actor):
        minutes.save()
        if photos:
            minutes.photos.add(*photos)
    _event(activity, Event.Kind.MINUTES, actor)
    return minutes


def missing_records(activity) -> list[str]:
    """The records the kind requires that do not exist yet (数据留痕)."""
    minutes = Minutes.objects.filter(activity=activity).first()
    have = {
        kinds.NOTICE: activity.notified_at is not None,
        kinds.SIGNIN: activity.participants.filter(status=Participation.ATTENDED).exists(),
        kinds.MINUTES: bool(minutes and minutes.text),
        kinds.PHOTOS: bool(minutes and minutes.photos.exists()),
    }
    return [r for r in activity.spec.requires if not have[r]]


@transaction.atomic
def mark_held(activity, *, actor) -> Activity:
    """Record the activity as held: refused while a required record is missing, before its start, or below
    the quorum. A branch's routine meeting then fulfils its period's duty."""
    activity = _lock(activity)
    _require_open(activity)
    if activity.starts_at > clock.now():
        raise ValidationError(_("The activity has not started yet."))
    missing = missing_records(activity)
    if missing:
        raise ValidationError(_("Missing before it counts as held: %(records)s.")
                              % {"records": "、".join(str(kinds.RECORD_LABELS[m]) for m in missing)},
                              code="missing")
    if activity.spec.quorum:
        reached, present, voting = quorum(activity)
        if not reached:
            raise ValidationError(
                _("Quorum not reached: %(present)d of %(voting)d voting members present; more than half must "
                  "be.") % {"present": present, "voting": voting}, code="quorum")
    activity.status, activity.held_at = Status.HELD, clock.now()
    with actor_context(actor):
        activity.save(update_fields=["status", "held_at"])
    _event(activity, Event.Kind.HELD, actor)
    from . import compliance

    compliance.record_held(activity)
    if activity.health_event_id:
        _cover(activity)
    return activity


def _cover(activity) -> None:
    """A held health event's coverage is its sign-in: the retirees present are those the event covered (one
    truth, kept in care's ``HealthEvent.retirees``), on the day it was held."""
    from lianxin.care.models import HealthEvent, Retiree

    event = HealthEvent.objects.get(pk=activity.health_event_id)
    present = activity.participants.filter(status=Participation.ATTENDED).values("person_id")
    event.retirees.add(*Retiree.objects.filter(person_id__in=present))
    event.held_on = _local_day(activity.starts_at)
    event.save(update_fields=["held_on"])


@transaction.atomic
def hold_health_event(event, *, actor, starts_at: datetime, ends_at: datetime, place: str) -> Activity:
    """Hold a care health event (check-up, clinic, talk) as an activity listing the retirees of its area; the
    event's coverage then comes from the sign-in."""
    from lianxin.care.models import Retiree

    existing = Activity.objects.filter(health_event=event).first()
    if existing is not None:
        return existing
    activity = create_activity(actor=actor, kind="health", title=event.title, area=event.area, audience="list",
                               starts_at=starts_at, ends_at=ends_at, place=place)
    activity.health_event = event
    activity.save(update_fields=["health_event"])
    retirees = Retiree.objects.filter(subtree_q("person__area__path", event.area.path)).select_related("person")
    list_people(activity, [r.person for r in retirees], actor=actor)
    return activity


@transaction.atomic
def postpone(activity, *, actor, starts_at: datetime, ends_at: datetime, reason: str) -> Activity:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for postponing."))
    if ends_at <= starts_at:
        raise ValidationError(_("The end is not after the start."))
    activity = _lock(activity)
    _require_open(activity)
    before = activity.starts_at.astimezone(_tz())
    activity.starts_at, activity.ends_at = starts_at, ends_at
    if activity.spec.takes_theme and _local_day(starts_at).month != before.month:
        activity.theme = theme_for(activity.area, _local_day(starts_at))
    with actor_context(actor):
        activity.save(update_fields=["starts_at", "ends_at", "theme"])
    _event(activity, Event.Kind.POSTPONED, actor, f"{before:%Y-%m-%d %H:%M} → "
                                                  f"{starts_at.astimezone(_tz()):%Y-%m-%d %H:%M}: {reason}")
    _tell(activity, Q(person__in=activity.participants.filter(status__in=EXPECTED).values("person_id")),
          kind="activity_postponed", title=Message(gettext_lazy("Postponed: %(title)s"), title=activity.title),
          body=Message(gettext_lazy("New time %(when)s. %(reason)s"),
                       when=f"{starts_at.astimezone(_tz()):%Y-%m-%d %H:%M}", reason=reason))
    return activity


@transaction.atomic
def cancel(activity, *, actor, reason: str) -> Activity:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for cancelling."))
    activity = _lock(activity)
    _require_open(activity)
    activity.status, activity.cancel_reason = Status.CANCELLED, reason[:200]
    with actor_context(actor):
        activity.save(update_fields=["status", "cancel_reason"])
    _event(activity, Event.Kind.CANCELLED, actor, reason)
    _tell(activity, Q(person__in=activity.participants.filter(status__in=EXPECTED).values("person_id")),
          kind="activity_cancelled", title=Message(gettext_lazy("Cancelled: %(title)s"), title=activity.title),
          body=reason)
    return activity
