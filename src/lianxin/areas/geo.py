"""Boundaries: GeoJSON polygons in WGS-84 (lng, lat), validated with shapely."""

import json

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from shapely import STRtree, prepare
from shapely.geometry import Point, shape
from shapely.validation import explain_validity

# Jining and a margin: a coordinate outside this box is certainly a typo or a swapped lng/lat.
CITY_BOX = (115.0, 34.0, 118.5, 36.5)


def parse_boundary(value) -> dict | None:
    """Validate a GeoJSON Polygon/MultiPolygon (dict or JSON text); return it as a dict."""
    if value in (None, "", {}):
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as e:
            raise ValidationError(_("The boundary is not valid JSON: %(err)s"), params={"err": e}) from e
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    if not isinstance(value, dict) or value.get("type") not in ("Polygon", "MultiPolygon"):
        raise ValidationError(_("The boundary must be a GeoJSON Polygon or MultiPolygon."))
    try:
        geom = shape(value)
    except Exception as e:  # shapely raises several types for malformed coordinates
        raise ValidationError(_("The boundary coordinates are malformed.")) from e
    if geom.is_empty or not geom.is_valid:
        raise ValidationError(
            _("The boundary polygon is invalid: %(why)s"), params={"why": explain_validity(geom)}
        )
    minx, miny, maxx, maxy = geom.bounds
    if minx < CITY_BOX[0] or maxx > CITY_BOX[2] or miny < CITY_BOX[1] or maxy > CITY_BOX[3]:
        raise ValidationError(_("The boundary lies outside the city: check that coordinates are longitude, latitude."))
    return value


def bounds(boundary: dict) -> tuple[float, float, float, float]:
    return shape(boundary).bounds


def rectangle(min_lng: float, min_lat: float, max_lng: float, max_lat: float) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [[
            [min_lng, min_lat], [max_lng, min_lat], [max_lng, max_lat], [min_lng, max_lat], [min_lng, min_lat],
        ]],
    }


def _rings(boundary: dict):
    if boundary["type"] == "Polygon":
        yield from boundary["coordinates"]
    else:
        for polygon in boundary["coordinates"]:
            yield from polygon


def svg_shapes(areas, width: int = 480, height: int = 320, pad: int = 8) -> dict:
    """Project boundaries to SVG path data (equirectangular, scaled by cos(latitude)). No tiles needed."""
    import math

    shapes = [(a, list(_rings(a.boundary))) for a in areas if a.boundary]
    if not shapes:
        return {"shapes": [], "width": width, "height": height}
    xs = [p[0] for _a, rings in shapes for ring in rings for p in ring]
    ys = [p[1] for _a, rings in shapes for ring in rings for p in ring]
    k = math.cos(math.radians((min(ys) + max(ys)) / 2))
    span_x = max((max(xs) - min(xs)) * k, 1e-9)
    span_y = max(max(ys) - min(ys), 1e-9)
    scale = min((width - 2 * pad) / span_x, (height - 2 * pad) / span_y)
    out = []
    for area, rings in shapes:
        d = " ".join(
            "M" + " L".join(f"{pad + (x - min(xs)) * k * scale:.1f},{pad + (max(ys) - y) * scale:.1f}" for x, y in ring)
            + " Z"
            for ring in rings
        )
        out.append({"area": area, "d": d})
    return {"shapes": out, "width": width, "height": height}


class GridIndex:
    """The grids' boundaries as prepared shapes in an R-tree: which grid covers a point, without a query."""

    def __init__(self, areas):
        self.areas = sorted(areas, key=lambda a: (a.depth, a.pk))  # the first covering one wins
        self.shapes = [shape(a.boundary) for a in self.areas]
        for s in self.shapes:
            prepare(s)
        self.tree = STRtree(self.shapes)

    @classmethod
    def load(cls) -> "GridIndex":
        from .models import Area, AreaKind

        return cls(Area.objects.filter(kind=AreaKind.GRID, boundary__isnull=False))

    def covering(self, lng: float, lat: float):
        point = Point(lng, lat)
        hits = [i for i in self.tree.query(point) if self.shapes[i].covers(point)]
        return self.areas[min(hits)] if hits else None
