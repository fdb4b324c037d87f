"""The figures page: every declared set for an area and period, comparisons, records, export, query count."""

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from lianxin.core import clock
from lianxin.core.modules import figure_sets
from lianxin.reports.periods import Period

pytestmark = pytest.mark.django_db


def test_periods():
    p = Period.containing("month", clock.today())
    assert p.start.day == 1 and (p.end + timedelta(days=1)).day == 1
    assert p.previous().end == p.start - timedelta(days=1) and p.previous().start.day == 1
    assert p.year_before().start == p.start.replace(year=p.start.year - 1)
    q = Period.containing("quarter", p.start)
    assert q.start.month in (1, 4, 7, 10) and q.previous().end == q.start - timedelta(days=1)
    y = Period.containing("year", p.start)
    assert (y.start.month, y.start.day, y.end.month, y.end.day) == (1, 1, 12, 31)
    r = Period("range", p.start, p.start + timedelta(days=9))
    assert r.previous() == Period("range", p.start - timedelta(days=10), p.start - timedelta(days=1))


def test_every_declared_set_is_on_the_page(world, persona_client):
    client = persona_client("county_staff")
    client.cookies["django_language"] = "en"
    page = client.get("/reports/").content.decode()
    for fs in figure_sets():
        assert f'id="set-{fs.app}"' in page
        for f in fs.figures:
            assert f'data-figure="{fs.app}.{f.key}"' in page
    assert {"cases", "care", "stations", "newgroups", "workforce"} <= {fs.app for fs in figure_sets()}
    # The county's towns as rows, the county as the total row.
    assert 'data-area="37080101"' in page and 'data-area="37080102"' in page
    assert 'class="total" data-area="370801"' in page
    assert 'data-area="37080201"' not in page  # the other county's town
    assert "report-charts" in page and "echarts.min.js" in page and "<script>" not in page


def test_a_new_module_appears_without_touching_reports(monkeypatch, world, persona_client):
    from django.apps import apps

    from lianxin.core.figures import Figure, FigureSet

    extra = FigureSet("stations", "Extra", compute=lambda user, areas, start, end: {a.pk: {"n": 7} for a in areas},
                      figures=(Figure("n", "Seven"),))
    config = apps.get_app_config("stations")
    monkeypatch.setattr(config, "figures", lambda: (*type(config).figures(config), extra))
    client = persona_client("county_staff")
    client.cookies["django_language"] = "en"
    assert 'data-figure="stations.n"' in client.get("/reports/").content.decode()
    wb = load_workbook(io.BytesIO(client.get("/reports/export.xlsx").content))
    assert "Extra" in wb.sheetnames
    rows = list(wb["Extra"].iter_rows(values_only=True))
    assert rows[0] == ("Area", "Seven") and {r[1] for r in rows[1:]} == {7}


def test_records_behind_a_figure(world, persona_client):
    client = persona_client("county_staff")
    client.cookies["django_language"] = "en"
    county = world.areas["370801"]
    page = client.get("/reports/", {"area": county.pk}).content.decode()
    assert "/reports/records/?figure=cases.reported" in page
    p = Period.containing("month", clock.today())
    query = {"figure": "cases.reported", "area": county.pk, "start": p.start, "end": p.end}
    listed = client.get("/reports/records/", query).content.decode()
    # The world's cases were reported in this county's communities, now.
    for code in ("3708010101", "3708010102", "3708010201"):
        case = world.cases[code]
        assert p.start <= timezone.localtime(case.created_at).date() <= p.end
        assert f'href="/cases/{case.pk}/"' in listed
    assert f'href="/cases/{world.cases["3708020101"].pk}/"' not in listed
    # Another county's area is not found; nor a figure without records.
    assert client.get("/reports/records/", {**query, "area": world.areas["370802"].pk}).status_code == 404
    assert client.get("/reports/records/", {**query, "figure": "cases.close_on_time_rate"}).status_code == 404
    assert client.get("/reports/records/").status_code == 200


def test_export_a_sheet_per_module(world, persona_client):
    client = persona_client("county_staff")
    client.cookies["django_language"] = "en"
    wb = load_workbook(io.BytesIO(client.get("/reports/export.xlsx").content))
    labels = [str(fs.label) for fs in figure_sets()]
    assert len(wb.sheetnames) == 1 + len(labels)
    cases = list(wb["Cases"].iter_rows(values_only=True))
    assert cases[0][:3] == ("Area", "Reported", "Closed")
    assert cases[-1][0].startswith("Total")


def test_query_count_does_not_grow_with_the_data(world, persona_client):
    from lianxin.stations import services

    client = persona_client("county_staff")
    client.get("/reports/")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/reports/").status_code == 200
        return len(ctx)

    before = count()
    station = world.samples["stations.station"]["3708010101"]
    for i in range(20):
        services.record_checkin(station, "water", device=f"q{i}", at=clock.now() - timedelta(minutes=i))
    assert count() == before


def test_leaders_home_and_big_screen(world, persona_client):
    client = persona_client("county_staff")
    client.cookies["django_language"] = "en"
    home = client.get("/").content.decode()
    assert 'id="widget-leaders"' in home and 'id="w-red-cases"' in home and 'id="w-trend"' in home
    assert 'href="/reports/"' in home  # every module's figures are one link away, not computed on the home page
    assert 'id="widget-leaders"' not in persona_client("community_staff").get("/").content.decode()
    screen = client.get("/reports/screen/").content.decode()
    assert 'http-equiv="refresh" content="300"' in screen and 'id="s-red"' in screen
    assert 'data-figure="cases.reported"' in screen and "<script>" not in screen
