"""Patrols of grid workers. A finding is filed straight into the case engine (source: patrol)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.core import clock
from lianxin.core.audit import actor_context

from . import services
from .models import Patrol


def grids_of(worker):
    from lianxin.core.visibility import user_grants

    return [g.area for g in user_grants(worker) if g.role == "grid_worker" and g.area_id]


@transaction.atomic
def start_patrol(*, worker, grid) -> Patrol:
    if grid not in grids_of(worker):
        raise ValidationError(_("You patrol only the grids you are responsible for."))
    if Patrol.objects.filter(worker=worker, ended_at__isnull=True).exists():
        raise ValidationError(_("Finish your current patrol first."))
    with actor_context(worker):
        return Patrol.objects.create(worker=worker, area=grid, started_at=clock.now())


@transaction.atomic
def end_patrol(patrol: Patrol, *, worker, note: str = "") -> Patrol:
    patrol = Patrol.objects.select_for_update().get(pk=patrol.pk)
    if patrol.worker_id != worker.pk or patrol.ended_at:
        raise ValidationError(_("This patrol is not open."))
    patrol.ended_at = clock.now()
    patrol.note = note.strip()
    with actor_context(worker):
        patrol.save()
    return patrol


FINDING_TYPES = ("event", "hazard")


def finding_categories() -> list:
    """Active sub-categories a patrol finding may be filed under, each with the finding types it allows."""
    from .models import Category

    rows = []
    for c in Category.objects.filter(parent__isnull=False, is_active=True).select_related("parent"):
        types = [t for t in FINDING_TYPES if c.allows_type(t)]
        if types:
            rows.append({"category": c, "types": types})
    return rows


def record_finding(patrol: Patrol, *, worker, category, title: str, description: str = "", lng=None, lat=None,
                   photos=(), idempotency_key: str | None = None, type: str = "event", hazard_level: str = ""):
    """One step from what the worker saw to a case in the engine (an event, or a hazard with its level),
    anchored in the patrol's grid. The patrol door of the intake (services.clean_report)."""
    patrol = Patrol.objects.select_related("area").get(pk=patrol.pk)
    if patrol.worker_id != worker.pk or patrol.ended_at:
        raise ValidationError(_("This patrol is not open."))
    area = None if lng not in (None, "") else patrol.area
    return services.report(actor=worker, door="patrol", type=type, category=category, title=title,
                           description=description, area=area, lng=lng, lat=lat, source="patrol", photos=photos,
                           idempotency_key=idempotency_key, hazard_level=hazard_level if type == "hazard" else "")
