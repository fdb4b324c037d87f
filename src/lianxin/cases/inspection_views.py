"""Inspection rounds (互学互检): the list with a form to start one, and a round's page per unit with its
findings, where the inspecting office records a finding (it becomes the unit's rectification case)."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.areas.models import Area
from lianxin.core.visibility import can, scoped, user_grants
from lianxin.orgs.models import Org

from . import inspections, services
from .models import InspectionRound

RUNNING_ROLES = ("town_staff", "county_staff", "org_department", "administrator")


def _running_areas(user):
    """The towns and counties where the user may run a round."""
    paths = [g.area.path for g in user_grants(user) if g.area_id and g.role in RUNNING_ROLES]
    areas = [a for a in Area.objects.visible_to(user).filter(kind__in=("county", "town")).order_by("path")
             if any(a.path.startswith(p) for p in paths)]
    return areas if not user.is_superuser else list(Area.objects.visible_to(user).filter(kind__in=("county", "town")))


def _units(user, area):
    return Org.objects.visible_to(user).filter(area__path__startswith=area.path).order_by("name")


@scoped(InspectionRound, "view", kind="list")
def round_list(request, qs):
    rows = [{"round": r, "found": r.findings.count()} for r in qs.select_related("area")[:100]]
    areas = _running_areas(request.user)
    return render(request, "cases/inspections.html", {
        "rows": rows, "areas": areas, "units": _units(request.user, areas[0]) if len(areas) == 1 else [],
    })


@scoped(InspectionRound, "add", kind="create")
@require_POST
def round_create(request):
    area = next((a for a in _running_areas(request.user) if str(a.pk) == request.POST.get("area")), None)
    try:
        if area is None:
            raise ValidationError(_("Choose the town or county running the round."))
        units = list(_units(request.user, area).filter(pk__in=request.POST.getlist("units")))
        r = inspections.create_round(
            actor=request.user, name=request.POST.get("name", ""), area=area, tasks=request.POST.get("tasks", ""),
            starts_on=date.fromisoformat(request.POST.get("starts_on") or ""),
            ends_on=date.fromisoformat(request.POST.get("ends_on") or ""), units=units)
    except (ValueError, ValidationError) as e:
        messages.error(request, " ".join(e.messages) if isinstance(e, ValidationError) else _("Dates are written "
                                                                                             "YYYY-MM-DD."))
        return redirect("cases:inspections")
    return redirect("cases:inspection", pk=r.pk)


@scoped(InspectionRound, "view")
def round_detail(request, obj):
    return render(request, "cases/inspection.html", {
        "round": obj, "rows": inspections.summary(obj), "may_record": can(request.user, obj, "change"),
    })


@scoped(InspectionRound, "change")
@require_POST
def round_finding(request, obj):
    unit = obj.units.filter(pk=request.POST.get("unit") or 0).first()
    try:
        if unit is None:
            raise ValidationError(_("Choose one of the round's units."))
        case = inspections.record_finding(obj, actor=request.user, unit=unit, title=request.POST.get("title", ""),
                                          description=request.POST.get("description", ""))
        messages.success(request, _("Finding %(n)s sent to %(u)s for rectification.")
                         % {"n": case.number, "u": unit.name})
    except (ValidationError, services.MoveRefused, PermissionDenied) as e:
        messages.error(request, " ".join(e.messages) if isinstance(e, ValidationError) else str(e)
                       or _("You may not record findings in this round."))
    return redirect("cases:inspection", pk=obj.pk)
