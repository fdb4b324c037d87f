"""Festival group visits (group_views): the list's query count does not grow with the groups."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .conftest import at

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.cookies["django_language"] = "en"
    return client


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
