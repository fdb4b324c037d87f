import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lianxin.cases import patrol
from lianxin.cases.models import Case, Category, Patrol

pytestmark = pytest.mark.django_db


def test_patrol_finding_becomes_a_case_in_one_step(world, u, persona_client, cat):
    client = persona_client("grid_worker")
    grid = world.areas["3708010101-G"]
    client.post(reverse("cases:patrol_start"), {"grid": grid.pk})
    p = Patrol.objects.get(worker=u["grid_worker"], ended_at__isnull=True)
    before = Case.objects.count()
    client.post(reverse("cases:patrol_finding", args=[p.pk]),
                {"category": cat.pk, "title": "路边垃圾", "key": "k1"})
    client.post(reverse("cases:patrol_finding", args=[p.pk]),
                {"category": cat.pk, "title": "路边垃圾", "key": "k1"})  # a retried submission
    assert Case.objects.count() == before + 1
    case = Case.objects.latest("pk")
    assert case.source == "patrol" and case.area == grid and case.reporter == u["grid_worker"]
    assert case.title in client.get(reverse("cases:patrol")).content.decode()
    client.post(reverse("cases:patrol_end", args=[p.pk]), {"note": "沿主街巡查"})
    assert Patrol.objects.get(pk=p.pk).ended_at is not None


def test_patrol_rules(world, u, cat):
    with pytest.raises(ValidationError):
        patrol.start_patrol(worker=u["grid_worker"], grid=world.areas["3708010102-G"])  # not their grid
    p = patrol.start_patrol(worker=u["grid_worker"], grid=world.areas["3708010101-G"])
    with pytest.raises(ValidationError):
        patrol.start_patrol(worker=u["grid_worker"], grid=world.areas["3708010101-G"])
    with pytest.raises(ValidationError):
        patrol.record_finding(p, worker=u["community_staff"], category=cat, title="x")
    patrol.end_patrol(p, worker=u["grid_worker"])
    with pytest.raises(ValidationError):
        patrol.record_finding(p, worker=u["grid_worker"], category=Category.objects.get(full_code="0102"), title="x")
