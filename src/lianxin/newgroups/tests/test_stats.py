import io
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from lianxin.core.clock import today
from lianxin.newgroups import services, stats

from .conftest import set_members

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset(world, firms, joint_branch):
    """甲一镇: one own branch with an instructor who visited, one joint; 甲二镇: one uncovered firm."""
    a = set_members(firms["3708010101"], 3)
    item = world.samples["newgroups.closeoutitem"]["3708010101"]
    services.close_with_evidence(item, actor=None, new_branch="甲一社区快递党支部")
    services.assign_instructor(a, instructor=world.users["instructor"], actor=None, on=today() - timedelta(days=10))
    services.log_visit(a, actor=world.users["instructor"], done_on=today())
    b = set_members(firms["3708010102"], 1)
    services.change_coverage(b, actor=None, after="joint", covering_org=joint_branch)
    return world


def test_figures_on_a_hand_built_dataset(dataset):
    world = dataset
    areas = [world.areas["37080101"], world.areas["37080102"]]
    start, end = today() - timedelta(days=60), today()
    figs = stats.figures(world.users["org_department"], areas, start, end)
    a1, a2 = figs[areas[0].pk], figs[areas[1].pk]
    assert {k: a1[k] for k in ("firms", "org_covered", "org_rate", "work_covered", "work_rate", "meets_rule",
                               "instructors", "visits", "closeouts_closed", "closeouts_open")} == {
        "firms": 2, "org_covered": 2, "org_rate": 100.0, "work_covered": 1, "work_rate": 50.0, "meets_rule": 2,
        "instructors": 1, "visits": 1, "closeouts_closed": 1, "closeouts_open": 1}
    assert a1["closeouts_opened"] == 0  # the world's items were opened half a year ago
    year = stats.figures(world.users["org_department"], areas, today() - timedelta(days=365), end)
    assert year[areas[0].pk]["closeouts_opened"] == 2
    assert {k: a2[k] for k in ("firms", "org_covered", "org_rate", "work_rate", "meets_rule", "closeouts_open")} \
        == {"firms": 1, "org_covered": 0, "org_rate": 0.0, "work_rate": 0.0, "meets_rule": 0, "closeouts_open": 1}
    assert set(a1) == {k for k, _label in stats.FIGURES}
    # Someone who sees nothing of these towns counts nothing there.
    other = stats.figures(world.users["community_staff"], areas, start, end)
    assert other[areas[0].pk]["firms"] == 1 and other[areas[1].pk]["firms"] == 0


def test_dashboard_shows_children_and_exports(dataset, persona_client):
    world = dataset
    client = persona_client("org_department")
    client.cookies["django_language"] = "en"
    page = client.get("/newgroups/stats/")
    html = page.content.decode()
    assert page.status_code == 200 and 'data-area="37080101"' in html and 'data-area="37080102"' in html
    assert 'data-key="newgroups.org_rate"' in html and "chart-org_rate" in html
    rows = list(load_workbook(io.BytesIO(client.get("/newgroups/stats/export.xlsx").content)).active
                .iter_rows(values_only=True))
    a1 = next(r for r in rows if r[0] == "甲一镇")
    header = rows[0]
    assert a1[header.index("Party coverage: Firms")] == 2
    assert a1[header.index("Party coverage: Organisation coverage (%)")] == 100
    # A chosen area drills down to its communities.
    page = client.get("/newgroups/stats/", {"area": world.areas["37080101"].pk})
    assert 'data-area="3708010101"' in page.content.decode()
    assert persona_client("resident").get("/newgroups/stats/").status_code == 403


def test_the_cross_module_table_moved_to_reports(dataset, persona_client):
    """Every module's figures side by side are the reports app's figures page (reports/tests/test_figures.py
    checks that a declared set joins it); this dashboard keeps its own module's."""
    client = persona_client("org_department")
    client.cookies["django_language"] = "en"
    html = client.get("/newgroups/stats/").content.decode()
    assert 'data-key="newgroups.firms"' in html and 'data-key="stations.' not in html
    assert 'href="/reports/' in html


def test_coverage_page_month_by_month(dataset, persona_client):
    client = persona_client("org_department")
    page = client.get("/newgroups/coverage/").content.decode()
    assert f'data-month="{today():%Y-%m}"' in page and 'id="by-county"' in page
    assert 'id="kf-org">67%' in page  # county A: own + joint of three firms


def _cells(row_html: str) -> list[str]:
    return re.findall(r'<td class="num[^"]*">([^<]*)</td>', row_html)


def test_dashboard_table_groups_formats_rates_and_totals(dataset, persona_client):
    world = dataset
    client = persona_client("org_department")
    client.cookies["django_language"] = "en"
    html = client.get("/newgroups/stats/").content.decode()
    table = html.split('id="stats-table">')[1].split("</table>")[0]
    # Two header rows: the groups, then the figures, in the groups' order.
    head = table.split("</thead>")[0]
    assert re.findall(r'<th colspan="(\d+)" scope="colgroup"', head) == [str(len(k)) for _g, k in stats.GROUPS]
    keys = re.findall(r'data-key="newgroups\.(\w+)"', head)
    assert keys == [k for _g, group in stats.GROUPS for k in group]
    rows = {code: _cells(row) for code, row in re.findall(r'<tr[^>]*data-area="(\w+)">(.*?)</tr>', table)}
    a1, a2, total = rows["37080101"], rows["37080102"], rows["total"]
    col = {k: i for i, k in enumerate(keys)}
    # Rates are percentages, written like the other modules' (and the reports'): 100.0%, 50.0%, 0.0%.
    assert a1[col["org_rate"]] == "100.0%" and a1[col["work_rate"]] == "50.0%" and a2[col["org_rate"]] == "0.0%"
    assert all(c.endswith("%") or c == "—" for r in rows.values() for k, c in zip(keys, r, strict=True)
               if k.endswith("_rate"))
    # The total row: counts are the rows' sums; rates are recomputed from the total counts, not summed.
    for key in ("firms", "org_covered", "work_covered", "meets_rule", "visits", "visits_due", "visits_on_time",
                "closeouts_opened", "closeouts_closed", "closeouts_open"):
        assert int(total[col[key]]) == int(a1[col[key]]) + int(a2[col[key]]), key
    firms, covered = int(total[col["firms"]]), int(total[col["org_covered"]])
    assert total[col["org_rate"]] == f"{round(covered * 100 / firms, 1)}%" == "66.7%"
    assert total[col["work_rate"]] == f"{round(int(total[col['work_covered']]) * 100 / firms, 1)}%"
    assert int(total[col["instructors"]]) == 1  # the same instructor counted once
    assert stats.total(world.users["org_department"], [], today(), today()) == {}
