"""Micro-wishes through the case engine's services: posting, claiming, and the counts.

Nothing here writes a case itself; every step is a move of lianxin.cases.services.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.areas.models import Area
from lianxin.cases import services as cases
from lianxin.cases.models import ACTIVE_ASSIGNMENT, Case, CaseEvent, Category, Stage
from lianxin.cases.services import MoveRefused, Outcome
from lianxin.core.trees import subtree_q
from lianxin.core.visibility import user_grants
from lianxin.orgs.models import OrgKind

from .types import CLAIMING, VOLUNTEER, WISH

# Who posts a wish on a retiree's or resident's behalf. The care module's cadre role joins by name.
POSTER_ROLES = {"community_staff", "town_staff", "care_cadre", "administrator"}


def is_studio(org) -> bool:
    """Volunteer studios are social organisations (OrgKind.social_org)."""
    return org is not None and org.kind == OrgKind.SOCIAL_ORG and org.is_active


def studio_of(volunteer):
    """The studio the volunteer acts for: their volunteer grant at a social organisation, if any."""
    for g in user_grants(volunteer):
        if g.role == VOLUNTEER and g.org_id and is_studio(g.org):
            return g.org
    return None


def post_wish(*, actor, category: Category, title: str, area: Area, description: str = "", photos=(),
              idempotency_key: str | None = None) -> Outcome:
    """Staff or a care cadre post a wish for someone of their area. The title says what is needed."""
    if not category.allows_type(WISH):
        raise ValidationError(_("Choose a micro-wish category."))
    if not actor.is_superuser and not any(
            g.role in POSTER_ROLES and g.area_id and area.path.startswith(g.area.path) for g in user_grants(actor)):
        raise MoveRefused(_("Only community staff or care cadres of this area may post a micro-wish."))
    return cases.report(actor=actor, type=WISH, category=category, title=title, description=description,
                        area=area, photos=photos, idempotency_key=idempotency_key)


def claimable(user):
    """Accepted, unclaimed wishes the user may claim (area grants of the volunteer role)."""
    return (Case.objects.visible_to(user, "claim")
            .filter(type=WISH, stage=Stage.ACCEPTED, parked=False)
            .exclude(assignments__status__in=ACTIVE_ASSIGNMENT))


def claim_wish(case: Case, *, volunteer, version: int | None = None) -> Outcome:
    """The volunteer's studio (or, without one, the volunteer) takes the wish: dispatch, then handler_accept.

    Both moves are the engine's and are recorded as the volunteer's. Only wishes of the volunteer's area may
    be claimed, and only while accepted and unclaimed.
    """
    if case.type != WISH:
        raise ValidationError(_("Only micro-wishes are claimed."))
    if not Case.objects.visible_to(volunteer, "claim").filter(pk=case.pk).exists():
        raise MoveRefused(_("You may claim only micro-wishes of your own area."))
    lead = studio_of(volunteer) or volunteer
    with transaction.atomic():
        token = CLAIMING.set(True)
        try:
            cases.dispatch(case, actor=volunteer, lead=lead, version=version, note=_("Claimed on the wish board."))
        finally:
            CLAIMING.reset(token)
        return cases.handler_accept(case, actor=volunteer)


def counts(area_path: str, start: datetime, end: datetime) -> dict:
    """Wishes posted, claimed (dispatched) and fulfilled (verified as done) in [start, end), from case events."""
    events = CaseEvent.objects.filter(subtree_q("area_path", area_path), case__type=WISH, at__gte=start, at__lt=end)

    def distinct(qs):
        return qs.values("case_id").distinct().count()

    return {
        "posted": distinct(events.filter(kind="report")),
        "claimed": distinct(events.filter(kind="dispatch")),
        "fulfilled": distinct(events.filter(kind="verify", data__passed=True)),
    }
