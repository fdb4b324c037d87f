"""Read helpers for the quick-report screens that deliberately look past ``visible_to``.

Everything here returns public information only: the offered categories, grid names, and for the
duplicate search the number, title, stage and distance of open cases near a point (never the reporter,
description, photos or address). Views call these instead of reading models unscoped themselves.
"""

import math

from django.db.models import Q

from lianxin.areas import geo
from lianxin.areas.models import Area, AreaKind, place_labels
from lianxin.core import configcache
from lianxin.core.pii import mask_text

from .models import OPEN_STAGES, Case, Category, Nature

EARTH_M_PER_DEG = 111_320.0  # metres per degree of latitude (and of longitude at the equator)


def distance_m(lng1: float, lat1: float, lng2: float, lat2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    r = 6_371_000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(min(1.0, math.sqrt(a)))


def bbox(lng: float, lat: float, radius_m: float) -> tuple[float, float, float, float]:
    """(min_lng, min_lat, max_lng, max_lat) of a box that contains the circle."""
    dlat = radius_m / EARTH_M_PER_DEG
    dlng = radius_m / (EARTH_M_PER_DEG * max(math.cos(math.radians(lat)), 0.01))
    return lng - dlng, lat - dlat, lng + dlng, lat + dlat


# ---------------------------------------------------------------- categories


def public_categories() -> list[Category]:
    """Sub-categories offered to everyone for a quick report (public, active, used for events), by full code.

    A per-process snapshot (core.configcache): every report reads it."""
    return configcache.get("public_categories", _load_public_categories)


def _load_public_categories() -> list[Category]:
    cats = (Category.objects.filter(parent__isnull=False, is_active=True, is_public=True, parent__is_active=True)
            .select_related("parent").order_by("full_code"))
    return [c for c in cats if c.allows_type("event")]


def public_category(pk) -> Category | None:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return next((c for c in public_categories() if c.pk == pk), None)


# The case types residents and riders file themselves at the public doors (quick report, REST, Open311).
PUBLIC_TYPES = ("event", "appeal")


def offered_categories(case_type: str) -> list[Category]:
    """Public, active sub-categories used for ``case_type`` (one of PUBLIC_TYPES), by full code."""
    if case_type == "event":
        return public_categories()
    return configcache.get(f"offered_categories:{case_type}", lambda: _load_offered(case_type))


def _load_offered(case_type: str) -> list[Category]:
    cats = (Category.objects.filter(parent__isnull=False, is_active=True, is_public=True, parent__is_active=True)
            .select_related("parent").order_by("full_code"))
    return [c for c in cats if c.allows_type(case_type)]


def offered_category(pk, case_type: str) -> Category | None:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return next((c for c in offered_categories(case_type) if c.pk == pk), None)


def report_choices() -> list[dict]:
    """The quick report's category list: every sub-category offered for an event or an appeal, each with the
    types it is offered for (the page shows those of the chosen type)."""
    rows = {}
    for t in PUBLIC_TYPES:
        for c in offered_categories(t):
            rows.setdefault(c.pk, {"category": c, "types": []})["types"].append(t)
    return sorted(rows.values(), key=lambda r: r["category"].full_code)


# ---------------------------------------------------------------- duplicates


def nearby_open_cases(lng: float, lat: float, category: Category, limit: int = 10) -> list[dict]:
    """Open events of ``category`` within its duplicate radius of the point, nearest first: the fields a duplicate
    warning needs, the title masked (core.pii.mask_text); nothing of a confidential category or another case type.

    Index-backed: a bounding box on (lng, lat) (case_location_idx) narrows the rows, the exact distance
    is computed here.
    """
    if category.confidential:
        return []
    radius = category.duplicate_radius_m
    min_lng, min_lat, max_lng, max_lat = bbox(lng, lat, radius)
    rows = (Case.objects.filter(lng__gte=min_lng, lng__lte=max_lng, lat__gte=min_lat, lat__lte=max_lat,
                                category=category, type="event", stage__in=OPEN_STAGES, merged_into__isnull=True)
            .exclude(nature=Nature.WHISTLEBLOW)
            .values("pk", "number", "title", "stage", "lng", "lat")[:500])
    labels = dict(Case._meta.get_field("stage").choices)
    found = []
    for r in rows:
        d = distance_m(lng, lat, r["lng"], r["lat"])
        if d <= radius:
            found.append({"pk": r["pk"], "number": r["number"], "title": mask_text(r["title"]),
                          "category": category.label, "stage": r["stage"],
                          "stage_label": str(labels.get(r["stage"], r["stage"])), "distance_m": round(d)})
    found.sort(key=lambda f: (f["distance_m"], f["number"]))
    return found[:limit]


def followable_case(pk, lng: float, lat: float) -> Case | None:
    """The case a person may follow from the duplicate list: open, public category, near the given point."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    case = (Case.objects.filter(pk=pk, stage__in=OPEN_STAGES, category__is_public=True)
            .exclude(nature=Nature.WHISTLEBLOW).select_related("category").first())
    if case is None or case.lng is None or case.lat is None:
        return None
    if distance_m(lng, lat, case.lng, case.lat) > case.category.duplicate_radius_m:
        return None
    return case


# ---------------------------------------------------------------- grids (names are public)


def _grid_rows(grids) -> list[dict]:
    """Choices of the area picker: each grid with its county, town and community ("place")."""
    grids = list(grids)
    places = place_labels([g.parent for g in grids if g.parent_id])
    return [{"pk": g.pk, "name": g.name, "place": places.get(g.parent_id, "")} for g in grids]


def search_grids(q: str, limit: int = 20) -> list[dict]:
    q = (q or "").strip()[:40]
    if not q:
        return []
    grids = (Area.objects.filter(kind=AreaKind.GRID).filter(Q(name__icontains=q) | Q(parent__name__icontains=q)
                                                          | Q(parent__parent__name__icontains=q))
             .select_related("parent").order_by("path")[:limit])
    return _grid_rows(grids)


def home_grids(user, limit: int = 200) -> list[dict]:
    """Grids below the nodes the user is granted at (a resident's own community): the picker without JS."""
    from lianxin.core.trees import subtree_q
    from lianxin.core.visibility import user_grants

    q = Q(pk__in=[])
    for g in user_grants(user):
        if g.area_id:
            q |= subtree_q("path", g.area.path)
        elif g.org_id and g.org.area_id:
            q |= subtree_q("path", g.org.area.path)
    grids = Area.objects.filter(q, kind=AreaKind.GRID).select_related("parent").order_by("path")[:limit]
    return _grid_rows(grids)


def reportable_area(pk) -> Area | None:
    """A grid or community chosen in the picker (any in the city: reporting is not limited to home)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return Area.objects.filter(pk=pk, kind__in=(AreaKind.GRID, AreaKind.COMMUNITY)).first()


def grid_view(lng: float, lat: float, grid: Area | None, half_width_m: float = 200.0,
              width: int = 360, height: int = 240) -> dict:
    """Boundaries of the grids around a point, in SVG pixels centred on the point (no map tiles)."""
    mpp = 2 * half_width_m / width  # metres per pixel
    k = math.cos(math.radians(lat))
    min_lng, min_lat, max_lng, max_lat = bbox(lng, lat, half_width_m * 1.5)
    around = Area.objects.filter(kind=AreaKind.GRID, min_lng__lte=max_lng, max_lng__gte=min_lng,
                                 min_lat__lte=max_lat, max_lat__gte=min_lat).order_by("path")[:30]

    def px(x, y):
        return (width / 2 + (x - lng) * k * EARTH_M_PER_DEG / mpp, height / 2 - (y - lat) * EARTH_M_PER_DEG / mpp)

    paths = []
    for area in around:
        if not area.boundary:
            continue
        d = " ".join("M" + " L".join("{:.1f},{:.1f}".format(*px(x, y)) for x, y in ring) + " Z"
                     for ring in geo._rings(area.boundary))
        paths.append({"d": d, "name": area.name, "here": grid is not None and area.pk == grid.pk})
    return {"width": width, "height": height, "mpp": mpp, "paths": paths}
