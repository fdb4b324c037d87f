"""Regressions found in review: the close-out history's words, the contact rule across the two trees, query
counts of the firm list and the firm page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lianxin.accounts import services as accounts
from lianxin.core import roles
from lianxin.newgroups import queries, services
from lianxin.orgs.models import Org
from lianxin.people import services as people
from lianxin.testing import PASSWORD

pytestmark = pytest.mark.django_db


def test_closeout_history_shows_the_moves_in_words(world, persona_client):
    item = world.samples["newgroups.closeoutitem"]["3708010101"]
    client = persona_client("industry_committee_staff")
    client.cookies["django_language"] = "en"
    page = client.get(reverse("newgroups:closeout", args=[item.pk])).content.decode()
    history = page.split('<ol class="timeline">')[1].split("</ol>")[0]
    assert "Reported" in history and "</strong> report " not in history


def test_contact_rule_compares_area_grants_with_areas_and_org_grants_with_orgs(world, firms, monkeypatch):
    """Area and org paths look alike (/1/5/): an area grant must not reach a firm through its org's path."""
    firm = firms["3708010101"]
    role = roles.ROLES["station_manager"]
    monkeypatch.setattr(role, "sees_personal_data", True)
    # An area whose path is a prefix of the firm's org path, but which is not above the firm's area: made so
    # (ids, hence paths, differ between databases).
    foreign = world.areas["3708020101"]
    Org.objects.filter(pk=firm.org_id).update(path=f"{foreign.path}{firm.org_id}/")
    firm.org.refresh_from_db()
    assert firm.org.path.startswith(foreign.path) and not firm.org.area.path.startswith(foreign.path)
    user = accounts.create_account(actor=None, username="u_foreign", person=None, area=foreign, password=PASSWORD,
                                   grants=[("station_manager", {"area": foreign})])
    assert not queries.may_see_contact(user, firm)
    home = accounts.create_account(actor=None, username="u_home", person=None, area=firm.org.area,
                                   password=PASSWORD, grants=[("station_manager", {"area": firm.org.area})])
    assert queries.may_see_contact(home, firm)


def _instructor(world, n):
    person = people.create_person(actor=None, name=f"指导员 {n}", area=world.areas["370801"])
    return accounts.create_account(actor=None, username=f"inst_{n}", person=person, area=world.areas["370801"],
                                   password=PASSWORD, grants=[("instructor", {"org": world.orgs["industry-370801"]})])


@pytest.mark.parametrize("route", ["list", "detail"])
def test_firm_pages_queries_do_not_grow_with_instructors(world, firms, persona_client, route):
    client = persona_client("administrator")
    home = firms["3708010101"]
    url = reverse("newgroups:firms") if route == "list" else reverse("newgroups:firm", args=[home.pk])

    def count():
        with CaptureQueriesContext(connection) as q:
            assert client.get(url).status_code == 200
        return len(q)

    services.assign_instructor(home, instructor=_instructor(world, 0), actor=None)
    few = count()
    for n, code in enumerate(("3708010102", "3708010201", "3708020101"), 1):
        firm = home if route == "detail" else firms[code]
        services.assign_instructor(firm, instructor=_instructor(world, n), actor=None)
    assert count() == few


def test_instructor_list_queries_do_not_grow_with_the_firms(world, firms, client):
    instructor = _instructor(world, 9)
    client.force_login(instructor, backend="django.contrib.auth.backends.ModelBackend")

    def count():
        with CaptureQueriesContext(connection) as q:
            page = client.get(reverse("newgroups:mine"))
        assert page.status_code == 200
        return len(q), page.content.decode()

    services.assign_instructor(firms["3708010101"], instructor=instructor, actor=None)
    few, _page = count()
    for code in ("3708010102", "3708010201"):
        services.assign_instructor(firms[code], instructor=instructor, actor=None)
    many, page = count()
    assert many == few
    assert page.count('id="firm-') == 3
