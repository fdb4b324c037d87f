from datetime import timedelta

import pytest


@pytest.fixture
def reviewer(world):
    """An account holding the reviewer role at county A (370801)."""
    from lianxin.accounts import services as accounts
    from lianxin.people import services as people

    county = world.areas["370801"]
    person = people.create_person(actor=None, name="审核员", area=county, kinds=["staff"])
    return accounts.create_account(actor=None, username="t_reviewer", person=person, area=county,
                                   grants=[("learning_reviewer", {"area": county})])


@pytest.fixture
def make_item(world):
    """``make_item(title=..., body=..., **fields)``: a county-A draft article."""
    from lianxin.learning import services
    from lianxin.learning.models import Category

    def make(title="学习党史故事", body="<p>今天我们学习党史故事，传承红色基因。</p>", **fields):
        values = {"kind": "article", "category": Category.objects.get(code="history"), "level": "county",
                  "area": world.areas["370801"], **fields}
        return services.create_item(actor=None, title=title, body=body, **values)

    return make


@pytest.fixture
def published(make_item):
    """``published(**fields)``: an item through review, published an hour ago."""
    from lianxin.core import clock
    from lianxin.learning import services

    def make(**fields):
        item = make_item(**fields)
        services.submit(item, actor=None)
        return services.publish(item, actor=None, at=clock.now() - timedelta(hours=1))

    return make


@pytest.fixture
def reader(world):
    """A retired party member of the community 甲一社区 (3708010101) in a branch, with an account."""
    from lianxin.accounts import services as accounts
    from lianxin.orgs import services as orgs
    from lianxin.people import services as people
    from lianxin.testing import PASSWORD

    area = world.areas["3708010101"]
    branch = orgs.create_org(actor=None, parent=world.orgs["committee"], kind="branch", name="甲一社区离退休党支部",
                             area=area)
    person = people.create_person(actor=None, name="王秀英", area=world.areas["3708010101-G"], org=branch,
                                  kinds=["retired_cadre"], is_party_member=True)
    user = accounts.create_account(actor=None, username="t_reader", person=person, area=area, password=PASSWORD,
                                   grants=[("resident", {"area": area})])
    user.branch = branch
    return user
