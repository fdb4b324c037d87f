"""The 双报到 service board and its POST handlers (service_views): the query count, bad input."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lianxin.cases.models import Category
from lianxin.workforce import services

from .conftest import HOME


def _needs(world, reg, n, start=0):
    staff, resident = world.users["community_staff"], world.accounts[HOME]
    category = Category.objects.get(full_code="3101")
    for i in range(start, start + n):
        area = world.areas[f"{HOME}-G"] if i % 2 else world.areas[HOME]
        out = services.post_need(actor=resident, category=category, title=f"需求 {i}", area=area,
                                 idempotency_key=f"need-{i}")
        if i % 3 == 0:
            services.assign_service(out.case, actor=staff, registration=reg)


def _board_queries(client):
    with CaptureQueriesContext(connection) as q:
        response = client.get(reverse("workforce:services") + "?stage=all")
    assert response.status_code == 200
    return len(q)


@pytest.mark.django_db
def test_service_board_queries_do_not_grow_with_the_rows(world, login, member):
    client = login(world.users["community_staff"])
    reg = services.register(actor=world.users["community_staff"], kind="member", area=world.areas[HOME],
                            person=member, services="助老")
    _needs(world, reg, 3)
    few = _board_queries(client)
    _needs(world, reg, 6, start=3)
    assert _board_queries(client) == few


@pytest.mark.django_db
def test_service_assign_with_odd_digits_is_refused_quietly(world, login):
    case = services.post_need(actor=world.accounts[HOME], category=Category.objects.get(full_code="3101"),
                              title="帮忙取药", area=world.areas[HOME], idempotency_key="need-x").case
    client = login(world.users["community_staff"])
    for bad in ("²", "9" * 40):
        response = client.post(reverse("workforce:service_assign", args=[case.pk]), {"registration": bad})
        assert response.status_code == 302
