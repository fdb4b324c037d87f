"""Staff pages of stations: the list (search and filters), the station page (hours, amenities, photos, QR
code and poster, counts), create and edit, photo upload and QR token rotation."""

from datetime import date, datetime, time, timedelta

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.areas.coords import navigation_links
from lianxin.areas.models import Area, place_labels
from lianxin.core import clock, resubmit
from lianxin.core.trees import subtree_q
from lianxin.core.uploads import store_upload
from lianxin.core.visibility import can, ensure_created_in_scope, grant_paths, may_anywhere, scoped
from lianxin.orgs.models import Org
from lianxin.workdays.calendar import tz

from . import poster, services
from .forms import PhotoForm, StationFilter, StationForm
from .models import AMENITY_FIELDS, CheckIn, Service, Station


def checkin_url(request, station: Station) -> str:
    return request.build_absolute_uri(reverse("stations:checkin", kwargs={"token": station.token}))


def filter_stations(qs, data: dict):
    if data.get("q"):
        q = data["q"].strip()
        qs = qs.filter(Q(name__icontains=q) | Q(address__icontains=q) | Q(area__name__icontains=q))
    if data.get("kind"):
        qs = qs.filter(kind=data["kind"])
    if data.get("amenity") in AMENITY_FIELDS:
        qs = qs.filter(**{data["amenity"]: True})
    if data.get("active") in ("0", "1"):
        qs = qs.filter(active=data["active"] == "1")
    return qs


@scoped(Station, "view", kind="list")
def station_list(request, qs):
    filters = StationFilter(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    qs = (filter_stations(qs, data).select_related("area", "manager__person")
          .annotate(served=Count("checkins")).order_by("area__path", "name", "pk"))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    now = clock.now()
    places = place_labels(s.area for s in page)
    for s in page:
        s.open_now = s.is_open(now)
        s.place = places[s.area_id]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "stations/list.html", {
        "filters": filters, "page": page, "query": query.urlencode(),
        "may_add": may_anywhere(request.user, Station, "add"),
    })


def _month_start(d: date) -> date:
    return d.replace(day=1)


@scoped(Station, "view")
def station_detail(request, obj):
    checkins = CheckIn.objects.visible_to(request.user).filter(station=obj)
    today = clock.now().astimezone(tz()).date()
    month = datetime.combine(_month_start(today), time.min, tzinfo=tz())
    year = datetime.combine(today - timedelta(days=365), time.min, tzinfo=tz())
    total = services.counts(checkins)
    by_service = [(label, total["by_service"].get(value, 0)) for value, label in Service.choices]
    url = checkin_url(request, obj)
    return render(request, "stations/detail.html", {
        "obj": obj, "place": place_labels([obj.area])[obj.area_id], "open_now": obj.is_open(), "total": total,
        "by_service": by_service,
        "this_month": checkins.filter(at__gte=month).count(), "last_year": checkins.filter(at__gte=year).count(),
        "recent": checkins[:20],
        "photos": obj.photos.all(), "may_change": can(request.user, obj, "change"),
        "nav": navigation_links(obj.lng, obj.lat, obj.name), "checkin_url": url,
        "qr": segno.make(url, error="m").svg_data_uri(scale=4), "photo_form": PhotoForm(),
    })


def _choices(user, action: str):
    """Areas (town and below) and host firms offered in the form: those within the user's reach."""
    areas = Area.objects.visible_to(user).filter(kind__in=("town", "community", "grid"))
    if not user.is_superuser:
        q = Q(pk__in=[])
        for p in grant_paths(user, Station._meta.label_lower, action)[0]:
            q |= subtree_q("path", p)
        areas = areas.filter(q)
    orgs = Org.objects.visible_to(user).filter(kind="firm").order_by("name")
    return areas.order_by("path"), orgs


def _save(request, form, station=None):
    """Create or update from a valid form: (station, created), or (None, False) with the errors added to the form.

    A create submitted again with the same form key answers with the first station (created False)."""
    d = form.cleaned_data
    fields = {k: d[k] for k in ("kind", "name", "lng", "lat", "address", "public_phone", "active", "hours")}
    fields.update({key: key in d["amenities"] for key in AMENITY_FIELDS}, org=d["org"])

    def write(station):
        area = d["area"] or services.place_area(d["kind"], d["lng"], d["lat"])
        fields["area"] = area
        fields["manager"] = services.find_manager(d["manager"], area) if d["manager"] else None
        if station is None:
            station = services.create_station(actor=request.user, **fields)
            ensure_created_in_scope(request.user, station)
        else:
            station = services.update_station(station, actor=request.user, **fields)
            ensure_created_in_scope(request.user, station, "change")
        return station

    try:
        with transaction.atomic():
            if station is None:
                return resubmit.once(request, d["key"], lambda: write(None))
            return write(station), False
    except ValidationError as e:
        form.add_error(None, e)
        return None, False


@scoped(Station, "add", kind="create")
def station_create(request):
    areas, orgs = _choices(request.user, "add")
    form = StationForm(request.POST or None, areas=areas, orgs=orgs)
    if request.method == "POST" and form.is_valid():
        station, created = _save(request, form)
        if station is not None:
            if created:
                messages.success(request, _("Station saved."))
            return redirect("stations:detail", station.pk)
    return render(request, "lianxin/form.html", {"form": form, "title": _("New station"),
                                                  "back_url": reverse("stations:list")})


@scoped(Station, "change")
def station_edit(request, obj):
    areas, orgs = _choices(request.user, "change")
    form = StationForm(request.POST or None, areas=areas, orgs=orgs, station=obj,
                       initial=StationForm.initial_for(obj))
    if request.method == "POST" and form.is_valid():
        if _save(request, form, obj)[0] is not None:
            messages.success(request, _("Station saved."))
            return redirect("stations:detail", obj.pk)
    return render(request, "lianxin/form.html", {"form": form, "title": _("Edit %(name)s") % {"name": obj.name},
                                                  "back_url": reverse("stations:detail", args=[obj.pk])})


@scoped(Station, "change")
@require_POST
def photo_add(request, obj):
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, form.errors.as_text())
        return redirect("stations:detail", obj.pk)

    def add():
        stored = store_upload(form.cleaned_data["photo"], owner=request.user, area=obj.area)
        services.add_photo(obj, stored, actor=request.user)
        return stored

    try:
        with transaction.atomic():
            _stored, created = resubmit.once(request, form.cleaned_data["key"], add)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        if created:
            messages.success(request, _("Photo added."))
    return redirect("stations:detail", obj.pk)


@scoped(Station, "change")
@require_POST
def token_rotate(request, obj):
    services.rotate_token(obj, actor=request.user)
    messages.success(request, _("A new QR code was made. Print the new poster: the old code no longer works."))
    return redirect("stations:detail", obj.pk)


@scoped(Station, "view", sample={"file_id": "00000000-0000-0000-0000-000000000000"})
def photo(request, obj, file_id):
    """A photo of the station, to whoever may see the station (not every upload of its area)."""
    stored = obj.photos.filter(pk=file_id).first()
    if stored is None:
        return redirect("stations:detail", obj.pk)
    response = FileResponse(stored.file.open("rb"), content_type=stored.content_type)
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@scoped(Station, "view")
def station_poster(request, obj):
    pdf = poster.render_pdf(obj, checkin_url(request, obj))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="station-{obj.pk}-poster.pdf"'
    return response
