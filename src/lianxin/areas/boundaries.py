"""Importing area boundaries from a GeoJSON FeatureCollection or a zipped Shapefile, all or nothing.

Each feature names an existing area by its division code (property ``code``, ``adcode`` or ``CODE``) and carries
its boundary, a Polygon or MultiPolygon in WGS-84 longitude/latitude. Every feature is checked first (the code,
the rings, the geometry, containment in the parent, overlaps with the siblings, and that the sub-areas already
stored still lie inside); if any has a problem, nothing is changed and every problem is listed, naming the
feature by its number in the file and its code. Otherwise each area's boundary (and bounding box) is updated in
place through ``services.update_area`` in one transaction: pk, code and every record's link to the area stay.
The same file imported twice changes nothing the second time.

The ledgers' import machinery (``lianxin.core.importing``: ImportJob, the background worker) is built on Excel
sheets of rows and columns and does not fit a file of features; a boundary file of a few MB (a county's
communities and grids) is checked and applied while the person waits, in one transaction.
"""

import io
import json
import struct
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from shapely import STRtree
from shapely.geometry import shape

from . import geo, services
from .models import Area

CODE_PROPERTIES = ("code", "adcode", "CODE", "ADCODE", "Code")
# A child may overshoot its parent by this share of its own area (digitising noise along a shared edge) ...
OUTSIDE_TOLERANCE = 0.005
# ... and two siblings may overlap by this share of the smaller one.
OVERLAP_TOLERANCE = 0.005


@dataclass
class Problem:
    index: int | None  # the feature's number in the file, from 1; None for the file as a whole
    code: str
    message: str  # what is wrong, and only that: the page shows the number and the code in columns of their own

    def __str__(self):
        if self.index is None:
            return self.message
        if self.code:
            return _("Feature %(index)d (code %(code)s): %(message)s") % {
                "index": self.index, "code": self.code, "message": self.message}
        return _("Feature %(index)d: %(message)s") % {"index": self.index, "message": self.message}


class Refused(Exception):
    """The file was not imported; ``problems`` says why (nothing was changed)."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class Feature:
    index: int
    code: str
    geometry: object  # the GeoJSON geometry as read, checked by check_geometry


def _file_problem(message: str) -> Refused:
    return Refused([Problem(None, "", message)])


# Reading ---------------------------------------------------------------------------------------------


def read_features(data: bytes, filename: str = "") -> list[Feature]:
    """The features of a GeoJSON file or of a zipped Shapefile (.shp, .shx, .dbf, optionally .prj/.cpg)."""
    if data.startswith(b"PK\x03\x04") or filename.lower().endswith(".zip"):
        return read_shapefile_zip(data)
    return read_geojson(data)


def read_geojson(data: bytes) -> list[Feature]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            data.decode("gbk")
        except UnicodeDecodeError:
            raise _file_problem(_("The file is not UTF-8 text. Save the GeoJSON file with the UTF-8 encoding and "
                                  "upload it again.")) from None
        raise _file_problem(_("The file is encoded in GBK (or GB2312), not UTF-8. Open it in a text editor or "
                              "your GIS program, save it again with the UTF-8 encoding and upload that file.")
                            ) from None
    try:
        doc = json.loads(text)
    except ValueError as e:
        raise _file_problem(_("The file is not valid JSON (line %(line)s): a GeoJSON file is expected.")
                            % {"line": getattr(e, "lineno", "?")}) from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(
            doc.get("features"), list):
        raise _file_problem(_("The file is not a GeoJSON FeatureCollection: it must be an object with "
                              "“type”: “FeatureCollection” and a list of “features”."))
    features = []
    for i, feat in enumerate(doc["features"], start=1):
        props = feat.get("properties") if isinstance(feat, dict) else None
        geometry = feat.get("geometry") if isinstance(feat, dict) else None
        features.append(Feature(i, _code_of(props), geometry))
    if not features:
        raise _file_problem(_("The file holds no features."))
    return features


def _code_of(props) -> str:
    if not isinstance(props, dict):
        return ""
    for key in CODE_PROPERTIES:
        value = props.get(key)
        if value not in (None, ""):
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            return str(value).strip()
    return ""


def read_shapefile_zip(data: bytes) -> list[Feature]:
    """A zipped Shapefile read with pyshp; the attribute table's text in the encoding its .cpg names (else
    UTF-8). A projected coordinate system (.prj with PROJCS) is refused: longitude/latitude is expected."""
    import shapefile  # pyshp

    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise _file_problem(_("The file is neither a GeoJSON file nor a zipped Shapefile.")) from None
    with z:
        by_ext = {}
        for name in z.namelist():
            _stem, dot, ext = name.rpartition(".")
            if dot and not name.endswith("/") and "__MACOSX" not in name:
                by_ext.setdefault(ext.lower(), name)
        missing = [ext for ext in ("shp", "shx", "dbf") if ext not in by_ext]
        if missing:
            raise _file_problem(_("The zip file must hold a Shapefile: its .shp, .shx and .dbf parts (missing: "
                                  "%(missing)s).") % {"missing": ", ".join("." + m for m in missing)})
        if "prj" in by_ext:
            prj = z.read(by_ext["prj"]).decode("latin-1").upper()
            if prj.lstrip().startswith("PROJCS") or prj.lstrip().startswith("PROJCRS"):
                raise _file_problem(_("The Shapefile uses a projected coordinate system: export it in WGS-84 "
                                      "longitude/latitude (EPSG:4326) and upload it again."))
        encoding = "utf-8"
        if "cpg" in by_ext:
            encoding = z.read(by_ext["cpg"]).decode("latin-1").strip() or "utf-8"
        parts = {ext: io.BytesIO(z.read(by_ext[ext])) for ext in ("shp", "shx", "dbf")}
    try:
        reader = shapefile.Reader(shp=parts["shp"], shx=parts["shx"], dbf=parts["dbf"], encoding=encoding,
                                  encodingErrors="replace")
        features = []
        for i, rec in enumerate(reader.iterShapeRecords(), start=1):
            geometry = rec.shape.__geo_interface__ if rec.shape.shapeType != shapefile.NULL else None
            features.append(Feature(i, _code_of(rec.record.as_dict()), geometry))
    except (shapefile.ShapefileException, LookupError, ValueError, struct.error) as e:
        raise _file_problem(_("The Shapefile could not be read: %(err)s") % {"err": e}) from None
    if not features:
        raise _file_problem(_("The file holds no features."))
    return features


# Checking --------------------------------------------------------------------------------------------


def _is_position(p) -> bool:
    return isinstance(p, list | tuple) and len(p) >= 2 and all(
        isinstance(c, int | float) and not isinstance(c, bool) for c in p[:2])


def check_geometry(geometry) -> dict:
    """The feature's geometry as a GeoJSON dict, after checking its rings; ValidationError otherwise."""
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise ValidationError(_("The geometry must be a Polygon or MultiPolygon."))
    coords = geometry.get("coordinates")
    polygons = [coords] if geometry["type"] == "Polygon" else coords
    if not isinstance(polygons, list) or not polygons:
        raise ValidationError(_("The geometry has no coordinates."))
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise ValidationError(_("A polygon has no rings."))
        for ring in polygon:
            if not isinstance(ring, list) or not all(_is_position(p) for p in ring):
                raise ValidationError(_("A ring's coordinates are malformed: each point must be [longitude, "
                                        "latitude]."))
            if len(ring) < 4:
                raise ValidationError(_("A ring has %(n)d points; a closed ring needs at least 4 (the first "
                                        "repeated at the end).") % {"n": len(ring)})
            if list(ring[0][:2]) != list(ring[-1][:2]):
                raise ValidationError(_("A ring is not closed: its first point %(first)s differs from its last "
                                        "point %(last)s.") % {"first": list(ring[0][:2]), "last": list(ring[-1][:2])})
    # As the database will hold it (lists, not a reader's tuples), so that a retried upload compares equal.
    boundary = json.loads(json.dumps({"type": geometry["type"], "coordinates": coords}))
    geo.parse_boundary(boundary)  # valid (no self-intersection) and inside the city
    return boundary


def _message(e: ValidationError) -> str:
    return " ".join(e.messages)


def check(features: list[Feature], actor) -> list[tuple[Area, dict]]:
    """(area, new boundary) for each feature, or Refused with every problem found."""
    problems: list[Problem] = []
    codes = [f.code for f in features if f.code]
    reachable = {a.code: a for a in Area.objects.visible_to(actor, "change").filter(code__in=codes)}
    seen: dict[str, int] = {}
    planned: dict[int, tuple[Feature, Area, dict]] = {}  # area pk -> ...
    for f in features:
        if not f.code:
            problems.append(Problem(f.index, "", _("No “code” (or “adcode”) property names the area.")))
            continue
        if f.code in seen:
            problems.append(Problem(f.index, f.code, _("The code appeared already in feature %(first)d: each "
                                                       "area may appear once.") % {"first": seen[f.code]}))
            continue
        seen[f.code] = f.index
        area = reachable.get(f.code)
        if area is None:
            problems.append(Problem(f.index, f.code, _("There is no area with this code in your scope.")))
            continue
        try:
            boundary = check_geometry(f.geometry)
        except ValidationError as e:
            problems.append(Problem(f.index, f.code, _message(e)))
            continue
        planned[area.pk] = (f, area, boundary)
    if not problems:
        problems = _check_topology(planned)
    if problems:
        raise Refused(problems)
    return [(area, boundary) for _f, area, boundary in planned.values()]


def _check_topology(planned: dict[int, tuple[Feature, Area, dict]]) -> list[Problem]:
    """Each new boundary inside its parent's (new or stored), the stored sub-areas inside the new boundary, and no
    overlap between siblings (new against new and against stored)."""
    problems = []
    new_shapes = {pk: shape(b) for pk, (_f, _a, b) in planned.items()}
    parent_pks = {a.parent_id for _f, a, _b in planned.values() if a.parent_id}
    others = (Area.objects.filter(parent_id__in=parent_pks) | Area.objects.filter(pk__in=parent_pks)
              | Area.objects.filter(parent_id__in=planned.keys()))
    # isnull, not boundary=None: on a JSONField the latter matches a JSON null, not an area without a boundary.
    stored = {a.pk: a for a in others.exclude(boundary__isnull=True).only("pk", "code", "name", "parent", "boundary")}
    stored_children: dict[int, list[Area]] = {}
    for a in stored.values():
        if a.parent_id in planned and a.pk not in planned:
            stored_children.setdefault(a.parent_id, []).append(a)

    def shape_of(pk):
        if pk in new_shapes:
            return new_shapes[pk]
        return shape(stored[pk].boundary) if pk in stored else None

    for pk, (f, area, _b) in planned.items():
        child = new_shapes[pk]
        parent = shape_of(area.parent_id) if area.parent_id else None
        if parent is not None:
            outside = child.difference(parent).area
            if outside > OUTSIDE_TOLERANCE * child.area:
                problems.append(Problem(f.index, f.code, _(
                    "The boundary is not inside its parent area's boundary (%(share).1f %% of it lies outside)."
                ) % {"share": 100 * outside / child.area}))
        for sub in stored_children.get(pk, ()):
            sub_shape = shape(sub.boundary)
            if sub_shape.area and sub_shape.difference(child).area > OUTSIDE_TOLERANCE * sub_shape.area:
                problems.append(Problem(f.index, f.code, _(
                    "The stored boundary of the sub-area “%(name)s” (%(sub)s) would no longer lie inside this one; "
                    "import the sub-area's new boundary in the same file.") % {"name": sub.name, "sub": sub.code}))
    # Siblings: every pair under one parent with at least one new boundary.
    by_parent: dict[int | None, list[int]] = {}
    for pk, (_f, area, _b) in planned.items():
        by_parent.setdefault(area.parent_id, []).append(pk)
    for parent_pk, pks in by_parent.items():
        siblings = set(pks) | {a.pk for a in stored.values() if a.parent_id == parent_pk and parent_pk is not None}
        order = sorted(siblings)
        shapes = [shape_of(pk) for pk in order]
        tree = STRtree(shapes)
        reported = set()
        for pk in pks:
            f, area, _b = planned[pk]
            mine = new_shapes[pk]
            for j in tree.query(mine):
                other = order[j]
                if other == pk or frozenset((pk, other)) in reported:
                    continue
                theirs = shapes[j]
                smaller = min(mine.area, theirs.area)
                if smaller and mine.intersection(theirs).area > OVERLAP_TOLERANCE * smaller:
                    reported.add(frozenset((pk, other)))
                    name = planned[other][1] if other in planned else stored[other]
                    problems.append(Problem(f.index, f.code, _(
                        "The boundary overlaps that of the sibling area “%(name)s” (%(other)s).")
                        % {"name": name.name, "other": name.code}))
    problems.sort(key=lambda p: p.index or 0)
    return problems


# Applying --------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    updated: int
    unchanged: int


def import_boundaries(data: bytes, *, actor, filename: str = "") -> Outcome:
    """Check the whole file, then update every area's boundary in one transaction (Refused: nothing changed)."""
    features = read_features(data, filename)
    with transaction.atomic():
        plan = check(features, actor)
        updated = unchanged = 0
        for area, boundary in plan:
            if area.boundary == boundary:
                unchanged += 1  # a retried upload: nothing to write
                continue
            try:
                services.update_area(area, actor=actor, boundary=boundary)
            except ValidationError as e:  # the transaction is rolled back: nothing changed
                raise Refused([Problem(None, area.code, _message(e))]) from e
            updated += 1
    return Outcome(updated, unchanged)
