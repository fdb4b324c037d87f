"""Talent work (人才工作, after 汶上): the registry of talents by tier, the measures of "一人一策", county leaders'
liaison with experts (a yearly contact on the duty engine), green-channel requests (a case type), the demand pool
of employers, recruitment events and hires, talent apartments, and the subsidy and financing ledgers.

Money is stored as integer fen (分), never as a float: sums over any number of rows are exact.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lianxin.core import pii
from lianxin.core.visibility import ScopedModel
from lianxin.duties.subjects import SubjectVia


def yuan_to_fen(value) -> int:
    """"1234.56" or Decimal("1234.56") or 1234 → 123456 fen; more than two decimals is an error."""
    try:
        amount = Decimal(str(value).replace(",", "").replace("，", "").strip())
    except InvalidOperation as e:
        raise ValidationError(_("“%(v)s” is not an amount in yuan.") % {"v": value}) from e
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(_("An amount has at most two decimals (fen)."))
    return int((amount * 100).to_integral_value(rounding=ROUND_HALF_UP))


def fen_to_yuan(fen: int | None) -> Decimal:
    return (Decimal(fen or 0) / 100).quantize(Decimal("0.01"))


class Tier(models.Model):
    """A talent tier (人才层次): configurable, seeded with the county's six."""

    code = models.SlugField(_("code"), max_length=24, unique=True)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    rank = models.PositiveSmallIntegerField(_("rank"), default=10, help_text=_("Lower is higher."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("talent tier")
        verbose_name_plural = _("talent tiers")
        ordering = ["rank", "pk"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        from django.utils.translation import get_language

        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class TalentIndustry(models.TextChoices):
    EQUIPMENT = "equipment", _("High-end equipment")
    MATERIALS = "materials", _("New materials")
    BIOMEDICINE = "biomedicine", _("Biomedicine")
    AGRICULTURE = "agriculture", _("Modern agriculture")
    TEXTILES = "textiles", _("Textiles and garments")
    ELECTRONICS = "electronics", _("Electronics and information")
    CULTURE = "culture", _("Culture and tourism")
    EDUCATION = "education", _("Education")
    HEALTH = "health", _("Health care")
    OTHER = "other", _("Other")


class IntakeWay(models.TextChoices):
    FULL_TIME = "full_time", _("Introduced full-time")
    FLEXIBLE = "flexible", _("Introduced flexibly")
    RETURNED = "returned", _("Returned home")
    LOCAL = "local", _("Cultivated locally")


class Talent(SubjectVia, ScopedModel):
    """A person in the talent registry; name and area are the person's (a duty subject through them)."""

    subject_via = "person"
    scope_area = "person__area__path"

    person = models.OneToOneField("people.Person", on_delete=models.PROTECT, related_name="talent",
                                  verbose_name=_("person"))
    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="talents", verbose_name=_("tier"))
    field = models.CharField(_("field"), max_length=80, blank=True)
    industry = models.CharField(_("industry"), max_length=16, choices=TalentIndustry.choices,
                                default=TalentIndustry.OTHER)
    employer = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="talents", verbose_name=_("employer"))
    intake_date = models.DateField(_("intake date"), null=True, blank=True)
    intake_way = models.CharField(_("way of intake"), max_length=12, choices=IntakeWay.choices,
                                  default=IntakeWay.FULL_TIME)
    honours = models.TextField(_("honours"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("talent")
        verbose_name_plural = _("talents")
        ordering = ["tier__rank", "person__name", "pk"]

    def __str__(self):
        return self.person.name

    @classmethod
    def involvement_q(cls, user, action):
        # A county leader sees the experts they keep in touch with.
        if action != "view":
            return None
        return Q(pk__in=LiaisonLink.objects.filter(leader=user, until__isnull=True).values("talent_id"))


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    UNDER_WAY = "under_way", _("Under way")
    DONE = "done", _("Done")


class Measure(models.Model):
    """One arrangement of "一事一议 / 一人一策" for a talent: dated, with who is responsible and follow-ups."""

    talent = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="measures")
    title = models.CharField(_("measure"), max_length=120)
    detail = models.TextField(_("details"), blank=True)
    decided_on = models.DateField(_("decided on"))
    due_on = models.DateField(_("due"), null=True, blank=True)
    responsible = models.CharField(_("responsible"), max_length=80, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=MeasureStatus.choices,
                              default=MeasureStatus.PLANNED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-pk"]

    def __str__(self):
        return self.title


class FollowUp(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="follow_ups")
    on = models.DateField(_("date"))
    note = models.TextField(_("follow-up"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                           related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self):
        return f"{self.on} {self.note[:30]}"


class LiaisonLink(models.Model):
    """A county leader (an account) keeps in touch with an expert: one contact a year at least (duty engine)."""

    talent = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="liaisons")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="talent_liaisons",
                               verbose_name=_("county leader"))
    leader_post = models.CharField(_("post"), max_length=40, blank=True)
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["since", "pk"]
        constraints = [models.UniqueConstraint(fields=["talent", "leader"], condition=Q(until__isnull=True),
                                               name="talent_one_open_link")]

    def __str__(self):
        return f"{self.leader} ↔ {self.talent}"


class TalentRequest(models.Model):
    """An expert's green-channel request (人才接诉即办): the case on the case engine, and whose it is."""

    talent = models.ForeignKey(Talent, on_delete=models.PROTECT, related_name="requests")
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="talent_request")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return str(self.case)


# ------------------------------------------------------------------------------------------ demand pool


class DemandLevel(models.TextChoices):
    LEADING = "leading", _("Leading talent")
    SENIOR = "senior", _("Senior title / doctorate")
    INTERMEDIATE = "intermediate", _("Intermediate title / master")
    GRADUATE = "graduate", _("Graduate")
    SKILLED = "skilled", _("Skilled worker")


class DemandStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("talent demand", "Open")
    FILLED = "filled", _("Filled")
    CLOSED = "closed", pgettext_lazy("talent demand", "Closed")


class Demand(ScopedModel):
    """A line of the demand pool (需求库): an employer needs ``count`` people for a position."""

    scope_area = "area__path"

    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="talent_demands",
                             verbose_name=_("area"))
    employer = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="talent_demands",
                                 verbose_name=_("employer"))
    industry = models.CharField(_("industry"), max_length=16, choices=TalentIndustry.choices,
                                default=TalentIndustry.OTHER)
    position = models.CharField(_("position"), max_length=80)
    level = models.CharField(_("level"), max_length=14, choices=DemandLevel.choices, default=DemandLevel.GRADUATE)
    count = models.PositiveIntegerField(_("people needed"), default=1)
    status = models.CharField(_("status"), max_length=8, choices=DemandStatus.choices, default=DemandStatus.OPEN)
    posted_on = models.DateField(_("posted on"))
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("talent demand")
        verbose_name_plural = _("talent demands")
        ordering = ["-posted_on", "-pk"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return f"{self.employer.name} · {self.position}"


class EventMode(models.TextChoices):
    LIVE = "live", _("Live-streamed")
    ONSITE = "onsite", _("On site")


class RecruitmentEvent(ScopedModel):
    """A job fair (招聘会), live-streamed or on site, with the firms that took part and its applicants."""

    scope_area = "area__path"

    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="talent_events",
                             verbose_name=_("area"))
    name = models.CharField(_("title"), max_length=100)
    held_on = models.DateField(_("held on"))
    mode = models.CharField(_("form"), max_length=8, choices=EventMode.choices, default=EventMode.ONSITE)
    venue = models.CharField(_("venue or channel"), max_length=100, blank=True)
    firms = models.ManyToManyField("orgs.Org", blank=True, related_name="talent_events",
                                   verbose_name=_("participating firms"))
    applicants = models.PositiveIntegerField(_("applicants"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("recruitment event")
        verbose_name_plural = _("recruitment events")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return self.name


class Hire(ScopedModel):
    """Someone hired at an event, by a firm, filling a line of the demand pool (if any). Followed up after three
    and twelve months (one-off duties)."""

    scope_area = "area__path"

    event = models.ForeignKey(RecruitmentEvent, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="hires", verbose_name=_("event"))
    demand = models.ForeignKey(Demand, on_delete=models.PROTECT, null=True, blank=True, related_name="hires",
                               verbose_name=_("demand"))
    employer = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="talent_hires",
                                 verbose_name=_("employer"))
    # A match from the registry (a talent placed with the employer) rather than from an event.
    talent = models.ForeignKey(Talent, on_delete=models.PROTECT, null=True, blank=True, related_name="placements",
                               verbose_name=_("talent from the registry"))
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="talent_hires",
                             verbose_name=_("area"))
    name = models.CharField(_("name"), max_length=60)
    phone = models.CharField(_("mobile number"), max_length=11, blank=True)
    position = models.CharField(_("position"), max_length=80)
    hired_on = models.DateField(_("hired on"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hire")
        verbose_name_plural = _("hires")
        ordering = ["-hired_on", "-pk"]

    def __str__(self):
        return self.name

    @property
    def source(self):
        if self.event_id:
            return _("Recruitment event")
        return _("Talent registry") if self.talent_id else _("Other")

    @property
    def name_masked(self) -> str:
        return mask_name(self.name)

    @property
    def phone_masked(self) -> str:
        return pii.mask_mobile(self.phone)


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳明华 → 欧**华: what a public notice shows of a name."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


# ------------------------------------------------------------------------------------------ apartments


class Apartment(ScopedModel):
    """A unit of talent housing (人才公寓)."""

    scope_area = "area__path"

    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="talent_apartments",
                             verbose_name=_("area"))
    building = models.CharField(_("building"), max_length=60)
    unit = models.CharField(_("unit"), max_length=20)
    address = models.CharField(_("address"), max_length=200, blank=True)
    size_m2 = models.DecimalField(_("size (m²)"), max_digits=6, decimal_places=2)
    rooms = models.PositiveSmallIntegerField(_("rooms"), default=1)
    in_service = models.BooleanField(_("in service"), default=True)

    class Meta:
        verbose_name = _("talent apartment")
        verbose_name_plural = _("talent apartments")
        ordering = ["building", "unit", "pk"]
        constraints = [models.UniqueConstraint(fields=["building", "unit"], name="talent_apartment_unique")]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return f"{self.building} {self.unit}"


class Method(models.TextChoices):
    POINTS = "points", _("By points")
    LOTTERY = "lottery", _("By lottery")


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Taking applications")
    ALLOCATED = "allocated", _("Allocated")
    PUBLISHED = "published", _("Result published")


class AllocationRound(ScopedModel):
    """A round of apartment allocation with its published eligibility rules and method; a lottery (and the
    tie-break of points) is drawn from ``seed``, so anyone may redo the draw and get the same result."""

    scope_area = "area__path"

    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="talent_rounds",
                             verbose_name=_("area"))
    name = models.CharField(_("title"), max_length=100)
    method = models.CharField(_("allocation"), max_length=8, choices=Method.choices, default=Method.POINTS)
    seed = models.BigIntegerField(_("draw seed"))
    tiers = models.ManyToManyField(Tier, related_name="+", verbose_name=_("eligible tiers"))
    max_years_since_intake = models.PositiveSmallIntegerField(
        _("at most years since intake"), null=True, blank=True,
        help_text=_("Empty: no limit."))
    employer_in_area = models.BooleanField(_("employer in the area"), default=True,
                                           help_text=_("The talent's employer must be in the round's area."))
    units = models.ManyToManyField(Apartment, related_name="rounds", verbose_name=_("units offered"))
    term_months = models.PositiveSmallIntegerField(_("tenancy (months)"), default=36)
    status = models.CharField(_("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    allocated_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("allocation round")
        verbose_name_plural = _("allocation rounds")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.name


class Application(models.Model):
    round = models.ForeignKey(AllocationRound, on_delete=models.CASCADE, related_name="applications")
    talent = models.ForeignKey(Talent, on_delete=models.PROTECT, related_name="apartment_applications")
    points = models.PositiveIntegerField(_("points"), default=0)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    apartment = models.ForeignKey(Apartment, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["rank", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "talent"], name="talent_apply_once")]

    def __str__(self):
        return f"{self.round} · {self.talent}"


class Tenancy(models.Model):
    apartment = models.ForeignKey(Apartment, on_delete=models.PROTECT, related_name="tenancies")
    talent = models.ForeignKey(Talent, on_delete=models.PROTECT, related_name="tenancies")
    application = models.OneToOneField(Application, on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="tenancy")
    start_on = models.DateField(_("from"))
    end_on = models.DateField(_("until"))
    moved_in_on = models.DateField(_("moved in"), null=True, blank=True)
    ended_on = models.DateField(_("ended"), null=True, blank=True)

    class Meta:
        ordering = ["end_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["apartment"], condition=Q(ended_on__isnull=True),
                                               name="talent_one_tenancy_per_unit")]

    def __str__(self):
        return f"{self.apartment} · {self.talent}"


# ------------------------------------------------------------------------------------------ money


class SubsidyPolicy(models.TextChoices):
    SETTLING = "settling", _("Settling-in allowance")
    HOUSING = "housing", _("Housing subsidy")
    LIVING = "living", _("Living allowance")
    PROJECT = "project", _("Project funding")
    RECRUITMENT = "recruitment", _("Recruitment reward to employers")


class Subsidy(ScopedModel):
    """A subsidy granted (and, when paid, paid) under a policy, in fen."""

    scope_area = "area__path"

    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="talent_subsidies",
                             verbose_name=_("area"))
    policy = models.CharField(_("policy"), max_length=12, choices=SubsidyPolicy.choices)
    talent = models.ForeignKey(Talent, on_delete=models.PROTECT, null=True, blank=True, related_name="subsidies",
                               verbose_name=_("talent"))
    employer = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="talent_subsidies", verbose_name=_("employer"))
    granted_fen = models.BigIntegerField(_("granted (fen)"))
    granted_on = models.DateField(_("granted on"))
    paid_fen = models.BigIntegerField(_("paid (fen)"), default=0)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("subsidy")
        verbose_name_plural = _("subsidies")
        ordering = ["-granted_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(granted_fen__gt=0) & Q(paid_fen__gte=0)
                                              & Q(paid_fen__lte=models.F("granted_fen")),
                                              name="talent_subsidy_amounts")]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        who = self.talent.person.name if self.talent_id else (self.employer.name if self.employer_id else "")
        return f"{self.get_policy_display()} · {who}"

    @property
    def granted_yuan(self) -> Decimal:
        return fen_to_yuan(self.granted_fen)

    @property
    def paid_yuan(self) -> Decimal:
        return fen_to_yuan(self.paid_fen)


class LoanProduct(models.TextChoices):
    TALENT = "talent", _("Talent loan (人才贷)")
    TRANSFER = "transfer", _("Technology transfer loan (科技成果转化贷)")
    IP_PLEDGE = "ip_pledge", _("IP pledge loan (知识产权质押贷)")


class Loan(ScopedModel):
    """Policy financing arranged for a talent or an employer, in fen."""

    scope_area = "area__path"

    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="talent_loans",
                             verbose_name=_("area"))
    product = models.CharField(_("product"), max_length=10, choices=LoanProduct.choices)
    bank = models.CharField(_("bank"), max_length=60)
    talent = models.ForeignKey(Talent, on_delete=models.PROTECT, null=True, blank=True, related_name="loans",
                               verbose_name=_("talent"))
    employer = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="talent_loans", verbose_name=_("employer"))
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    arranged_on = models.DateField(_("arranged on"))
    term_months = models.PositiveSmallIntegerField(_("term (months)"), default=12)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("policy loan")
        verbose_name_plural = _("policy loans")
        ordering = ["-arranged_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(amount_fen__gt=0), name="talent_loan_amount")]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        who = self.employer.name if self.employer_id else (self.talent.person.name if self.talent_id else "")
        return f"{self.get_product_display()} · {who}"

    @property
    def amount_yuan(self) -> Decimal:
        return fen_to_yuan(self.amount_fen)
