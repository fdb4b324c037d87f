import pytest
from django.utils import translation

from lianxin.accounts import services as accounts
from lianxin.people import services as people
from lianxin.testing import PASSWORD

HOME = "3708010101"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def make_user(world, username, role, code=HOME):
    person = people.create_person(actor=None, name=f"书记{username[-2:]}", area=world.areas[code],
                                  kinds=["first_secretary"] if role == "first_secretary" else ["staff"])
    return accounts.create_account(actor=None, username=username, person=person, area=world.areas[code],
                                   password=PASSWORD, grants=[(role, {"area": world.areas[code]})])


@pytest.fixture
def secretary(world):
    """A first secretary with an account, in office at the home village (the world's term handed over to them)."""
    from lianxin.villages import services

    user = make_user(world, "fs_home_01", "first_secretary")
    term = world.samples["villages.secretaryterm"][HOME]
    services.hand_over(term, actor=None, secretary=user.person)
    return user


@pytest.fixture
def village(world):
    return world.areas[HOME]


@pytest.fixture
def categories():
    from lianxin.villages.models import MustVisitCategory

    return {c.code: c for c in MustVisitCategory.objects.all()}


@pytest.fixture
def questions():
    from lianxin.villages.models import MustAskQuestion

    return {q.code: q for q in MustAskQuestion.objects.all()}


def login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.cookies["django_language"] = "en"
    return client
