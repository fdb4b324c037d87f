"""The audit trail of people: who changed what, personal numbers masked, reveals recorded."""

import json

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import translation

from lianxin.core import pii
from lianxin.people import services as people
from lianxin.people.models import Person
from lianxin.testing import PASSWORD

pytestmark = pytest.mark.django_db

PHONE, PHONE2 = "13812345678", "15987654321"


def an_id(born="19800101", seq="321") -> str:
    first17 = f"370811{born}{seq}"
    return first17 + pii.id_check_char(first17)


ID1, ID2 = an_id(), an_id("19900215", "456")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def entries(obj):
    return list(LogEntry.objects.get_for_object(obj).order_by("timestamp", "pk"))


def everything_logged() -> str:
    """Every audit column that could hold a value, as text."""
    rows = LogEntry.objects.values_list("changes", "changes_text", "serialized_data", "object_repr", "additional_data")
    return json.dumps([list(r) for r in rows], ensure_ascii=False, default=str)


def assert_no_full_numbers(*numbers):
    text = everything_logged()
    for n in numbers:
        assert n not in text


def test_create_update_delete_are_audited_with_actor_and_masked_numbers(world):
    admin = world.users["administrator"]
    area = world.areas["3708010101-G"]
    person = people.create_person(actor=admin, name="Wang Wu", area=area, kinds=["resident"],
                                  phone=PHONE, id_number=ID1)
    (created,) = entries(person)
    assert created.action == LogEntry.Action.CREATE
    assert created.actor == admin
    changes = created.changes_dict
    assert changes["name"] == ["None", "Wang Wu"]
    assert changes["phone"][1] == pii.mask_mobile(PHONE)
    assert changes["id_number"][1] == pii.mask_id_number(ID1)
    assert "updated_at" not in changes

    people.update_person(person, actor=admin, name="Wang Wu Jr", phone=PHONE2, id_number=ID2, notes="moved")
    update = entries(person)[-1]
    assert update.action == LogEntry.Action.UPDATE
    assert update.actor == admin
    changes = update.changes_dict
    assert changes["name"] == ["Wang Wu", "Wang Wu Jr"]
    assert changes["notes"] == ["", "moved"]
    assert changes["phone"] == [pii.mask_mobile(PHONE), pii.mask_mobile(PHONE2)]
    assert changes["id_number"] == [pii.mask_id_number(ID1), pii.mask_id_number(ID2)]
    assert changes["birth_date"] == ["1980-01-01", "1990-02-15"]  # follows the new ID number

    # an update touching nothing personal does not mention the numbers
    people.update_person(person, actor=admin, is_party_member=True)
    assert set(entries(person)[-1].changes_dict) == {"is_party_member"}

    pk = person.pk
    people.delete_person(person, actor=admin)
    deleted = LogEntry.objects.filter(object_pk=str(pk), action=LogEntry.Action.DELETE,
                                      content_type__model="person").get()
    assert deleted.actor == admin
    assert deleted.changes_dict["phone"][0] == pii.mask_mobile(PHONE2)
    assert_no_full_numbers(PHONE, PHONE2, ID1, ID2)


def test_kinds_are_audited_too(world):
    admin = world.users["administrator"]
    person = people.create_person(actor=admin, name="Zhao Liu", area=world.areas["3708010101-G"], kinds=["rider"])
    people.update_person(person, actor=admin, kinds=["volunteer"])
    tag_entries = LogEntry.objects.filter(content_type__model="persontag", actor=admin)
    assert {e.action for e in tag_entries} == {LogEntry.Action.CREATE, LogEntry.Action.DELETE}


def test_writes_without_an_actor_are_system_entries(world):
    person = people.create_person(actor=None, name="Seeded", area=world.areas["3708010101-G"], phone=PHONE)
    (entry,) = entries(person)
    assert entry.actor is None


def test_actor_from_a_request_is_kept_inside_services(world, persona_client):
    """People edited through the web, twice in a row: each entry names the signed-in user."""
    staff = world.users["community_staff"]
    person = world.people["3708010101"]
    client = persona_client("community_staff")
    for name in ("Renamed by staff", "Renamed again"):
        response = client.post(reverse("people:edit", args=[person.pk]), {
            "name": name, "area": person.area_id, "org": person.org_id, "kinds": ["rider"],
        })
        assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert person.name == "Renamed again"
    assert person.phone == world.people["3708010101"].phone  # an empty field keeps the stored number
    first, second = entries(person)[-2:]
    assert first.actor == staff and second.actor == staff
    assert first.changes_dict["name"] == [f"居民 {world.marker('3708010101')}", "Renamed by staff"]
    assert second.changes_dict["name"] == ["Renamed by staff", "Renamed again"]


def test_consecutive_service_calls_by_the_same_actor_are_all_attributed(world):
    admin = world.users["administrator"]
    area = world.areas["3708010101-G"]
    a = people.create_person(actor=admin, name="First", area=area)
    b = people.create_person(actor=admin, name="Second", area=area)
    people.update_person(a, actor=admin, notes="x")
    assert [e.actor for e in entries(a) + entries(b)] == [admin, admin, admin]


def test_reveal_writes_an_access_entry(world):
    admin = world.users["administrator"]
    person = people.create_person(actor=admin, name="Sun Qi", area=world.areas["3708010101-G"], phone=PHONE,
                                  id_number=ID1)
    assert people.reveal(person, actor=admin, field="phone") == PHONE
    assert people.reveal(person, actor=admin, field="id_number") == ID1
    access = [e for e in entries(person) if e.action == LogEntry.Action.ACCESS]
    assert len(access) == 2
    assert all(e.actor == admin for e in access)
    assert [e.changes_dict["revealed"][0] for e in access] == ["phone", "id_number"]
    with pytest.raises(ValueError):
        people.reveal(person, actor=admin, field="notes")
    assert_no_full_numbers(PHONE, ID1)


def test_history_page_is_for_administrators(world, persona_client, client):
    admin = world.users["administrator"]
    person = world.people["3708010101"]
    people.update_person(person, actor=admin, name="Audited Name", id_number=ID1)
    people.reveal(person, actor=admin, field="id_number")
    url = reverse("people:history", args=[person.pk])

    admin_client = persona_client("administrator")
    admin_client.cookies["django_language"] = "en"
    response = admin_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Audited Name" in html
    assert admin.display_name in html
    assert pii.mask_id_number(ID1) in html
    assert ID1 not in html
    assert person.phone not in html

    client.logout()
    staff = persona_client("community_staff")  # the person is in their area, but history is not theirs
    assert staff.get(reverse("people:detail", args=[person.pk])).status_code == 200
    assert staff.get(url).status_code == 403
    sibling = world.people["3708010102"]
    assert staff.get(reverse("people:history", args=[sibling.pk])).status_code == 404


def test_history_page_needs_login(world, client):
    response = client.get(reverse("people:history", args=[world.people["3708010101"].pk]))
    assert response.status_code == 302


def test_password_hash_is_not_audited(world):
    from lianxin.accounts import services as accounts

    person = Person.objects.create(name="New staff", area=world.areas["370801"])
    user = accounts.create_account(actor=world.users["administrator"], username="newstaff", person=person,
                                   area=world.areas["370801"], password=PASSWORD)
    (entry,) = LogEntry.objects.get_for_object(user)
    assert "password" not in entry.changes_dict
    assert user.password not in everything_logged()
