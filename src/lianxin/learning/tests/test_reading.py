"""Effective reads: once per person, item and day; visible long enough and read to the end; only for live
items; audience rules; study duties fulfilled."""

from datetime import timedelta

import pytest

from lianxin.core import clock
from lianxin.learning import services
from lianxin.learning.models import Item, Read

pytestmark = pytest.mark.django_db


def opened(seconds_ago):
    return clock.now() - timedelta(seconds=seconds_ago)


def test_min_seconds_proportional_to_length(make_item):
    short = make_item(body="<p>短文。</p>")
    long = make_item(body="<p>" + "学" * 2500 + "</p>")
    assert services.min_seconds(short) == services.MIN_SECONDS
    assert services.min_seconds(long) == 100
    huge = make_item(body="<p>" + "学" * 50000 + "</p>")
    assert services.min_seconds(huge) == services.MAX_SECONDS


def test_once_per_day(published, reader):
    item = published()
    first = services.record_read(item, user=reader, seconds=20, reached_end=True, opened_at=opened(30))
    assert first.created and first.read.org == reader.branch
    again = services.record_read(item, user=reader, seconds=40, reached_end=True, opened_at=opened(60))
    assert not again.created and again.read == first.read
    assert Read.objects.filter(item=item, user=reader).count() == 1
    tomorrow = clock.now() + timedelta(days=1)
    later = services.record_read(item, user=reader, seconds=20, reached_end=True, opened_at=tomorrow -
                                 timedelta(seconds=30), at=tomorrow)
    assert later.created and later.read.day == first.read.day + timedelta(days=1)


@pytest.mark.parametrize("seconds,end,ago,reason", [
    (3, True, 30, "too_short"),     # the browser says 3 s visible
    (20, True, 2, "too_short"),     # claims 20 s, but the page was served 2 s ago
    (20, False, 30, "not_at_end"),
])
def test_refused(published, reader, seconds, end, ago, reason):
    item = published()
    outcome = services.record_read(item, user=reader, seconds=seconds, reached_end=end, opened_at=opened(ago))
    assert outcome.read is None and outcome.reason == reason
    assert not Read.objects.filter(item=item).exists()


def test_not_live(make_item, published, reviewer, reader):
    draft = make_item()
    assert services.record_read(draft, user=reader, seconds=20, reached_end=True,
                                opened_at=opened(30)).reason == "not_live"
    item = services.withdraw(published(), actor=reviewer)
    assert services.record_read(item, user=reader, seconds=20, reached_end=True,
                                opened_at=opened(30)).reason == "not_live"


def test_audience(published, reader, world):
    everyone = published()
    mine = published(audience_area=world.areas["37080101"])
    other = published(audience_area=world.areas["37080102"])
    branch_only = published(audience_org=reader.branch)
    other_org = published(audience_org=world.orgs["firm-3708010102"])
    seen = set(Item.objects.visible_to(reader).values_list("pk", flat=True))
    assert {everyone.pk, mine.pk, branch_only.pk} <= seen
    assert not {other.pk, other_org.pk} & seen


def test_assigned_study_duties_and_completion(published, reader, world):
    from lianxin.accounts import services as accounts
    from lianxin.duties import queries as duty_queries
    from lianxin.learning.models import StudyDuty
    from lianxin.people import services as people

    item = published()
    branch = reader.branch
    no_account = people.create_person(actor=None, name="李建国", area=world.areas["3708010101-G"], org=branch,
                                      kinds=["retired_cadre"], is_party_member=True)
    people.create_person(actor=None, name="群众", area=world.areas["3708010101-G"], org=branch, kinds=["resident"])
    assignment = services.assign_study(actor=world.users["community_staff"], item=item, org=world.orgs["committee"],
                                       due_on=clock.today() + timedelta(days=10))
    studies = StudyDuty.objects.filter(assignment=assignment)
    assert {s.person_id for s in studies} == {reader.person_id, no_account.pk}
    obligations = duty_queries.obligations_of(studies, kind=services.STUDY)
    assert obligations.count() == 2
    mine = obligations.get(owner=reader)
    assert obligations.exclude(pk=mine.pk).get().owner is None  # owed by the community staff's role
    assert services.completion(studies) == {"owed": 2, "done": 0, "rate": 0.0}
    # A repeated assignment call makes a second assignment; the reader's read fulfils both.
    services.record_read(item, user=reader, seconds=20, reached_end=True, opened_at=opened(30))
    mine.refresh_from_db()
    assert mine.fulfilled_by is not None and mine.fulfilled_by.method == "online"
    assert services.completion(studies) == {"owed": 2, "done": 1, "rate": 0.5}
    del accounts


def test_assign_refusals(make_item, published, world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.assign_study(actor=None, item=make_item(), org=world.orgs["committee"],
                              due_on=clock.today() + timedelta(days=3))
    with pytest.raises(ValidationError):
        services.assign_study(actor=None, item=published(), org=world.orgs["committee"],
                              due_on=clock.today() - timedelta(days=1))


def test_figures(published, reader, world):
    from lianxin.learning import stats

    item = published()
    services.record_read(item, user=reader, seconds=20, reached_end=True, opened_at=opened(30))
    admin = world.users["administrator"]
    today = clock.today()
    home, sibling = world.areas["3708010101"], world.areas["3708010102"]
    before = stats.figures(admin, [home, sibling, world.areas["370801"]], today, today)
    assert before[home.pk]["effective_reads"] == 2  # the world's resident read the shared item too
    assert before[home.pk]["readers"] == 2
    assert before[sibling.pk]["effective_reads"] == 1
    assert before[world.areas["370801"].pk]["items_published"] >= 1
    branches = {b["org"]: b for b in stats.by_branch(admin, home, today, today)}
    assert branches[reader.branch.name]["reads"] == 1
    # The community staff of the sibling community sees none of home's reads.
    staff = world.users["community_staff"]
    assert stats.figures(staff, [sibling], today, today)[sibling.pk]["effective_reads"] == 0
