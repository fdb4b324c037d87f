"""Every change of consultation records: atomic, taking ``actor=``, checked against the actor's grants
(``actor=None`` is the system: the seeder and the test world). Notifications go out after commit.

Topics (说事) → triage (merge, decline, schedule) → meetings (议事: attendance, discussion, votes, decision) →
follow-up cases on the case engine (办事) → ratings (评事). Village major matters walk 四议两公开 in order.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.cases import services as cases
from lianxin.cases.models import Stage
from lianxin.core import clock
from lianxin.core.audit import actor_context
from lianxin.core.notify import Message, notify
from lianxin.core.visibility import may_at
from lianxin.workdays.calendar import tz

from .models import (
    STEPS,
    AgendaItem,
    Attendance,
    Choice,
    Council,
    CouncilKind,
    CouncilMember,
    Decision,
    DecisionTask,
    ItemOutcome,
    MajorityBasis,
    Meeting,
    MeetingStatus,
    Presence,
    Rating,
    Step,
    StepRecord,
    Support,
    Topic,
    TopicFollower,
    TopicSource,
    TopicStatus,
    Vote,
    VoteMode,
)
from .types import FOLLOW_UP

OBJECTION_DAYS = 7  # the public notice period of a decision, for objections


def _require(actor, label: str, action: str, area) -> None:
    if actor is not None and not may_at(actor, label, action, area=area):
        raise PermissionDenied(_("You may not do this here."))


def _tell(users, title: str, link: str = "") -> None:
    users = [u for u in users if u is not None]
    if users:
        transaction.on_commit(lambda: notify(users, kind="consultation", title=title, link=link), robust=True)


# ---- councils ---------------------------------------------------------------------------------------------

def create_council(*, actor, area, name: str, kind: str = CouncilKind.COMMUNITY, quorum_percent: int = 50,
                   majority_percent: int = 50, majority_basis: str = MajorityBasis.PRESENT) -> Council:
    _require(actor, "consultation.council", "add", area)
    if area.kind not in ("community",):
        raise ValidationError(_("A council belongs to a community or village."))
    if not (1 <= quorum_percent <= 100) or not (1 <= majority_percent < 100):
        raise ValidationError(_("Quorum is 1–100 % and majority 1–99 %."))
    with transaction.atomic(), actor_context(actor):
        return Council.objects.create(area=area, name=name.strip(), kind=kind, quorum_percent=quorum_percent,
                                      majority_percent=majority_percent, majority_basis=majority_basis)


def add_member(council: Council, *, actor, seat: str, name: str, term_start, term_end=None, user=None,
               org=None) -> CouncilMember:
    _require(actor, "consultation.council", "change", council.area)
    if term_end is not None and term_end < term_start:
        raise ValidationError(_("A term ends after it starts."))
    with transaction.atomic(), actor_context(actor):
        return CouncilMember.objects.create(council=council, seat=seat, name=name.strip(), term_start=term_start,
                                            term_end=term_end, user=user, org=org)


def end_term(member: CouncilMember, *, actor, on) -> CouncilMember:
    _require(actor, "consultation.council", "change", member.council.area)
    with transaction.atomic(), actor_context(actor):
        member.term_end = on
        member.save(update_fields=["term_end"])
        return member


def council_of(area) -> Council | None:
    return Council.objects.filter(area=area, active=True).order_by("pk").first()


# ---- topics -----------------------------------------------------------------------------------------------

def raise_topic(*, actor, area, title: str, text: str, place: str = "", photo=None, for_resident: str = "",
                source: str | None = None, case=None) -> Topic:
    """A resident raises a topic on their phone; a grid worker writes one down for a resident (``for_resident``);
    staff raise one at a meeting or from a case."""
    _require(actor, "consultation.topic", "add", area)
    title, text = (title or "").strip(), (text or "").strip()
    if not title or not text:
        raise ValidationError(_("Say what the topic is and what it is about."))
    if area.kind not in ("community", "grid"):
        raise ValidationError(_("A topic is raised in a community or one of its grids."))
    if source is None:
        source = TopicSource.GRID if for_resident else TopicSource.PHONE
    with transaction.atomic(), actor_context(actor):
        community = area.parent if area.kind == "grid" else area
        topic = Topic.objects.create(area=area, council=council_of(community), title=title[:120], text=text,
                                     place=place.strip(), photo=photo, source=source, author=actor,
                                     for_resident=for_resident.strip(), case=case, created_at=clock.now())
        return topic


def topic_from_case(case, *, actor) -> Topic:
    """Turn a case into a topic for the council (e.g. a recurring complaint that needs a collective decision)."""
    return raise_topic(actor=actor, area=case.area, title=case.title, text=case.description or case.title,
                       place=case.address, source=TopicSource.CASE, case=case)


def support(topic: Topic, *, actor) -> Support:
    """附议: once per person; not one's own topic; only while the topic is open or scheduled."""
    _require(actor, "consultation.topic", "support", topic.area)
    if topic.status not in (TopicStatus.OPEN, TopicStatus.SCHEDULED):
        raise ValidationError(_("This topic no longer takes support."))
    if topic.author_id == actor.pk:
        raise ValidationError(_("You raised this topic yourself."))
    try:
        with transaction.atomic():
            row = Support.objects.create(topic=topic, user=actor, at=clock.now())
            Topic.objects.filter(pk=topic.pk).update(supports=F("supports") + 1)
    except IntegrityError as e:
        raise ValidationError(_("You already support this topic.")) from e
    topic.refresh_from_db(fields=["supports"])
    return row


def _lock(model, obj):
    return model.objects.select_for_update().get(pk=obj.pk)


def decline(topic: Topic, *, actor, reason: str) -> Topic:
    _require(actor, "consultation.topic", "triage", topic.area)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason the author will see."))
    with transaction.atomic(), actor_context(actor):
        t = _lock(Topic, topic)
        if t.status != TopicStatus.OPEN:
            raise ValidationError(_("Only open topics are declined."))
        t.status, t.decline_reason = TopicStatus.DECLINED, reason
        t.save(update_fields=["status", "decline_reason"])
        _tell([t.author], Message(gettext_lazy("Your topic “%(t)s” was declined: %(r)s"), t=t.title, r=reason),
              reverse("consultation:topic", args=[t.pk]))
        return t


def merge(duplicate: Topic, *, into: Topic, actor) -> Topic:
    """The duplicate closes as merged; its author and followers follow the kept topic; supports move over (each
    person still counted once)."""
    _require(actor, "consultation.topic", "triage", duplicate.area)
    if duplicate.pk == into.pk:
        raise ValidationError(_("A topic cannot be merged into itself."))
    if duplicate.community.pk != into.community.pk:
        raise ValidationError(_("Only topics of the same community are merged."))
    with transaction.atomic(), actor_context(actor):
        dup, kept = _lock(Topic, duplicate), _lock(Topic, into)
        if dup.status != TopicStatus.OPEN:
            raise ValidationError(_("Only open topics are merged."))
        if kept.status not in (TopicStatus.OPEN, TopicStatus.SCHEDULED):
            raise ValidationError(_("Merge into an open or scheduled topic."))
        dup.status, dup.merged_into = TopicStatus.MERGED, kept
        dup.save(update_fields=["status", "merged_into"])
        followers = {dup.author_id, *dup.followers.values_list("user_id", flat=True)} - {kept.author_id}
        TopicFollower.objects.bulk_create([TopicFollower(topic=kept, user_id=u) for u in followers],
                                          ignore_conflicts=True)
        already = set(kept.support_rows.values_list("user_id", flat=True)) | {kept.author_id}
        moved = [Support(topic=kept, user_id=s.user_id, at=s.at) for s in dup.support_rows.all()
                 if s.user_id not in already]
        if dup.author_id not in already:
            moved.append(Support(topic=kept, user_id=dup.author_id, at=dup.created_at))
        Support.objects.bulk_create(moved, ignore_conflicts=True)
        kept.supports = kept.support_rows.count()
        kept.save(update_fields=["supports"])
        _tell([dup.author], Message(gettext_lazy("Your topic “%(t)s” was merged into “%(k)s”; you follow it there."),
                                    t=dup.title, k=kept.title), reverse("consultation:topic", args=[kept.pk]))
        return kept


def _followers(topic: Topic) -> list:
    return [topic.author, *[f.user for f in topic.followers.select_related("user")]]


# ---- meetings ---------------------------------------------------------------------------------------------

def create_meeting(*, actor, council: Council, title: str, starts_at, place: str = "") -> Meeting:
    """Plans a meeting; every member serving on its day is expected and told (the notice)."""
    _require(actor, "consultation.meeting", "add", council.area)
    day = starts_at.astimezone(tz()).date()
    with transaction.atomic(), actor_context(actor):
        meeting = Meeting.objects.create(council=council, area=council.area, title=title.strip(),
                                         starts_at=starts_at, place=place.strip(), clerk=actor,
                                         noticed_at=clock.now())
        members = [m for m in council.members.select_related("user") if m.serves_on(day)]
        Attendance.objects.bulk_create([Attendance(meeting=meeting, member=m) for m in members])
        _tell([m.user for m in members], Message(gettext_lazy("Council meeting “%(t)s” on %(d)s at %(p)s"),
                                                 t=meeting.title, d=f"{starts_at:%Y-%m-%d %H:%M}", p=meeting.place),
              reverse("consultation:meeting", args=[meeting.pk]))
        return meeting


def schedule(topic: Topic, *, meeting: Meeting, actor, major: bool = False) -> AgendaItem:
    """Puts a topic on a planned meeting's agenda. A village major matter goes to its resolution meeting only
    after its proposal, consultation and review (四议两公开)."""
    _require(actor, "consultation.topic", "triage", topic.area)
    _require(actor, "consultation.meeting", "change", meeting.area)
    if topic.community.pk != meeting.area_id:
        raise ValidationError(_("The meeting is another community's."))
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(_("This meeting was already held."))
    with transaction.atomic(), actor_context(actor):
        t = _lock(Topic, topic)
        if t.status not in (TopicStatus.OPEN, TopicStatus.SCHEDULED, TopicStatus.REJECTED):
            raise ValidationError(_("This topic cannot be scheduled."))
        decision = Decision.objects.filter(topic=t).first()
        if major or (decision and decision.major):
            major = True
            if decision is None or decision.step != Step.REVIEW:
                raise ValidationError(_("A village major matter is put to the vote only after its proposal, "
                                        "consultation and review."))
        elif decision is not None:
            raise ValidationError(_("This topic was already decided."))
        if AgendaItem.objects.filter(meeting=meeting, topic=t).exists():
            raise ValidationError(_("The topic is already on this meeting's agenda."))
        position = meeting.items.count() + 1
        item = AgendaItem.objects.create(meeting=meeting, topic=t, position=position, major=major)
        t.status, t.council = TopicStatus.SCHEDULED, meeting.council
        t.save(update_fields=["status", "council"])
        _tell(_followers(t), Message(gettext_lazy("Your topic “%(t)s” is on the agenda of “%(m)s” (%(d)s)."),
                                     t=t.title, m=meeting.title, d=f"{meeting.starts_at:%Y-%m-%d}"),
              reverse("consultation:topic", args=[t.pk]))
        return item


def set_attendance(meeting: Meeting, *, actor, member: CouncilMember, presence: str, proxy_name: str = "") \
        -> Attendance:
    _require(actor, "consultation.meeting", "change", meeting.area)
    if presence not in Presence.values:
        raise ValidationError(_("Unknown attendance."))
    if presence == Presence.PROXY and not proxy_name.strip():
        raise ValidationError(_("Name the proxy."))
    with transaction.atomic(), actor_context(actor):
        row = Attendance.objects.select_for_update().filter(meeting=meeting, member=member).first()
        if row is None:
            raise ValidationError(_("This member is not expected at the meeting."))
        row.presence, row.proxy_name = presence, proxy_name.strip() if presence == Presence.PROXY else ""
        row.save(update_fields=["presence", "proxy_name"])
        return row


def record_item(item: AgendaItem, *, actor, discussion: str = "", options: str = "") -> AgendaItem:
    _require(actor, "consultation.meeting", "change", item.meeting.area)
    with transaction.atomic(), actor_context(actor):
        item.discussion, item.options = discussion.strip(), options.strip()
        item.save(update_fields=["discussion", "options"])
        return item


def cast_vote(item: AgendaItem, *, actor, member: CouncilMember, choice: str) -> Vote:
    """A named vote: only a member counted present (in person or by proxy), once, before the vote closes."""
    _require(actor, "consultation.meeting", "change", item.meeting.area)
    if choice not in Choice.values:
        raise ValidationError(_("Unknown choice."))
    if item.outcome != ItemOutcome.PENDING:
        raise ValidationError(_("The vote on this item is closed."))
    att = Attendance.objects.filter(meeting=item.meeting_id, member=member).first()
    if att is None or not att.counts:
        raise ValidationError(_("Only members present (or represented by proxy) vote."))
    with transaction.atomic(), actor_context(actor):
        vote, _created = Vote.objects.update_or_create(item=item, member=member, defaults={"choice": choice})
        if item.vote_mode != VoteMode.NAMED:
            item.vote_mode = VoteMode.NAMED
            item.save(update_fields=["vote_mode"])
        return vote


def record_tally(item: AgendaItem, *, actor, votes_for: int, votes_against: int, votes_abstain: int) -> AgendaItem:
    """A show of hands counted by the clerk."""
    _require(actor, "consultation.meeting", "change", item.meeting.area)
    if item.outcome != ItemOutcome.PENDING:
        raise ValidationError(_("The vote on this item is closed."))
    if min(votes_for, votes_against, votes_abstain) < 0:
        raise ValidationError(_("Counts are not negative."))
    with transaction.atomic(), actor_context(actor):
        item.vote_mode = VoteMode.TALLY
        item.votes_for, item.votes_against, item.votes_abstain = votes_for, votes_against, votes_abstain
        item.save(update_fields=["vote_mode", "votes_for", "votes_against", "votes_abstain"])
        item.votes.all().delete()
        return item


@dataclass
class Count:
    expected: int
    present: int
    votes_for: int
    votes_against: int
    votes_abstain: int
    quorum_needed: int
    for_needed: int  # the smallest number of votes for that passes

    @property
    def quorate(self) -> bool:
        return self.present >= self.quorum_needed

    @property
    def passed(self) -> bool:
        return self.quorate and self.votes_for >= self.for_needed


def count(item: AgendaItem) -> Count:
    """The item's votes against the council's rules (or, for a village major matter, the fixed thresholds:
    at least two thirds of the members present, more than half of those present for)."""
    council = item.meeting.council
    rows = list(item.meeting.attendance.all())
    expected, present = len(rows), sum(1 for r in rows if r.counts)
    if item.vote_mode == VoteMode.NAMED:
        choices = [v.choice for v in item.votes.all()]
        f, a, ab = (choices.count(Choice.FOR), choices.count(Choice.AGAINST), choices.count(Choice.ABSTAIN))
    else:
        f, a, ab = item.votes_for, item.votes_against, item.votes_abstain
    if item.major:
        quorum = -(-2 * expected // 3)  # ceil(2/3 of the members)
        needed = present // 2 + 1  # more than half of those present
    else:
        quorum = -(-council.quorum_percent * expected // 100)
        base = present if council.majority_basis == MajorityBasis.PRESENT else expected
        needed = council.majority_percent * base // 100 + 1  # more than the percentage
    return Count(expected, present, f, a, ab, max(quorum, 1), needed)


def close_vote(item: AgendaItem, *, actor, text: str = "") -> AgendaItem:
    """Closes the vote. Refused without a quorum, or with more votes than members present. Passed: the decision
    is recorded (for a major matter, as its resolution step); not passed: the topic is marked so and no decision
    is made."""
    _require(actor, "consultation.meeting", "change", item.meeting.area)
    with transaction.atomic(), actor_context(actor):
        item = (AgendaItem.objects.select_for_update(of=("self",)).select_related("meeting__council", "topic")
                .get(pk=item.pk))
        if item.outcome != ItemOutcome.PENDING:
            raise ValidationError(_("The vote on this item is closed."))
        c = count(item)
        if not c.quorate:
            raise ValidationError(_("No quorum: %(p)d of %(e)d members present, %(n)d needed.")
                                  % {"p": c.present, "e": c.expected, "n": c.quorum_needed})
        if c.votes_for + c.votes_against + c.votes_abstain > c.present:
            raise ValidationError(_("More votes than members present."))
        text = (text or "").strip()
        if c.passed and not text:
            raise ValidationError(_("Write the decision's text."))
        now = clock.now()
        topic = item.topic
        if item.major:
            decision = Decision.objects.select_for_update().get(topic=topic)
            if decision.step != Step.REVIEW:
                raise ValidationError(_("The resolution comes after the review."))
        item.outcome = ItemOutcome.PASSED if c.passed else ItemOutcome.REJECTED
        item.decided_at = now
        if item.vote_mode == VoteMode.NAMED:
            item.votes_for, item.votes_against, item.votes_abstain = c.votes_for, c.votes_against, c.votes_abstain
        item.save()
        Meeting.objects.filter(pk=item.meeting_id).update(status=MeetingStatus.HELD)
        if not c.passed:
            topic.status = TopicStatus.REJECTED
            topic.save(update_fields=["status"])
            _tell(_followers(topic), Message(gettext_lazy("The council did not approve “%(t)s”."), t=topic.title),
                  reverse("consultation:topic", args=[topic.pk]))
            return item
        if item.major:
            decision.item, decision.text, decision.decided_at, decision.step = item, text, now, Step.RESOLUTION
            decision.save()
            StepRecord.objects.create(decision=decision, step=Step.RESOLUTION, meeting=item.meeting, at=now,
                                      actor=actor, record=_("Passed: %(f)d for, %(a)d against, %(b)d abstaining "
                                                            "of %(p)d present (%(e)d members).")
                                      % {"f": c.votes_for, "a": c.votes_against, "b": c.votes_abstain,
                                         "p": c.present, "e": c.expected})
        else:
            decision = Decision.objects.create(
                topic=topic, council=item.meeting.council, area=topic.community, item=item, text=text, decided_at=now,
                objection_until=clock.today() + timedelta(days=OBJECTION_DAYS), created_at=now)
        topic.status = TopicStatus.DECIDED
        topic.save(update_fields=["status"])
        _tell(_followers(topic), Message(gettext_lazy("The council decided on “%(t)s”."), t=topic.title),
              reverse("consultation:decision", args=[decision.pk]))
        return item


# ---- 四议两公开 --------------------------------------------------------------------------------------------

def propose(topic: Topic, *, actor, record: str) -> Decision:
    """提议: the village party branch proposes a major matter; it then walks the steps in order."""
    _require(actor, "consultation.decision", "change", topic.area)
    council = topic.council or council_of(topic.community)
    if council is None or council.kind != CouncilKind.VILLAGE:
        raise ValidationError(_("Only a village council takes major matters (四议两公开)."))
    if not (record or "").strip():
        raise ValidationError(_("Each step needs its record."))
    with transaction.atomic(), actor_context(actor):
        t = _lock(Topic, topic)
        if t.status not in (TopicStatus.OPEN, TopicStatus.REJECTED) or Decision.objects.filter(topic=t).exists():
            raise ValidationError(_("This topic is already under way."))
        now = clock.now()
        decision = Decision.objects.create(topic=t, council=council, area=t.community, major=True, step=Step.PROPOSAL,
                                           created_at=now)
        StepRecord.objects.create(decision=decision, step=Step.PROPOSAL, record=record.strip(), at=now, actor=actor)
        t.council = council
        t.save(update_fields=["council"])
        return decision


def record_step(decision: Decision, *, actor, step: str, record: str, meeting: Meeting | None = None) -> Decision:
    """商议, 审议, 决议公开, 实施结果公开: each only right after the one before it. The resolution (决议) is the
    vote at a meeting (close_vote); the results go public only when every follow-up task is closed."""
    _require(actor, "consultation.decision", "change", decision.area)
    if not decision.major:
        raise ValidationError(_("Only village major matters have these steps."))
    if step not in STEPS or step in (Step.PROPOSAL, Step.RESOLUTION):
        raise ValidationError(_("The proposal and the resolution are not recorded here."))
    if not (record or "").strip():
        raise ValidationError(_("Each step needs its record."))
    with transaction.atomic(), actor_context(actor):
        d = Decision.objects.select_for_update().get(pk=decision.pk)
        before = STEPS[STEPS.index(step) - 1]
        if d.step != before:
            raise ValidationError(_("Out of order: “%(s)s” comes right after “%(b)s”.")
                                  % {"s": Step(step).label, "b": Step(before).label})
        if step == Step.RESULT_PUBLIC:
            p = progress(d)
            if not p.done:
                raise ValidationError(_("The results are made public when every follow-up task is closed."))
        now = clock.now()
        StepRecord.objects.create(decision=d, step=step, record=record.strip(), meeting=meeting, at=now, actor=actor)
        d.step = step
        if step == Step.RESOLUTION_PUBLIC:
            d.objection_until = clock.today() + timedelta(days=OBJECTION_DAYS)
        d.save(update_fields=["step", "objection_until"])
        return d


# ---- doing: follow-up cases -------------------------------------------------------------------------------

def may_follow_up(decision: Decision) -> bool:
    if not decision.decided:
        return False
    return not decision.major or decision.step in (Step.RESOLUTION_PUBLIC, Step.RESULT_PUBLIC)


def create_task(decision: Decision, *, actor, category, title: str, lead, co_units=(), note: str = ""):
    """A follow-up task on the case engine: filed (accepted, as tasks start), dispatched to the lead unit with
    co-units. Its deadline and colour are the engine's, from the category's time limits."""
    _require(actor, "consultation.decision", "change", decision.area)
    if not may_follow_up(decision):
        raise ValidationError(_("Follow-up tasks start once the decision is made (for a major matter, once it "
                                "is made public)."))
    with transaction.atomic(), actor_context(actor):
        out = cases.report(actor=actor, type=FOLLOW_UP, category=category, title=title or decision.topic.title,
                           description=decision.text, area=decision.area)
        case = cases.dispatch(out.case, actor=actor, lead=lead, co_handlers=list(co_units), note=note).case
        DecisionTask.objects.create(decision=decision, case=case)
        return case


@dataclass
class Progress:
    total: int
    closed: int
    done_at: object  # when the last task closed, if all are

    @property
    def done(self) -> bool:
        return self.total > 0 and self.closed == self.total


def progress(decision: Decision, tasks=None) -> Progress:
    rows = tasks if tasks is not None else [t.case for t in decision.tasks.select_related("case")]
    closed = [c for c in rows if c.stage == Stage.CLOSED]
    done_at = max((c.closed_at for c in closed), default=None) if rows and len(closed) == len(rows) else None
    return Progress(len(rows), len(closed), done_at)


# ---- evaluating -------------------------------------------------------------------------------------------

def rate(decision: Decision, *, actor, stars: int, comment: str = "") -> Rating:
    """评事: a resident rates the outcome once, 1–5, when the decision is done (or decided without tasks)."""
    _require(actor, "consultation.decision", "rate", decision.area)
    if not decision.decided:
        raise ValidationError(_("Rate a decision once it is made."))
    p = progress(decision)
    if p.total and not p.done:
        raise ValidationError(_("Rate the outcome once the follow-up is done."))
    if not isinstance(stars, int) or not 1 <= stars <= 5:
        raise ValidationError(_("Give one to five stars."))
    try:
        with transaction.atomic():
            return Rating.objects.create(decision=decision, user=actor, stars=stars, comment=comment.strip()[:300],
                                         at=clock.now())
    except IntegrityError as e:
        raise ValidationError(_("You already rated this decision.")) from e


def satisfaction(ratings) -> float | None:
    """The case engine's formula: (5 stars + 0.9 × 4 stars) / ratings."""
    stars = list(ratings)
    if not stars:
        return None
    return (stars.count(5) + 0.9 * stars.count(4)) / len(stars)
