import pytest

from lianxin.cases import services
from lianxin.cases.models import Category


@pytest.fixture
def cat(db):
    from lianxin.testing import ensure_reference_data

    ensure_reference_data()
    return Category.objects.get(full_code="0102")  # exposed rubbish: handle within 1 working day


@pytest.fixture
def reported(world, cat):
    """A rider's report in community 3708010101 (located to its grid)."""

    def make(**kw):
        kw.setdefault("actor", world.users["resident"])
        kw.setdefault("category", cat)
        kw.setdefault("title", "路边垃圾堆积")
        kw.setdefault("lng", 116.05)
        kw.setdefault("lat", 35.2)
        return services.report(**kw).case

    return make


@pytest.fixture
def u(world):
    return world.users
