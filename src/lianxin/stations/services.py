"""The write path of stations: create, edit, photos, QR token rotation and check-ins. Atomic, attributed."""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from lianxin.accounts.models import User
from lianxin.areas import services as areas
from lianxin.areas.models import Area, AreaKind
from lianxin.core import clock
from lianxin.core.audit import actor_context
from lianxin.core.trees import subtree_q

from . import hours as opening
from .models import AMENITY_FIELDS, CheckIn, RetiredToken, Service, Station, StationKind, new_token

EDITABLE = ["kind", "name", "area", "org", "lng", "lat", "address", "hours", *AMENITY_FIELDS, "manager",
            "public_phone", "active"]

# Anonymous check-ins: at most this many per device cookie, and per network address, per station and window.
ANON_WINDOW = timedelta(hours=1)
ANON_PER_DEVICE = 3
ANON_PER_ADDRESS = 20
# Roles that may be named a station's manager (the manager keeps the station's record).
MANAGER_ROLES = ("station_manager", "community_staff", "grid_worker")


def place_area(kind: str, lng: float, lat: float) -> Area:
    """The area a station at this point belongs to: its grid for a red-sail station, else the community."""
    areas.check_point_in_city(lng, lat)
    grid = areas.locate(lng, lat)
    if grid is None:
        raise ValidationError(_("No grid covers this point: choose the area by hand."))
    if kind == StationKind.HONGFAN or grid.parent is None:
        return grid
    return grid.parent


def find_manager(username: str, area: Area) -> User:
    """The account named as manager: it must exist and hold a manager role whose area covers the station."""
    user = User.objects.filter(username__iexact=(username or "").strip(), is_active=True).first()
    if user is None:
        raise ValidationError(_("No active account “%(u)s”.") % {"u": username})
    for grant in user.grants.select_related("area"):
        if grant.role in MANAGER_ROLES and grant.area_id and area.path.startswith(grant.area.path):
            return user
    raise ValidationError(_("%(u)s is not a station manager, community staff member or grid worker of this "
                            "area.") % {"u": username})


def _clean(station: Station) -> None:
    if not -180 <= station.lng <= 180 or not -90 <= station.lat <= 90:
        raise ValidationError(_("Coordinates must be numbers."))
    areas.check_point_in_city(station.lng, station.lat)
    station.hours = [opening.normalise_day(h) for h in station.hours]
    if len(station.hours) != 7:
        raise ValidationError(_("Opening hours need one line per weekday."))
    if station.area.kind not in (AreaKind.COMMUNITY, AreaKind.GRID, AreaKind.TOWN):
        raise ValidationError(_("A station belongs to a town, community or grid."))
    if station.org_id and not station.org.area.path.startswith(station.area.path) \
            and not station.area.path.startswith(station.org.area.path):
        raise ValidationError(_("The host organisation is not in the station's area."))


@transaction.atomic
def create_station(*, actor, **fields) -> Station:
    station = Station(**{k: v for k, v in fields.items() if k in EDITABLE})
    _clean(station)
    with actor_context(actor):
        station.save()
    return station


@transaction.atomic
def update_station(station: Station, *, actor, **fields) -> Station:
    for key, value in fields.items():
        if key in EDITABLE:
            setattr(station, key, value)
    _clean(station)
    with actor_context(actor):
        station.save()
    return station


@transaction.atomic
def add_photo(station: Station, stored, *, actor) -> None:
    with actor_context(actor):
        station.photos.add(stored)


@transaction.atomic
def rotate_token(station: Station, *, actor) -> str:
    """A new QR token; the old one answers "this code was replaced" from now on."""
    station = Station.objects.select_for_update().get(pk=station.pk)
    now = clock.now()
    RetiredToken.objects.create(station=station, token=station.token, retired_at=now, retired_by=actor)
    station.token = new_token()
    station.token_rotated_at = now
    with actor_context(actor):
        station.save(update_fields=["token", "token_rotated_at", "updated_at"])
    return station.token


# ------------------------------------------------------------------------------------------- check-ins


def digest(value: str) -> str:
    """A keyed digest: limits can compare devices and addresses without storing them."""
    if not value:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()[:40]


@dataclass
class Outcome:
    checkin: CheckIn | None
    created: bool
    limited: str = ""  # "device" or "address" when an anonymous check-in was refused


def _hour(moment):
    return moment.replace(minute=0, second=0, microsecond=0)


def record_checkin(station: Station, service: str, *, user=None, device: str = "", address: str = "",
                   client_key: str | None = None, at=None) -> Outcome:
    """Record one service. A signed-in user: once per station, service and hour (a repeat returns the
    existing one). Anonymous: refused beyond the per-device and per-address limits of the window. A
    retried submission with the same ``client_key`` returns what the first one recorded."""
    if service not in Service.values:
        raise ValidationError(_("Choose a service."))
    if not station.active:
        raise ValidationError(_("This station is not in service at the moment."))
    at = at or clock.now()
    client_key = (client_key or "").strip()[:64] or None
    identified = user is not None and user.is_authenticated
    try:
        with transaction.atomic():
            # One writer per station at a time, so the limits below hold under concurrent scans.
            Station.objects.select_for_update().filter(pk=station.pk).first()
            if client_key:
                done = CheckIn.objects.filter(client_key=client_key).first()
                if done is not None:
                    return Outcome(done, False)
            if identified:
                done = CheckIn.objects.filter(station=station, user=user, service=service, hour=_hour(at)).first()
                if done is not None:
                    return Outcome(done, False)
            else:
                since = at - ANON_WINDOW
                recent = CheckIn.objects.filter(station=station, user__isnull=True, at__gt=since, at__lte=at)
                if device and recent.filter(device=device).count() >= ANON_PER_DEVICE:
                    return Outcome(None, False, "device")
                if address and recent.filter(address=address).count() >= ANON_PER_ADDRESS:
                    return Outcome(None, False, "address")
            checkin = CheckIn.objects.create(
                station=station, service=service, at=at, hour=_hour(at), user=user if identified else None,
                device="" if identified else device, address="" if identified else address, client_key=client_key)
            return Outcome(checkin, True)
    except IntegrityError:
        # Two taps raced past the check: the database constraint kept one; answer with it.
        done = CheckIn.objects.filter(Q(client_key=client_key) if client_key else Q(pk__in=[])).first()
        if done is None and identified:
            done = CheckIn.objects.filter(station=station, user=user, service=service, hour=_hour(at)).first()
        if done is None:
            raise
        return Outcome(done, False)


# ------------------------------------------------------------------------------------------- counts


def counts(checkins) -> dict:
    """Person-times of a check-in queryset: total, identified, anonymous and by service."""
    row = checkins.aggregate(total=Count("pk"), identified=Count("pk", filter=Q(user__isnull=False)))
    by_service = dict(checkins.order_by().values_list("service").annotate(n=Count("pk")))
    return {"total": row["total"], "identified": row["identified"], "anonymous": row["total"] - row["identified"],
            "by_service": by_service}


def in_subtree(qs, area: Area, lookup: str = "station__area__path"):
    return qs.filter(subtree_q(lookup, area.path))
