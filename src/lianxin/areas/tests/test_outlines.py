"""Real county outlines, generated outlines inside them, and the server-drawn maps' base and spots."""

import random
from itertools import combinations

import pytest
import shapely
from shapely.geometry import Point, shape

from lianxin.areas import divisions, geo, services
from lianxin.areas.svgmap import Projection, base_layer, spots

COMM = "3708010101"  # community 甲一社区 of the test world


def test_shipped_county_outlines_cover_jining_without_overlaps():
    outlines = divisions.county_outlines()
    # Every county and district; the high-tech zone (370871) is carved out of them and has no outline of its own.
    assert set(outlines) == set(divisions.counties()) - {"370871"}
    shapes = [shape(o) for o in outlines.values()]
    assert all(s.is_valid for s in shapes) and shapely.coverage_is_valid(shapes)
    # 邹城's outline holds its seat, and 曲阜 lies north of it (coordinates are longitude, latitude, WGS-84).
    assert shape(outlines["370883"]).contains(Point(116.97, 35.40))
    assert shape(outlines["370881"]).centroid.y > shape(outlines["370883"]).centroid.y
    x0, y0, x1, y1 = shapely.union_all(shapes).bounds
    assert geo.CITY_BOX[0] < x0 < x1 < geo.CITY_BOX[2] and geo.CITY_BOX[1] < y0 < y1 < geo.CITY_BOX[3]


@pytest.mark.parametrize("n", [2, 3, 7])
def test_tile_covers_the_parent_with_disjoint_cells_and_is_repeatable(n):
    county = divisions.county_outlines()["370883"]
    cells = geo.tile(county, n, random.Random(4))
    assert cells == geo.tile(county, n, random.Random(4))
    shapes = [shape(c) for c in cells]
    assert len(shapes) == n and all(s.is_valid and not s.is_empty for s in shapes)
    for a, b in combinations(shapes, 2):
        assert a.intersection(b).area < 1e-12
    assert sum(s.area for s in shapes) == pytest.approx(shape(county).area, rel=1e-6)
    assert all(s.difference(shape(county)).area <= 1e-6 * s.area for s in shapes)
    assert [s.centroid.x for s in shapes] == sorted(s.centroid.x for s in shapes)  # west to east


def test_random_and_inner_points_lie_inside_a_concave_outline():
    # An L: its box's centre is outside it.
    ell = {"type": "Polygon", "coordinates": [[[116.0, 35.0], [116.2, 35.0], [116.2, 35.05], [116.05, 35.05],
                                               [116.05, 35.2], [116.0, 35.2], [116.0, 35.0]]]}
    rng = random.Random(1)
    assert all(geo.contains(ell, geo.random_point(ell, rng, inset=0.05)) for _ in range(200))
    assert geo.contains(ell, geo.inner_point(ell))
    square = geo.rectangle(116.0, 35.0, 116.2, 35.2)
    assert geo.inner_point(square) == pytest.approx((116.1, 35.1))  # a rectangle's centre stays its centre


def test_spots_merge_what_would_overlap_and_keep_the_rest_apart():
    items = [{"x": 10, "y": 10, "k": "first"}, {"x": 14, "y": 12, "k": "near"}, {"x": 60, "y": 10, "k": "far"},
             {"x": 61, "y": 11, "k": "near far"}, {"x": 200, "y": 200, "k": "alone"}]
    out = spots(items, 13)
    assert [[i["k"] for i in s.items] for s in out] == [["first", "near"], ["far", "near far"], ["alone"]]
    assert (out[0].x, out[0].y) == (10, 10) and out[0].many and not out[2].many
    # Linear: thousands of markers on one spot are one spot.
    assert len(spots([{"x": 5.0, "y": 5.0}] * 5000, 13)) == 1


@pytest.mark.django_db
def test_base_layer_labels_what_is_on_the_drawing(world):
    county, town = world.areas["37080101"].parent, world.areas["37080101"]
    projection = Projection(geo.bounds(town.boundary), width=400)
    layer = base_layer(projection, [town, county])
    assert [b["kind"] for b in layer] == ["county", "town"]  # counties drawn first, under the towns
    assert all(b["d"].startswith("M") and b["d"].endswith("Z") for b in layer)
    x, y = layer[1]["label"]
    assert 0 <= x <= projection.width and 0 <= y <= projection.height
    far = Projection((117.5, 36.0, 117.6, 36.1))
    assert base_layer(far, [town]) == []


@pytest.mark.django_db
def test_generated_outline_is_marked_until_a_real_one_replaces_it(world):
    comm = world.areas[COMM]
    outline = geo.rectangle(comm.min_lng, comm.min_lat, (comm.min_lng + comm.max_lng) / 2, comm.max_lat)
    grid = services.create_area(actor=None, kind="grid", code=COMM + "901", name="试验网格", parent=comm,
                                boundary=outline, is_demo_code=True, is_demo_boundary=True)
    assert grid.is_demo_boundary
    grid = services.update_area(grid, actor=None, name="试验网格甲", boundary=outline)  # saved unchanged
    assert grid.is_demo_boundary
    surveyed = geo.rectangle(comm.min_lng, comm.min_lat, (comm.min_lng + comm.max_lng) / 2 - 1e-4, comm.max_lat)
    grid = services.update_area(grid, actor=None, boundary=surveyed)
    assert not grid.is_demo_boundary
