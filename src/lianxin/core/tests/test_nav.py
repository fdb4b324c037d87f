"""The menu's shape: each role's most used screens first, grouped by domain beyond a few entries."""

import pytest
from django.urls import reverse

from lianxin.core.nav import FLAT_MENU_MAX, entries_for

pytestmark = pytest.mark.django_db


def names(user):
    return [e.name for e in entries_for(user)]


def test_each_role_sees_its_most_used_screen_first(world):
    assert names(world.users["community_staff"])[:2] == ["home", "cases"]
    assert names(world.users["grid_worker"])[:3] == ["home", "tasks", "report"]
    assert names(world.users["resident"])[:3] == ["home", "report", "my_reports"]
    assert names(world.users["station_manager"])[:2] == ["home", "stations"]
    assert names(world.users["org_department"])[:2] == ["home", "reports_figures"]


def test_residents_see_their_own_screens_in_one_row(world, persona_client):
    resident = names(world.users["resident"])
    assert len(resident) <= FLAT_MENU_MAX
    assert not {"cases", "case_map", "people", "accounts"} & set(resident)
    page = persona_client("resident").get(reverse("core:home"))
    assert page.context["menu"]["groups"] == [] and len(page.context["menu"]["items"]) == len(resident)


def test_staff_menu_has_domains_and_the_current_domains_pages(world, persona_client):
    menu = persona_client("community_staff").get(reverse("cases:map")).context["menu"]
    codes = [g["code"] for g in menu["groups"]]
    assert codes[:2] == ["work", "cases"] and len(codes) == len(set(codes))
    current = [g for g in menu["groups"] if g["active"]]
    assert [g["code"] for g in current] == ["cases"]
    assert [i["entry"].name for i in menu["items"] if i["active"]] == ["case_map"]
    assert all(i["entry"].group == "cases" for i in menu["items"])
    assert menu["groups"][1]["url"] == reverse("cases:board")  # a domain opens on its first entry
