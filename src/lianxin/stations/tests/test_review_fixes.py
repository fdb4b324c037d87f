"""Regressions found in review: the public finder's query count, odd digits in the statistics' area."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_finder_queries_do_not_grow_with_the_stations(world, client, make_station):
    def count():
        with CaptureQueriesContext(connection) as q:
            assert client.get(reverse("stations:find")).status_code == 200
        return len(q)

    make_station("3708010101", name="驿站 1")
    few = count()
    for i, code in enumerate(("3708010102", "3708010201", "3708020101", "3708010101"), 2):
        make_station(code, name=f"驿站 {i}")
    assert count() == few


@pytest.mark.parametrize("bad", ["²", "9" * 40])
def test_statistics_with_an_odd_area_is_not_found(world, client, bad):
    client.force_login(world.users["administrator"], backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("stations:stats"), {"area": bad}).status_code == 404
    assert client.get(reverse("stations:checkins_export"), {"area": bad}).status_code == 404
