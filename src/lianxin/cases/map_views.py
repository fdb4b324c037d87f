"""The case map: an area's grids drawn as SVG (no tiles, no JavaScript needed) with a dot per case in its
alert colour. With 天地图 configured (settings.MAP_TILE_PROVIDER = "tianditu" and a TIANDITU_KEY), the same
data is also drawn on tiles by Leaflet; 天地图 is CGCS2000 ≈ WGS-84, so stored points go there unconverted.
"""

import math

from django.conf import settings
from django.db.models import Count, F
from django.shortcuts import render
from django.urls import reverse

from lianxin.areas import geo
from lianxin.areas.models import KIND_ORDER, Area, AreaKind
from lianxin.areas.svgmap import Projection, base_layer, spots
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


def _placed(case, inner) -> tuple[float, float, bool] | None:
    """(lng, lat, approximate): the reported point, or else a spot near a point inside the case's area (spread by
    the golden angle so that cases of one grid do not hide each other)."""
    if case.lng is not None and case.lat is not None:
        return case.lng, case.lat, False
    a = case.area
    if a.min_lng is None:
        return None
    cx, cy = inner.get(a.pk) or ((a.min_lng + a.max_lng) / 2, (a.min_lat + a.max_lat) / 2)
    r = 0.15 * min(a.max_lng - a.min_lng, a.max_lat - a.min_lat) * math.sqrt((case.pk % 23) / 23)
    angle = case.pk * 2.399963
    return cx + r * math.cos(angle), cy + r * math.sin(angle), True


def base_areas(user, area: Area, box) -> list[Area]:
    """What the reader finds their way by: the counties and towns (and the chosen area's own children) that reach
    into the drawing, as far as the reader may see them."""
    kinds = {AreaKind.COUNTY, AreaKind.TOWN}
    if area.kind in KIND_ORDER[:-1]:
        kinds.add(KIND_ORDER[KIND_ORDER.index(area.kind) + 1])
    x0, y0, x1, y1 = box
    return list(Area.objects.visible_to(user).filter(
        kind__in=kinds, min_lng__lte=x1, max_lng__gte=x0, min_lat__lte=y1, max_lat__gte=y0).only(
        "pk", "kind", "name", "path", "boundary", "min_lng", "min_lat", "max_lng", "max_lat"))


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
    box = Projection.box_of((a.min_lng, a.min_lat, a.max_lng, a.max_lat) for a in [area, *outlines])
    dots, unplaced = [], 0
    projection = Projection(box, width=WIDTH, pad=PAD) if box else None
    inner = {a.pk: geo.inner_point(a.boundary) for a in outlines if a.boundary}
    for case in rows:
        spot = _placed(case, inner)
        if spot is None or projection is None or not projection.contains(spot[0], spot[1]):
            unplaced += 1
            continue
        x, y = projection.xy(spot[0], spot[1])
        dots.append({"pk": case.pk, "number": case.number, "title": case.title, "colour": case.colour,
                     "x": x, "y": y, "lng": round(spot[0], 6), "lat": round(spot[1], 6), "place": case.area.name,
                     "approx": spot[2], "url": reverse("cases:detail", args=[case.pk])})
    radius = 6 if len(dots) < 200 else 4 if len(dots) < 800 else 3
    svg = None
    if projection:
        # Dots that would cover each other become one numbered spot, listed with its cases under the map.
        merged = spots(dots, 3 * radius + 6)  # a spot is drawn larger than a dot: keep spots apart too
        crowded = [s for s in merged if s.many]
        for n, s in enumerate(crowded, 1):
            s.n, s.r = n, radius + 3 + min(len(s.items), 99) ** 0.5
        svg = {"width": projection.width, "height": projection.height, "radius": radius,
               "base": base_layer(projection, base_areas(request.user, area, box),
                                  avoid=[(s.x, s.y, getattr(s, "r", radius)) for s in merged]),
               "shapes": [{"name": a.name, "d": projection.path(a.boundary)} for a in outlines if a.boundary],
               "outline": projection.path(area.boundary) if area.boundary else "",
               "spots": list(reversed(merged)), "crowded": crowded}  # the most urgent drawn last, on top

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
