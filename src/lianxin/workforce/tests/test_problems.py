"""Problem collectors: cases reported by workers, credited to them and their firm, per county; the statistics."""

from datetime import timedelta

import pytest
from django.urls import reverse

from lianxin.cases import services as cases
from lianxin.cases.models import Category
from lianxin.core.clock import today
from lianxin.people import services as people
from lianxin.workforce import queries, services, stats
from lianxin.workforce.stats import FIGURES

from .conftest import HOME


def _worker_account(world, code, phone, party=False):
    person = people.create_person(actor=None, name=f"骑手{phone[-2:]}", area=world.areas[f"{code}-G"],
                                  kinds=["courier"], phone=phone, is_party_member=party)
    worker = services.create_worker(actor=None, person=person, org=world.orgs[f"firm-{code}"], is_collector=True)
    return worker, services.ensure_account(person, actor=None)


def _close(case, world):
    staff, handler = world.users["community_staff"], world.users["grid_worker"]
    case = cases.accept(case, actor=staff).case
    case = cases.dispatch(case, actor=staff, lead=handler).case
    case = cases.handler_accept(case, actor=handler).case
    case = cases.feedback(case, actor=handler, note="已处理").case
    return cases.verify(case, actor=staff, passed=True).case


@pytest.fixture
def dataset(world):
    """Worker A reports 3 (one accepted only, one closed as fixed), worker B reports 1, a resident 1."""
    pothole = Category.objects.get(full_code="0102")
    a, a_user = _worker_account(world, HOME, "13600000001", party=True)
    b, b_user = _worker_account(world, "3708010201", "13600000002")
    grid = world.areas[f"{HOME}-G"]
    reported = [cases.report(actor=a_user, category=pothole, title=f"A{i}", area=grid).case for i in range(3)]
    cases.accept(reported[0], actor=world.users["community_staff"])
    _close(reported[1], world)
    cases.report(actor=b_user, category=pothole, title="B0", area=world.areas["3708010201-G"])
    cases.report(actor=world.accounts[HOME], category=pothole, title="resident", area=grid)
    return a, b


@pytest.mark.django_db
def test_leaderboard_counts(world, dataset):
    a, b = dataset
    board = queries.leaderboard(world.users["county_staff"], today() - timedelta(days=1), today())
    assert [(r["pk"], r["reported"], r["accepted"], r["handled"]) for r in board["workers"]] == [
        (a.pk, 3, 2, 1), (b.pk, 1, 0, 0)]
    assert board["total"] == {"reported": 4, "accepted": 2, "handled": 1}
    assert [(r["name"], r["reported"], r["handled"]) for r in board["counties"]] == [("甲县", 4, 1)]
    firms = {r["name"]: (r["reported"], r["handled"]) for r in board["firms"]}
    assert firms == {a.org.name: (3, 1), b.org.name: (1, 0)}
    # Visibility: community staff of the home community see only their own community's cases.
    board = queries.leaderboard(world.users["community_staff"], today() - timedelta(days=1), today())
    assert [r["pk"] for r in board["workers"]] == [a.pk]
    # A period before anything happened is empty.
    assert not queries.leaderboard(world.users["county_staff"], today() - timedelta(days=30),
                                   today() - timedelta(days=20))["workers"]


@pytest.mark.django_db
def test_leaderboard_page_and_export(world, dataset, login):
    from io import BytesIO

    from openpyxl import load_workbook

    a, _b = dataset
    client = login(world.users["county_staff"])
    page = client.get(reverse("workforce:problems")).content.decode()
    assert reverse("workforce:detail", args=[a.pk]) in page
    response = client.get(reverse("workforce:problems_export"))
    wb = load_workbook(BytesIO(response.content))
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert rows[1][1:] == (a.person.name, a.org.name, 3, 2, 1)


@pytest.mark.django_db
def test_figures(world, dataset):
    a, _b = dataset
    county = world.areas["370801"]
    services.link_grid(a, actor=None, grid=world.areas[f"{HOME}-G"])
    start, end = today() - timedelta(days=1), today()
    got = stats.figures(world.users["county_staff"], [county, world.areas[HOME]], start, end)
    assert set(got) == {county.pk, world.areas[HOME].pk}
    c = got[county.pk]
    assert set(c) == {key for key, _label in FIGURES}
    assert (c["workers"], c["party_workers"], c["grid_workers"], c["collectors"]) == (5, 1, 1, 5)
    assert (c["org_registrations"], c["campaigns"], c["promoters"]) == (3, 3, 3)
    assert (c["problems_reported"], c["problems_handled"], c["appeals_handled"]) == (4, 1, 0)
    home = got[world.areas[HOME].pk]
    assert (home["workers"], home["problems_reported"]) == (2, 3)
    # The other county's records are not counted, even when asked for.
    other = stats.figures(world.users["county_staff"], [world.areas["370802"]], start, end)
    assert other[world.areas["370802"].pk]["workers"] == 0
    admin = stats.figures(world.users["administrator"], [world.areas["370802"]], start, end)
    assert admin[world.areas["370802"].pk]["workers"] == 1
