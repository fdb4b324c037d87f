"""The case map (SVG without tiles, Leaflet with 天地图) and the statistics page (tables + chart JSON)."""

import json
import re
from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse

from lianxin.cases import stats
from lianxin.cases.deadlines import colour_of
from lianxin.cases.models import Case
from lianxin.core import clock
from lianxin.workdays.calendar import tz

pytestmark = pytest.mark.django_db

HOME, SIBLING_TOWN, SIBLING_COUNTY = "3708010101", "3708010201", "3708020101"


def link(case) -> str:
    return f'href="{reverse("cases:detail", args=[case.pk])}"'


def chart_json(html: str) -> dict:
    m = re.search(r'<script id="case-stats-data" type="application/json">(.*?)</script>', html, re.S)
    assert m, "chart data missing"
    return json.loads(m.group(1))


# ------------------------------------------------------------------------------------------------ map


def test_map_shows_home_cases_not_the_sibling_county(persona_client, world):
    client = persona_client("county_staff")
    response = client.get(reverse("cases:map"))
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["area"] == world.areas["370801"]  # the top visible area by default
    assert link(world.cases[HOME]) in html and link(world.cases[SIBLING_TOWN]) in html
    assert link(world.cases[SIBLING_COUNTY]) not in html
    assert "<svg" in html and 'class="grids"' in html
    assert "leaflet" not in html  # tiles are off by default: no Leaflet at all


def test_map_narrows_to_a_chosen_area_and_refuses_one_out_of_scope(persona_client, world):
    client = persona_client("county_staff")
    html = client.get(reverse("cases:map"), {"area": world.areas["37080101"].pk}).content.decode()
    assert link(world.cases[HOME]) in html and link(world.cases[SIBLING_TOWN]) not in html
    assert client.get(reverse("cases:map"), {"area": world.areas["370802"].pk}).status_code == 404
    assert client.get(reverse("cases:map"), {"area": "x"}).status_code == 404


def test_community_staff_sees_only_the_home_community(persona_client, world):
    html = persona_client("community_staff").get(reverse("cases:map")).content.decode()
    assert link(world.cases[HOME]) in html
    assert all(link(world.cases[c]) not in html for c in ("3708010102", SIBLING_TOWN, SIBLING_COUNTY))


def test_legend_counts_by_colour(persona_client, world, reported):
    now = clock.now()
    red, yellow, blue = reported(), reported(), reported()
    Case.objects.filter(pk=red.pk).update(due_at=now - timedelta(hours=1), warn_at=now - timedelta(hours=3))
    Case.objects.filter(pk=yellow.pk).update(due_at=now + timedelta(hours=1), warn_at=now - timedelta(minutes=5))
    Case.objects.filter(pk=blue.pk).update(due_at=now + timedelta(days=3), warn_at=now + timedelta(days=2))
    area = world.areas[HOME]
    expected = {}
    for case in Case.objects.filter(area__path__startswith=area.path):
        c = colour_of(case, now)
        expected[c] = expected.get(c, 0) + 1
    assert expected.get("red") == 1 and expected.get("yellow") == 1

    response = persona_client("community_staff").get(reverse("cases:map"))
    counts = {item["colour"]: item["count"] for item in response.context["legend"]}
    assert counts == {key: expected.get(key, 0) for key in counts}
    assert response.context["total"] == sum(expected.values())
    html = response.content.decode()
    assert re.search(r'data-colour="red">1<', html) and re.search(r'data-colour="yellow">1<', html)
    # The three cases reported at one point would cover each other: they are one spot, coloured by the most urgent,
    # whose cases are listed under the map. The world's case without a point is placed inside its grid (hollow).
    spots = response.context["svg"]["spots"]
    url = {c.pk: reverse("cases:detail", args=[c.pk]) for c in (red, yellow, blue)}
    spot = next(s for s in spots if url[red.pk] in [d["url"] for d in s.items])
    assert spot.many and set(url.values()) <= {d["url"] for d in spot.items}
    assert spot.items[0]["colour"] == "red" and 'class="spot red"' in html
    assert f'href="#spot-{spot.n}"' in html and f'id="spot-{spot.n}"' in html
    assert all(link(c) in html for c in (red, yellow, blue))
    assert [d for s in spots for d in s.items if d["approx"]]

    only_red = persona_client("community_staff").get(reverse("cases:map"), {"filtered": "1", "open": "on",
                                                                            "colour": "red"})
    assert only_red.context["total"] == 1 and link(red) in only_red.content.decode()
    assert link(blue) not in only_red.content.decode()


def test_map_caps_the_dots(persona_client, world, reported, monkeypatch):
    from lianxin.cases import map_views

    for _i in range(3):
        reported()
    monkeypatch.setattr(map_views, "MAX_DOTS", 2)
    response = persona_client("community_staff").get(reverse("cases:map"))
    assert response.context["capped"] and response.context["shown"] == 2
    assert response.context["total"] == 4


def test_map_with_tiles(persona_client, world, reported, settings):
    settings.MAP_TILE_PROVIDER = "tianditu"
    settings.TIANDITU_KEY = "test"
    case = reported()
    response = persona_client("community_staff").get(reverse("cases:map"))
    html = response.content.decode()
    assert "lianxin/vendor/leaflet/leaflet.js" in html and "cases/map.js" in html
    data = json.loads(re.search(r'<script id="case-map-data" type="application/json">(.*?)</script>',
                                html, re.S).group(1))
    assert data["key"] == "test" and data["shapes"]
    dot = next(d for d in data["dots"] if d["url"] == reverse("cases:detail", args=[case.pk]))
    assert (dot["lng"], dot["lat"]) == (116.05, 35.2)  # WGS-84 as stored: 天地图 needs no GCJ-02 shift
    assert "<svg" in html  # the plain map is still there for browsers without JavaScript


def test_tiles_need_a_key(persona_client, world, settings):
    settings.MAP_TILE_PROVIDER = "tianditu"
    settings.TIANDITU_KEY = ""
    assert "leaflet" not in persona_client("community_staff").get(reverse("cases:map")).content.decode()


# ---------------------------------------------------------------------------------------------- stats


def midnight(d: date) -> datetime:
    return datetime.combine(d, time.min, tzinfo=tz())


def test_stats_figures_equal_compute(persona_client, world, reported, u):
    from lianxin.cases import services

    case = reported()
    services.accept(case, actor=u["community_staff"])
    now = clock.now()
    today = now.astimezone(tz()).date()
    start, end = today - timedelta(days=40), today + timedelta(days=1)
    client = persona_client("county_staff")
    area = world.areas["370801"]
    with clock.at(now):
        response = client.get(reverse("cases:stats"), {"area": area.pk, "start": start.isoformat(),
                                                        "end": end.isoformat()})
    assert response.status_code == 200
    expected = stats.compute(midnight(start), now, stats.Scope(area_path=area.path))  # a period ending today ends now
    assert response.context["total"] == expected
    assert expected["reported"] == 4 and expected["accepted"] == 1  # three world cases of county A + ours
    html = response.content.decode()
    assert re.search(rf'data-figure="reported"><td>[^<]*</td><td class="num">{expected["reported"]}</td>', html)
    assert f'href="{reverse("cases:stats_export")}?area={area.pk}&amp;start={start}&amp;end={end}"' in html

    data = chart_json(html)
    assert len(data["months"]) in (2, 3)
    assert sum(data["monthly"]["reported"]) == expected["reported"]
    assert set(data["rates"]) == {"handle_on_time_rate", "close_on_time_rate", "satisfaction_rate"}
    # by sub-area: towns A1 and A2, each computed over its own subtree
    assert data["children"]["names"] == ["甲一镇", "甲二镇"]
    a1 = stats.compute(midnight(start), now, stats.Scope(area_path=world.areas["37080101"].path))
    assert data["children"]["reported"][0] == a1["reported"] == 3


def test_stats_default_area_and_period(persona_client, world):
    response = persona_client("town_staff").get(reverse("cases:stats"))
    assert response.status_code == 200
    assert response.context["area"] == world.areas["37080101"]
    today = clock.now().astimezone(tz()).date()
    assert (response.context["start"], response.context["end"]) == (date(today.year, 1, 1), today + timedelta(days=1))
    quick = {q["key"]: q for q in response.context["quick"]}
    assert set(quick) == {"this_month", "last_month", "this_year", "last_12"} and quick["this_year"]["active"]
    assert sum(q["active"] for q in quick.values()) == 1  # one button lit, also in December


def test_one_period_button_lit_in_december(persona_client, world):
    with clock.at(datetime(2026, 12, 4, 10, tzinfo=tz())):
        quick = persona_client("town_staff").get(reverse("cases:stats"), {"start": "2026-01-01",
                                                                           "end": "2026-12-05"}).context["quick"]
    assert [q["key"] for q in quick if q["active"]] == ["this_year"]


def test_stats_out_of_scope_area_is_404(persona_client, world):
    client = persona_client("county_staff")
    assert client.get(reverse("cases:stats"), {"area": world.areas["370802"].pk}).status_code == 404
    assert client.get(reverse("cases:stats"), {"area": world.areas["370800"].pk}).status_code == 404
    assert client.get(reverse("cases:stats"), {"area": "1 OR 1=1"}).status_code == 404


def test_stats_need_a_case_grant(persona_client, world):
    assert persona_client("resident").get(reverse("cases:stats")).status_code == 403


def test_stats_bad_period_falls_back_with_a_message(persona_client, world):
    response = persona_client("county_staff").get(reverse("cases:stats"), {"start": "2026-05-01",
                                                                            "end": "2020-01-01"})
    assert response.status_code == 200
    assert response.context["start"].month == 1 and response.context["start"].day == 1


def test_long_period_caps_the_months(persona_client, world):
    today = clock.now().astimezone(tz()).date()
    start = date(today.year - 2, 1, 1)
    response = persona_client("county_staff").get(reverse("cases:stats"), {"start": start.isoformat(),
                                                                           "end": today.isoformat()})
    assert response.context["months_cut"]
    assert len(chart_json(response.content.decode())["months"]) == 24


@pytest.mark.parametrize("language,lang_attr,words", [("zh-hans", 'lang="zh-CN"', None),
                                                      ("en", 'lang="en"', "Case statistics")])
def test_pages_render_in_both_languages(persona_client, world, language, lang_attr, words):
    client = persona_client("county_staff")
    client.cookies["django_language"] = language
    for name in ("cases:stats", "cases:map"):
        response = client.get(reverse(name))
        html = response.content.decode()
        assert response.status_code == 200 and lang_attr in html, name
    if words:
        assert words in client.get(reverse("cases:stats")).content.decode()
