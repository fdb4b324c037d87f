"""Enrolment that stays fair when seats run out in minutes: returning students (enrolled in the class's
previous term) take seats first-come until the returning window closes; everyone else applies and a lottery,
reproducible from its published seed, fills the remaining seats, the rest waitlisted in drawn order; a freed
seat goes to the first on the waitlist automatically; after the draw, late applicants take free seats or join
the end of the waitlist. Eligibility: age limits at the start of the term (configurable per class) and a family
consent flag where the class requires it. Family members or community staff may enrol someone (代报)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from lianxin.activities import services as activities
from lianxin.core import clock
from lianxin.core.audit import actor_context

from . import lottery
from .models import Campus, Course, Enrolment, EnrolmentStatus, Klass, Lecturer, Lesson

S = EnrolmentStatus


def create_campus(*, actor, **fields) -> Campus:
    with actor_context(actor):
        return Campus.objects.create(**fields)


def create_course(*, actor, **fields) -> Course:
    with actor_context(actor):
        return Course.objects.create(**fields)


def add_lecturer(*, actor, person, area, speciality: str, retired_cadre: bool = False) -> Lecturer:
    with actor_context(actor):
        lecturer, _created = Lecturer.objects.get_or_create(
            person=person, area=area, defaults={"speciality": speciality, "retired_cadre": retired_cadre})
    return lecturer


def create_class(*, actor, course, campus, term: str, seats: int, name: str = "", **fields) -> Klass:
    if seats < 1:
        raise ValidationError(_("A class needs at least one seat."))
    with actor_context(actor):
        return Klass.objects.create(course=course, campus=campus, area=campus.area, term=term, seats=seats,
                                    name=name or f"{course.name}（{term}）", **fields)


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def check_eligible(klass, person, *, consent: bool) -> None:
    if klass.min_age or klass.max_age:
        if person.birth_date is None:
            raise ValidationError(_("The birth date is needed to check the age limits."))
        age = age_on(person.birth_date, clock.today())
        if (klass.min_age and age < klass.min_age) or (klass.max_age and age > klass.max_age):
            raise ValidationError(_("This class is for ages %(lo)s to %(hi)s.")
                                  % {"lo": klass.min_age or "–", "hi": klass.max_age or "–"}, code="age")
    if klass.needs_consent and not consent:
        raise ValidationError(_("This class needs the family's consent."), code="consent")


def _enrolled(klass) -> int:
    return klass.enrolments.filter(status=S.ENROLLED).count()


def _is_returning(klass, person) -> bool:
    return bool(klass.previous_id) and Enrolment.objects.filter(
        klass_id=klass.previous_id, person=person, status=S.ENROLLED).exists()


def _next_rank(klass) -> int:
    return (klass.enrolments.aggregate(m=Max("rank"))["m"] or 0) + 1


@transaction.atomic
def apply(klass, person, *, actor, consent: bool = False, on_behalf: bool = False) -> Enrolment:
    """Enrol or apply: a returning student inside the returning window takes a free seat at once; before the
    lottery others apply; after it they take a free seat or join the end of the waitlist."""
    klass = Klass.objects.select_for_update().get(pk=klass.pk)
    check_eligible(klass, person, consent=consent)
    row = klass.enrolments.filter(person=person).first()
    if row is not None and row.status != S.WITHDRAWN:
        return row
    now = clock.now()
    returning = _is_returning(klass, person)
    free = _enrolled(klass) < klass.seats
    in_window = klass.returning_until is not None and now <= klass.returning_until
    if klass.drawn_at is not None:
        status, rank = (S.ENROLLED, None) if free else (S.WAITLISTED, _next_rank(klass))
    elif returning and in_window and free:
        status, rank = S.ENROLLED, None
    else:
        status, rank = S.APPLIED, None
    fields = {"status": status, "rank": rank, "returning": returning, "consent": consent, "applied_at": now,
              "by": actor, "on_behalf": on_behalf}
    with actor_context(actor):
        if row is None:
            row = Enrolment.objects.create(klass=klass, person=person, **fields)
        else:
            for k, v in fields.items():
                setattr(row, k, v)
            row.save()
    return row


@transaction.atomic
def draw(klass, *, actor, seed: str) -> tuple[list[Enrolment], list[Enrolment]]:
    """Draw the lottery for the seats left after the returning students, with a published seed."""
    seed = (seed or "").strip()
    if not seed:
        raise ValidationError(_("Publish a seed for the draw (for example the date and a number read out)."))
    klass = Klass.objects.select_for_update().get(pk=klass.pk)
    if klass.drawn_at is not None:
        raise ValidationError(_("The lottery of this class has been drawn already."))
    applied = {e.pk: e for e in klass.enrolments.filter(status=S.APPLIED)}
    winners, waiting = lottery.draw(list(applied), klass.seats - _enrolled(klass), f"{seed}:{klass.pk}")
    for pk in winners:
        applied[pk].status = S.ENROLLED
    for i, pk in enumerate(waiting, 1):
        applied[pk].status, applied[pk].rank = S.WAITLISTED, i
    Enrolment.objects.bulk_update(applied.values(), ["status", "rank"])
    klass.lottery_seed, klass.drawn_at = seed, clock.now()
    with actor_context(actor):
        klass.save(update_fields=["lottery_seed", "drawn_at"])
    return [applied[pk] for pk in winners], [applied[pk] for pk in waiting]


@transaction.atomic
def withdraw(enrolment, *, actor) -> Enrolment | None:
    """Leave the class (or the waitlist); a freed seat goes to the first on the waitlist. Returns who moved up."""
    klass = Klass.objects.select_for_update().get(pk=enrolment.klass_id)
    enrolment = Enrolment.objects.get(pk=enrolment.pk)
    was = enrolment.status
    enrolment.status, enrolment.rank = S.WITHDRAWN, None
    with actor_context(actor):
        enrolment.save(update_fields=["status", "rank"])
    if was != S.ENROLLED:
        return None
    nxt = klass.enrolments.filter(status=S.WAITLISTED).order_by("rank", "applied_at", "pk").first()
    if nxt is not None and _enrolled(klass) < klass.seats:
        nxt.status, nxt.rank = S.ENROLLED, None
        nxt.save(update_fields=["status", "rank"])
    return nxt


@transaction.atomic
def schedule_lesson(klass, *, actor, starts_at, ends_at, topic: str = "", lecturer=None) -> Lesson:
    """A lesson: an activity of kind "lesson" at the campus, listing the enrolled students."""
    activity = activities.create_activity(
        actor=actor, kind="lesson", title=f"{klass.name} · {topic}" if topic else klass.name, area=klass.area,
        audience="list", starts_at=starts_at, ends_at=ends_at, place=klass.campus.name)
    students = [e.person for e in klass.enrolments.filter(status=S.ENROLLED).select_related("person")]
    activities.list_people(activity, students, actor=actor)
    return Lesson.objects.create(klass=klass, activity=activity, lecturer=lecturer or klass.lecturer, topic=topic)
