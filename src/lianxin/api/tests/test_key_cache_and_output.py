"""What the intake's speed rests on stays exact: a cached API key follows revocation, deactivation and grants,
and the serializers' once-built fields give what DRF itself gives."""

import pytest
from rest_framework import serializers

from lianxin.api import models as api_models
from lianxin.api.models import ApiKey
from lianxin.api.rest.serializers import CaseDetailSerializer, CaseSerializer, EventSerializer
from lianxin.cases.models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def keyed(client, world):
    _key, raw = ApiKey.issue(owner=world.users["community_staff"], name="cached")
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {raw}"
    assert client.get("/api/cases/").status_code == 200  # now cached in this process
    return client, _key


def test_revoking_here_is_seen_at_once(keyed):
    client, key = keyed
    key.revoke()
    assert client.get("/api/cases/").status_code == 401


def test_a_deactivated_owner_or_a_removed_grant_is_seen_at_once(keyed, world):
    client, key = keyed
    case = world.cases["3708010101"]
    assert client.get(f"/api/cases/{case.pk}/").status_code == 200
    key.owner.grants.all().delete()
    assert client.get(f"/api/cases/{case.pk}/").status_code == 404
    key.owner.is_active = False
    key.owner.save()
    assert client.get("/api/cases/").status_code == 401


def test_revoking_in_another_process_is_seen_within_the_cache_time(keyed, monkeypatch):
    client, key = keyed
    ApiKey.objects.filter(pk=key.pk).update(is_active=False)  # no signal reaches this process
    assert client.get("/api/cases/").status_code == 200
    monkeypatch.setattr(api_models, "KEY_CACHE_SECONDS", 0)
    assert client.get("/api/cases/").status_code == 401


@pytest.mark.parametrize("serializer", [CaseSerializer, CaseDetailSerializer])
def test_fields_built_once_give_what_drf_gives(world, serializer):
    case = Case.objects.select_related("category__parent", "area", "lead_org", "reporter").get(
        pk=world.cases["3708010101"].pk)
    context = {"events": [], "moves": ["accept"], "hide_reporter": False}
    ours = serializer(case, context=context).data
    drf = serializers.ModelSerializer.to_representation(serializer(case, context=context), case)
    assert dict(ours) == dict(drf) and ours["available_moves" if serializer is CaseDetailSerializer else "id"]


def test_event_fields_built_once_give_what_drf_gives(world):
    event = world.cases["3708010101"].events.first()
    row = {"kind": event.kind, "label": "上报", "at": event.at, "from_stage": "", "to_stage": event.to_stage,
           "note": "", "actor": None}
    assert dict(EventSerializer(row).data) == dict(serializers.Serializer.to_representation(EventSerializer(row), row))
