"""New-economy firms and party coverage (应建尽建): the firm's profile beside its Org, the append-only coverage
history, instructor assignments (their visits are duties on the duty engine), close-out items (销号, cases on
the case engine) and the "1+4+N" measures documents."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lianxin.core.pii import mask_mobile
from lianxin.core.visibility import ScopedModel
from lianxin.duties.subjects import SubjectVia


class Coverage(models.TextChoices):
    OWN = "own", _("Own organisation")  # 单独组建
    JOINT = "joint", _("Joint organisation")  # 联合组建
    TOWN = "town", _("Town fallback")  # 镇街兜底
    NONE = "none", _("Not covered")


# States in which a party organisation exists for the firm (组织覆盖).
ORG_COVERED = (Coverage.OWN, Coverage.JOINT)
# A firm with at least this many formal members is expected to form its own branch.
OWN_BRANCH_MIN = 3


class FirmProfile(SubjectVia, ScopedModel):
    """What the coverage ledger knows about a firm (an ``orgs.Org`` of kind firm), anchored where the firm is."""

    scope_area = "org__area__path"
    scope_org = "org__path"
    subject_via = "org"  # name, area and area_id are the firm's Org's (a duty subject)

    org = models.OneToOneField("orgs.Org", on_delete=models.PROTECT, related_name="firm_profile",
                               verbose_name=_("firm"))
    brand = models.CharField(_("platform / brand"), max_length=60, blank=True)
    is_headquarters = models.BooleanField(_("headquarters"), default=False,
                                          help_text=_("Unticked: a local branch or outlet of a firm."))
    headquarters = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="branches", verbose_name=_("headquarters firm"))
    workers = models.PositiveIntegerField(_("workers"), default=0)
    formal_members = models.PositiveIntegerField(_("formal party members"), default=0)
    probationary_members = models.PositiveIntegerField(_("probationary party members"), default=0)
    contact_name = models.CharField(_("contact person"), max_length=40, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    committee = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("industry party committee"),
                                  help_text=_("Responsible for the firm; by default the firm's parent organisation."))
    address = models.CharField(_("address"), max_length=200, blank=True)
    registered_on = models.DateField(_("in the ledger since"),
                                     help_text=_("Coverage rates of past months count the firm from this date."))
    # The current state: the last CoverageChange (kept here for lists; the history is the truth for the past).
    coverage = models.CharField(_("coverage"), max_length=8, choices=Coverage.choices, default=Coverage.NONE)
    covering_org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("covering organisation"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("firm profile")
        verbose_name_plural = _("firm profiles")
        ordering = ["org__name", "pk"]

    def __str__(self):
        return self.org.name

    @property
    def industry(self) -> str:
        return self.org.industry

    @property
    def contact_phone_masked(self) -> str:
        return mask_mobile(self.contact_phone)

    @property
    def members(self) -> int:
        return self.formal_members

    @classmethod
    def involvement_q(cls, user, action):
        # The instructor currently assigned sees the firm and logs visits to it, wherever the grant is.
        if action not in ("view", "log"):
            return None
        return Q(pk__in=InstructorAssignment.objects.filter(instructor=user, ended_on__isnull=True)
                 .values("firm_id"))


class CoverageChange(models.Model):
    """Append-only: each change of a firm's coverage state, with the organisation that covers it."""

    firm = models.ForeignKey(FirmProfile, on_delete=models.CASCADE, related_name="coverage_changes")
    on = models.DateField(_("effective on"), db_index=True)
    before = models.CharField(_("before"), max_length=8, choices=Coverage.choices, blank=True)
    after = models.CharField(_("after"), max_length=8, choices=Coverage.choices)
    covering_org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("covering organisation"))
    closeout = models.ForeignKey("CloseOutItem", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="coverage_changes", verbose_name=_("close-out item"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("changed by"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("coverage change")
        verbose_name_plural = _("coverage changes")
        ordering = ["on", "pk"]

    def __str__(self):
        return f"{self.firm_id} {self.before}→{self.after} {self.on}"


class InstructorAssignment(models.Model):
    """An instructor (党建工作指导员) assigned to a firm, from when to when; one current per firm."""

    firm = models.ForeignKey(FirmProfile, on_delete=models.CASCADE, related_name="assignments")
    instructor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="instructor_assignments", verbose_name=_("instructor"))
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("instructor assignment")
        verbose_name_plural = _("instructor assignments")
        ordering = ["started_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["firm"], condition=Q(ended_on__isnull=True),
                                               name="newgroups_one_current_instructor")]

    def __str__(self):
        return f"{self.firm_id} {self.instructor_id} {self.started_on}"


class CloseOutReason(models.TextChoices):
    UNCOVERED = "uncovered", _("No party coverage")
    BELOW_RULE = "below_rule", _("Coverage below the rule")


class CloseOutItem(ScopedModel):
    """A firm's coverage gap to close (销号): a case of type "closeout" on the case engine, owned by the industry
    party committee or the town, closed only with an organisation as evidence."""

    scope_area = "firm__org__area__path"
    scope_org = "firm__org__path"

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="closeout",
                                verbose_name=_("case"))
    firm = models.ForeignKey(FirmProfile, on_delete=models.PROTECT, related_name="closeouts",
                             verbose_name=_("firm"))
    reason = models.CharField(_("reason"), max_length=12, choices=CloseOutReason.choices)
    expected = models.CharField(_("expected coverage"), max_length=8, choices=Coverage.choices)
    owner_org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("owning committee"))
    owner_area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("owning town"))
    evidence_org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("evidence organisation"))
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("close-out item")
        verbose_name_plural = _("close-out items")
        ordering = ["-opened_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["firm"], condition=Q(closed_on__isnull=True),
                                               name="newgroups_one_open_closeout")]

    def __str__(self):
        return f"{self.case.number} {self.firm.name}"

    @property
    def number(self) -> str:
        return self.case.number

    @property
    def area(self):
        return self.firm.org.area

    @property
    def area_id(self):
        return self.firm.org.area_id

    @property
    def org(self):
        return self.firm.org

    @property
    def org_id(self):
        return self.firm.org_id

    @property
    def owner_label(self) -> str:
        return str(self.owner_org or self.owner_area or "")


class MeasureLevel(models.TextChoices):
    CITY = "city", _("City (the “1”)")
    INDUSTRY = "industry", _("Industry party committee (the “4”)")
    TOWN = "town", _("Town or street (the “N”)")


class MeasureDocument(ScopedModel):
    """A measures document (措施文件) of the "1+4+N" structure: the city working committee's, an industry party
    committee's, or a town's."""

    scope_area = "area__path"
    scope_org = "org__path"

    level = models.CharField(_("level"), max_length=10, choices=MeasureLevel.choices)
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                            verbose_name=_("issuing organisation"))
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area"))
    title = models.CharField(_("title"), max_length=160)
    number = models.CharField(_("document number"), max_length=60, blank=True)
    issued_on = models.DateField(_("issued on"))
    file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("file"))
    summary = models.TextField(_("summary"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("measures document")
        verbose_name_plural = _("measures documents")
        ordering = ["level", "-issued_on", "pk"]

    def __str__(self):
        return self.title

    @property
    def name(self) -> str:
        return self.title

    @classmethod
    def involvement_q(cls, user, action):
        # The city's measures (the "1") apply everywhere: whoever may read measures somewhere reads them.
        if action != "view":
            return None
        from lianxin.core.visibility import may_anywhere

        return Q(level=MeasureLevel.CITY) if may_anywhere(user, cls, "view") else None
