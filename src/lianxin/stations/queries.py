"""Reads that are not one user's scoped view: the public finder (active stations only, no personal data)
and the QR token lookup. Views import these instead of touching the plain managers."""

import math

from lianxin.areas.models import Area, AreaKind

from .models import CheckIn, RetiredToken, Station

EARTH_RADIUS_M = 6_371_008.8


def haversine_m(lng1: float, lat1: float, lng2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def public_stations(amenities=()):
    """Stations in service, with the fields the public may see."""
    qs = Station.objects.filter(active=True).select_related("area")
    for key in amenities:
        qs = qs.filter(**{key: True})
    # The area's path is enough: the finder names the place with areas.models.place_labels, in one query.
    return qs.only("pk", "kind", "name", "lng", "lat", "address", "hours", "public_phone", "active", "area__name",
                   "area__path", "area__kind",
                   *(f for f in ("water", "microwave", "charging", "seats", "first_aid", "rain_gear", "toilet",
                                 "heating_cooling")))


def by_token(token: str) -> tuple[Station | None, RetiredToken | None]:
    """The station whose current QR token this is, or else the rotation that retired it."""
    station = Station.objects.filter(token=token).select_related("area").first() if token else None
    if station is not None:
        return station, None
    retired = RetiredToken.objects.filter(token=token).select_related("station").first() if token else None
    return None, retired


def served(station: Station) -> int:
    """Person-times served by a station (the figure shown after a check-in)."""
    return CheckIn.objects.filter(station=station).count()


def public_outlines(stations) -> list[Area]:
    """The counties and towns the stations lie in, with their outlines: the finder's base map. Administrative
    names and outlines are public; only those of places that hold a listed station are read."""
    wanted = {int(pk) for s in stations for pk in s.area.path.strip("/").split("/") if pk}
    return list(Area.objects.filter(pk__in=wanted, kind__in=[AreaKind.COUNTY, AreaKind.TOWN]).only(
        "pk", "kind", "name", "path", "boundary", "min_lng", "min_lat", "max_lng", "max_lat"))
