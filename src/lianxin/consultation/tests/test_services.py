"""The rules: quorum and majority, 四议两公开 in order, one support and one rating per person, merging."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lianxin.cases import services as cases
from lianxin.cases.models import Category
from lianxin.consultation import services
from lianxin.consultation.models import (
    Choice,
    Decision,
    ItemOutcome,
    Presence,
    Step,
    Support,
    Topic,
    TopicFollower,
    TopicStatus,
)

pytestmark = pytest.mark.django_db

HOME, VILLAGE = "3708010101", "3708010102"


def new_topic(world, resident, code=HOME, title="小区门口路灯不亮"):
    author = resident(f"author-{title}-{code}", code)
    return services.raise_topic(actor=author, area=world.areas[code], title=title, text="晚上很黑，老人出行不便",
                                place="东门")


def staff_of(world):
    return world.users["community_staff"]


def test_raise_support_once_not_own(world, resident):
    topic = new_topic(world, resident)
    assert topic.council == world.samples["consultation.council"][HOME] and topic.status == TopicStatus.OPEN
    neighbour = resident("neighbour")
    services.support(topic, actor=neighbour)
    with pytest.raises(ValidationError, match="already support"):
        services.support(topic, actor=neighbour)
    with pytest.raises(ValidationError, match="raised this topic"):
        services.support(topic, actor=topic.author)
    topic.refresh_from_db()
    assert topic.supports == 1 and Support.objects.filter(topic=topic).count() == 1


def test_residents_of_another_community_cannot_support(world, resident):
    topic = new_topic(world, resident)
    with pytest.raises(PermissionDenied):
        services.support(topic, actor=resident("outsider", "3708010201"))


def test_grid_worker_raises_for_a_resident_in_the_grid(world):
    grid = world.areas[f"{HOME}-G"]
    topic = services.raise_topic(actor=world.users["grid_worker"], area=grid, title="健身器材损坏",
                                 text="广场健身器材松动", for_resident="王大爷")
    assert topic.source == "grid" and topic.community == world.areas[HOME]
    assert topic.council == world.samples["consultation.council"][HOME]
    assert Topic.objects.visible_to(world.users["community_staff"]).filter(pk=topic.pk).exists()
    assert Topic.objects.visible_to(world.users["grid_worker"]).filter(pk=topic.pk).exists()


def test_quorum_refused(world, resident, meeting_with):
    item = meeting_with(new_topic(world, resident), present=1)  # 1 of 3; 50 % needs 2
    services.record_tally(item, actor=staff_of(world), votes_for=1, votes_against=0, votes_abstain=0)
    with pytest.raises(ValidationError, match="No quorum: 1 of 3"):
        services.close_vote(item, actor=staff_of(world), text="修路灯")
    item.refresh_from_db()
    assert item.outcome == ItemOutcome.PENDING and not Decision.objects.filter(topic=item.topic).exists()


def test_majority_refused_no_decision(world, resident, meeting_with):
    item = meeting_with(new_topic(world, resident), present=3)
    services.record_tally(item, actor=staff_of(world), votes_for=1, votes_against=1, votes_abstain=1)
    assert services.count(item).for_needed == 2
    services.close_vote(item, actor=staff_of(world), text="修路灯")
    item.refresh_from_db()
    item.topic.refresh_from_db()
    assert item.outcome == ItemOutcome.REJECTED and item.topic.status == TopicStatus.REJECTED
    assert not Decision.objects.filter(topic=item.topic).exists()


def test_more_votes_than_present_and_absent_voters_refused(world, resident, meeting_with):
    item = meeting_with(new_topic(world, resident), present=2)
    services.record_tally(item, actor=staff_of(world), votes_for=3, votes_against=0, votes_abstain=0)
    with pytest.raises(ValidationError, match="More votes"):
        services.close_vote(item, actor=staff_of(world), text="修")
    absent = item.meeting.attendance.filter(presence=Presence.EXPECTED).get().member
    with pytest.raises(ValidationError, match="Only members present"):
        services.cast_vote(item, actor=staff_of(world), member=absent, choice=Choice.FOR)


def test_named_votes_pass_with_a_majority_of_those_present(world, resident, meeting_with):
    item = meeting_with(new_topic(world, resident), present=2)
    members = [a.member for a in item.meeting.attendance.filter(presence=Presence.PRESENT)]
    services.cast_vote(item, actor=staff_of(world), member=members[0], choice=Choice.FOR)
    services.cast_vote(item, actor=staff_of(world), member=members[1], choice=Choice.AGAINST)
    services.close_vote(item, actor=staff_of(world), text="x")
    assert ItemOutcome.REJECTED == type(item).objects.get(pk=item.pk).outcome  # 1 of 2 is not more than half
    item2 = meeting_with(new_topic(world, resident, title="另一件事"), present=2)
    for m in members:
        services.cast_vote(item2, actor=staff_of(world), member=m, choice=Choice.FOR)
    with pytest.raises(ValidationError, match="decision's text"):
        services.close_vote(item2, actor=staff_of(world), text="")
    services.close_vote(item2, actor=staff_of(world), text="两位委员同意")
    decision = Decision.objects.get(topic=item2.topic)
    assert decision.text == "两位委员同意" and decision.item.votes_for == 2


def test_members_rules_basis(world, resident, meeting_with, council):
    council.majority_basis, council.majority_percent = "members", 50
    council.save()
    item = meeting_with(new_topic(world, resident), present=2)
    assert services.count(item).for_needed == 2  # more than half of all 3 members


def close_task(world, case, verifier=None):
    handler = world.users["department_handler"]
    cases.handler_accept(case, actor=handler)
    cases.feedback(case, actor=handler, note="已完成")
    cases.verify(case, actor=verifier or staff_of(world), passed=True)


def village_staff(world):
    """The staff of the village 甲一村 (the community staff persona works in 甲一社区)."""
    from lianxin.accounts import services as accounts

    area = world.areas[VILLAGE]
    return accounts.create_account(actor=None, username="village-staff", person=None, area=area,
                                   grants=[("community_staff", {"area": area})])


def task_category():
    return Category.objects.get(full_code="3202")


def test_sihliang_gongkai_in_order(world, resident, meeting_with):
    staff = world.users["community_staff"]
    town = village_staff(world)
    topic = new_topic(world, resident, VILLAGE, title="村集体土地流转")
    with pytest.raises(ValidationError, match="only after its proposal"):
        meeting_with(topic, major=True, staff=town)
    with pytest.raises(PermissionDenied):
        services.propose(topic, actor=staff, record="x")  # another community's staff
    decision = services.propose(topic, actor=town, record="村党支部会议提议")
    with pytest.raises(ValidationError, match="Out of order"):
        services.record_step(decision, actor=town, step=Step.REVIEW, record="党员大会")
    with pytest.raises(ValidationError, match="not recorded here"):
        services.record_step(decision, actor=town, step=Step.RESOLUTION, record="x")
    services.record_step(decision, actor=town, step=Step.CONSULTATION, record="两委联席会议商议")
    with pytest.raises(ValidationError, match="only after"):
        meeting_with(topic, major=True, staff=town)
    services.record_step(decision, actor=town, step=Step.REVIEW, record="党员大会审议")
    item = meeting_with(topic, present=1, major=True, staff=town)
    assert item.major
    services.record_tally(item, actor=town, votes_for=1, votes_against=0, votes_abstain=0)
    with pytest.raises(ValidationError, match="No quorum: 1 of 3 members present, 2 needed"):
        services.close_vote(item, actor=town, text="同意流转")
    att = item.meeting.attendance.filter(presence=Presence.EXPECTED).first()
    services.set_attendance(item.meeting, actor=town, member=att.member, presence=Presence.PROXY, proxy_name="张三")
    with pytest.raises(ValidationError, match="Follow-up tasks start"):
        services.create_task(decision, actor=town, category=task_category(), title="t", lead=world.orgs["dept-370801"])
    services.record_tally(item, actor=town, votes_for=2, votes_against=0, votes_abstain=0)
    services.close_vote(item, actor=town, text="同意流转，收益归集体")
    decision.refresh_from_db()
    assert decision.step == Step.RESOLUTION and decision.decided
    with pytest.raises(ValidationError, match="Out of order"):
        services.record_step(decision, actor=town, step=Step.RESULT_PUBLIC, record="x")
    with pytest.raises(ValidationError, match="Follow-up tasks start"):
        services.create_task(decision, actor=town, category=task_category(), title="t", lead=world.orgs["dept-370801"])
    services.record_step(decision, actor=town, step=Step.RESOLUTION_PUBLIC, record="村务公开栏公示7天")
    decision.refresh_from_db()
    case = services.create_task(decision, actor=town, category=task_category(), title="流转合同签订",
                                lead=world.orgs["dept-370801"])
    with pytest.raises(ValidationError, match="every follow-up task"):
        services.record_step(decision, actor=town, step=Step.RESULT_PUBLIC, record="x")
    close_task(world, case, verifier=town)
    services.record_step(decision, actor=town, step=Step.RESULT_PUBLIC, record="流转完成，收益公示")
    decision.refresh_from_db()
    assert decision.step == Step.RESULT_PUBLIC
    assert list(decision.steps.values_list("step", flat=True)) == [s.value for s in Step]


def test_major_matter_thresholds_two_thirds_and_half(world, resident, meeting_with):
    town = village_staff(world)
    topic = new_topic(world, resident, VILLAGE, title="修建村道")
    decision = services.propose(topic, actor=town, record="提议")
    services.record_step(decision, actor=town, step=Step.CONSULTATION, record="商议")
    services.record_step(decision, actor=town, step=Step.REVIEW, record="审议")
    item = meeting_with(topic, present=2, major=True, staff=town)
    c = services.count(item)
    assert (c.quorum_needed, c.for_needed) == (2, 2)  # ceil(2/3 × 3) present; more than half of 2


def test_follow_up_done_results_public_and_rate_once(world, resident, meeting_with):
    staff = staff_of(world)
    topic = new_topic(world, resident)
    item = meeting_with(topic, present=3)
    services.record_tally(item, actor=staff, votes_for=3, votes_against=0, votes_abstain=0)
    services.close_vote(item, actor=staff, text="更换路灯")
    decision = Decision.objects.get(topic=topic)
    case = services.create_task(decision, actor=staff, category=task_category(), title="更换东门路灯",
                                lead=world.orgs["dept-370801"])
    assert case.type == "consult" and case.stage == "dispatched" and case.due_at is not None
    with pytest.raises(ValidationError, match="once the follow-up is done"):
        services.rate(decision, actor=topic.author, stars=5)
    close_task(world, case)
    assert services.progress(decision).done
    services.rate(decision, actor=topic.author, stars=4, comment="亮了")
    with pytest.raises(ValidationError, match="already rated"):
        services.rate(decision, actor=topic.author, stars=5)
    with pytest.raises(ValidationError, match="one to five"):
        services.rate(decision, actor=resident("r6"), stars=6)
    assert services.satisfaction([5, 4, 1]) == pytest.approx((1 + 0.9) / 3)


def test_major_results_public_only_when_tasks_closed(world, resident, meeting_with):
    town = village_staff(world)
    topic = new_topic(world, resident, VILLAGE, title="村委会院墙维修")
    decision = services.propose(topic, actor=town, record="提议")
    services.record_step(decision, actor=town, step=Step.CONSULTATION, record="商议")
    services.record_step(decision, actor=town, step=Step.REVIEW, record="审议")
    item = meeting_with(topic, present=3, major=True, staff=town)
    services.record_tally(item, actor=town, votes_for=2, votes_against=1, votes_abstain=0)
    services.close_vote(item, actor=town, text="维修院墙")
    decision.refresh_from_db()
    services.record_step(decision, actor=town, step=Step.RESOLUTION_PUBLIC, record="公示")
    with pytest.raises(ValidationError, match="every follow-up task"):
        services.record_step(decision, actor=town, step=Step.RESULT_PUBLIC, record="x")
    decision.refresh_from_db()
    assert decision.objection_until is not None


def test_merge_both_authors_follow_supports_counted_once(world, resident):
    kept = new_topic(world, resident, title="东门路灯")
    dup = new_topic(world, resident, title="东门的路灯坏了")
    both, only_dup = resident("both"), resident("only-dup")
    services.support(kept, actor=both)
    services.support(dup, actor=both)
    services.support(dup, actor=only_dup)
    with pytest.raises(ValidationError, match="itself"):
        services.merge(dup, into=dup, actor=staff_of(world))
    services.merge(dup, into=kept, actor=staff_of(world))
    dup.refresh_from_db()
    kept.refresh_from_db()
    assert dup.status == TopicStatus.MERGED and dup.merged_into == kept
    assert TopicFollower.objects.filter(topic=kept, user=dup.author).exists()
    assert kept.supports == 3  # both, only-dup, and the duplicate's author; each once
    assert Topic.objects.visible_to(dup.author).filter(pk=kept.pk).exists()
    with pytest.raises(ValidationError, match="Only open topics"):
        services.merge(dup, into=kept, actor=staff_of(world))


def test_decline_needs_a_reason_and_tells_the_author(world, resident, django_capture_on_commit_callbacks):
    from lianxin.core.models import Notification

    topic = new_topic(world, resident)
    with pytest.raises(ValidationError, match="reason"):
        services.decline(topic, actor=staff_of(world), reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.decline(topic, actor=staff_of(world), reason="属于物业维修范围，已转物业")
    topic.refresh_from_db()
    assert topic.status == TopicStatus.DECLINED
    assert Notification.objects.filter(recipient=topic.author, title__contains="已转物业").exists()
    with pytest.raises(ValidationError, match="cannot be scheduled"):
        services.schedule(topic, meeting=world.samples["consultation.meeting"][HOME], actor=staff_of(world))


def test_topic_from_case(world):
    case = world.cases[HOME]
    topic = services.topic_from_case(case, actor=staff_of(world))
    assert topic.source == "case" and topic.case == case and topic.community == world.areas[HOME]
