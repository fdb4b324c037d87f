"""The wish views: odd digits on the claim form, the board's and the export's query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lianxin.cases.models import Category
from lianxin.wishes import services
from lianxin.wishes.seed import CLASS_CODE

from .test_wishes import HOME, posted, vol  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("bad", ["²", "9" * 40])
def test_claim_with_odd_digits_is_not_found(world, vol, posted, client, bad):  # noqa: F811
    case = posted()
    client.force_login(vol["home"], backend="django.contrib.auth.backends.ModelBackend")
    assert client.post(reverse("wishes:claim"), {"case": bad}).status_code == 404
    response = client.post(reverse("wishes:claim"), {"case": case.pk, "version": bad})
    assert response.status_code < 500


def _wishes(world, n, start=0):
    cat = Category.objects.get(full_code=f"{CLASS_CODE}01")
    for i in range(start, start + n):
        services.post_wish(actor=world.users["community_staff"], category=cat, title=f"心愿 {i}",
                           area=world.areas[f"{HOME}-G"])


@pytest.mark.parametrize("route", ["wishes:board", "wishes:export"])
def test_board_and_export_queries_do_not_grow_with_the_wishes(world, client, route):
    client.force_login(world.users["community_staff"], backend="django.contrib.auth.backends.ModelBackend")

    def count():
        with CaptureQueriesContext(connection) as q:
            assert client.get(reverse(route)).status_code == 200
        return len(q)

    _wishes(world, 2)
    few = count()
    _wishes(world, 5, start=2)
    assert count() == few
