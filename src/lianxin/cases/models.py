"""The one closed-loop engine: events, appeals, hazards, key tasks, and what later modules configure."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.core.visibility import ScopedModel


class Stage(models.TextChoices):
    REPORTED = "reported", _("Reported")  # awaiting acceptance (立案)
    ACCEPTED = "accepted", _("Accepted")  # awaiting dispatch
    DISPATCHED = "dispatched", _("Dispatched")  # awaiting the handler's acceptance
    HANDLING = "handling", _("Handling")
    VERIFYING = "verifying", _("Verifying")  # handled, awaiting verification
    CLOSED = "closed", _("Closed")
    REFUSED = "refused", _("Not accepted")
    VOIDED = "voided", _("Voided")


OPEN_STAGES = (Stage.REPORTED, Stage.ACCEPTED, Stage.DISPATCHED, Stage.HANDLING, Stage.VERIFYING)
DONE_STAGES = (Stage.CLOSED, Stage.REFUSED, Stage.VOIDED)


class LimitStage(models.TextChoices):
    """The clocks a case runs: each stage of the loop has its own limit."""

    ACCEPT = "accept", _("Acceptance")
    DISPATCH = "dispatch", _("Dispatch")
    HANDLE = "handle", _("Handling")
    VERIFY = "verify", _("Verification")


# Which clock runs in which stage.
CLOCK_OF_STAGE = {
    Stage.REPORTED: LimitStage.ACCEPT,
    Stage.ACCEPTED: LimitStage.DISPATCH,
    Stage.DISPATCHED: LimitStage.HANDLE,
    Stage.HANDLING: LimitStage.HANDLE,
    Stage.VERIFYING: LimitStage.VERIFY,
}


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    EMERGENCY = "emergency", _("Emergency")


class Source(models.TextChoices):
    REPORT = "report", _("Resident or rider report")
    PATROL = "patrol", _("Grid worker patrol")
    HOTLINE = "hotline", _("Hotline")
    MEDIA = "media", _("Media")
    LEADER = "leader", _("Leader's instruction")
    VIDEO = "video", _("Video surveillance")
    VISIT = "visit", _("First secretary's visit")
    INSPECTION = "inspection", _("Inspection finding")


class Nature(models.TextChoices):
    """12345 request natures, for appeals."""

    CONSULT = "consult", _("Consultation")
    HELP = "help", _("Request for help")
    COMPLAINT = "complaint", _("Complaint")
    WHISTLEBLOW = "whistleblow", _("Report of wrongdoing")
    SUGGESTION = "suggestion", _("Suggestion")
    THANKS = "thanks", _("Thanks")


class HazardLevel(models.TextChoices):
    """隐患等级: a major hazard (重大隐患) is reported up at once and handled under supervision."""

    GENERAL = "general", _("General hazard")
    MAJOR = "major", _("Major hazard")


class CloseResult(models.TextChoices):
    FIXED = "fixed", _("Fixed")
    NOT_REMIT = "not_remit", _("Not our remit")
    NO_ACTION = "no_action", _("No further action possible")
    DUPLICATE = "duplicate", _("Duplicate")


class LimitUnit(models.TextChoices):
    MINUTES = "minutes", _("minutes")
    HOURS = "hours", _("hours")
    DAYS = "days", _("days")
    WORK_HOURS = "work_hours", _("working hours")
    WORK_DAYS = "work_days", _("working days")


class Category(models.Model):
    """Class (大类) → sub-class (小类). Cases are filed under a sub-class."""

    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
                               verbose_name=_("class"))
    code = models.CharField(_("code"), max_length=4, help_text=_("Two digits within its parent."))
    full_code = models.CharField(_("full code"), max_length=8, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    case_types = models.CharField(_("case types"), max_length=120, default="event,appeal,hazard",
                                  help_text=_("Comma-separated case type codes that may use this category."))
    acceptance_rule = models.TextField(_("acceptance rule"), blank=True)
    default_unit_kind = models.CharField(
        _("default handling unit"), max_length=60, blank=True,
        help_text=_("Name of the department that usually handles it, matched within the case's county."),
    )
    duplicate_radius_m = models.PositiveIntegerField(_("duplicate-search radius (m)"), default=100)
    confidential = models.BooleanField(
        _("confidential reporter"), default=False, help_text=_("Whistle-blowing: handlers never see the reporter."),
    )
    is_public = models.BooleanField(_("public"), default=True, help_text=_("Offered to residents and published."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["full_code"]

    def __str__(self):
        return f"{self.parent.label} / {self.label}" if self.parent_id else self.label

    def save(self, *args, **kwargs):
        self.full_code = f"{self.parent.code}{self.code}" if self.parent_id else self.code
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        from django.utils.translation import get_language

        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name

    def allows_type(self, type_code: str) -> bool:
        return type_code in {t.strip() for t in self.case_types.split(",")}


class TimeLimit(models.Model):
    """A stage's limit for a sub-category and urgency, optionally only at one level."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="limits")
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    stage = models.CharField(_("stage"), max_length=10, choices=LimitStage.choices)
    level = models.CharField(_("level"), max_length=16, blank=True,
                             help_text=_("Empty: every level; or county/town/community to override there."))
    amount = models.DecimalField(_("amount"), max_digits=7, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=12, choices=LimitUnit.choices)
    warn_fraction = models.DecimalField(_("warning window"), max_digits=3, decimal_places=2, default=0.25,
                                        help_text=_("The last part of the limit shown yellow, e.g. 0.25."))

    class Meta:
        verbose_name = _("time limit")
        verbose_name_plural = _("time limits")
        constraints = [models.UniqueConstraint(fields=["category", "urgency", "stage", "level"], name="limit_unique")]

    def __str__(self):
        return f"{self.category} {self.urgency} {self.stage}: {self.amount} {self.unit}"


class Case(ScopedModel):
    scope_area = "area__path"

    number = models.CharField(_("case number"), max_length=32, unique=True)
    type = models.CharField(_("type"), max_length=20, db_index=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="cases", verbose_name=_("category"))
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices, default=Source.REPORT)
    nature = models.CharField(_("nature"), max_length=12, choices=Nature.choices, blank=True)
    hazard_level = models.CharField(_("hazard level"), max_length=8, choices=HazardLevel.choices, blank=True)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="cases", verbose_name=_("area"))
    level = models.CharField(_("level"), max_length=16, help_text=_("The area level that owns the case now."))
    lng = models.FloatField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="reported_cases", verbose_name=_("reporter"))
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.REPORTED)
    close_result = models.CharField(_("result"), max_length=12, choices=CloseResult.choices, blank=True)
    parked = models.BooleanField(_("parked"), default=False)
    parked_remaining_min = models.FloatField(null=True, blank=True, editable=False)
    stage_started_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True, blank=True)
    warn_at = models.DateTimeField(null=True, blank=True)
    limit_working = models.BooleanField(default=False, editable=False)
    lead_org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="led_cases", verbose_name=_("lead unit"))
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="duplicates")
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rework_count = models.PositiveSmallIntegerField(default=0)
    extension_count = models.PositiveSmallIntegerField(default=0)
    supervise_count = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Whether the handling deadline had passed when the case closed (set by the closing move).
    closed_late = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["stage", "due_at"], name="case_stage_due_idx"),
            models.Index(fields=["category", "stage"], name="case_category_stage_idx"),
            models.Index(fields=["lng", "lat"], name="case_location_idx"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("cases:detail", args=[self.pk])

    @classmethod
    def involvement_q(cls, user, action):
        """Reporter, followers, the people it is dispatched to, and the units they act for."""
        if action != "view":
            return None
        from lianxin.core.trees import subtree_q
        from lianxin.core.visibility import user_grants

        assigned = Q(user=user)
        for g in user_grants(user):
            if g.org_id and g.role in HANDLER_ROLES:
                assigned |= subtree_q("org__path", g.org.path)
        return (Q(reporter=user) | Q(pk__in=Follower.objects.filter(user=user).values("case_id"))
                | Q(pk__in=Assignment.objects.filter(assigned).values("case_id")))

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES


# Roles that act for an org that a case is dispatched to (handlers see the cases of their unit).
HANDLER_ROLES = ("department_handler", "industry_committee_staff", "firm_handler", "volunteer")


class AssignmentStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting acceptance")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")
    FED_BACK = "fed_back", _("Feedback given")
    HANDED_OVER = "handed_over", _("Handed over")


class Assignment(models.Model):
    """A unit or person a case was dispatched to; the lead and any co-handlers each have one."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, null=True, blank=True, related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="assignments")
    is_lead = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=AssignmentStatus.choices, default=AssignmentStatus.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["user", "status"]), models.Index(fields=["org", "status"])]

    def __str__(self):
        return f"{self.case.number} → {self.user or self.org}"


ACTIVE_ASSIGNMENT = (AssignmentStatus.PENDING, AssignmentStatus.ACCEPTED, AssignmentStatus.FED_BACK)


def event_kinds():
    """CaseEvent.kind's choices: the moves of the flow table (cases.flow), the report, alerts, module kinds."""
    from .flow import kind_choices

    return kind_choices()


class CaseEvent(models.Model):
    """Append-only: every move is one event; the case's state is what its events add up to."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, db_index=True, choices=event_kinds)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    at = models.DateTimeField(db_index=True)
    from_stage = models.CharField(max_length=12, blank=True)
    to_stage = models.CharField(max_length=12, blank=True)
    # The deadline of the stage that was running when the move was made: "on time" is at <= stage_due_at.
    stage_due_at = models.DateTimeField(null=True, blank=True)
    # The case's clock and parked flag right after the move: statistics replay state at any past moment.
    due_after = models.DateTimeField(null=True, blank=True)
    parked_after = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    # Denormalised for statistics by area subtree and unit without joining cases.
    area_path = models.CharField(max_length=255, db_index=True)
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    attachments = models.ManyToManyField("core.StoredFile", blank=True, related_name="+")

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["kind", "at"], name="caseevent_kind_at_idx")]

    def __str__(self):
        return f"{self.case_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class Milestone(models.Model):
    """A key task's (重点任务) milestone with its own deadline; reached with evidence by the lead or a co-unit."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="milestones")
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("milestone"), max_length=120)
    due_at = models.DateTimeField(_("deadline"))
    warn_at = models.DateTimeField()
    done_at = models.DateTimeField(_("reached"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    evidence = models.TextField(_("evidence"), blank=True)

    class Meta:
        ordering = ["case", "order"]
        constraints = [models.UniqueConstraint(fields=["case", "order"], name="milestone_unique")]

    def __str__(self):
        return f"{self.case_id}.{self.order} {self.title}"


class InspectionRound(ScopedModel):
    """An inspection round (泗水's 互学互检: 明任务、查问题、抓整改、促提升) over a set of units; each finding is a
    rectification case (type ``finding``) dispatched to the unit, closed only after verification."""

    scope_area = "area__path"

    name = models.CharField(_("name"), max_length=120)
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="inspection_rounds",
                             verbose_name=_("area"), help_text=_("The county or town running the round."))
    tasks = models.TextField(_("what is inspected"), blank=True, help_text=_("明任务: the points checked."))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    units = models.ManyToManyField("orgs.Org", related_name="inspection_rounds", verbose_name=_("units inspected"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("inspection round")
        verbose_name_plural = _("inspection rounds")
        ordering = ["-starts_on", "-pk"]

    def __str__(self):
        return self.name


class Finding(models.Model):
    """One problem found at one unit in a round: its rectification is the case."""

    round = models.ForeignKey(InspectionRound, on_delete=models.PROTECT, related_name="findings")
    unit = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="finding")

    def __str__(self):
        return f"{self.round_id} {self.unit_id} {self.case_id}"


class Sweep(ScopedModel):
    """A named hazard sweep (排查), e.g. 冬季安全风险排查: a checklist per kind of place; every failed item of a
    check becomes a hazard case."""

    scope_area = "area__path"

    name = models.CharField(_("name"), max_length=120)
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="sweeps", verbose_name=_("area"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    checklist = models.JSONField(_("checklist"), default=dict, help_text=_("Kind of place → the items checked."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("hazard sweep")
        verbose_name_plural = _("hazard sweeps")
        ordering = ["-starts_on", "-pk"]

    def __str__(self):
        return self.name

    @classmethod
    def involvement_q(cls, user, action):
        """Grid workers take part in the sweeps run over their grid (by its community, town or county)."""
        if action not in ("view", "change"):
            return None
        from lianxin.core.visibility import user_grants

        above = {int(pk) for g in user_grants(user) if g.role == "grid_worker" and g.area_id
                 for pk in g.area.path.strip("/").split("/") if pk}
        return Q(area_id__in=above) if above else None


class SweepCheck(models.Model):
    """One place checked in a sweep: the items that failed are filed as hazards."""

    sweep = models.ForeignKey(Sweep, on_delete=models.PROTECT, related_name="checks")
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    place = models.CharField(_("place"), max_length=120)
    place_kind = models.CharField(_("kind of place"), max_length=20)
    failed = models.JSONField(default=list)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField()
    hazards = models.ManyToManyField(Case, related_name="sweep_checks", blank=True)

    class Meta:
        ordering = ["-checked_at", "-pk"]

    def __str__(self):
        return f"{self.sweep_id} {self.place}"


class Follower(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_cases")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="follower_unique")]

    def __str__(self):
        return f"{self.user_id} follows {self.case_id}"


class CaseCounter(models.Model):
    """Serial numbers per division-class-subclass prefix (the case-number layout of DOMAIN.md)."""

    prefix = models.CharField(max_length=16, unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.prefix}: {self.last}"


class EventTally(models.Model):
    """Statistics rollup (stats.py): how many events of one kind/outcome a local day or month had in an area.

    Derived only: rebuilt from CaseEvent at any time (``stats.rebuild_tallies``); days are sealed once over."""

    day = models.DateField()  # the day, or the first day of the month
    span = models.CharField(max_length=1)  # "d" or "m"
    area_path = models.CharField(max_length=255)
    case_type = models.CharField(max_length=20)
    kind = models.CharField(max_length=24)
    to_stage = models.CharField(max_length=12, blank=True)
    on_time = models.BooleanField()
    flag = models.CharField(max_length=40, blank=True)  # the kind's data flag as JSON text ("" when absent)
    late = models.CharField(max_length=40, blank=True)
    n = models.PositiveIntegerField()

    def __str__(self):
        return f"{self.span}{self.day} {self.area_path} {self.kind}: {self.n}"


class TallyState(models.Model):
    """The one row saying how far EventTally goes: every local day before ``sealed_until`` is counted, from
    events up to ``last_event_id`` (a later event dated before that day makes its days recounted)."""

    sealed_until = models.DateField(null=True)
    last_event_id = models.BigIntegerField(default=0)

    def __str__(self):
        return f"sealed until {self.sealed_until}"


class IdempotentCreate(models.Model):
    """A client's key for one create: a retry returns the same case; the same key with another body fails."""

    key = models.CharField(max_length=80)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body_hash = models.CharField(max_length=64)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotent_unique")]

    def __str__(self):
        return f"{self.key} → {self.case_id}"


class Patrol(ScopedModel):
    """A grid worker's patrol (巡查): when and where they walked; findings become cases in one step."""

    scope_area = "area__path"

    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="patrols",
                               verbose_name=_("grid worker"))
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="patrols", verbose_name=_("grid"))
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    note = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("patrol")
        verbose_name_plural = _("patrols")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.worker} {self.started_at:%Y-%m-%d %H:%M}"

    @classmethod
    def involvement_q(cls, user, action):
        return Q(worker=user) if action in ("view", "change") else None


class ResponseTemplate(models.Model):
    """A ready phrase staff pick when writing the note of a move (refusal reasons, feedback, urging)."""

    move = models.CharField(_("step"), max_length=24, db_index=True)
    text = models.CharField(_("text"), max_length=300)
    text_en = models.CharField(_("English text"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("response template")
        verbose_name_plural = _("response templates")
        ordering = ["move", "order", "pk"]

    def __str__(self):
        return f"{self.move}: {self.text}"

    @property
    def label(self) -> str:
        from django.utils.translation import get_language

        return self.text_en if self.text_en and (get_language() or "").startswith("en") else self.text
