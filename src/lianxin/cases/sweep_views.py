"""Hazard sweeps (隐患排查): the list with a form to start one (the winter checklist by default), and a sweep's
page with its figures and the check form whose failed items become hazards."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.areas.models import Area, AreaKind
from lianxin.core.visibility import can, scoped, user_grants

from . import sweeps
from .models import HazardLevel, Sweep

STARTING_ROLES = ("community_staff", "town_staff", "county_staff", "administrator")


def _my_paths(user, roles=None):
    return [g.area.path for g in user_grants(user) if g.area_id and (roles is None or g.role in roles)]


def _grids(user, sweep):
    paths = _my_paths(user)
    grids = (Area.objects.visible_to(user).filter(kind=AreaKind.GRID, path__startswith=sweep.area.path)
             .select_related("parent"))
    return [g for g in grids.order_by("path")[:500] if user.is_superuser or any(g.path.startswith(p) for p in paths)]


@scoped(Sweep, "view", kind="list")
def sweep_list(request, qs):
    paths = _my_paths(request.user, STARTING_ROLES)
    starting = Area.objects.visible_to(request.user).filter(kind__in=("county", "town", "community"))
    areas = [a for a in starting.order_by("path")[:500]
             if any(a.path.startswith(p) for p in paths)]
    return render(request, "cases/sweeps.html", {"sweeps": qs.select_related("area")[:100], "areas": areas})


@scoped(Sweep, "add", kind="create")
@require_POST
def sweep_create(request):
    paths = _my_paths(request.user, STARTING_ROLES)
    area = Area.objects.visible_to(request.user).filter(pk=request.POST.get("area") or 0).first()
    try:
        if area is None or not (request.user.is_superuser or any(area.path.startswith(p) for p in paths)):
            raise ValidationError(_("Choose where the sweep runs."))
        sweep = sweeps.create_sweep(actor=request.user, name=request.POST.get("name", ""), area=area,
                                    starts_on=date.fromisoformat(request.POST.get("starts_on") or ""),
                                    ends_on=date.fromisoformat(request.POST.get("ends_on") or ""))
    except ValueError:
        messages.error(request, _("Dates are written YYYY-MM-DD."))
        return redirect("cases:sweeps")
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect("cases:sweeps")
    return redirect("cases:sweep", pk=sweep.pk)


@scoped(Sweep, "view")
def sweep_detail(request, obj):
    kinds = [{"code": k, "label": sweeps.PLACE_KINDS[k], "items": items} for k, items in obj.checklist.items()]
    may_check = can(request.user, obj, "change")
    return render(request, "cases/sweep.html", {
        "sweep": obj, "kinds": kinds, "figures": sweeps.figures(obj), "may_check": may_check,
        "grids": _grids(request.user, obj) if may_check else [], "levels": HazardLevel.choices,
        "checks": obj.checks.select_related("area").prefetch_related("hazards")[:50],
    })


@scoped(Sweep, "change")
@require_POST
def sweep_check(request, obj):
    area = next((g for g in _grids(request.user, obj) if str(g.pk) == request.POST.get("area")), None)
    kind = request.POST.get("place_kind", "")
    try:
        if area is None:
            raise ValidationError(_("Choose the grid of the place."))
        check = sweeps.record_check(obj, actor=request.user, area=area, place=request.POST.get("place", ""),
                                    place_kind=kind, failed=request.POST.getlist(f"failed-{kind}"),
                                    level=request.POST.get("hazard_level", ""), note=request.POST.get("note", ""))
        n = check.hazards.count()
        messages.success(request, _("Check recorded: %(n)d hazard(s) filed.") % {"n": n})
    except PermissionDenied:
        raise
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect("cases:sweep", pk=obj.pk)
