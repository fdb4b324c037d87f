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


def record_finding(patrol: Patrol, *, worker, category, title: str, description: str = "", lng=None, lat=None,
                   photos=(), idempotency_key: str | None = None):
    """One step from what the worker saw to a case in the engine, anchored in the patrol's grid."""
    patrol = Patrol.objects.select_related("area").get(pk=patrol.pk)
    if patrol.worker_id != worker.pk or patrol.ended_at:
        raise ValidationError(_("This patrol is not open."))
    area = None if lng is not None else patrol.area
    outcome = services.report(actor=worker, category=category, title=title, description=description, area=area,
                              lng=lng, lat=lat, source="patrol", photos=photos, idempotency_key=idempotency_key)
    return outcome
