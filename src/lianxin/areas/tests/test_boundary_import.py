"""Importing boundaries from GeoJSON / a zipped Shapefile: all or nothing, in place, within the importer's scope."""

import io
import json
import re
import zipfile

import pytest
import shapefile
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from lianxin.accounts import services as accounts
from lianxin.areas import geo, services
from lianxin.areas.boundaries import Refused, import_boundaries
from lianxin.areas.models import Area

COMM = "3708010101"  # community 甲一社区, box (116.0, 34.9, 116.15, 35.9), under town 37080101 (116.0 - 116.3)
GRID = "3708010101001"  # its grid, the same box
SIBLING = "3708010102"  # 甲一村, (116.15, 34.9, 116.3, 35.9)
URL = "/areas/boundaries/import/"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def feature(code, geometry, key="code", **props):
    return {"type": "Feature", "properties": {key: code, **props}, "geometry": geometry}


def collection(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}, ensure_ascii=False).encode()


def snapshot():
    return {a.code: (a.pk, a.boundary, a.min_lng, a.max_lng) for a in Area.objects.all()}


def refused(world, data: bytes, actor=None, filename="b.geojson") -> list[str]:
    """Import ``data`` expecting a refusal; check nothing changed; return the messages."""
    before, logs = snapshot(), LogEntry.objects.count()
    with pytest.raises(Refused) as e:
        import_boundaries(data, actor=actor or world.users["administrator"], filename=filename)
    assert snapshot() == before
    assert LogEntry.objects.count() == logs
    return [str(p) for p in e.value.problems]


SMALLER = geo.rectangle(116.0, 34.95, 116.15, 35.85)


def test_a_good_file_updates_boundaries_in_place_and_a_retry_changes_nothing(world):
    admin = world.users["administrator"]
    pks = {code: world.areas[code].pk for code in (COMM, SIBLING)}
    person = world.people[COMM]
    multi = {"type": "MultiPolygon", "coordinates": [
        geo.rectangle(116.16, 34.95, 116.2, 35.8)["coordinates"],
        geo.rectangle(116.22, 34.95, 116.29, 35.8)["coordinates"]]}
    data = collection(feature(COMM, SMALLER, name="甲一社区"), feature(GRID, SMALLER, key="adcode"),
                      feature(int(SIBLING), geo.rectangle(116.15, 34.9, 116.3, 35.9), key="CODE"),
                      feature(f"{SIBLING}001", multi))
    outcome = import_boundaries(data, actor=admin)
    assert (outcome.updated, outcome.unchanged) == (3, 1)  # the sibling's boundary was already as in the file
    comm = Area.objects.get(code=COMM)
    assert comm.pk == pks[COMM] and comm.boundary == SMALLER
    assert (comm.min_lng, comm.min_lat, comm.max_lng, comm.max_lat) == (116.0, 34.95, 116.15, 35.85)
    assert Area.objects.get(code=f"{SIBLING}001").boundary == multi
    assert Area.objects.get(code=SIBLING).pk == pks[SIBLING]
    person.refresh_from_db()
    assert person.area.code == GRID
    logs = LogEntry.objects.count()
    again = import_boundaries(data, actor=admin)
    assert (again.updated, again.unchanged) == (0, 4)
    assert LogEntry.objects.count() == logs
    assert Area.objects.count() == len(world.areas)


def test_an_open_ring_is_refused(world):
    ring = SMALLER["coordinates"][0][:-1]
    short = [[116.0, 35.0], [116.1, 35.0], [116.0, 35.0]]
    msgs = refused(world, collection(feature(COMM, {"type": "Polygon", "coordinates": [ring]}),
                                     feature(GRID, {"type": "Polygon", "coordinates": [short]})))
    assert msgs[0].startswith(f"Feature 1 (code {COMM}): A ring is not closed")
    assert msgs[1].startswith(f"Feature 2 (code {GRID}): A ring has 3 points")


def test_a_self_intersecting_polygon_is_refused(world):
    bowtie = {"type": "Polygon", "coordinates": [[[116.0, 35.0], [116.1, 35.1], [116.1, 35.0], [116.0, 35.1],
                                                  [116.0, 35.0]]]}
    [msg] = refused(world, collection(feature(GRID, bowtie)))
    assert msg.startswith(f"Feature 1 (code {GRID}): The boundary polygon is invalid: Self-intersection")


def test_a_boundary_outside_its_parent_is_refused(world):
    [msg] = refused(world, collection(feature(COMM, geo.rectangle(115.9, 34.9, 116.15, 35.9))))
    assert msg.startswith(f"Feature 1 (code {COMM}): The boundary is not inside its parent area's boundary")
    assert "40.0 %" in msg


def test_a_tiny_overshoot_of_the_parent_is_tolerated(world):
    # 0.0005° of 0.15° sticks out west of the town: 0.3 % of the community.
    outcome = import_boundaries(collection(feature(COMM, geo.rectangle(115.9995, 34.9, 116.15, 35.9))),
                                actor=world.users["administrator"])
    assert outcome.updated == 1


def test_a_new_boundary_must_still_hold_its_stored_sub_areas(world):
    [msg] = refused(world, collection(feature(COMM, geo.rectangle(116.0, 34.9, 116.1, 35.9))))
    assert msg.startswith(f"Feature 1 (code {COMM}): The stored boundary of the sub-area")
    assert GRID in msg


def test_overlapping_siblings_are_refused_against_the_stored_and_within_the_file(world):
    [msg] = refused(world, collection(feature(COMM, geo.rectangle(116.0, 34.9, 116.2, 35.9))))
    assert msg == f"Feature 1 (code {COMM}): The boundary overlaps that of the sibling area “甲一村” ({SIBLING})."
    msgs = refused(world, collection(feature(COMM, geo.rectangle(116.0, 34.9, 116.15, 35.9)),
                                     feature(SIBLING, geo.rectangle(116.1, 34.9, 116.3, 35.9))))
    assert msgs == [f"Feature 1 (code {COMM}): The boundary overlaps that of the sibling area “甲一村” ({SIBLING})."]


def test_a_gbk_file_is_refused_with_advice(world):
    data = collection(feature(COMM, SMALLER, name="甲一社区")).decode().encode("gbk")
    [msg] = refused(world, data)
    assert "GBK" in msg and "UTF-8" in msg


def test_a_file_that_is_not_a_feature_collection_is_refused(world):
    assert "not valid JSON" in refused(world, b"{not json")[0]
    assert "FeatureCollection" in refused(world, json.dumps(SMALLER).encode())[0]


def test_duplicate_and_unknown_codes_are_refused(world):
    msgs = refused(world, collection(feature(COMM, SMALLER), feature("3708019999", SMALLER),
                                     feature(COMM, SMALLER), {"type": "Feature", "properties": {},
                                                              "geometry": SMALLER}))
    assert msgs == [
        "Feature 2 (code 3708019999): There is no area with this code in your scope.",
        f"Feature 3 (code {COMM}): The code appeared already in feature 1: each area may appear once.",
        "Feature 4: No “code” (or “adcode”) property names the area.",
    ]


def test_areas_outside_the_importers_scope_are_refused(world):
    other = accounts.create_account(actor=None, username="admin-b", person=None, area=world.areas["370802"],
                                    grants=[("administrator", {"area": world.areas["370802"]})])
    [msg] = refused(world, collection(feature(COMM, SMALLER)), actor=other)
    assert msg == f"Feature 1 (code {COMM}): There is no area with this code in your scope."


def shapefile_zip(records, *, cpg="UTF-8", prj=None) -> bytes:
    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    with shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shapefile.POLYGON, encoding="utf-8") as w:
        w.field("CODE", "C", size=20)
        w.field("NAME", "C", size=40)
        for code, name, boundary in records:
            w.record(code, name)
            # Shapefile outer rings run clockwise.
            w.poly([list(reversed(ring)) for ring in boundary["coordinates"]])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for ext, part in (("shp", shp), ("shx", shx), ("dbf", dbf)):
            z.writestr(f"bounds/areas.{ext}", part.getvalue())
        z.writestr("bounds/areas.cpg", cpg)
        if prj:
            z.writestr("bounds/areas.prj", prj)
    return out.getvalue()


WGS84 = ('GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],'
         'PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]')


def test_a_zipped_shapefile_is_imported(world):
    data = shapefile_zip([(COMM, "甲一社区", SMALLER), (GRID, "甲一社区一网格", SMALLER)], prj=WGS84)
    outcome = import_boundaries(data, actor=world.users["administrator"], filename="bounds.zip")
    assert outcome.updated == 2
    comm = Area.objects.get(code=COMM)
    assert comm.pk == world.areas[COMM].pk
    assert (comm.min_lat, comm.max_lat) == (34.95, 35.85)
    assert import_boundaries(data, actor=world.users["administrator"], filename="bounds.zip").updated == 0


def test_a_projected_or_incomplete_shapefile_is_refused(world):
    projected = 'PROJCS["CGCS2000_3_Degree_GK_CM_117E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000"]]'
    assert "projected" in refused(world, shapefile_zip([(COMM, "x", SMALLER)], prj=projected))[0]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("a.shp", b"")
    assert "missing: .shx, .dbf" in refused(world, out.getvalue())[0]


# The page -------------------------------------------------------------------------------------------------------


def upload(client, data: bytes, name="boundaries.geojson"):
    return client.post(URL, {"file": SimpleUploadedFile(name, data, "application/geo+json")})


def test_the_page_imports_for_an_administrator(world, persona_client):
    client = persona_client("administrator")
    assert reverse("areas:import_boundaries") == URL
    assert client.get(URL).status_code == 200
    response = upload(client, collection(feature(COMM, SMALLER), feature(GRID, SMALLER)))
    assert response.status_code == 302
    assert Area.objects.get(code=COMM).boundary == SMALLER


def test_the_page_lists_problems_in_the_users_language(world, persona_client):
    client = persona_client("administrator")
    client.cookies["django_language"] = "zh-hans"
    before = snapshot()
    response = upload(client, collection(feature(COMM, geo.rectangle(115.9, 34.9, 116.15, 35.9))))
    assert response.status_code == 400
    page = response.content.decode()
    # The number and the code stand in their own columns; the problem's cell says only what is wrong.
    cells = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", page)
    assert len(cells) == 1
    number, code, problem = cells[0]
    assert (number, code) == ("1", COMM)
    assert "上级区域" in problem
    assert "要素" not in problem and COMM not in problem
    assert snapshot() == before


def test_community_staff_may_not_import(world, persona_client):
    client = persona_client("community_staff")
    before = snapshot()
    assert client.get(URL).status_code == 403
    assert upload(client, collection(feature(COMM, SMALLER))).status_code == 403
    assert snapshot() == before


def test_a_parent_without_a_boundary_checks_nothing_against_it(world):
    services.update_area(world.areas["37080101"], actor=None, boundary=None)
    outcome = import_boundaries(collection(feature(COMM, geo.rectangle(115.9, 34.9, 116.15, 35.9))),
                                actor=world.users["administrator"])
    assert outcome.updated == 1
