"""The "六个一" retirement checklist and the liaison roster per unit."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lianxin.accounts import services as accounts
from lianxin.care import services as care
from lianxin.care.models import Liaison, RetirementItem, RetirementStep
from lianxin.people import services as people
from lianxin.testing import PASSWORD

from .conftest import at

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.cookies["django_language"] = "en"
    return client


def test_checklist(world, client, retiree, travel):
    travel(at(2026, 3, 10))
    r = retiree()
    login(client, world.users["community_staff"])
    client.post(reverse("care:steps", args=[r.pk]), {"item": "talk", "done_on": "2026-03-01"})
    client.post(reverse("care:steps", args=[r.pk]), {"item": "talk", "done_on": "2026-03-02", "note": "again"})
    client.post(reverse("care:steps", args=[r.pk]), {"item": "ceremony"})
    steps = {s.item: s.done_on.isoformat() for s in RetirementStep.objects.filter(retiree=r)}
    assert steps == {"talk": "2026-03-02", "ceremony": "2026-03-10"}
    page = client.get(reverse("care:detail", args=[r.pk])).content.decode()
    assert "A reminder talk · 2026-03-02" in page
    with pytest.raises(ValidationError):
        care.mark_step(r, item="nonsense", actor=None)
    with pytest.raises(ValidationError):
        care.mark_step(r, item="notice", actor=None, done_on=at(2026, 3, 11).date())


def test_the_six_items_are_those_of_the_procedure():
    assert [v for v, _label in RetirementItem.choices] == ["notice", "ceremony", "service", "venue", "role", "talk"]


def test_liaison_sees_the_units_retirees_and_marks_their_steps(world, client, retiree, travel):
    """A liaison granted at a unit reaches that unit's retirees wherever they live, and only those."""
    travel(at(2026, 3, 10))
    unit, other_unit = world.orgs["firm-3708010101"], world.orgs["firm-3708010102"]
    ours, theirs = retiree("3708010201", unit=unit, retirement_date=at(2026, 1, 31).date()), retiree(unit=other_unit)
    long_ago = retiree(unit=unit, retirement_date=at(2010, 6, 30).date())
    person = people.create_person(actor=None, name="联络员 乙", area=world.areas["3708010101"])
    liaison = accounts.create_account(actor=None, username="liaison_a", person=person, area=unit.area,
                                      password=PASSWORD, grants=[("liaison", {"org": unit})])
    login(client, liaison)
    page = client.get(reverse("care:liaison_mine"))
    assert page.status_code == 200
    # The checklist for those retired lately; the others of the unit by name only.
    assert [row["retiree"] for row in page.context["rows"]] == [ours]
    assert page.context["others"] == [long_ago]
    assert client.get(reverse("care:detail", args=[ours.pk])).status_code == 200
    assert client.get(reverse("care:detail", args=[theirs.pk])).status_code == 404
    response = client.post(reverse("care:steps", args=[ours.pk]),
                           {"item": "notice", "done_on": "2026-03-09", "next": reverse("care:liaison_mine")})
    assert response.status_code == 302 and response["Location"].startswith(reverse("care:liaison_mine"))
    assert RetirementStep.objects.get(retiree=ours).item == "notice"
    assert client.post(reverse("care:steps", args=[theirs.pk]), {"item": "notice"}).status_code == 404
    # Seeing is not changing: the liaison may not edit the profile or re-assign.
    assert client.get(reverse("care:edit", args=[ours.pk])).status_code == 403
    response = client.post(reverse("care:assign", args=[ours.pk]), {"role": "care_cadre", "username": "x"})
    assert response.status_code == 403
    assert "1 / 6" in client.get(reverse("care:liaison_mine")).content.decode()
    # The unit's page shows the checklist of each of its retirees.
    client.logout()
    page = login(client, world.users["county_staff"]).get(reverse("care:unit", args=[unit.pk])).content.decode()
    assert "✔ 2026-03-09" in page and ours.name in page


def test_liaison_roster(world, client):
    unit = world.orgs["firm-3708010101"]
    liaison = people.create_person(actor=None, name="联络员 甲", area=world.areas["3708010101"], phone="13700000001")
    staff = login(client, world.users["county_staff"])
    response = staff.post(reverse("care:liaison_change", args=[unit.pk]), {"phone": "13700000001"})
    assert response.status_code == 302
    assert Liaison.objects.get().person == liaison
    page = staff.get(reverse("care:liaisons")).content.decode()
    assert "联络员 甲" in page and reverse("care:unit", args=[unit.pk]) in page
    staff.post(reverse("care:liaison_change", args=[unit.pk]), {"end": Liaison.objects.get().pk})
    assert Liaison.objects.get().ended_on is not None
    # The other county's unit is out of reach.
    other = world.orgs["firm-3708020101"]
    assert staff.post(reverse("care:liaison_change", args=[other.pk]), {"phone": "13700000001"}).status_code == 404


def test_health_event_covers_retirees_of_its_area(world, client, retiree, travel):
    travel(at(2026, 3, 10))
    here, there = retiree(), retiree("3708010201")
    staff = login(client, world.users["community_staff"])
    response = staff.post(reverse("care:health_event_create"), {
        "kind": "checkup", "title": "春季体检", "held_on": "2026-03-09", "area": "3708010101",
        "organiser": "县医院"})
    assert response.status_code == 302
    from lianxin.care.models import HealthEvent

    event = HealthEvent.objects.get(title="春季体检")
    staff.post(reverse("care:health_event_cover", args=[event.pk]), {"retiree": [here.pk, there.pk]})
    assert list(event.retirees.all()) == [here]  # the other community's retiree is not in scope
    # The sibling town's area cannot be chosen.
    response = staff.post(reverse("care:health_event_create"), {
        "kind": "clinic", "title": "义诊", "held_on": "2026-03-09", "area": "3708010201"})
    assert response.status_code == 200 and not HealthEvent.objects.filter(title="义诊").exists()
    county = login(client, world.users["county_staff"])
    row = next(r for r in county.get(reverse("care:stats"), {"period": "quarter"}).context["rows"]
               if r["area"].code == "370801")
    assert row["covered"] == 1
