"""Retired-cadre care: the retiree's profile, the "2+1" assignments (care cadre and family doctor) with their
history, and the per-person plan (一人一策). Contacts and visits themselves are duty plans of the duty engine
whose subject is the Retiree."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lianxin.core.visibility import ScopedModel
from lianxin.duties.subjects import SubjectVia


class Status(models.TextChoices):
    ACTIVE = "active", _("Active")
    HOSPITALISED = "hospitalised", _("In hospital")
    MOVED = "moved", _("Moved")
    DECEASED = "deceased", _("Deceased")


class ContactPreference(models.TextChoices):
    ANY = "", _("No preference")
    PHONE = "phone", _("Phone")
    VISIT = "visit", _("In person")
    ONLINE = "online", _("Online")


class AssignmentRole(models.TextChoices):
    CARE_CADRE = "care_cadre", _("Care cadre")
    FAMILY_DOCTOR = "family_doctor", _("Family doctor")


FLAGS = ("empty_nest", "living_alone", "limited_mobility", "chronic_illness")


class Retiree(SubjectVia, ScopedModel):
    """A retired cadre: anchored in the area of the person (where they live)."""

    scope_area = "person__area__path"
    subject_via = "person"  # name, area and area_id are the person's (a duty subject)
    # A liaison (联络员) is granted at the former unit: they reach its retirees wherever they live.
    scope_org = "unit__path"

    person = models.OneToOneField("people.Person", on_delete=models.CASCADE, related_name="retiree",
                                  verbose_name=_("person"))
    unit = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("former unit"))
    former_post = models.CharField(_("former post"), max_length=80, blank=True)
    level = models.CharField(_("level"), max_length=40, blank=True)
    retirement_date = models.DateField(_("retirement date"), null=True, blank=True)
    empty_nest = models.BooleanField(_("empty nest"), default=False)
    living_alone = models.BooleanField(_("living alone"), default=False)
    limited_mobility = models.BooleanField(_("limited mobility"), default=False)
    chronic_illness = models.BooleanField(_("chronic illness"), default=False)
    contact_preference = models.CharField(_("contact preference"), max_length=10, blank=True,
                                          choices=ContactPreference.choices)
    branch = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("party branch"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    status_since = models.DateField(_("status since"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("retiree")
        verbose_name_plural = _("retirees")
        ordering = ["pk"]

    def __str__(self):
        return self.person.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("care:detail", args=[self.pk])

    @property
    def needs_monthly_visits(self) -> bool:
        return self.living_alone or self.limited_mobility

    @property
    def flag_labels(self) -> list:
        return [self._meta.get_field(f).verbose_name for f in FLAGS if getattr(self, f)]

    @classmethod
    def involvement_q(cls, user, action):
        # The care cadre and family doctor currently assigned see the retiree; the care cadre also keeps
        # the per-person plan.
        roles = {"view": None, "plan": [AssignmentRole.CARE_CADRE]}
        if action not in roles:
            return None
        mine = Assignment.objects.filter(user=user, ended_on__isnull=True)
        if roles[action]:
            mine = mine.filter(role__in=roles[action])
        return Q(pk__in=mine.values("retiree_id"))


class Assignment(models.Model):
    """Who cares for a retiree in which role, from when to when ("2+1": one care cadre, one family doctor)."""

    retiree = models.ForeignKey(Retiree, on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField(_("role"), max_length=16, choices=AssignmentRole.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="care_assignments",
                             verbose_name=_("assigned to"))
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("care assignment")
        verbose_name_plural = _("care assignments")
        ordering = ["started_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["retiree", "role"], condition=Q(ended_on__isnull=True),
                                               name="care_assignment_one_current")]

    def __str__(self):
        return f"{self.retiree_id} {self.role} {self.user_id}"


class PlanEntry(models.Model):
    """One dated entry of the per-person plan (一人一策): need, measure, result, next step."""

    retiree = models.ForeignKey(Retiree, on_delete=models.CASCADE, related_name="plan_entries")
    on = models.DateField(_("date"))
    need = models.TextField(_("need"))
    measure = models.TextField(_("measure"), blank=True)
    result = models.TextField(_("result"), blank=True)
    next_step = models.TextField(_("next step"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("entered by"))
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("plan entry")
        verbose_name_plural = _("plan entries")
        ordering = ["-on", "-pk"]

    def __str__(self):
        return f"{self.retiree_id} {self.on:%Y-%m-%d}"


class RetirementItem(models.TextChoices):
    """The "六个一" retirement procedure: six things done for each cadre who retires."""

    NOTICE = "notice", _("A retirement notice")
    CEREMONY = "ceremony", _("An honour ceremony")
    SERVICE = "service", _("A service arrangement")
    VENUE = "venue", _("An activity venue")
    ROLE = "role", _("A role for contribution")
    TALK = "talk", _("A reminder talk")


class RetirementStep(models.Model):
    """One item of a retiree's "六个一" checklist, done on a date."""

    retiree = models.ForeignKey(Retiree, on_delete=models.CASCADE, related_name="retirement_steps")
    item = models.CharField(_("item"), max_length=16, choices=RetirementItem.choices)
    done_on = models.DateField(_("done on"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")

    class Meta:
        verbose_name = _("retirement step")
        verbose_name_plural = _("retirement steps")
        ordering = ["done_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["retiree", "item"], name="care_retirement_step_once")]

    def __str__(self):
        return f"{self.retiree_id} {self.item}"


class Liaison(models.Model):
    """A unit's liaison for its retired cadres (the roster per unit), from when to when."""

    unit = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="care_liaisons",
                             verbose_name=_("unit"))
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("liaison"))
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("retiree liaison")
        verbose_name_plural = _("retiree liaisons")
        ordering = ["unit", "started_on", "pk"]

    def __str__(self):
        return f"{self.unit_id} {self.person_id}"


class HealthEventKind(models.TextChoices):
    CHECKUP = "checkup", _("Health check-up")
    CLINIC = "clinic", _("Free clinic")
    TALK = "talk", _("Health talk")


class HealthEvent(ScopedModel):
    """A health check-up, free clinic or talk held for retirees in an area, with the retirees it covered."""

    scope_area = "area__path"

    kind = models.CharField(_("kind"), max_length=16, choices=HealthEventKind.choices)
    title = models.CharField(_("title"), max_length=120)
    held_on = models.DateField(_("held on"))
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area"))
    organiser = models.CharField(_("organiser"), max_length=120, blank=True,
                                 help_text=_("E.g. the county hospital, with medical insurance."))
    retirees = models.ManyToManyField(Retiree, blank=True, related_name="health_events",
                                      verbose_name=_("retirees covered"))
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("health event")
        verbose_name_plural = _("health events")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return self.title


class Occasion(models.TextChoices):
    SPRING_FESTIVAL = "spring_festival", _("Spring Festival")
    DOUBLE_NINTH = "double_ninth", _("Double Ninth Festival")
    OTHER = "other", _("Other occasion")


class GroupVisit(ScopedModel):
    """A festival visit (节日慰问) to a chosen group of retirees: one one-off visit duty per retiree, owed by
    their care cadre. Progress is read from those duties' obligations."""

    scope_area = "area__path"

    occasion = models.CharField(_("occasion"), max_length=20, choices=Occasion.choices)
    title = models.CharField(_("title"), max_length=120)
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area"))
    unit = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("former unit"))
    flags = models.CharField(_("circumstances"), max_length=120, blank=True,
                             help_text=_("Only retirees with all of these circumstances (comma-separated codes)."))
    start_on = models.DateField(_("visits from"))
    due_on = models.DateField(_("visits due by"))
    plans = models.ManyToManyField("duties.Plan", blank=True, related_name="+", verbose_name=_("duties"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField()
    client_key = models.CharField(max_length=80, blank=True)

    class Meta:
        verbose_name = _("festival visit")
        verbose_name_plural = _("festival visits")
        ordering = ["-due_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["created_by", "client_key"], condition=~Q(client_key=""),
                                               name="care_groupvisit_client_key_unique")]

    def __str__(self):
        return self.title

    @property
    def name(self) -> str:
        return self.title
