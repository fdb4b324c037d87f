"""The care ledgers in Excel (ledgers.py): the query count of an export does not grow with its rows."""

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
