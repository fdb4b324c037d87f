import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lianxin.cases.models import Stage
from lianxin.newgroups import services
from lianxin.newgroups.models import CloseOutItem, Coverage, CoverageChange
from lianxin.orgs.models import Org

from .conftest import set_members

pytestmark = pytest.mark.django_db


def counts():
    return Org.objects.count(), CoverageChange.objects.count()


def test_world_items_are_cases_owned_by_the_town(world):
    item = world.samples["newgroups.closeoutitem"]["3708010101"]
    assert item.case.type == "closeout" and item.case.stage == Stage.ACCEPTED and item.case.due_at
    assert item.expected == "town" and item.owner_area == world.areas["37080101"] and item.owner_org is None
    assert item.case.area == world.areas["37080101"] and item.reason == "uncovered"


def test_open_is_idempotent_and_refused_when_the_rule_is_met(world, firms):
    item = world.samples["newgroups.closeoutitem"]["3708010101"]
    assert services.open_closeout(firms["3708010101"], actor=None) == item
    firm = set_members(firms["3708010102"], 3)
    item2 = CloseOutItem.objects.get(firm=firm, closed_on__isnull=True)
    services.close_with_evidence(item2, actor=None, new_branch="甲一村快递党支部")
    with pytest.raises(ValidationError, match="nothing to close out"):
        services.open_closeout(firm, actor=None)


def test_close_without_evidence_changes_nothing(world, firms):
    item = world.samples["newgroups.closeoutitem"]["3708010101"]
    before = counts()
    with pytest.raises(ValidationError, match="Give the evidence"):
        services.close_with_evidence(item, actor=world.users["industry_committee_staff"])
    item.refresh_from_db()
    assert item.closed_on is None and item.case.stage == Stage.ACCEPTED and counts() == before


def test_close_with_a_new_branch_needs_three_members(world, firms):
    item = world.samples["newgroups.closeoutitem"]["3708010101"]
    before = counts()
    with pytest.raises(ValidationError, match="at least 3"):
        services.close_with_evidence(item, actor=world.users["industry_committee_staff"], new_branch="新支部")
    assert counts() == before  # the branch created inside the move was rolled back
    assert not Org.objects.filter(name="新支部").exists()


def test_joint_branch_does_not_close_a_firm_that_needs_its_own(world, firms, joint_branch):
    firm = set_members(firms["3708010101"], 5)
    item = world.samples["newgroups.closeoutitem"]["3708010101"]
    before = counts()
    with pytest.raises(ValidationError, match="stays open"):
        services.close_with_evidence(item, actor=world.users["industry_committee_staff"], evidence_org=joint_branch)
    firm.refresh_from_db()
    item.refresh_from_db()
    assert firm.coverage == "none" and item.closed_on is None and counts() == before


def test_close_with_a_new_branch(world, firms):
    firm = set_members(firms["3708010101"], 3)
    item = world.samples["newgroups.closeoutitem"]["3708010101"]
    staff = world.users["industry_committee_staff"]
    services.close_with_evidence(item, actor=staff, new_branch="甲一快递党支部", note="已组建")
    item.refresh_from_db()
    firm.refresh_from_db()
    branch = Org.objects.get(name="甲一快递党支部")
    assert branch.parent == firm.org and branch.kind == "branch"
    assert item.evidence_org == branch and item.closed_on is not None
    assert item.case.stage == Stage.CLOSED and item.case.close_result == "fixed"
    assert item.case.events.filter(kind="closeout_evidence", actor=staff).exists()
    change = firm.coverage_changes.order_by("-pk").first()
    assert (change.before, change.after, change.covering_org, change.closeout) == ("none", "own", branch, item)
    assert firm.coverage == Coverage.OWN
    with pytest.raises(ValidationError, match="already closed"):
        services.close_with_evidence(item, actor=staff, new_branch="再一个")


def test_joint_closes_a_small_firm(world, firms, joint_branch):
    set_members(firms["3708010101"], 2)
    item = world.samples["newgroups.closeoutitem"]["3708010101"]
    services.close_with_evidence(item, actor=world.users["org_department"], evidence_org=joint_branch)
    item.refresh_from_db()
    assert item.closed_on and item.firm.coverage == "joint" and item.evidence_org == joint_branch


def test_only_roles_with_close_rights(world, firms, joint_branch):
    item = world.samples["newgroups.closeoutitem"]["3708010101"]
    with pytest.raises(PermissionDenied):
        services.close_with_evidence(item, actor=world.users["community_staff"], evidence_org=joint_branch)
    sibling = world.samples["newgroups.closeoutitem"]["3708020101"]
    with pytest.raises(PermissionDenied):
        services.close_with_evidence(sibling, actor=world.users["industry_committee_staff"], new_branch="x")


def test_close_page_post(world, firms, persona_client, joint_branch):
    set_members(firms["3708010101"], 1)
    item = world.samples["newgroups.closeoutitem"]["3708010101"]
    client = persona_client("industry_committee_staff")
    client.cookies["django_language"] = "en"
    page = client.get(f"/newgroups/closeouts/{item.pk}/")
    assert page.status_code == 200 and b"close-form" in page.content
    r = client.post(f"/newgroups/closeouts/{item.pk}/close/", {"mode": "existing", "evidence_org": joint_branch.pk,
                                                              "version": item.case.version}, follow=True)
    assert b"is closed" in r.content
    item.refresh_from_db()
    assert item.closed_on is not None
    # Without evidence: a clear error, nothing changes.
    other = world.samples["newgroups.closeoutitem"]["3708010102"]
    r = client.post(f"/newgroups/closeouts/{other.pk}/close/", {"mode": "new", "new_branch": ""}, follow=True)
    assert b"not closed" in r.content
    other.refresh_from_db()
    assert other.closed_on is None


def test_scan_opens_items_for_firms_below_the_rule(world, firms, persona_client):
    firm = firms["3708010101"]
    item = world.samples["newgroups.closeoutitem"]["3708010101"]
    set_members(firm, 3)
    services.close_with_evidence(item, actor=None, new_branch="支部A")
    set_members(firm, 3)
    client = persona_client("org_department")
    before = CloseOutItem.objects.count()
    assert client.post("/newgroups/closeouts/scan/").status_code == 302
    assert CloseOutItem.objects.count() == before  # the others already have open items; this one meets the rule


def test_daily_task_opens_missing_items(world, firms, joint_branch):
    from lianxin.newgroups.tasks import open_closeouts_daily

    item = world.samples["newgroups.closeoutitem"]["3708010101"]
    set_members(firms["3708010101"], 2)
    services.close_with_evidence(item, actor=None, evidence_org=joint_branch)
    set_members(firms["3708010101"], 4)  # grew: now it needs its own branch
    assert open_closeouts_daily.call() == 1
    new = CloseOutItem.objects.get(firm=firms["3708010101"], closed_on__isnull=True)
    assert new.reason == "below_rule" and new.expected == "own" and new.owner_org == world.orgs["industry-370801"]
    assert open_closeouts_daily.call() == 0


def test_generic_case_moves_cannot_close_an_item(world):
    from lianxin.cases import services as cases
    from lianxin.cases.services import MoveRefused

    item = world.samples["newgroups.closeoutitem"]["3708010101"]
    with pytest.raises(MoveRefused):
        cases.close_without_fix(item.case, actor=world.users["town_staff"], result="no_action", reason="x")
    with pytest.raises(MoveRefused):
        cases.dispatch(item.case, actor=world.users["org_department"], lead=world.orgs["industry-370801"])
    item.case.refresh_from_db()
    assert item.case.stage == Stage.ACCEPTED


def test_owners_are_told_of_new_items(world, firms, django_capture_on_commit_callbacks):
    from lianxin.core.models import Notification

    set_members(firms["3708010101"], 3)
    with django_capture_on_commit_callbacks(execute=True):
        item = world.samples["newgroups.closeoutitem"]["3708010101"]
    assert item.owner_org == world.orgs["industry-370801"]
    assert Notification.objects.filter(recipient=world.users["industry_committee_staff"],
                                       link=f"/newgroups/closeouts/{item.pk}/").exists()
    town_item = world.samples["newgroups.closeoutitem"]["3708010102"]  # no members: the town's
    assert Notification.objects.filter(recipient=world.users["town_staff"],
                                       link=f"/newgroups/closeouts/{town_item.pk}/").exists()


def test_case_page_of_an_item_renders(world, persona_client):
    item = world.samples["newgroups.closeoutitem"]["3708010101"]
    assert persona_client("town_staff").get(f"/cases/{item.case.pk}/").status_code == 200
