"""New-economy workers' stations (驿站): the registry (kind, host, place, hours, amenities, manager) and the
services recorded at them by scanning the station's QR code (check-ins, identified or anonymous)."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lianxin.core.visibility import ScopedModel

from . import hours as opening


class StationKind(models.TextChoices):
    XINXIN = "xinxin", _("Xinxin station (community service centre)")
    HONGFAN = "hongfan", _("Red-sail station (grid)")
    FIRM = "firm", _("Firm station")


# (field, label)
AMENITIES = [
    ("water", _("Drinking water")),
    ("microwave", _("Microwave")),
    ("charging", _("Charging")),
    ("seats", _("Rest seats")),
    ("first_aid", _("First-aid kit")),
    ("rain_gear", _("Umbrellas and rain gear")),
    ("toilet", _("Toilet")),
    ("heating_cooling", _("Heating and cooling")),
]
AMENITY_FIELDS = [a[0] for a in AMENITIES]


def new_token() -> str:
    return secrets.token_urlsafe(12)


def default_hours() -> list[str]:
    return ["08:00-20:00"] * 7


class Station(ScopedModel):
    """A station, anchored in the area that hosts it (community, grid) and optionally a host firm."""

    scope_area = "area__path"

    kind = models.CharField(_("kind"), max_length=10, choices=StationKind.choices)
    name = models.CharField(_("name"), max_length=100)
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="stations", verbose_name=_("area"))
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, null=True, blank=True, related_name="stations",
                            verbose_name=_("host organisation"))
    lng = models.FloatField(_("longitude (WGS-84)"))
    lat = models.FloatField(_("latitude (WGS-84)"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    hours = models.JSONField(_("opening hours"), default=default_hours)
    water = models.BooleanField(_("drinking water"), default=False)
    microwave = models.BooleanField(_("microwave"), default=False)
    charging = models.BooleanField(_("charging"), default=False)
    seats = models.BooleanField(_("rest seats"), default=False)
    first_aid = models.BooleanField(_("first-aid kit"), default=False)
    rain_gear = models.BooleanField(_("umbrellas and rain gear"), default=False)
    toilet = models.BooleanField(_("toilet"), default=False)
    heating_cooling = models.BooleanField(_("heating and cooling"), default=False)
    photos = models.ManyToManyField("core.StoredFile", blank=True, related_name="+", verbose_name=_("photos"))
    manager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="managed_stations", verbose_name=_("manager"))
    public_phone = models.CharField(_("service phone"), max_length=20, blank=True)
    active = models.BooleanField(_("active"), default=True)
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    token_rotated_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("station")
        verbose_name_plural = _("stations")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["active", "kind"])]

    def __str__(self):
        return self.name

    @classmethod
    def involvement_q(cls, user, action):
        # The account named as a station's manager keeps that station, wherever its grant is.
        return Q(manager=user) if action in ("view", "change") else None

    @property
    def amenities(self) -> list[tuple[str, object]]:
        return [a for a in AMENITIES if getattr(self, a[0])]

    def is_open(self, moment=None) -> bool:
        return self.active and opening.is_open(self.hours, moment)

    @property
    def hour_rows(self):
        return opening.display_rows(self.hours)


class RetiredToken(models.Model):
    """A QR token replaced by a rotation: scanning it says so instead of "unknown code"."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="retired_tokens")
    token = models.CharField(max_length=32, unique=True)
    retired_at = models.DateTimeField()
    retired_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    def __str__(self):
        return f"{self.station} ({self.retired_at:%Y-%m-%d})"


class Service(models.TextChoices):
    REST = "rest", _("Rest")
    CHARGE = "charge", _("Charge")
    WATER = "water", _("Water")
    FIRST_AID = "first_aid", _("First aid")
    RAIN_GEAR = "rain_gear", _("Rain gear")
    HEAT_COOL = "heat_cool", _("Warm up / cool down")




class CheckIn(ScopedModel):
    """One service recorded at a station: one person-time. ``user`` is set for a signed-in worker (at most
    one per station, service and hour); anonymous ones carry keyed digests of the device cookie and the
    address, never the raw values."""

    scope_area = "station__area__path"

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="checkins")
    service = models.CharField(_("service"), max_length=10, choices=Service.choices)
    at = models.DateTimeField(_("time"), db_index=True)
    hour = models.DateTimeField(editable=False)  # ``at`` truncated to the hour: the uniqueness window
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="station_checkins")
    device = models.CharField(max_length=64, blank=True, db_index=True)
    address = models.CharField(max_length=64, blank=True, db_index=True)
    client_key = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["station", "at"])]
        constraints = [
            models.UniqueConstraint(fields=["station", "user", "service", "hour"], condition=Q(user__isnull=False),
                                    name="stations_checkin_once_per_hour"),
        ]

    def __str__(self):
        return f"{self.station} {self.get_service_display()} {self.at:%Y-%m-%d %H:%M}"

    @property
    def identified(self) -> bool:
        return self.user_id is not None
