"""The write path for areas. Views, importers and the seeder all call these."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lianxin.core import configcache
from lianxin.core.audit import actor_context
from lianxin.core.trees import TreeError, place_node

from . import geo
from .models import PARENT_KIND, Area, AreaKind


def check_parent_kind(kind: str, parent_kind: str | None) -> None:
    """The hierarchy: a city is the top of the tree, every other kind sits under the kind before it (TreeError).

    Takes the parent's kind, not the parent, so an import can check a parent that is still a row of its file."""
    if kind == AreaKind.CITY:
        if parent_kind is not None:
            raise TreeError(_("A city is the top of the area tree and has no parent."))
        return
    if parent_kind != PARENT_KIND[kind]:
        raise TreeError(
            _("A %(kind)s must sit under a %(parent)s.")
            % {"kind": AreaKind(kind).label, "parent": AreaKind(PARENT_KIND[kind]).label}
        )


def _check_kind(kind: str, parent: Area | None) -> None:
    check_parent_kind(kind, parent.kind if parent is not None else None)


def clean_code(code: str) -> str:
    """A division code as typed (GB/T 2260 and the registry's longer codes are all digits)."""
    code = (code or "").strip()
    if not code.isdigit():
        raise ValidationError(_("A division code is made of digits."), code="digits")
    return code


def _apply_boundary(area: Area, boundary, generated: bool = False) -> None:
    new = geo.parse_boundary(boundary)
    if area.pk and new == area.boundary:
        return  # saved unchanged: a generated outline stays marked as one
    area.boundary = new
    area.is_demo_boundary = generated and bool(new)
    if area.boundary:
        area.min_lng, area.min_lat, area.max_lng, area.max_lat = geo.bounds(area.boundary)
    else:
        area.min_lng = area.min_lat = area.max_lng = area.max_lat = None


@transaction.atomic
def create_area(*, actor, kind: str, code: str, name: str, parent: Area | None, boundary=None,
                is_demo_code: bool = False, is_demo_boundary: bool = False) -> Area:
    _check_kind(kind, parent)
    area = Area(kind=kind, code=code.strip(), name=name.strip(), is_demo_code=is_demo_code)
    _apply_boundary(area, boundary, generated=is_demo_boundary)
    area.full_clean(exclude=["parent", "path"])
    with actor_context(actor):
        place_node(area, parent)
    return area


@transaction.atomic
def update_area(area: Area, *, actor, name: str | None = None, code: str | None = None, boundary=...,
                parent: Area | None = ..., is_demo_code: bool | None = None) -> Area:
    area = Area.objects.select_for_update().get(pk=area.pk)
    if name is not None:
        area.name = name.strip()
    if is_demo_code is not None:
        area.is_demo_code = is_demo_code
    if code is not None:
        area.code = code.strip()
    if boundary is not ...:
        _apply_boundary(area, boundary)
    area.full_clean(exclude=["parent", "path"])
    with actor_context(actor):
        if parent is not ... and parent != area.parent:
            _check_kind(area.kind, parent)
            place_node(area, parent)
        else:
            area.save()
    return area


@transaction.atomic
def delete_area(area: Area, *, actor) -> None:
    if area.children.exists():
        raise TreeError(_("“%(name)s” still has sub-areas; delete or move them first.") % {"name": area.name})
    try:
        with actor_context(actor), transaction.atomic():
            area.delete()
    except ProtectedError as e:
        raise TreeError(
            ngettext("“%(name)s” is still used by %(count)d record (%(example)s); move it first.",
                     "“%(name)s” is still used by %(count)d records (for example %(example)s); move them first.",
                     len(e.protected_objects))
            % {"name": area.name, "count": len(e.protected_objects), "example": next(iter(e.protected_objects))}
        ) from e


def locate(lng: float, lat: float) -> Area | None:
    """The grid whose boundary covers the point; on a shared edge the shallowest, then the oldest (lowest id).

    Every report asks this: the grids' boundaries are a per-process index (core.configcache), not a query."""
    index = configcache.get("grid_index", geo.GridIndex.load)
    return index.covering(lng, lat)


def check_point_in_city(lng, lat) -> None:
    try:
        lng, lat = float(lng), float(lat)
    except (TypeError, ValueError) as e:
        raise ValidationError(_("Coordinates must be numbers.")) from e
    box = geo.CITY_BOX
    if not (box[0] <= lng <= box[2] and box[1] <= lat <= box[3]):
        raise ValidationError(_("The location lies outside the city."))
