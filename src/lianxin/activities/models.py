"""Activities: everything that gathers people at a time and place (三会一课, 主题党日, care activities,
trainings, work meetings, study sessions, lessons), their participants (the roster: 应到 / 实到 / 请假),
minutes, history, and the monthly themes (一月一主题) published by a level."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lianxin.core.visibility import ScopedModel

from .kinds import KINDS, kind_choices


def new_seed() -> str:
    return secrets.token_hex(16)


class Status(models.TextChoices):
    PLANNED = "planned", _("Planned")
    NOTIFIED = "notified", _("Notice sent")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Audience(models.TextChoices):
    MEMBERS = "members", _("Members of an organisation")
    OPEN = "open", _("Open sign-up")
    LIST = "list", _("A chosen list of persons")


class Theme(ScopedModel):
    """A month's theme (一月一主题) published by a level (an area: city or county; optionally an industry
    committee or other organisation) with its materials. Activities below that level take it."""

    scope_area = "area__path"

    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    title = models.CharField(_("theme"), max_length=120)
    materials = models.TextField(_("materials"), blank=True)
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("level"))
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                            verbose_name=_("publishing organisation"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("monthly theme")
        verbose_name_plural = _("monthly themes")
        ordering = ["-month", "area__depth", "pk"]
        constraints = [models.UniqueConstraint(fields=["area", "month"], name="activities_theme_month")]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.title}"

    @property
    def name(self):
        return self.title


class Activity(ScopedModel):
    """One gathering. Organised by an organisation (a branch's meetings) or an area (a community's care
    activity); anchored in ``area`` (the organiser's area) and, with an organiser org, in that org."""

    scope_area = "area__path"
    scope_org = "org__path"

    kind = models.CharField(_("kind"), max_length=20, choices=kind_choices())
    title = models.CharField(_("title"), max_length=120)
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, null=True, blank=True, related_name="activities",
                            verbose_name=_("organiser"))
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="activities",
                             verbose_name=_("area"))
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices, default=Audience.MEMBERS)
    audience_org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("members of"))
    seat_limit = models.PositiveIntegerField(_("seats"), null=True, blank=True,
                                             help_text=_("Open sign-up: beyond this, a first-come waitlist."))
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=120)
    theme = models.ForeignKey(Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="activities",
                              verbose_name=_("theme"))
    agenda = models.TextField(_("agenda"), blank=True)
    # A care health event held as an activity: its sign-in is what the event covered (care reads the event).
    health_event = models.OneToOneField("care.HealthEvent", on_delete=models.SET_NULL, null=True, blank=True,
                                        related_name="activity", verbose_name=_("health event"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED,
                              db_index=True)
    notified_at = models.DateTimeField(_("notice sent at"), null=True, blank=True)
    signin_opened_at = models.DateTimeField(_("sign-in opened at"), null=True, blank=True)
    held_at = models.DateTimeField(_("recorded as held at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason"), max_length=200, blank=True)
    qr_seed = models.CharField(max_length=32, default=new_seed, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["kind", "status", "starts_at"], name="activity_kind_status_idx")]

    def __str__(self):
        return self.title

    @property
    def name(self):
        return self.title

    @property
    def spec(self):
        return KINDS[self.kind]

    @property
    def is_open(self) -> bool:
        return self.status in (Status.PLANNED, Status.NOTIFIED)


class Participation(models.TextChoices):
    INVITED = "invited", _("On the roster")
    REGISTERED = "registered", _("Signed up")
    WAITLISTED = "waitlisted", _("Waitlisted")
    EXCUSED = "excused", _("Excused (请假)")
    ATTENDED = "attended", _("Present")
    WITHDRAWN = "withdrawn", _("Withdrew")


# 应到: who is expected; 实到: who came.
EXPECTED = (Participation.INVITED, Participation.REGISTERED, Participation.EXCUSED, Participation.ATTENDED)


class Participant(models.Model):
    """A person on an activity's list; one row per person and activity, so person-times count once."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="activity_participations",
                               verbose_name=_("person"))
    status = models.CharField(_("status"), max_length=12, choices=Participation.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    voting = models.BooleanField(_("voting member"), default=False)
    joined_at = models.DateTimeField(_("on the list since"))
    signed_in_at = models.DateTimeField(_("signed in at"), null=True, blank=True)
    signin_method = models.CharField(
        _("signed in by"), max_length=8, blank=True,
        choices=[("qr", pgettext_lazy("sign-in", "QR code")), ("roster", pgettext_lazy("sign-in", "Roster"))])

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["joined_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["activity", "person"], name="activities_participant_once")]
        indexes = [models.Index(fields=["activity", "status", "joined_at"], name="participant_queue_idx")]

    def __str__(self):
        return f"{self.person} · {self.activity}"


class Minutes(models.Model):
    """What happened: the text, resolutions and photos (the records an activity needs to count as held)."""

    activity = models.OneToOneField(Activity, on_delete=models.CASCADE, related_name="minutes")
    text = models.TextField(_("minutes"), blank=True)
    resolutions = models.TextField(_("resolutions"), blank=True)
    photos = models.ManyToManyField("core.StoredFile", blank=True, related_name="+", verbose_name=_("photos"))
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self):
        return f"{self.activity}"


class Event(models.Model):
    """Append-only history of an activity: each step of its life, by whom, when, with the reason."""

    class Kind(models.TextChoices):
        PLANNED = "planned", _("Planned")
        NOTIFIED = "notified", _("Notice sent")
        SIGNIN_OPENED = "signin_opened", _("Sign-in opened")
        MINUTES = "minutes", _("Minutes written")
        HELD = "held", _("Held")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")
        PROMOTED = "promoted", _("Promoted from the waitlist")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.activity_id} {self.kind}"

