"""The case map: an area's grids drawn as SVG (no tiles, no JavaScript needed) with a dot per case in its
alert colour. With 天地图 configured (settings.MAP_TILE_PROVIDER = "tianditu" and a TIANDITU_KEY), the same
data is also drawn on tiles by Leaflet; 天地图 is CGCS2000 ≈ WGS-84, so stored points go there unconverted.
"""

import math

from django.conf import settings
from django.db.models import Count, F
from django.shortcuts import render
from django.urls import reverse

from lianxin.areas.models import Area
from lianxin.core import clock
from lianxin.core.trees import subtree_q
from lianxin.core.visibility import scoped

from .filters import MAP_COLOURS, MapFilter
from .models import Case
from .stats_views import area_choices, case_area

MAX_DOTS = 2000  # the most urgent cases are drawn; the counts cover all
MAX_GRIDS = 1500  # beyond this, the map draws the chosen area's children instead of every grid
WIDTH = 640  # viewBox units; the figure is at most 860 px wide, so a dot of r=6 is 3–8 px on screen
PAD = 10


# ------------------------------------------------------------------------------------------ projection


class Projection:
    """Equirectangular, x scaled by cos(latitude) (like areas.geo.svg_shapes), fitted into WIDTH."""

    def __init__(self, box: tuple[float, float, float, float]):
        x0, y0, x1, y1 = box
        self.x0, self.y1 = x0, y1
        self.k = math.cos(math.radians((y0 + y1) / 2))
        span_x = max((x1 - x0) * self.k, 1e-9)
        span_y = max(y1 - y0, 1e-9)
        self.width = WIDTH
        self.height = int(min(max((WIDTH - 2 * PAD) * span_y / span_x + 2 * PAD, 200), WIDTH))  # at most square
        self.scale = min((WIDTH - 2 * PAD) / span_x, (self.height - 2 * PAD) / span_y)
        # centre the drawing in the box
        self.dx = (WIDTH - 2 * PAD - span_x * self.scale) / 2
        self.dy = (self.height - 2 * PAD - span_y * self.scale) / 2
        self.box = box

    def xy(self, lng: float, lat: float) -> tuple[float, float]:
        return (PAD + self.dx + (lng - self.x0) * self.k * self.scale,
                PAD + self.dy + (self.y1 - lat) * self.scale)

    def contains(self, lng: float, lat: float) -> bool:
        x0, y0, x1, y1 = self.box
        return x0 <= lng <= x1 and y0 <= lat <= y1

    def path(self, boundary: dict) -> str:
        polygons = [boundary["coordinates"]] if boundary["type"] == "Polygon" else boundary["coordinates"]
        parts = []
        for polygon in polygons:
            for ring in polygon:
                pts = (self.xy(x, y) for x, y in ring)
                parts.append("M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in pts) + " Z")
        return " ".join(parts)


def _box(areas) -> tuple[float, float, float, float] | None:
    boxes = [(a.min_lng, a.min_lat, a.max_lng, a.max_lat) for a in areas if a.min_lng is not None]
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _placed(case) -> tuple[float, float, bool] | None:
    """(lng, lat, approximate): the reported point, or else a spot inside the case's area box (spread by
    the golden angle so that cases of one grid do not hide each other)."""
    if case.lng is not None and case.lat is not None:
        return case.lng, case.lat, False
    a = case.area
    if a.min_lng is None:
        return None
    cx, cy = (a.min_lng + a.max_lng) / 2, (a.min_lat + a.max_lat) / 2
    r = 0.3 * min(a.max_lng - a.min_lng, a.max_lat - a.min_lat) * math.sqrt((case.pk % 23) / 23)
    angle = case.pk * 2.399963
    return cx + r * math.cos(angle), cy + r * math.sin(angle), True


def outline_areas(user, area: Area) -> tuple[list[Area], bool]:
    """The grids under ``area`` (or its children if there are too many grids); True if grids."""
    visible = Area.objects.visible_to(user).filter(subtree_q("path", area.path)).exclude(boundary__isnull=True)
    grids = visible.filter(kind="grid")
    if grids.count() <= MAX_GRIDS:
        return list(grids.order_by("path")), True
    return list(visible.filter(parent=area).order_by("path")), False


@scoped(Case, "view", kind="list", staff=True)
def case_map(request, qs):
    area = case_area(request)
    # "filtered" marks a submitted filter form; any other link (?area=…) keeps the default "open only".
    query = request.GET.copy()
    if "filtered" not in query:
        query.setlist("open", ["on"])
        query["filtered"] = "1"
    now = clock.now()
    filters = MapFilter(query, qs.filter(subtree_q("area__path", area.path)), user=request.user, now=now)
    cases = filters.qs if filters.is_valid() else filters.open_cases()
    counts = dict(cases.order_by().values_list("colour").annotate(n=Count("pk")))
    total = sum(counts.values())
    rows = list(cases.select_related("area").only(
        "pk", "number", "title", "lng", "lat", "stage", "due_at", "area__min_lng", "area__min_lat",
        "area__max_lng", "area__max_lat", "area__name").order_by(F("due_at").asc(nulls_last=True), "-pk")[:MAX_DOTS])

    outlines, are_grids = outline_areas(request.user, area)
    box = _box([area, *outlines])
    dots, unplaced = [], 0
    projection = Projection(box) if box else None
    for case in rows:
        spot = _placed(case)
        if spot is None or projection is None or not projection.contains(spot[0], spot[1]):
            unplaced += 1
            continue
        x, y = projection.xy(spot[0], spot[1])
        dots.append({"pk": case.pk, "number": case.number, "title": case.title, "colour": case.colour,
                     "x": round(x, 1), "y": round(y, 1), "lng": round(spot[0], 6), "lat": round(spot[1], 6),
                     "approx": spot[2], "url": reverse("cases:detail", args=[case.pk])})
    radius = 6 if len(dots) < 200 else 4 if len(dots) < 800 else 3
    svg = None
    if projection:
        svg = {"width": projection.width, "height": projection.height, "radius": radius,
               "shapes": [{"name": a.name, "d": projection.path(a.boundary)} for a in outlines if a.boundary],
               "outline": projection.path(area.boundary) if area.boundary else "",
               "dots": list(reversed(dots))}  # the most urgent drawn last, on top

    query.pop("colour", None)
    query["area"] = area.pk
    legend = [{"colour": key, "label": label, "count": counts.get(key, 0),
               "url": f"?{query.urlencode()}&colour={key}"} for key, label in MAP_COLOURS]
    tiles = settings.MAP_TILE_PROVIDER == "tianditu" and bool(settings.TIANDITU_KEY)
    tile_data = None
    if tiles:
        tile_data = {
            "key": settings.TIANDITU_KEY,
            "box": box,
            "outline": area.boundary,
            "shapes": [{"name": a.name, "boundary": a.boundary} for a in outlines if a.boundary],
            "dots": [{k: d[k] for k in ("lng", "lat", "colour", "url", "number", "title", "approx")}
                     for d in reversed(dots)],
        }
    return render(request, "cases/map.html", {
        "form": filters.form, "area": area, "areas": area_choices(request.user, area), "svg": svg, "legend": legend,
        "total": total, "shown": len(dots), "capped": total > MAX_DOTS, "max_dots": MAX_DOTS,
        "unplaced": unplaced, "are_grids": are_grids,
        "approx_shown": any(d["approx"] for d in dots), "tiles": tiles, "tile_data": tile_data,
        "list_url": reverse("cases:board") + f"?area={area.pk}",
        "stats_url": reverse("cases:stats") + f"?area={area.pk}",
    })
