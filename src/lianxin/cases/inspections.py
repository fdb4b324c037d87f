"""Inspection rounds (泗水's 互学互检: 明任务、查问题、抓整改、促提升): a round over a set of units; every finding
recorded at a unit becomes a rectification case (type ``finding``) dispatched to that unit with the
category's deadline, verified by the inspecting office before it closes (the engine's loop)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.core.audit import actor_context
from lianxin.core.visibility import can

from . import services
from .models import Category, Finding, InspectionRound, Stage


@transaction.atomic
def create_round(*, actor, name: str, area, starts_on, ends_on, units, tasks: str = "") -> InspectionRound:
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Give the round a name."))
    if ends_on < starts_on:
        raise ValidationError(_("The round ends before it starts."))
    units = list(units)
    if not units:
        raise ValidationError(_("Choose the units to inspect."))
    with actor_context(actor):
        r = InspectionRound.objects.create(name=name[:120], area=area, starts_on=starts_on, ends_on=ends_on,
                                           tasks=(tasks or "").strip(), created_by=actor)
        if actor is not None and not can(actor, r, "add"):
            raise PermissionDenied
        r.units.set(units)
    return r


@transaction.atomic
def record_finding(round: InspectionRound, *, actor, unit, title: str, description: str = "", photos=()):
    """查问题 → 抓整改: the finding is filed and dispatched to the unit in one step."""
    if actor is not None and not can(actor, round, "change"):
        raise PermissionDenied
    if not round.units.filter(pk=unit.pk).exists():
        raise ValidationError(_("This unit is not part of the round."))
    category = Category.objects.get(full_code="2002")
    case = services.report(actor=actor, type="finding", category=category, title=title,
                           description=description, area=round.area, source="inspection", photos=photos).case
    case = services.dispatch(case, actor=actor, lead=unit, note=round.name).case
    Finding.objects.create(round=round, unit=unit, case=case)
    return case


def summary(round: InspectionRound) -> list[dict]:
    """Per unit: the findings with their cases, found / rectified (closed as fixed) / open."""
    findings = list(round.findings.select_related("case", "unit").order_by("unit__name", "case__created_at"))
    rows = []
    for unit in round.units.order_by("name"):
        mine = [f for f in findings if f.unit_id == unit.pk]
        rectified = sum(1 for f in mine if f.case.stage == Stage.CLOSED and f.case.close_result == "fixed")
        open_ = sum(1 for f in mine if f.case.is_open)
        rows.append({"unit": unit, "findings": mine, "found": len(mine), "rectified": rectified, "open": open_})
    return rows
