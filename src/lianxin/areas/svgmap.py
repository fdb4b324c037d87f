"""Maps drawn as SVG on the server: no tiles, no JavaScript, the same on every screen. One projection for all of
them, a base of county and town outlines with their names (what a reader finds their way by), and markers that
merge into one numbered spot where they would cover each other."""

import math
from dataclasses import dataclass, field

from . import geo


class Projection:
    """Equirectangular, x scaled by cos(latitude), fitted and centred into ``width``; the height follows the box's
    shape within [min_height, max_height]."""

    def __init__(self, box, width: int = 640, pad: int = 10, min_height: int = 200, max_height: int | None = None,
                 min_span: float = 1e-9):
        x0, y0, x1, y1 = box
        self.box, self.x0, self.y1, self.width, self.pad = box, x0, y1, width, pad
        self.k = math.cos(math.radians((y0 + y1) / 2))
        span_x, span_y = max((x1 - x0) * self.k, min_span), max(y1 - y0, min_span)
        inner = width - 2 * pad
        self.height = int(min(max(inner * span_y / span_x + 2 * pad, min_height), max_height or width))
        self.scale = min(inner / span_x, (self.height - 2 * pad) / span_y)
        self.dx = (inner - span_x * self.scale) / 2
        self.dy = (self.height - 2 * pad - span_y * self.scale) / 2

    @staticmethod
    def box_of(boxes) -> tuple[float, float, float, float] | None:
        boxes = [b for b in boxes if b and b[0] is not None]
        if not boxes:
            return None
        return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))

    def xy(self, lng: float, lat: float) -> tuple[float, float]:
        return (round(self.pad + self.dx + (lng - self.x0) * self.k * self.scale, 1),
                round(self.pad + self.dy + (self.y1 - lat) * self.scale, 1))

    def contains(self, lng: float, lat: float) -> bool:
        x0, y0, x1, y1 = self.box
        return x0 <= lng <= x1 and y0 <= lat <= y1

    def overlaps(self, area) -> bool:
        x0, y0, x1, y1 = self.box
        return area.min_lng is not None and area.min_lng <= x1 and area.max_lng >= x0 and \
            area.min_lat <= y1 and area.max_lat >= y0

    def path(self, boundary: dict) -> str:
        parts = []
        for ring in geo._rings(boundary):
            parts.append("M" + " L".join("{:.1f},{:.1f}".format(*self.xy(x, y)) for x, y in ring) + " Z")
        return " ".join(parts)


def outlines(areas, width: int = 480, height: int = 320, pad: int = 8) -> dict:
    """The areas' outlines fitted into a fixed frame (an area's page, a case's grid); ``projection`` places pins."""
    shown = [a for a in areas if a.boundary]
    if not shown:
        return {"shapes": [], "width": width, "height": height, "projection": None}
    projection = Projection(Projection.box_of(geo.bounds(a.boundary) for a in shown), width=width, pad=pad,
                            min_height=height, max_height=height)
    return {"shapes": [{"area": a, "d": projection.path(a.boundary)} for a in shown], "width": width,
            "height": height, "projection": projection}


LABEL_SIZE = {"county": 15, "town": 12}  # font size in drawing units; others 10 (svg_labels.html)
LABEL_NUDGES = [(0, 0), (0, -1.3), (0, 1.3), (-1.5, 0), (1.5, 0), (0, -2.5), (0, 2.5), (-2, -1.5), (2, 1.5)]


def base_layer(projection: Projection, areas, avoid=(), font_scale: float = 1.0) -> list[dict]:
    """The outlines of ``areas`` (counties and towns) that reach into the drawing, counties first, each with its
    name at a point inside it. A name is left out where that point is off the drawing, or where it would run into
    a name already placed or into one of the ``avoid`` circles (x, y, r: the markers), so no name hides another.
    ``font_scale`` enlarges the names of a drawing that is shown smaller than its units."""
    order = {"city": 0, "county": 1, "town": 2, "community": 3, "grid": 4}
    taken = [(x - r, y - r, x + r, y + r) for x, y, r in avoid]
    shapes = []
    for area in sorted(areas, key=lambda a: (order.get(a.kind, 9), a.path)):
        if not area.boundary or not projection.overlaps(area):
            continue
        lng, lat = geo.inner_point(area.boundary)
        label, size = None, round(LABEL_SIZE.get(area.kind, 10) * font_scale, 1)
        if projection.contains(lng, lat):
            x0, y0 = projection.xy(lng, lat)
            half = len(area.name) * size / 2 + 2  # Chinese characters are about one em wide, centred on x
            for dx, dy in LABEL_NUDGES:  # the inner point first, then a little off it
                x, y = x0 + dx * size, y0 + dy * size
                box = (x - half, y - size, x + half, y + 3)
                if not any(box[0] < t[2] and t[0] < box[2] and box[1] < t[3] and t[1] < box[3] for t in taken):
                    taken.append(box)
                    label = (round(x, 1), round(y, 1))
                    break
        shapes.append({"name": area.name, "kind": area.kind, "d": projection.path(area.boundary), "label": label,
                       "size": size})
    return shapes


@dataclass
class Spot:
    """Markers close enough on the drawing to cover each other, drawn as one. ``items`` keep their order."""

    x: float
    y: float
    items: list = field(default_factory=list)

    @property
    def many(self) -> bool:
        return len(self.items) > 1


def spots(items, distance: float, xy=lambda item: (item["x"], item["y"])) -> list[Spot]:
    """Greedy clustering in drawing units: each item joins the first spot within ``distance`` of it, else starts
    one; a spot sits at its first item (the most important one, when items come most important first). Buckets of
    ``distance`` make it linear in the number of items."""
    buckets: dict[tuple[int, int], list[Spot]] = {}
    out = []
    for item in items:
        x, y = xy(item)
        bx, by = int(x // distance), int(y // distance)
        near = None
        for key in ((bx + i, by + j) for i in (-1, 0, 1) for j in (-1, 0, 1)):
            for spot in buckets.get(key, ()):
                if (spot.x - x) ** 2 + (spot.y - y) ** 2 <= distance ** 2:
                    near = spot
                    break
            if near:
                break
        if near is None:
            near = Spot(x, y)
            buckets.setdefault((bx, by), []).append(near)
            out.append(near)
        near.items.append(item)
    return out
