"""Point-in-grid lookup, boundary validation, and the index behind the bounding-box prefilter."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from lianxin.areas import geo
from lianxin.areas import services as areas
from lianxin.areas.models import Area

pytestmark = pytest.mark.django_db

L_SHAPE = {
    "type": "Polygon",
    "coordinates": [[
        [116.3, 35.0], [116.5, 35.0], [116.5, 35.1], [116.4, 35.1], [116.4, 35.2], [116.3, 35.2], [116.3, 35.0],
    ]],
}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def grids():
    city = areas.create_area(actor=None, kind="city", code="370800", name="City", parent=None,
                             boundary=geo.rectangle(116.0, 34.9, 117.0, 35.9))
    county = areas.create_area(actor=None, kind="county", code="370801", name="County", parent=city)
    town = areas.create_area(actor=None, kind="town", code="37080101", name="Town", parent=county)
    comm = areas.create_area(actor=None, kind="community", code="3708010101", name="Community", parent=town,
                             boundary=geo.rectangle(116.0, 35.0, 116.5, 35.2))

    def grid(code, boundary):
        return areas.create_area(actor=None, kind="grid", code=code, name=f"Grid {code}", parent=comm,
                                 boundary=boundary)

    return {
        "city": city,
        "community": comm,
        "west": grid("G1", geo.rectangle(116.0, 35.0, 116.1, 35.1)),
        "east": grid("G2", geo.rectangle(116.1, 35.0, 116.2, 35.1)),
        "l_shape": grid("G3", L_SHAPE),
        "no_boundary": grid("G4", None),
    }


def test_point_inside_a_grid(grids):
    assert areas.locate(116.05, 35.05) == grids["west"]
    assert areas.locate(116.15, 35.05) == grids["east"]
    assert areas.locate(116.35, 35.15) == grids["l_shape"]  # in the L's upright
    assert areas.locate(116.45, 35.05) == grids["l_shape"]  # in the L's foot


def test_point_on_a_corner_or_outer_edge_is_covered(grids):
    assert areas.locate(116.0, 35.0) == grids["west"]
    assert areas.locate(116.05, 35.1) == grids["west"]


def test_point_on_a_shared_edge_is_deterministic(grids):
    results = {areas.locate(116.1, 35.05) for _ in range(5)}
    assert len(results) == 1
    (found,) = results
    assert found in (grids["west"], grids["east"])
    # The rule: shallowest, then oldest (lowest id) area wins.
    assert found == min(grids["west"], grids["east"], key=lambda a: (a.depth, a.pk))
    # and the choice does not depend on insertion order or which row the database returns first
    areas.update_area(grids["west"], actor=None, name="West renamed")
    assert areas.locate(116.1, 35.05) == found


def test_point_outside_all_grids(grids):
    assert areas.locate(116.8, 35.5) is None  # inside the city, but in no grid
    assert areas.locate(116.25, 35.05) is None  # between grids


def test_bbox_hit_but_outside_the_polygon(grids):
    box = grids["l_shape"]
    assert (box.min_lng, box.min_lat, box.max_lng, box.max_lat) == (116.3, 35.0, 116.5, 35.2)
    assert box.min_lng <= 116.45 <= box.max_lng and box.min_lat <= 35.15 <= box.max_lat
    assert areas.locate(116.45, 35.15) is None


def test_changing_a_boundary_moves_the_bbox(grids):
    areas.update_area(grids["no_boundary"], actor=None, boundary=json.dumps(geo.rectangle(116.6, 35.3, 116.7, 35.4)))
    assert areas.locate(116.65, 35.35) == Area.objects.get(pk=grids["no_boundary"].pk)
    areas.update_area(grids["no_boundary"], actor=None, boundary=None)
    grid = Area.objects.get(pk=grids["no_boundary"].pk)
    assert grid.min_lng is None and grid.boundary is None
    assert areas.locate(116.65, 35.35) is None


# --- parse_boundary -----------------------------------------------------------------------------

def test_parse_boundary_accepts_polygons_features_multipolygons_and_text():
    rect = geo.rectangle(116.0, 35.0, 116.1, 35.1)
    assert geo.parse_boundary(rect) == rect
    assert geo.parse_boundary(json.dumps(rect)) == rect
    assert geo.parse_boundary({"type": "Feature", "properties": {}, "geometry": rect}) == rect
    multi = {"type": "MultiPolygon", "coordinates": [rect["coordinates"], L_SHAPE["coordinates"]]}
    assert geo.parse_boundary(multi) == multi
    assert geo.parse_boundary(None) is None
    assert geo.parse_boundary("") is None


def _error(value) -> str:
    with pytest.raises(ValidationError) as e:
        geo.parse_boundary(value)
    return " ".join(e.value.messages)


def test_parse_boundary_not_json():
    assert _error("{not json").startswith("The boundary is not valid JSON:")


@pytest.mark.parametrize("value", [
    {"type": "Point", "coordinates": [116.0, 35.0]},
    {"type": "LineString", "coordinates": [[116.0, 35.0], [116.1, 35.1]]},
    [[116.0, 35.0], [116.1, 35.0], [116.1, 35.1]],
    "42",
    {"type": "Feature", "geometry": None},
    {"coordinates": [[[116.0, 35.0]]]},
])
def test_parse_boundary_wrong_type(value):
    assert _error(value) == "The boundary must be a GeoJSON Polygon or MultiPolygon."


@pytest.mark.parametrize("coords", [
    [[116.0, 35.0], [116.1, 35.1]],  # not a ring of points
    [["a", "b"], ["c", "d"], ["e", "f"], ["a", "b"]],
    "nonsense",
])
def test_parse_boundary_malformed_coordinates(coords):
    message = _error({"type": "Polygon", "coordinates": [coords]})
    assert message == "The boundary coordinates are malformed."


def test_parse_boundary_self_intersecting_bow_tie():
    bow_tie = {"type": "Polygon", "coordinates": [[
        [116.0, 35.0], [116.1, 35.1], [116.1, 35.0], [116.0, 35.1], [116.0, 35.0],
    ]]}
    message = _error(bow_tie)
    assert message.startswith("The boundary polygon is invalid:")
    assert "Self-intersection" in message


def test_parse_boundary_outside_the_city():
    message = _error(geo.rectangle(121.4, 31.1, 121.5, 31.2))  # Shanghai
    assert message == "The boundary lies outside the city: check that coordinates are longitude, latitude."


def test_parse_boundary_lat_lng_swapped():
    swapped = geo.rectangle(35.0, 116.0, 35.1, 116.1)
    assert "check that coordinates are longitude, latitude" in _error(swapped)


def test_create_area_with_a_bad_boundary_saves_nothing():
    with pytest.raises(ValidationError):
        areas.create_area(actor=None, kind="city", code="X", name="X", parent=None,
                          boundary=geo.rectangle(35.0, 116.0, 35.1, 116.1))
    assert not Area.objects.exists()


def test_check_point_in_city():
    areas.check_point_in_city("116.5", "35.4")
    with pytest.raises(ValidationError, match="outside the city"):
        areas.check_point_in_city(35.4, 116.5)
    with pytest.raises(ValidationError, match="must be numbers"):
        areas.check_point_in_city("east", None)


# --- the index behind the prefilter -------------------------------------------------------------

def test_bbox_prefilter_uses_area_bbox_idx(grids):
    # Enough grids that an index is worth it, spread along the longitude axis.
    comm = grids["community"]
    for i in range(40):
        lng = 116.5 + i * 0.01
        areas.create_area(actor=None, kind="grid", code=f"GX{i}", name=f"GX{i}", parent=comm,
                          boundary=geo.rectangle(lng, 35.5, lng + 0.01, 35.6))
    with CaptureQueriesContext(connection) as queries:
        found = areas.locate(116.505, 35.55)
    assert found.code == "GX0"
    (select,) = [q["sql"] for q in queries.captured_queries if "min_lng" in q["sql"]]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {select}")
            plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
            assert "areas_area USING INDEX area_bbox_idx" in plan or (
                "areas_area USING COVERING INDEX area_bbox_idx" in plan), plan
            assert "kind=?" in plan, plan
            assert "SCAN areas_area\n" not in plan + "\n", plan
        else:
            assert connection.vendor == "postgresql"
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {select}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "area_bbox_idx" in plan, plan
            assert any(k in plan for k in ("Index Scan", "Index Only Scan", "Bitmap Index Scan")), plan
            assert "Seq Scan" not in plan, plan
