"""newgroups.queries: who may see a firm's contact numbers."""

import pytest

from lianxin.accounts import services as accounts
from lianxin.core import roles
from lianxin.newgroups import queries
from lianxin.orgs.models import Org
from lianxin.testing import PASSWORD

pytestmark = pytest.mark.django_db


def test_contact_rule_compares_area_grants_with_areas_and_org_grants_with_orgs(world, firms, monkeypatch):
    """Area and org paths look alike (/1/5/): an area grant must not reach a firm through its org's path."""
    firm = firms["3708010101"]
    role = roles.ROLES["station_manager"]
    monkeypatch.setattr(role, "sees_personal_data", True)
    # An area whose path is a prefix of the firm's org path, but which is not above the firm's area: made so
    # (ids, hence paths, differ between databases).
    foreign = world.areas["3708020101"]
    Org.objects.filter(pk=firm.org_id).update(path=f"{foreign.path}{firm.org_id}/")
    firm.org.refresh_from_db()
    assert firm.org.path.startswith(foreign.path) and not firm.org.area.path.startswith(foreign.path)
    user = accounts.create_account(actor=None, username="u_foreign", person=None, area=foreign, password=PASSWORD,
                                   grants=[("station_manager", {"area": foreign})])
    assert not queries.may_see_contact(user, firm)
    home = accounts.create_account(actor=None, username="u_home", person=None, area=firm.org.area,
                                   password=PASSWORD, grants=[("station_manager", {"area": firm.org.area})])
    assert queries.may_see_contact(home, firm)
