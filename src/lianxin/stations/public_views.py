"""Pages anyone may open without signing in: the station finder (list + tile-free map, amenity and open-now
filters, nearest first from the phone's location, navigation links) and the QR check-in page. They show
stations only: never a manager's name, an account or anything else personal."""

import math
import uuid

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lianxin.areas.coords import navigation_links
from lianxin.areas.models import place_labels
from lianxin.areas.svgmap import Projection, base_layer, spots
from lianxin.core import clock
from lianxin.core.resubmit import new_key
from lianxin.core.visibility import public

from . import queries, services
from .forms import CheckInForm
from .models import AMENITIES, Service

MAX_SHOWN = 60
DEVICE_COOKIE = "lx_station_device"
MAP_WIDTH, MAP_HEIGHT, MAP_PAD = 360, 240, 14
DOT_RADIUS = 9


def _point(request) -> tuple[float, float] | None:
    try:
        lng, lat = float(request.GET["lng"]), float(request.GET["lat"])
    except (KeyError, ValueError):
        return None
    if not (-180 <= lng <= 180 and -90 <= lat <= 90) or math.isnan(lng) or math.isnan(lat):
        return None
    return lng, lat


def _distance_text(metres: float) -> str:
    if metres < 1000:
        return _("%(m)d m") % {"m": round(metres / 10) * 10}
    return _("%(km).1f km") % {"km": metres / 1000}


def _map(rows, here) -> dict | None:
    """A small SVG of the shown stations (numbered as in the list) and the person's point over the county and town
    outlines: no tiles. Stations too close to tell apart share one spot, labelled with the first number and "+"."""
    points = [(r["station"].lng, r["station"].lat) for r in rows] + ([here] if here else [])
    if not points:
        return None
    box = (min(p[0] for p in points), min(p[1] for p in points), max(p[0] for p in points), max(p[1] for p in points))
    projection = Projection(box, width=MAP_WIDTH, pad=MAP_PAD, min_height=MAP_HEIGHT, max_height=MAP_HEIGHT,
                            min_span=1e-4)
    dots = [{"n": i + 1, "xy": projection.xy(r["station"].lng, r["station"].lat), "open": r["open"],
             "name": r["station"].name} for i, r in enumerate(rows)]
    merged = spots(dots, 2 * DOT_RADIUS + 2, xy=lambda d: d["xy"])
    markers = [(s.items[0]["xy"][0], s.items[0]["xy"][1], 12 if s.many else DOT_RADIUS) for s in merged]
    return {"width": MAP_WIDTH, "height": MAP_HEIGHT, "here": projection.xy(*here) if here else None,
            "base": base_layer(projection, queries.public_outlines(r["station"] for r in rows), avoid=markers),
            "spots": [{"xy": s.items[0]["xy"], "items": s.items, "open": any(d["open"] for d in s.items),
                       "label": f"{s.items[0]['n']}+" if s.many else str(s.items[0]["n"])} for s in merged]}


@public
def finder(request):
    chosen = [a for a in request.GET.getlist("amenity") if a in {key for key, _l in AMENITIES}]
    open_only = request.GET.get("open") == "1"
    here = _point(request)
    now = clock.now()
    rows = []
    for station in queries.public_stations(chosen):
        is_open = station.is_open(now)
        if open_only and not is_open:
            continue
        metres = queries.haversine_m(here[0], here[1], station.lng, station.lat) if here else None
        rows.append({"station": station, "open": is_open, "metres": metres,
                     "distance": _distance_text(metres) if metres is not None else ""})
    if here:
        rows.sort(key=lambda r: (r["metres"], r["station"].name))
    else:  # without a location: by place (county, town, community) and name
        rows.sort(key=lambda r: (r["station"].area.path, r["station"].name, r["station"].pk))
    total = len(rows)
    rows = rows[:MAX_SHOWN]
    # "county · town · community · grid", as on the case screens: same-named villages of two counties differ.
    places = place_labels(r["station"].area for r in rows)
    for r in rows:
        s = r["station"]
        r["nav"] = navigation_links(s.lng, s.lat, s.name)
        r["place"] = places[s.area_id]
    return render(request, "stations/find.html", {
        "rows": rows, "total": total, "capped": total > MAX_SHOWN, "max_shown": MAX_SHOWN, "here": here,
        "amenities": [(key, label, key in chosen) for key, label in AMENITIES],
        "open_only": open_only, "map": _map(rows, here), "now": now,
    })


# ------------------------------------------------------------------------------------------- check-in


def _device(request) -> tuple[str, bool]:
    """The device id from its cookie (a new one when missing: True means "set it")."""
    value = request.COOKIES.get(DEVICE_COOKIE, "")
    if value and len(value) <= 64 and value.isalnum():
        return value, False
    return uuid.uuid4().hex, True


def _with_device(response: HttpResponse, device: str, new: bool) -> HttpResponse:
    if new:
        response.set_cookie(DEVICE_COOKIE, device, max_age=365 * 24 * 3600, httponly=True, samesite="Lax")
    return response


@public
@require_http_methods(["GET", "POST"])
def checkin(request, token=None):
    if not token:
        return render(request, "stations/checkin_problem.html", {
            "message": _("Scan the QR code on a station's poster to record a service.")}, status=400)
    station, retired = queries.by_token(token)
    if station is None:
        if retired is not None:
            message = _("This QR code of %(name)s was replaced on %(day)s. Scan the new code at the station.") % {
                "name": retired.station.name, "day": timezone.localtime(retired.retired_at).date().isoformat()}
            return render(request, "stations/checkin_problem.html", {"message": message}, status=410)
        return render(request, "stations/checkin_problem.html", {
            "message": _("This code does not belong to any station. Scan the code on the station's poster.")},
            status=404)
    device, new_device = _device(request)
    context = {"station": station, "services": Service.choices,
               "identified": request.user.is_authenticated}
    if request.method == "POST":
        form = CheckInForm(request.POST)
        if not form.is_valid():
            context.update(error=_("Choose a service, then tap Record."), key=request.POST.get("key") or
                           new_key())
            return _with_device(render(request, "stations/checkin.html", context, status=400), device, new_device)
        try:
            outcome = services.record_checkin(
                station, form.cleaned_data["service"], user=request.user, device=services.digest(device),
                address=services.digest(request.META.get("REMOTE_ADDR", "")), client_key=form.cleaned_data["key"])
        except ValidationError as e:
            context.update(error=" ".join(e.messages), key=new_key())
            return _with_device(render(request, "stations/checkin.html", context, status=400), device, new_device)
        if outcome.limited:
            context.update(error=_("This phone has recorded several services here within the hour: please try "
                                   "again later.") if outcome.limited == "device" else
                           _("Many services were recorded from this network here within the hour: please try "
                             "again later."), key=new_key())
            return _with_device(render(request, "stations/checkin.html", context, status=429), device, new_device)
        context.update(done=outcome.checkin, repeated=not outcome.created, served=queries.served(station),
                       service_label=outcome.checkin.get_service_display())
        return _with_device(render(request, "stations/checkin_done.html", context), device, new_device)
    context.update(key=new_key(), open=station.is_open(), finder_url=reverse("stations:find"))
    return _with_device(render(request, "stations/checkin.html", context), device, new_device)
