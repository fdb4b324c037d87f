"""Regressions found in review: bad ids on POST handlers, the festival-visit list's query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lianxin.care import services as care
from lianxin.care.models import Liaison
from lianxin.people import services as people

from .conftest import at

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.parametrize("bad", ["abc", "²", "9" * 40])
def test_ending_a_liaison_with_a_bad_id_is_refused_quietly(world, client, bad):
    unit = world.orgs["firm-3708010101"]
    person = people.create_person(actor=None, name="联络员 乙", area=world.areas["3708010101"], phone="13700000002")
    care.add_liaison(unit, person=person, actor=None)
    response = login(client, world.users["county_staff"]).post(reverse("care:liaison_change", args=[unit.pk]),
                                                               {"end": bad})
    assert response.status_code == 302
    assert Liaison.objects.get().ended_on is None


def test_covering_with_odd_digits_is_refused_quietly(world, client):
    event = world.health_events["3708010101"]
    response = login(client, world.users["county_staff"]).post(
        reverse("care:health_event_cover", args=[event.pk]), {"retiree": ["²", "9" * 40]})
    assert response.status_code == 302


def test_festival_visit_list_queries_do_not_grow_with_the_groups(world, client, retiree, travel):
    travel(at(2026, 10, 8))
    retiree(empty_nest=True)
    retiree(empty_nest=True)
    staff = login(client, world.users["county_staff"])

    def add(n):
        data = {"occasion": "double_ninth", "title": f"重阳节走访 {n}", "area": "370801", "flags": ["empty_nest"],
                "start_on": "2026-10-08", "due_on": "2026-10-17", "key": f"g-{n}"}
        assert staff.post(reverse("care:group_create"), data).status_code == 302

    def queries():
        with CaptureQueriesContext(connection) as q:
            page = staff.get(reverse("care:groups"))
        assert page.status_code == 200
        return len(q), page.content.decode()

    add(1)
    few, _page = queries()
    for n in range(2, 6):
        add(n)
    many, page = queries()
    assert many == few
    assert page.count("0 / 2") == 5


@pytest.mark.parametrize("route", ["care:export_assignments", "care:export_obligations"])
def test_ledger_exports_queries_do_not_grow_with_the_rows(world, client, retiree, travel, route):
    travel(at(2026, 3, 10))
    staff = login(client, world.users["county_staff"])

    def count():
        with CaptureQueriesContext(connection) as q:
            assert staff.get(reverse(route)).status_code == 200
        return len(q)

    retiree()
    few = count()
    for _n in range(3):
        retiree()
    assert count() == few
