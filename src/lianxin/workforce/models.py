"""New-economy workers (riders, couriers, drivers), 双报到, the community 大党委, and propaganda campaigns.

Problems the workers report are cases (lianxin.cases); service requests of 双报到 are cases of this app's type
(types.py); the quarterly feedback to a member's firm is a duty plan (lianxin.duties). Nothing here copies them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lianxin.core.visibility import ScopedModel

WORKER_KINDS = ("rider", "courier", "ride_hailing_driver", "truck_driver")


class Worker(ScopedModel):
    """A worker's profile: anchored where they live (the community) and at their platform firm."""

    scope_area = "area__path"
    scope_org = "org__path"

    person = models.OneToOneField("people.Person", on_delete=models.PROTECT, related_name="worker",
                                  verbose_name=_("person"))
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="workers",
                            verbose_name=_("platform firm"))
    branch = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("branch / station"), help_text=_("An organisation below the firm."))
    branch_name = models.CharField(_("branch / station (name)"), max_length=80, blank=True,
                                   help_text=_("When the station is not in the organisation tree."))
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="workers",
                             verbose_name=_("residence community"))
    is_collector = models.BooleanField(_("problem collector"), default=False)
    is_promoter = models.BooleanField(_("policy promoter"), default=False)
    joined_on = models.DateField(_("registered on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("workers")
        ordering = ["person__name", "pk"]

    def __str__(self):
        return self.person.name

    @property
    def name(self) -> str:
        return self.person.name

    @property
    def station(self) -> str:
        return self.branch.name if self.branch_id else self.branch_name

    @classmethod
    def involvement_q(cls, user, action):
        return Q(person__account=user) if action == "view" else None


class GridLink(models.Model):
    """History of a worker serving as part-time grid worker (兼职网格员) of a grid: append-only but for the end.

    ``grant`` is the grid_worker role this link gave; None when the account already held it (then ending the
    link leaves that grant alone).
    """

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="grid_links")
    grid = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("grid"))
    grant = models.ForeignKey("accounts.RoleGrant", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    started_at = models.DateTimeField(_("from"))
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    ended_at = models.DateTimeField(_("to"), null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["worker"], condition=Q(ended_at__isnull=True),
                                               name="workforce_one_open_grid_link")]

    def __str__(self):
        return f"{self.worker} @ {self.grid}"


class RegKind(models.TextChoices):
    ORG = "org", _("Unit party organisation (reports where it sits)")
    MEMBER = "member", _("Party member (reports where they live)")


class RegStatus(models.TextChoices):
    ACTIVE = "active", _("Registered")
    ENDED = "ended", _("Ended")


class Registration(ScopedModel):
    """双报到: a unit's party organisation or a party member reports to a community."""

    scope_area = "area__path"
    scope_org = "org__path"

    kind = models.CharField(_("kind"), max_length=8, choices=RegKind.choices)
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                            verbose_name=_("unit"),
                            help_text=_("The reporting party organisation, or the member's firm."))
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("party member"))
    registered_on = models.DateField(_("registered on"))
    status = models.CharField(_("status"), max_length=8, choices=RegStatus.choices, default=RegStatus.ACTIVE)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    services = models.TextField(_("services taken on"), blank=True,
                                help_text=_("The service posts or projects claimed, one a line."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("double registration")
        verbose_name_plural = _("double registrations")
        ordering = ["-registered_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["person", "area"], condition=Q(status="active", person__isnull=False),
                                    name="workforce_member_reg_once"),
            models.UniqueConstraint(fields=["org", "area"], condition=Q(status="active", kind="org"),
                                    name="workforce_org_reg_once"),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        if self.kind == RegKind.MEMBER and self.person_id:
            return self.person.name
        return self.org.name if self.org_id else ""

    @property
    def service_lines(self) -> list[str]:
        return [s.strip() for s in self.services.splitlines() if s.strip()]

    @classmethod
    def involvement_q(cls, user, action):
        return Q(person__account=user) if action == "view" else None


class ServiceOrder(models.Model):
    """Which registration a 双报到 service case was given to (下单). The case itself holds the loop."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="dr_order")
    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="orders")
    created_at = models.DateTimeField()

    def __str__(self):
        return f"{self.case_id} → {self.registration_id}"


class CommitteeMember(ScopedModel):
    """A member unit of a community's 大党委 (big party committee) and the post its representative holds."""

    scope_area = "area__path"
    scope_org = "org__path"

    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=_("member unit"))
    representative = models.CharField(_("representative"), max_length=60, blank=True)
    post = models.CharField(_("post"), max_length=40, default="兼职委员")
    from_on = models.DateField(_("from"))
    to_on = models.DateField(_("to"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("big party committee member")
        verbose_name_plural = _("big party committee members")
        ordering = ["area__path", "-from_on", "pk"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.org.name

    @property
    def is_current(self) -> bool:
        from lianxin.core.clock import today

        return self.to_on is None or self.to_on >= today()


class Campaign(ScopedModel):
    """A propaganda campaign (政策宣讲): promoters deliver flyers with parcels and talk to households."""

    scope_area = "area__path"

    title = models.CharField(_("title"), max_length=120)
    theme = models.CharField(_("theme"), max_length=120, blank=True)
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    description = models.TextField(_("description"), blank=True)
    materials = models.ManyToManyField("core.StoredFile", blank=True, related_name="+", verbose_name=_("materials"))
    promoters = models.ManyToManyField(Worker, blank=True, related_name="campaigns", verbose_name=_("team"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("propaganda campaign")
        verbose_name_plural = _("propaganda campaigns")
        ordering = ["-starts_on", "-pk"]

    def __str__(self):
        return self.title

    @property
    def name(self) -> str:
        return self.title

    @classmethod
    def involvement_q(cls, user, action):
        return Q(promoters__person__account=user) if action == "view" else None


class Delivery(ScopedModel):
    """One delivery round of a promoter: households reached and flyers handed out with parcels."""

    scope_area = "area__path"

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="deliveries")
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("worker"))
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area"))
    done_on = models.DateField(_("date"))
    households = models.PositiveIntegerField(_("households reached"))
    flyers = models.PositiveIntegerField(_("flyers delivered with parcels"))
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    client_key = models.CharField(max_length=80, blank=True)
    entered_at = models.DateTimeField()

    class Meta:
        verbose_name = _("delivery log")
        verbose_name_plural = _("delivery logs")
        ordering = ["-done_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["actor", "client_key"], condition=~Q(client_key=""),
                                               name="workforce_delivery_key_once")]

    def __str__(self):
        return f"{self.worker} {self.done_on}"

    @classmethod
    def involvement_q(cls, user, action):
        return Q(worker__person__account=user) if action == "view" else None
