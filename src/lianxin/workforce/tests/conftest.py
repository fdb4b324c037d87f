import pytest

HOME, SIBLING, OTHER_TOWN, OTHER_COUNTY = "3708010101", "3708010102", "3708010201", "3708020101"


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        client.cookies["django_language"] = "en"
        return client

    return as_user


@pytest.fixture
def member(world):
    """A party-member rider of the home community with an account."""
    from lianxin.people import services as people
    from lianxin.workforce import services

    person = people.create_person(actor=None, name="党员骑手", area=world.areas[f"{HOME}-G"], kinds=["rider"],
                                  phone="13700000001", is_party_member=True, org=world.orgs[f"firm-{HOME}"])
    services.ensure_account(person, actor=None)
    return person
