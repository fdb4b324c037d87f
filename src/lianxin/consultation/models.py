"""Resident consultation (梁山's 居民说事、社区议事、协同办事、居民评事): councils, topics, meetings, decisions.

Councils (议事会) sit at a community or village, with members by seat and terms, and their rules (quorum,
majority). Residents raise topics (说事), neighbours support them (附议, once per person), staff triage them
(merge, decline, schedule). A meeting (议事) has an agenda of topics, attendance, a discussion record and a vote
per topic; a passed vote becomes a decision. A decision's follow-up work is done as cases on the case engine
(协同办事); residents rate the outcome (评事).

Meetings, attendance and votes are this app's own small models (the activities app's meetings had not landed):
``Meeting`` carries what a general meeting would (time, place, notice, attendance), so that a later merge can
point ``Meeting`` at the activities app's meeting row and keep ``AgendaItem``, ``Vote`` and ``Decision`` here.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lianxin.core.visibility import ScopedModel


class CouncilKind(models.TextChoices):
    COMMUNITY = "community", _("Community council")
    VILLAGE = "village", _("Village council")


class MajorityBasis(models.TextChoices):
    PRESENT = "present", _("of those present")
    MEMBERS = "members", _("of all members")


class Council(ScopedModel):
    """A consultation council (议事会) of one community or village, with its rules.

    Quorum: at least ``quorum_percent`` % of the expected members present (in person or by proxy). Majority:
    more than ``majority_percent`` % of the votes of those present (or of all members) for. A village's major
    matters (四议两公开) always need at least two thirds present and more than half of those present for,
    whatever the council's own rules say.
    """

    scope_area = "area__path"

    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="councils", verbose_name=_("area"))
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=CouncilKind.choices, default=CouncilKind.COMMUNITY)
    quorum_percent = models.PositiveSmallIntegerField(_("quorum (percent of members present)"), default=50)
    majority_percent = models.PositiveSmallIntegerField(_("majority (more than this percent for)"), default=50)
    majority_basis = models.CharField(_("majority counted"), max_length=10, choices=MajorityBasis.choices,
                                      default=MajorityBasis.PRESENT)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        ordering = ["area__path", "name", "pk"]

    def __str__(self):
        return self.name


class Seat(models.TextChoices):
    PARTY = "party", _("Party member representative")
    RESIDENT = "resident", _("Resident representative")
    COMMITTEES = "committees", _("Two committees (两委)")
    UNIT = "unit", _("Co-building unit")
    OWNERS = "owners", _("Owners' committee")
    PROPERTY = "property", _("Property company")


class CouncilMember(models.Model):
    """One seat holder of a council for a term. A member may be a resident without an account."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    seat = models.CharField(_("seat"), max_length=12, choices=Seat.choices)
    name = models.CharField(_("name"), max_length=60)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="council_seats", verbose_name=_("account"))
    org = models.ForeignKey("orgs.Org", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                            verbose_name=_("unit"))
    term_start = models.DateField(_("term from"))
    term_end = models.DateField(_("term until"), null=True, blank=True)

    class Meta:
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        ordering = ["council", "seat", "name", "pk"]

    def __str__(self):
        return f"{self.name} ({self.get_seat_display()})"

    def serves_on(self, day) -> bool:
        return self.term_start <= day and (self.term_end is None or day <= self.term_end)


class TopicStatus(models.TextChoices):
    OPEN = "open", _("Collecting support")
    SCHEDULED = "scheduled", _("On a meeting's agenda")
    DECIDED = "decided", _("Decided")
    REJECTED = "rejected", _("Not approved")
    DECLINED = "declined", _("Declined")
    MERGED = "merged", _("Merged")


class TopicSource(models.TextChoices):
    PHONE = "phone", _("Raised by a resident")
    GRID = "grid", _("Raised by a grid worker for a resident")
    MEETING = "meeting", _("Raised at a meeting")
    CASE = "case", _("From a case")


class Topic(ScopedModel):
    """A matter a resident raises (说事), anchored in the community, or in the grid of the grid worker who wrote it
    down (so that the grid worker keeps seeing it). ``author`` is who raised it (the resident, or the grid worker who
    wrote it down); ``for_resident`` the resident's name when written down for them (never shown publicly)."""

    scope_area = "area__path"

    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="topics", verbose_name=_("community"))
    council = models.ForeignKey(Council, on_delete=models.PROTECT, null=True, blank=True, related_name="topics",
                                verbose_name=_("council"))
    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(_("what it is about"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    photo = models.ForeignKey("core.StoredFile", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                              verbose_name=_("photo"))
    source = models.CharField(_("source"), max_length=10, choices=TopicSource.choices, default=TopicSource.PHONE)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="topics",
                               verbose_name=_("raised by"))
    for_resident = models.CharField(_("for resident"), max_length=60, blank=True)
    case = models.ForeignKey("cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("from case"))
    status = models.CharField(_("status"), max_length=10, choices=TopicStatus.choices, default=TopicStatus.OPEN)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="duplicates", verbose_name=_("merged into"))
    supports = models.PositiveIntegerField(_("supports"), default=0)
    created_at = models.DateTimeField(_("raised at"), db_index=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    @property
    def community(self):
        """The community (or village) of the topic: its area, or the area above a grid it was raised in."""
        return self.area.parent if self.area.kind == "grid" else self.area

    @classmethod
    def involvement_q(cls, user, action):
        """The author and followers (e.g. the author of a merged duplicate) see the topic."""
        if action != "view":
            return None
        return Q(author=user) | Q(pk__in=TopicFollower.objects.filter(user=user).values("topic_id"))


class TopicFollower(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "user"], name="consultation_follow_once")]

    def __str__(self):
        return f"{self.user_id} → {self.topic_id}"


class Support(models.Model):
    """A resident's 附议: once per person and topic."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="support_rows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "user"], name="consultation_support_once")]

    def __str__(self):
        return f"{self.user_id} → {self.topic_id}"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")


class Meeting(ScopedModel):
    """A council meeting (议事): an agenda of topics, attendance, per topic a discussion and a vote."""

    scope_area = "area__path"

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("council"))
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area"))
    title = models.CharField(_("title"), max_length=120)
    starts_at = models.DateTimeField(_("time"))
    place = models.CharField(_("place"), max_length=120, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    noticed_at = models.DateTimeField(_("notice sent"), null=True, blank=True)
    clerk = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("clerk"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-pk"]

    def __str__(self):
        return self.title


class Presence(models.TextChoices):
    EXPECTED = "expected", _("Expected")
    PRESENT = "present", _("Present")
    PROXY = "proxy", _("By proxy")
    ABSENT = "absent", _("Absent")


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="attendance")
    presence = models.CharField(_("attendance"), max_length=10, choices=Presence.choices, default=Presence.EXPECTED)
    proxy_name = models.CharField(_("proxy"), max_length=60, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="consultation_attend_once")]
        ordering = ["member__seat", "member__name", "pk"]

    def __str__(self):
        return f"{self.member} {self.presence}"

    @property
    def counts(self) -> bool:
        return self.presence in (Presence.PRESENT, Presence.PROXY)


class VoteMode(models.TextChoices):
    NAMED = "named", _("Named votes")
    TALLY = "tally", _("Show of hands (tally)")


class ItemOutcome(models.TextChoices):
    PENDING = "pending", _("Not voted yet")
    PASSED = "passed", _("Passed")
    REJECTED = "rejected", _("Not passed")


class AgendaItem(models.Model):
    """A topic on a meeting's agenda: the discussion record, the options, the vote and its outcome."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(default=1)
    major = models.BooleanField(_("village major matter (四议两公开)"), default=False)
    discussion = models.TextField(_("discussion record"), blank=True)
    options = models.TextField(_("options"), blank=True)
    vote_mode = models.CharField(_("vote"), max_length=6, choices=VoteMode.choices, default=VoteMode.TALLY)
    votes_for = models.PositiveSmallIntegerField(_("for"), default=0)
    votes_against = models.PositiveSmallIntegerField(_("against"), default=0)
    votes_abstain = models.PositiveSmallIntegerField(_("abstain"), default=0)
    outcome = models.CharField(_("outcome"), max_length=10, choices=ItemOutcome.choices, default=ItemOutcome.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "topic"], name="consultation_item_once")]

    def __str__(self):
        return f"{self.meeting} · {self.topic}"


class Choice(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstain")


class Vote(models.Model):
    """A named vote of a member on an agenda item (one per member)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="votes")
    choice = models.CharField(max_length=8, choices=Choice.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="consultation_vote_once")]

    def __str__(self):
        return f"{self.member} {self.choice}"


class Step(models.TextChoices):
    """四议两公开, in order. A regular decision goes straight to RESOLVED."""

    PROPOSAL = "proposal", _("Proposal by the party branch (提议)")
    CONSULTATION = "consultation", _("Consultation of the two committees (商议)")
    REVIEW = "review", _("Review by the party members' meeting (审议)")
    RESOLUTION = "resolution", _("Resolution of the villagers' (representatives') meeting (决议)")
    RESOLUTION_PUBLIC = "resolution_public", _("Resolution made public (决议公开)")
    RESULT_PUBLIC = "result_public", _("Results made public (实施结果公开)")


STEPS = [s.value for s in Step]


class Decision(ScopedModel):
    """What the council decided on a topic, and then its follow-up (cases) and the residents' ratings.

    For a village major matter the decision exists from its proposal and walks the six steps in order
    (StepRecord); its text and vote come from the resolution meeting. Otherwise it is created by a passed vote.
    """

    scope_area = "area__path"

    topic = models.OneToOneField(Topic, on_delete=models.PROTECT, related_name="decision")
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="decisions")
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area"))
    item = models.OneToOneField(AgendaItem, on_delete=models.PROTECT, null=True, blank=True, related_name="decision")
    major = models.BooleanField(_("village major matter (四议两公开)"), default=False)
    step = models.CharField(_("last step"), max_length=20, choices=Step.choices, blank=True)
    text = models.TextField(_("decision"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, db_index=True)
    objection_until = models.DateField(_("objections until"), null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.topic.title

    @property
    def decided(self) -> bool:
        return self.decided_at is not None


class StepRecord(models.Model):
    """One step of 四议两公开 with the record it needs (minutes, notice text), in order."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(max_length=20, choices=Step.choices)
    record = models.TextField(_("record"))
    meeting = models.ForeignKey(Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")

    class Meta:
        ordering = ["decision", "at", "pk"]
        constraints = [models.UniqueConstraint(fields=["decision", "step"], name="consultation_step_once")]

    def __str__(self):
        return f"{self.decision_id} {self.step}"


class DecisionTask(models.Model):
    """A follow-up case of a decision (办事). The case engine keeps lead unit, deadline and colour."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="tasks")
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="consultation_task")

    def __str__(self):
        return f"{self.decision_id} → {self.case_id}"


class Rating(models.Model):
    """A resident's rating of a decision's outcome (评事): 1–5, once per person."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="ratings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    stars = models.PositiveSmallIntegerField()
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["decision", "user"], name="consultation_rate_once"),
            models.CheckConstraint(condition=Q(stars__gte=1) & Q(stars__lte=5), name="consultation_stars_1_5"),
        ]

    def __str__(self):
        return f"{self.decision_id} {self.stars}"
