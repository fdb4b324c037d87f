"""First secretaries in villages (驻村第一书记, 嘉祥 X1/X2).

- Roster: ``SecretaryTerm`` (a first secretary in a village for a term, dispatched by the city or the county, with
  a work team); a hand-over ends one term and starts the next. Everything else is anchored in the village (an
  ``areas.Area`` of the community kind), never in the term, so a hand-over keeps the village's records.
- ``VillageProfile``: households, population, party members, 两委, collective income and its sources.
- 大走访: ``Household`` (light registry: head of household, must-visit categories, masked contact), the
  configurable ``MustVisitCategory`` (五必访) and ``MustAskQuestion`` (五必问) rows, the ``Visit`` log with its
  ``VisitAnswer`` rows (an answer may become a case on the case engine). Must-visit households owe a periodic
  visit on the duty engine (kind ``must_visit``).
- 大调研: ``SurveyItem`` (configurable checklist) and ``SurveyAnswer`` (append-only: the latest per village and
  item is the current answer, the rest its history).
- ``AssistancePlan`` (帮扶规划), ``IndustryProject`` (产业项目), ``ResearchReport`` (调研报告, reviewed).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lianxin.core.pii import mask_mobile
from lianxin.core.visibility import ScopedModel
from lianxin.duties.models import Frequency

INCOME_TARGET = Decimal("100000")  # yuan: a village's collective income target (大调研)


class Level(models.TextChoices):
    CITY = "city", _("Dispatched by the city")
    COUNTY = "county", _("Dispatched by the county")


class MustVisitCategory(models.Model):
    """A must-visit category (五必访); configuration, the five of the source by default."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=40)
    frequency = models.CharField(_("visit frequency"), max_length=12, choices=Frequency.choices,
                                 default=Frequency.QUARTERLY)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("must-visit category")
        verbose_name_plural = _("must-visit categories")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name


class MustAskQuestion(models.Model):
    """A must-ask question (五必问); configuration."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("question"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("must-ask question")
        verbose_name_plural = _("must-ask questions")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name


class SecretaryTerm(ScopedModel):
    """A first secretary's term in a village, with the work team (工作队) sent with them."""

    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("village"))
    secretary = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="secretary_terms",
                                  verbose_name=_("first secretary"))
    level = models.CharField(_("dispatching level"), max_length=8, choices=Level.choices, default=Level.COUNTY)
    unit = models.CharField(_("dispatching unit"), max_length=80, blank=True)
    start_on = models.DateField(_("term starts"))
    end_on = models.DateField(_("term ends"), null=True, blank=True)
    team = models.ManyToManyField("people.Person", blank=True, related_name="work_team_terms",
                                  verbose_name=_("work team"))
    previous = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="next_term", verbose_name=_("previous term"))
    handover_note = models.TextField(_("hand-over note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("first secretary's term")
        verbose_name_plural = _("first secretaries' terms")
        ordering = ["area__path", "-start_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["area"], condition=models.Q(end_on__isnull=True),
                                               name="villages_one_open_term")]

    def __str__(self):
        return f"{self.area.name} · {self.secretary.name}"

    @property
    def name(self) -> str:
        return self.secretary.name

    @property
    def current(self) -> bool:
        return self.end_on is None


class VillageProfile(ScopedModel):
    """What a village is: its size, party members, 两委 and collective income (yuan, Decimal)."""

    area = models.OneToOneField("areas.Area", on_delete=models.PROTECT, related_name="village_profile",
                                verbose_name=_("village"))
    households = models.PositiveIntegerField(_("households"), default=0)
    population = models.PositiveIntegerField(_("population"), default=0)
    party_members = models.PositiveIntegerField(_("party members"), default=0)
    committee_members = models.PositiveSmallIntegerField(_("members of the two committees (两委)"), default=0)
    committee_note = models.TextField(_("the two committees (两委)"), blank=True,
                                      help_text=_("Names and posts of the branch and village committee members."))
    income_year = models.PositiveSmallIntegerField(_("income year"), null=True, blank=True)
    collective_income = models.DecimalField(_("collective income (yuan)"), max_digits=12, decimal_places=2,
                                            default=Decimal("0"))
    income_sources = models.TextField(_("sources of collective income"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("village profile")
        verbose_name_plural = _("village profiles")
        ordering = ["area__path"]

    def __str__(self):
        return self.area.name

    @property
    def name(self) -> str:
        return self.area.name

    @property
    def meets_income_target(self) -> bool:
        return self.collective_income >= INCOME_TARGET


class Household(ScopedModel):
    """A household of the village (light: the head, the must-visit categories, a masked contact)."""

    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("village"))
    name = models.CharField(_("head of household"), max_length=40)
    phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    members = models.PositiveSmallIntegerField(_("members"), default=1)
    address = models.CharField(_("address"), max_length=80, blank=True)
    categories = models.ManyToManyField(MustVisitCategory, blank=True, related_name="households",
                                        verbose_name=_("must-visit categories"))
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["area__path", "name", "pk"]
        indexes = [models.Index(fields=["area", "name"], name="villages_household_area_idx")]

    def __str__(self):
        return self.name

    @property
    def masked_phone(self) -> str:
        return mask_mobile(self.phone) if self.phone else ""


class Visit(ScopedModel):
    """One visit to a household (民情日记), entered on the phone: answers to the must-ask questions, notes, a
    photo, and the device's time and location at submission."""

    class Method(models.TextChoices):
        VISIT = "visit", _("In person")
        PHONE = "phone", pgettext_lazy("method", "By phone")

    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("village"))
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="visits",
                                  verbose_name=_("household"))
    visitor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("visitor"))
    term = models.ForeignKey(SecretaryTerm, on_delete=models.PROTECT, null=True, blank=True, related_name="visits",
                             verbose_name=_("term"))
    method = models.CharField(_("method"), max_length=8, choices=Method.choices, default=Method.VISIT)
    visited_on = models.DateField(_("visited on"))
    notes = models.TextField(_("notes"), blank=True)
    photo = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("photo"))
    device_time = models.DateTimeField(_("device time"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-pk"]
        indexes = [models.Index(fields=["area", "visited_on"], name="villages_visit_area_idx")]

    def __str__(self):
        return f"{self.household.name} · {self.visited_on:%Y-%m-%d}"

    @property
    def name(self) -> str:
        return str(self)


class VisitAnswer(models.Model):
    """The answer to one must-ask question at a visit; a problem in it may become a case."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="answers", verbose_name=_("visit"))
    question = models.ForeignKey(MustAskQuestion, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("question"))
    text = models.TextField(_("answer"))
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("case"))

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["question__order", "pk"]
        constraints = [models.UniqueConstraint(fields=["visit", "question"], name="villages_one_answer")]

    def __str__(self):
        return f"{self.question.name}: {self.text[:30]}"


class SurveyItem(models.Model):
    """An item of the village survey checklist (大调研); configuration."""

    class Kind(models.TextChoices):
        YES_NO = "yes_no", _("Yes or no (yes meets the standard)")
        AMOUNT = "amount", _("Amount in yuan (against the target)")
        COUNT = "count", _("Number (against the target)")
        TEXT = "text", _("Text")

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("item"), max_length=80)
    kind = models.CharField(_("kind of answer"), max_length=8, choices=Kind.choices, default=Kind.YES_NO)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2, null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("survey item")
        verbose_name_plural = _("survey items")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name


class SurveyAnswer(ScopedModel):
    """One answer of a village to a survey item. Answers are never edited: a new answer supersedes the last,
    which stays as history."""

    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("village"))
    item = models.ForeignKey(SurveyItem, on_delete=models.PROTECT, related_name="answers", verbose_name=_("item"))
    yes = models.BooleanField(_("yes"), null=True, blank=True)
    number = models.DecimalField(_("number"), max_digits=12, decimal_places=2, null=True, blank=True)
    text = models.TextField(_("answer"), blank=True)
    evidence = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("evidence"))
    measures = models.TextField(_("measures (where short of the standard)"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("answered by"))
    answered_at = models.DateTimeField(_("answered at"))

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        ordering = ["area__path", "item__order", "-answered_at", "-pk"]
        indexes = [models.Index(fields=["area", "item", "answered_at"], name="villages_answer_idx")]

    def __str__(self):
        return f"{self.area.name} · {self.item.name}"

    @property
    def name(self) -> str:
        return str(self)

    @property
    def meets(self) -> bool | None:
        """Whether the answer meets the item's standard (None for text items)."""
        kind = self.item.kind
        if kind == SurveyItem.Kind.YES_NO:
            return bool(self.yes)
        if kind in (SurveyItem.Kind.AMOUNT, SurveyItem.Kind.COUNT):
            if self.item.target is None:
                return None
            return self.number is not None and self.number >= self.item.target
        return None

    @property
    def display(self) -> str:
        if self.item.kind == SurveyItem.Kind.YES_NO:
            return str(_("Yes")) if self.yes else str(_("No"))
        if self.item.kind in (SurveyItem.Kind.AMOUNT, SurveyItem.Kind.COUNT):
            return "" if self.number is None else f"{self.number.normalize():f}"
        return self.text


class Dossier(ScopedModel):
    """What plans, projects and reports share: the village, a title, an owner, dates and a document."""

    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("village"))
    title = models.CharField(_("title"), max_length=120)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("owner"))
    start_on = models.DateField(_("date"))
    end_on = models.DateField(_("until"), null=True, blank=True)
    document = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("document"))
    summary = models.TextField(_("summary"), blank=True)
    created_at = models.DateTimeField()

    class Meta:
        abstract = True
        ordering = ["-start_on", "-pk"]

    def __str__(self):
        return self.title

    @property
    def name(self) -> str:
        return self.title


class AssistancePlan(Dossier):
    """A village development plan or an annual plan (帮扶规划)."""

    class Kind(models.TextChoices):
        DEVELOPMENT = "development", _("Village development plan")
        ANNUAL = "annual", _("Annual plan")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.ANNUAL)

    class Meta(Dossier.Meta):
        verbose_name = _("assistance plan")
        verbose_name_plural = _("assistance plans")


class IndustryProject(Dossier):
    """An industry project (产业项目): stage, investment and expected income (yuan)."""

    class Stage(models.TextChoices):
        PLANNED = "planned", _("Planned")
        BUILDING = "building", _("Under construction")
        RUNNING = "running", _("In operation")
        STOPPED = "stopped", _("Stopped")

    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.PLANNED)
    investment = models.DecimalField(_("investment (yuan)"), max_digits=12, decimal_places=2, default=Decimal("0"))
    expected_income = models.DecimalField(_("expected yearly income (yuan)"), max_digits=12, decimal_places=2,
                                          default=Decimal("0"))

    class Meta(Dossier.Meta):
        verbose_name = _("industry project")
        verbose_name_plural = _("industry projects")


class ResearchReport(Dossier):
    """A research report (调研报告), reviewed by the town or the county."""

    class Review(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned for revision")

    review = models.CharField(_("review"), max_length=10, choices=Review.choices, default=Review.SUBMITTED)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("reviewer"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    class Meta(Dossier.Meta):
        verbose_name = _("research report")
        verbose_name_plural = _("research reports")
