import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from lianxin.cases import services
from lianxin.cases.models import Case, Category, TimeLimit

pytestmark = pytest.mark.django_db


def _post(client, cat, **limits):
    data = {"name": cat.name, "name_en": cat.name_en, "acceptance_rule": cat.acceptance_rule,
            "default_unit_kind": cat.default_unit_kind, "duplicate_radius_m": 80, "is_public": "on", "is_active": "on"}
    for t in cat.limits.filter(level=""):
        data[f"{t.stage}-{t.urgency}-amount"] = str(t.amount)
        data[f"{t.stage}-{t.urgency}-unit"] = t.unit
    data.update(limits)
    return client.post(reverse("cases:config_category", args=[cat.pk]), data, follow=True)


def test_administrator_changes_a_limit_and_running_deadlines_stay(world, reported, u, persona_client, cat):
    running = reported()
    due = Case.objects.get(pk=running.pk).due_at
    admin = persona_client("administrator")
    assert admin.get(reverse("cases:config_categories")).status_code == 200
    response = _post(admin, cat, **{"accept-normal-amount": "8", "accept-normal-unit": "work_hours"})
    assert not [str(m) for m in response.context["messages"] if m.level_tag == "error"]
    limit = TimeLimit.objects.get(category=cat, stage="accept", urgency="normal", level="")
    assert float(limit.amount) == 8 and LogEntry.objects.get_for_object(limit).exists()
    assert Category.objects.get(pk=cat.pk).duplicate_radius_m == 80
    assert Case.objects.get(pk=running.pk).due_at == due  # a running deadline never moves
    fresh = services.report(actor=u["resident"], category=cat, title="x", lng=116.05, lat=35.2).case
    assert fresh.due_at > fresh.stage_started_at


def test_bad_limit_changes_nothing(world, persona_client, cat):
    before = list(TimeLimit.objects.filter(category=cat).values_list("stage", "urgency", "amount", "unit"))
    response = _post(persona_client("administrator"), cat, **{"accept-normal-amount": "abc"})
    assert any(m.level_tag == "error" for m in response.context["messages"])
    assert list(TimeLimit.objects.filter(category=cat).values_list("stage", "urgency", "amount", "unit")) == before
    assert Category.objects.get(pk=cat.pk).duplicate_radius_m != 80


def test_only_administrators_configure(world, persona_client, cat):
    assert persona_client("county_staff").get(reverse("cases:config_categories")).status_code == 403
    assert persona_client("community_staff").get(reverse("cases:config_category", args=[cat.pk])).status_code == 403
