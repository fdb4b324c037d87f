"""The duty engine: plans say who owes what to whom how often; obligations are what is due per period;
logs are what was done. Statuses (blue/yellow/red/missed/...) are derived from stored moments and now
(see ``status``), never stored.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lianxin.core.visibility import ScopedModel

from .kinds import label_of
from .periods import Frequency as Freq


class Frequency(models.TextChoices):
    MONTHLY = Freq.MONTHLY, _("Monthly")
    QUARTERLY = Freq.QUARTERLY, _("Quarterly")
    YEARLY = Freq.YEARLY, _("Yearly")
    EVERY_N_DAYS = Freq.EVERY_N_DAYS, _("Every N days")
    ONCE = Freq.ONCE, _("Once")


class Method(models.TextChoices):
    PHONE = "phone", _("Phone")
    VISIT = "visit", _("In person")
    ONLINE = "online", _("Online")


class Plan(ScopedModel):
    """A recurring (or one-off) obligation: who owes what kind of duty to which subject, how often."""

    scope_area = "area__path"

    title = models.CharField(_("title"), max_length=120, blank=True)
    kind = models.CharField(_("duty kind"), max_length=32, db_index=True)
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("subject type"))
    subject_id = models.PositiveBigIntegerField(_("subject"))
    subject = GenericForeignKey("subject_type", "subject_id")
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area"),
                             help_text=_("The subject's area; sets who is responsible for the plan."))
    # The owner: a named carer, or (without one) whoever holds ``owner_role`` at ``owner_org`` or the area.
    carer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="duty_plans", verbose_name=_("carer"))
    owner_org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("owning organisation"))
    owner_role = models.CharField(_("owning role"), max_length=40, blank=True)
    frequency = models.CharField(_("frequency"), max_length=16, choices=Frequency.choices)
    every_days = models.PositiveSmallIntegerField(_("every N days"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True, help_text=_("For a one-off duty."))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    # Periods ending on or before this date are never generated (moved forward when a paused plan resumes).
    generate_from = models.DateField(editable=False)
    grace_days = models.PositiveSmallIntegerField(
        _("grace days"), default=5,
        help_text=_("Days after a period ends during which a log dated inside it still counts."))
    warn_days = models.PositiveSmallIntegerField(
        _("warning days"), default=7, help_text=_("Days before the period ends when it shows as due soon."))
    active = models.BooleanField(_("active"), default=True)
    paused = models.BooleanField(_("paused"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("duty plan")
        verbose_name_plural = _("duty plans")
        ordering = ["pk"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="duty_plan_subject_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(frequency=Freq.EVERY_N_DAYS) | Q(every_days__gte=1), name="duty_plan_every_days"),
            models.CheckConstraint(condition=~Q(frequency=Freq.ONCE) | Q(due_date__isnull=False),
                                   name="duty_plan_once_due"),
            models.CheckConstraint(condition=Q(carer__isnull=False) | ~Q(owner_role=""), name="duty_plan_owner"),
        ]

    def __str__(self):
        return self.title or f"{label_of(self.kind)} · {self.get_frequency_display()}"

    @classmethod
    def involvement_q(cls, user, action):
        return Q(carer=user) if action == "view" else None


class Obligation(ScopedModel):
    """What one plan requires in one period. Generated idempotently: one row per (plan, period_start)."""

    scope_area = "area__path"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="obligations", verbose_name=_("plan"))
    # Copied from the plan when generated; re-assignment and moves update only open obligations.
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="duty_obligations", verbose_name=_("owner"))
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end (exclusive)"))
    warn_at = models.DateTimeField(_("due soon from"))
    due_at = models.DateTimeField(_("due at"))
    grace_until = models.DateTimeField(_("late entries accepted until"))
    paused = models.BooleanField(_("paused"), default=False)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    fulfilled_by = models.ForeignKey("DutyLog", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="fulfilled", verbose_name=_("fulfilled by"))
    fulfilled_at = models.DateTimeField(_("fulfilled at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        ordering = ["due_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "period_start"], name="obligation_period_unique")]
        indexes = [
            models.Index(fields=["owner", "due_at"], name="obligation_owner_due_idx"),
            models.Index(fields=["grace_until"], name="obligation_grace_idx"),
            models.Index(fields=["due_at"], name="obligation_due_idx"),
        ]

    def __str__(self):
        return f"{self.plan} {self.period_start:%Y-%m-%d}–{self.period_end:%Y-%m-%d}"

    @classmethod
    def involvement_q(cls, user, action):
        return Q(owner=user) if action == "view" else None

    @property
    def fulfilled_in_grace(self) -> bool:
        """Fulfilled by a log entered after the period ended but inside the grace window."""
        return self.fulfilled_at is not None and self.fulfilled_at > self.due_at


class DutyLog(ScopedModel):
    """A contact, visit or meeting that happened. Kept whether or not it fulfils an obligation."""

    scope_area = "area__path"

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, null=True, blank=True, related_name="logs",
                             verbose_name=_("plan"))
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area"))
    kind = models.CharField(_("duty kind"), max_length=32)
    method = models.CharField(_("method"), max_length=16, choices=Method.choices)
    done_on = models.DateField(_("done on"))
    notes = models.TextField(_("notes"), blank=True)
    photos = models.ManyToManyField("core.StoredFile", blank=True, related_name="+", verbose_name=_("photos"))
    device_time = models.DateTimeField(_("device time"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    entered_at = models.DateTimeField(_("entered at"), db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="duty_logs", verbose_name=_("logged by"))
    late = models.BooleanField(_("entered too late"), default=False,
                               help_text=_("Entered after the grace window of its period: kept, but counts for none."))
    client_key = models.CharField(max_length=80, blank=True)
    body_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("duty log")
        verbose_name_plural = _("duty logs")
        ordering = ["-entered_at", "-pk"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "done_on"], name="dutylog_subject_idx")]
        constraints = [models.UniqueConstraint(fields=["actor", "client_key"], condition=~Q(client_key=""),
                                               name="dutylog_client_key_unique")]

    def __str__(self):
        return f"{label_of(self.kind)} {self.done_on:%Y-%m-%d}"

    @classmethod
    def involvement_q(cls, user, action):
        return Q(actor=user) | Q(plan__carer=user) if action == "view" else None


class PlanEvent(models.Model):
    """Append-only history of a plan: created, re-assigned (with area moves), paused, resumed, ended."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        REASSIGNED = "reassigned", _("Re-assigned")
        PAUSED = "paused", _("Paused")
        RESUMED = "resumed", _("Resumed")
        ENDED = "ended", _("Ended")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    from_carer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    to_carer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    from_area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    to_area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    moved_obligations = models.PositiveIntegerField(default=0)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.plan_id} {self.kind} {self.at:%Y-%m-%d}"


class Reminder(models.Model):
    """A reminder sent to an obligation's owner when it turned yellow or red: at most one per colour."""

    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="reminders")
    colour = models.CharField(max_length=10)
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["obligation", "colour"], name="duty_reminder_once")]

    def __str__(self):
        return f"{self.obligation_id} {self.colour}"
