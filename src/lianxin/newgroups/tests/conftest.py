import pytest
from django.utils import translation

from lianxin.newgroups import services


@pytest.fixture(autouse=True)
def _english():
    """The tests match the English source messages; the default language is Simplified Chinese."""
    with translation.override("en"):
        yield


@pytest.fixture
def firms(world):
    """The world's marked firms' profiles, by community code."""
    return world.samples["newgroups.firmprofile"]


@pytest.fixture
def joint_branch(world):
    """A joint branch of county A's express committee, anchored at town A1 (as the demo makes them)."""
    from lianxin.orgs import services as orgs

    return orgs.create_org(actor=None, parent=world.orgs["industry-370801"], kind="branch", name="甲一镇快递联合党支部",
                           area=world.areas["37080101"], industry="express")


def own_branch(firm, name="自有党支部"):
    from lianxin.orgs import services as orgs

    return orgs.create_org(actor=None, parent=firm.org, kind="branch", name=f"{firm.name}{name}", area=firm.org.area)


def set_members(firm, n):
    return services.update_profile(firm, actor=None, formal_members=n)
