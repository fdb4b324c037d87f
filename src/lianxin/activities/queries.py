"""Reads for the participant's own pages (not a staff member's scoped view): the activities a person is on the
list of, the open ones offered where the person lives or works, and one of these by id. Views import these
instead of touching the plain managers."""

from datetime import timedelta

from django.db.models import Q

from lianxin.core import clock

from .models import Activity, Audience, Minutes, Participant, Participation, Status


def _ancestor_ids(node) -> list[int]:
    return [int(p) for p in node.path.strip("/").split("/") if p] if node is not None else []


def offered_q(person) -> Q:
    """Open sign-up activities organised in an area above the person's, or by an organisation above theirs."""
    q = Q(audience=Audience.OPEN, area_id__in=_ancestor_ids(person.area))
    if person.org_id:
        q |= Q(audience=Audience.OPEN, org_id__in=_ancestor_ids(person.org))
    return q


def for_person(person, *, days_back: int = 30):
    """Activities the person is listed for or offered, from ``days_back`` days ago on."""
    since = clock.now() - timedelta(days=days_back)
    listed = Participant.objects.filter(person=person).exclude(status=Participation.WITHDRAWN)
    return (Activity.objects.filter(ends_at__gte=since)
            .filter(Q(pk__in=listed.values("activity_id")) | (offered_q(person) & Q(status__in=(
                Status.PLANNED, Status.NOTIFIED))))
            .select_related("org", "area", "theme").order_by("starts_at", "pk"))


def participation_of(person, activities) -> dict:
    return {p.activity_id: p for p in Participant.objects.filter(person=person, activity__in=activities)}


def activity_for(person, pk) -> Activity | None:
    """The activity with ``pk`` if the person is listed for it, or it is offered to them (else None)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    listed = Participant.objects.filter(person=person, activity_id=pk).exists()
    qs = Activity.objects.filter(pk=pk).select_related("org", "area", "audience_org")
    if listed:
        return qs.first()
    offered = qs.filter(offered_q(person)).first()
    if offered is not None:
        return offered
    from .services import roster_people

    members = qs.filter(audience=Audience.MEMBERS).first()  # a member who joined after the notice went out
    return members if members and roster_people(members).filter(pk=person.pk).exists() else None


def roster(activity):
    return activity.participants.select_related("person").order_by("person__name", "pk")


def minutes_of(activity) -> Minutes | None:
    """The minutes of an activity the caller has already loaded through its scope."""
    return Minutes.objects.filter(activity=activity).first()
