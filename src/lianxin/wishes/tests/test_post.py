"""Staff post a micro-wish on a retiree's or resident's behalf through the form; the ledger in Excel."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lianxin.care import services as care
from lianxin.cases.models import Case, Category
from lianxin.people import services as people
from lianxin.wishes.seed import CLASS_CODE

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def retiree(world):
    person = people.create_person(actor=None, name="张奶奶", area=world.areas["3708010101-G"])
    return care.create_retiree(actor=None, person=person)


def test_staff_post_a_wish_for_a_retiree_once(world, client, retiree):
    staff = login(client, world.users["community_staff"])
    page = staff.get(reverse("wishes:post"))
    assert page.status_code == 200 and "张奶奶" in page.content.decode()
    cat = Category.objects.get(full_code=f"{CLASS_CODE}01")
    data = {"retiree": retiree.pk, "category": cat.pk, "title": "一台收音机", "description": "喜欢听戏",
            "key": "w-1"}
    response = staff.post(reverse("wishes:post"), data)
    case = Case.objects.get(type="wish")
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.area == retiree.person.area and case.reporter == world.users["community_staff"]
    assert "张奶奶" in case.description and "张奶奶" not in case.title
    staff.post(reverse("wishes:post"), data)  # the form sent twice: still one wish
    assert Case.objects.filter(type="wish").count() == 1
    assert reverse("wishes:post") in staff.get(reverse("wishes:board")).content.decode()


def test_post_for_a_resident_and_bad_input(world, client):
    staff = login(client, world.users["community_staff"])
    cat = Category.objects.get(full_code=f"{CLASS_CODE}02")
    page = staff.post(reverse("wishes:post"), {"category": cat.pk, "title": "陪同就医", "key": "w-2"})
    assert page.status_code == 200 and "Choose a retiree or give the resident" in page.content.decode()
    page = staff.post(reverse("wishes:post"), {"category": cat.pk, "title": "陪同就医", "beneficiary": "李大爷",
                                               "area": world.areas["3708020101"].code, "key": "w-3"})
    assert "There is no area with this code in your scope." in page.content.decode()
    # The other community of the same town is in view but not the poster's own: the service refuses it.
    page = staff.post(reverse("wishes:post"), {"category": cat.pk, "title": "陪同就医", "beneficiary": "李大爷",
                                               "area": world.areas["3708010102"].code, "key": "w-4"})
    assert not Case.objects.filter(type="wish").exists()
    response = staff.post(reverse("wishes:post"), {"category": cat.pk, "title": "陪同就医", "beneficiary": "李大爷",
                                                   "area": world.areas["3708010101"].code, "key": "w-5"})
    assert response.status_code == 302 and Case.objects.get(type="wish").area == world.areas["3708010101"]


def test_only_posting_roles_open_the_form(world, client):
    for role in ("resident", "grid_worker", "county_staff"):
        assert login(client, world.users[role]).get(reverse("wishes:post")).status_code == 403, role
        client.logout()


def test_wish_ledger_in_excel_is_scoped(world, client, retiree):
    from lianxin.wishes import services

    cat = Category.objects.get(full_code=f"{CLASS_CODE}01")
    services.post_wish(actor=world.users["community_staff"], category=cat, title="一副老花镜",
                       area=world.areas["3708010101"])
    rows = lambda user: list(load_workbook(io.BytesIO(  # noqa: E731
        login(client, user).get(reverse("wishes:export")).content)).worksheets[0].iter_rows(values_only=True))
    assert [r[1] for r in rows(world.users["town_staff"])[1:]] == ["一副老花镜"]
    assert rows(world.users["department_handler"])[1:] == []
