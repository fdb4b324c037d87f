import pytest


@pytest.fixture
def tiers():
    from lianxin.talent.models import Tier

    return {t.code: t for t in Tier.objects.all()}


@pytest.fixture
def make_talent(world, tiers):
    """``make_talent(code="3708010101", tier="high_level", **fields)``: a new person registered as a talent."""
    from lianxin.people import services as people
    from lianxin.talent import services

    counter = iter(range(1000))

    def make(code="3708010101", tier="high_level", name=None, **fields):
        n = next(counter)
        person = people.create_person(actor=None, name=name or f"专家{n}", area=world.areas[code], kinds=["expert"])
        fields.setdefault("employer", world.orgs[f"firm-{code}"])
        return services.create_talent(actor=None, person=person, tier=tiers[tier], **fields)

    return make


@pytest.fixture(autouse=True)
def _english():
    """Service messages in English, so that tests may match them (pages follow the request's language)."""
    from django.utils import translation

    with translation.override("en"):
        yield
