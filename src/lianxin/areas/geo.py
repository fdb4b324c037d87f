"""Boundaries: GeoJSON polygons in WGS-84 (lng, lat), validated with shapely."""

import functools
import json

import shapely
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from shapely import STRtree, prepare
from shapely.geometry import MultiPoint, Point, shape
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


# --- generated outlines (the demo's towns, communities and grids, which no registry ships) --------------------

def _polygonal(geom):
    """The polygons of an intersection's result (a clip can add stray lines or points along shared edges)."""
    parts = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if len(parts) != 1 else parts[0]


def random_point(boundary: dict, rng, inset: float = 0.0) -> tuple[float, float]:
    """A point inside the boundary drawn with ``rng``; ``inset`` (0..0.5) keeps it away from the edges by that share
    of the smaller side of the bounding box. Rejection sampling in the bounding box, so the draw is repeatable."""
    geom = _shape(boundary)
    inner = geom.buffer(-inset * min(_sides(geom))) if inset else geom
    if inner.is_empty:
        inner = geom
    minx, miny, maxx, maxy = inner.bounds
    for _attempt in range(1000):
        p = (round(rng.uniform(minx, maxx), 6), round(rng.uniform(miny, maxy), 6))
        if inner.contains(Point(p)):
            return p
    p = inner.representative_point()
    return round(p.x, 6), round(p.y, 6)


def tile(boundary: dict, n: int, rng, relax: int = 4) -> list[dict]:
    """``n`` outlines that tile the boundary (no overlaps; gaps and overhangs only of floating-point size along long
    edges, about a millionth of the area): Voronoi cells of ``n`` points drawn
    inside it, moved ``relax`` times to their cells' centres (Lloyd) so that the cells come out compact, then
    clipped to the boundary. Ordered west to east, so that a seed gives the same tiling every time."""
    geom = _shape(boundary)
    if n <= 1:
        return [boundary]
    points = [random_point(boundary, rng) for _ in range(n)]
    for step in range(relax + 1):
        cells = shapely.voronoi_polygons(MultiPoint(points), extend_to=geom, ordered=True).geoms
        # Snap the cells before the clip: siblings then share their vertices exactly, and the clip keeps each
        # cell inside its parent (snapping after it would push vertices on the parent's edge out of it).
        cells = [_polygonal(shapely.set_precision(c, 1e-6).intersection(geom)) for c in cells]
        if step < relax:
            points = [(c.centroid.x, c.centroid.y) if c.contains(c.centroid) else points[i]
                      for i, c in enumerate(cells)]
    cells.sort(key=lambda c: (round(c.centroid.x, 4), c.centroid.y))
    return [mapping_of(c) for c in cells]


def mapping_of(geom) -> dict:
    """A shapely geometry as GeoJSON with plain lists (what the JSON field stores and compares)."""
    return json.loads(shapely.to_geojson(geom))


@functools.lru_cache(maxsize=4096)
def _cached_shape(text: str):
    geom = shape(json.loads(text))
    prepare(geom)
    return geom


def _shape(boundary: dict):
    return _cached_shape(json.dumps(boundary, sort_keys=True))


def _sides(geom) -> tuple[float, float]:
    minx, miny, maxx, maxy = geom.bounds
    return maxx - minx, maxy - miny


def contains(boundary: dict, point: tuple[float, float]) -> bool:
    return _shape(boundary).contains(Point(point))


def inner_point(boundary: dict) -> tuple[float, float]:
    """The box's centre if it lies inside (a rectangle's centre stays its centre), else a point surely inside."""
    geom = _shape(boundary)
    minx, miny, maxx, maxy = geom.bounds
    middle = ((minx + maxx) / 2, (miny + maxy) / 2)
    if geom.contains(Point(middle)):
        return middle
    p = geom.representative_point()
    return round(p.x, 6), round(p.y, 6)
