"""Staff and organiser pages: the month calendar over an org or area subtree, today's activities (the
organiser's phone page), one activity (roster to tick, records, actions, history), the rotating sign-in QR,
minutes, postpone and cancel, the branches' meeting compliance and the monthly themes with their coverage."""

import calendar
from datetime import date, datetime, time, timedelta

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.areas.models import Area
from lianxin.core import clock, resubmit
from lianxin.core.trees import subtree_q
from lianxin.core.uploads import store_upload
from lianxin.core.visibility import can, ensure_created_in_scope, may_anywhere, scoped
from lianxin.orgs.models import Org
from lianxin.workdays.calendar import tz

from . import compliance, kinds, qr, queries, services
from .forms import ActivityForm, MinutesForm, PostponeForm, ReasonForm, ThemeForm
from .models import Activity, Participation, Status, Theme

PARTY_ORG_KINDS = ("branch", "general_branch", "temporary_branch", "party_committee")


def _local(moment: datetime) -> datetime:
    return moment.astimezone(tz())


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=tz())


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=tz())
    return start, start + timedelta(days=1)


def _month(request) -> date:
    try:
        y, m = (int(x) for x in request.GET.get("month", "").split("-"))
        return date(y, m, 1)
    except (TypeError, ValueError):
        return clock.today().replace(day=1)


def _subtree(request, qs, *, area_field="area__path", org_field="org__path"):
    """Narrow to ?area= or ?org= (a visible node) and ?q=; returns (qs, area, org)."""
    area = org = None
    if request.GET.get("area", "").isdigit():
        area = Area.objects.visible_to(request.user).filter(pk=request.GET["area"]).first()
    if request.GET.get("org", "").isdigit():
        org = Org.objects.visible_to(request.user).filter(pk=request.GET["org"]).first()
    if area is not None:
        qs = qs.filter(subtree_q(area_field, area.path))
    if org is not None:
        qs = qs.filter(subtree_q(org_field, org.path))
    return qs, area, org


@scoped(Activity, "view", kind="list")
def calendar_view(request, qs):
    """A month of activities over an area or organisation subtree, day by day."""
    month = _month(request)
    qs, area, org = _subtree(request, qs)
    if request.GET.get("q"):
        qs = qs.filter(title__icontains=request.GET["q"].strip())
    if request.GET.get("kind") in kinds.KINDS:
        qs = qs.filter(kind=request.GET["kind"])
    first = datetime.combine(month, time.min, tzinfo=tz())
    nxt = (month + timedelta(days=32)).replace(day=1)
    items = list(qs.filter(starts_at__gte=first, starts_at__lt=datetime.combine(nxt, time.min, tzinfo=tz()))
                 .select_related("org", "area", "theme").order_by("starts_at", "pk")[:2000])
    by_day: dict[date, list] = {}
    for a in items:
        by_day.setdefault(_local(a.starts_at).date(), []).append(a)
    weeks = [[{"day": d, "in_month": d.month == month.month, "items": by_day.get(d, [])} for d in week]
             for week in calendar.Calendar().monthdatescalendar(month.year, month.month)]
    prev = (month - timedelta(days=1)).replace(day=1)
    query = request.GET.copy()
    query.pop("month", None)
    return render(request, "activities/calendar.html", {
        "month": month, "weeks": weeks, "count": len(items), "area": area, "org": org,
        "prev": f"{prev:%Y-%m}", "next": f"{nxt:%Y-%m}", "query": query.urlencode(), "kinds": kinds.kind_choices(),
        "may_add": may_anywhere(request.user, Activity, "add"), "today": clock.today(),
        "held": sum(1 for a in items if a.status == Status.HELD),
    })


@scoped(Activity, "change", kind="list", subset=True)
def organiser(request, qs):
    """The organiser's phone page: today's activities, then the coming week's, then the last week's not yet
    recorded as held."""
    today = clock.today()
    lo, hi = _day_bounds(today)
    base = qs.select_related("org", "area").annotate(
        attended=Count("participants", filter=Q(participants__status=Participation.ATTENDED)))
    if request.GET.get("q"):
        base = base.filter(title__icontains=request.GET["q"].strip())
    return render(request, "activities/organiser.html", {
        "today": list(base.filter(starts_at__gte=lo, starts_at__lt=hi).order_by("starts_at")),
        "coming": list(base.filter(starts_at__gte=hi, starts_at__lt=hi + timedelta(days=7),
                                   status__in=(Status.PLANNED, Status.NOTIFIED)).order_by("starts_at")[:30]),
        "unfinished": list(base.filter(starts_at__lt=lo, starts_at__gte=lo - timedelta(days=14),
                                       status__in=(Status.PLANNED, Status.NOTIFIED)).order_by("-starts_at")[:30]),
        "may_add": may_anywhere(request.user, Activity, "add"),
    })


def _choices(user):
    orgs = Org.objects.visible_to(user).filter(is_active=True).order_by("path")
    areas = Area.objects.visible_to(user).filter(kind__in=("county", "town", "community")).order_by("path")
    return orgs, areas


@scoped(Activity, "add", kind="create")
def create(request):
    orgs, areas = _choices(request.user)
    initial = {"starts_at": datetime.combine(clock.today() + timedelta(days=1), time(9)),
               "ends_at": datetime.combine(clock.today() + timedelta(days=1), time(10))}
    if request.GET.get("kind") in kinds.KINDS:
        initial["kind"] = request.GET["kind"]
    form = ActivityForm(request.POST or None, orgs=orgs, areas=areas, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def write():
            activity = services.create_activity(
                actor=request.user, kind=d["kind"], title=d["title"], org=d["org"], area=d["area"],
                audience=d["audience"], seat_limit=d["seat_limit"], starts_at=_aware(d["starts_at"]),
                ends_at=_aware(d["ends_at"]), place=d["place"], agenda=d["agenda"])
            ensure_created_in_scope(request.user, activity)
            return activity

        try:
            with transaction.atomic():
                activity, created = resubmit.once(request, d["key"], write)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            if created:
                messages.success(request, _("Activity planned."))
            return redirect("activities:detail", activity.pk)
    return render(request, "lianxin/form.html", {"form": form, "title": _("Plan an activity"),
                                                  "back_url": reverse("activities:organiser")})


def _context(request, obj) -> dict:
    attendance = services.attendance(obj)
    minutes = queries.minutes_of(obj)
    missing = services.missing_records(obj)
    return {
        "obj": obj, "a": attendance, "minutes": minutes, "photos": list(minutes.photos.all()) if minutes else [],
        "missing": [kinds.RECORD_LABELS[m] for m in missing], "roster": list(queries.roster(obj)),
        "quorum": services.quorum(obj) if obj.spec.quorum else None, "may_change": can(request.user, obj, "change"),
        "events": list(obj.events.select_related("actor").order_by("at", "pk")),
        "seats_left": services.seats_left(obj), "started": obj.starts_at <= clock.now(),
    }


@scoped(Activity, "view")
def detail(request, obj):
    return render(request, "activities/detail.html", _context(request, obj))


def _run(request, obj, action, success: str):
    try:
        action()
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return False
    messages.success(request, success)
    return True


@scoped(Activity, "view")
def sheet(request, obj):
    """The printable sign-in sheet with the minutes (PDF)."""
    from django.http import HttpResponse

    from . import sheet as pdf

    roster = [r for r in queries.roster(obj) if r.status not in (Participation.WITHDRAWN, Participation.WAITLISTED)]
    content = pdf.render_pdf(obj, roster, services.attendance(obj), queries.minutes_of(obj))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="activity-{obj.pk}-signin.pdf"'
    return response


@scoped(Activity, "change")
@require_POST
def notice(request, obj):
    def send():
        n = services.send_notice(obj, actor=request.user)
        messages.info(request, _("%(n)d people on the list were told.") % {"n": n})

    _run(request, obj, send, _("Notice sent."))
    return redirect("activities:detail", obj.pk)


@scoped(Activity, "change")
def signin(request, obj):
    """The rotating QR code, full screen on the organiser's phone; POST opens the sign-in."""
    if request.method == "POST":
        _run(request, obj, lambda: services.open_signin(obj, actor=request.user), _("Sign-in is open."))
        return redirect("activities:signin", obj.pk)
    return render(request, "activities/signin.html", {"obj": obj, **_qr_context(request, obj)})


def _qr_context(request, obj) -> dict:
    if obj.signin_opened_at is None or not obj.is_open:
        return {"url": "", "a": services.attendance(obj)}
    token = qr.token(obj)
    url = request.build_absolute_uri(reverse("activities:scan", kwargs={"activity": obj.pk, "token": token}))
    return {"url": url, "qr": segno.make(url, error="m").svg_data_uri(scale=6), "a": services.attendance(obj),
            "seconds": qr.seconds_left()}


@scoped(Activity, "change")
def qr_frame(request, obj):
    """The QR code and the counts, polled by the sign-in page (htmx) so the code rotates on screen."""
    return render(request, "activities/_qr.html", {"obj": obj, **_qr_context(request, obj)})


@scoped(Activity, "change")
@require_POST
def tick(request, obj):
    """The organiser's roster: tick present, take a tick back, or record an absence with its reason."""
    raw = request.POST.get("person", "")
    person = queries.roster(obj).filter(person_id=int(raw)).first() if raw.isdigit() else None
    if person is None:
        messages.error(request, _("Choose someone on the list."))
        return redirect("activities:detail", obj.pk)
    who = person.person
    op = request.POST.get("op")
    if op == "untick":
        _run(request, obj, lambda: services.untick(obj, who, actor=request.user),
             _("%(name)s is no longer marked present.") % {"name": who.name})
    elif op == "excuse":
        _run(request, obj, lambda: services.excuse(obj, who, actor=request.user, reason=request.POST.get("reason")),
             _("%(name)s is excused.") % {"name": who.name})
    else:
        _run(request, obj, lambda: services.sign_in(obj, who, actor=request.user, method="roster"),
             _("%(name)s is present.") % {"name": who.name})
    return redirect(reverse("activities:detail", args=[obj.pk]) + "#roster")


@scoped(Activity, "change")
def minutes(request, obj):
    current = queries.minutes_of(obj)
    form = MinutesForm(request.POST or None, request.FILES or None,
                       initial={"text": current.text if current else "",
                                "resolutions": current.resolutions if current else ""})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                photos = [store_upload(f, owner=request.user, area=obj.area) for f in request.FILES.getlist("photos")]
                services.write_minutes(obj, actor=request.user, text=d["text"], resolutions=d["resolutions"],
                                       photos=photos)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Minutes saved."))
            return redirect("activities:detail", obj.pk)
    return render(request, "lianxin/form.html", {
        "form": form, "title": _("Minutes of %(title)s") % {"title": obj.title},
        "back_url": reverse("activities:detail", args=[obj.pk])})


@scoped(Activity, "change")
@require_POST
def held(request, obj):
    _run(request, obj, lambda: services.mark_held(obj, actor=request.user), _("Recorded as held."))
    return redirect("activities:detail", obj.pk)


@scoped(Activity, "change")
def postpone(request, obj):
    start = _local(obj.starts_at) + timedelta(days=7)
    end = start + (obj.ends_at - obj.starts_at)
    form = PostponeForm(request.POST or None, initial={"starts_at": start.replace(tzinfo=None),
                                                       "ends_at": end.replace(tzinfo=None)})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _run(request, obj, lambda: services.postpone(obj, actor=request.user, starts_at=_aware(d["starts_at"]),
                                                          ends_at=_aware(d["ends_at"]), reason=d["reason"]),
                _("Postponed.")):
            return redirect("activities:detail", obj.pk)
    return render(request, "lianxin/form.html", {"form": form, "title": _("Postpone %(title)s") % {"title": obj.title},
                                                  "back_url": reverse("activities:detail", args=[obj.pk])})


@scoped(Activity, "change")
def cancel(request, obj):
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _run(request, obj, lambda: services.cancel(obj, actor=request.user, reason=form.cleaned_data["reason"]),
                _("Cancelled.")):
            return redirect("activities:detail", obj.pk)
    return render(request, "lianxin/form.html", {"form": form, "title": _("Cancel %(title)s") % {"title": obj.title},
                                                  "back_url": reverse("activities:detail", args=[obj.pk])})


# ------------------------------------------------------------------------------------------- compliance


@scoped(Activity, "view", kind="list", subset=True)
def compliance_view(request, qs):
    """The branches' routine meetings this period: blue / yellow / red per branch and kind."""
    branches = Org.objects.visible_to(request.user).filter(kind__in=compliance.BRANCH_KINDS, is_active=True)
    branches, area, org = _subtree(request, branches, org_field="path")
    if request.GET.get("q"):
        branches = branches.filter(name__icontains=request.GET["q"].strip())
    page = Paginator(branches.select_related("area").order_by("path"), 100).get_page(request.GET.get("page"))
    status = compliance.branch_status(page.object_list)
    owed = kinds.owed_kinds()
    rows = [{"branch": b, "cells": [(k.code, status[b.pk]["kinds"].get(k.code)) for k in owed],
             "overdue": status[b.pk]["overdue"], "colour": status[b.pk]["colour"]} for b in page]
    totals = {c: sum(1 for r in rows if r["colour"] == c) for c in ("blue", "yellow", "red", "missed", "fulfilled")}
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "activities/compliance.html", {
        "rows": rows, "owed": owed, "page": page, "totals": totals, "area": area, "org": org,
        "query": query.urlencode()})


# ------------------------------------------------------------------------------------------- themes


@scoped(Theme, "view", kind="list")
def themes(request, qs):
    if request.GET.get("q"):
        qs = qs.filter(title__icontains=request.GET["q"].strip())
    page = Paginator(qs.select_related("area").annotate(
        n=Count("activities", filter=Q(activities__status=Status.HELD))).order_by("-month", "area__path", "pk"),
        50).get_page(request.GET.get("page"))
    return render(request, "activities/themes.html", {"page": page,
                                                      "may_add": may_anywhere(request.user, Theme, "add")})


@scoped(Theme, "add", kind="create")
def theme_create(request):
    areas = Area.objects.visible_to(request.user).filter(kind__in=("city", "county", "town")).order_by("path")
    form = ThemeForm(request.POST or None, areas=areas, initial={"month": clock.today().replace(day=1)})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def write():
            theme = services.publish_theme(actor=request.user, area=d["area"], month=d["month"], title=d["title"],
                                           materials=d["materials"])
            ensure_created_in_scope(request.user, theme)
            return theme

        try:
            with transaction.atomic():
                theme, _created = resubmit.once(request, d["key"], write)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Theme published."))
            return redirect("activities:theme", theme.pk)
    return render(request, "lianxin/form.html", {"form": form, "title": _("Publish a monthly theme"),
                                                  "back_url": reverse("activities:themes")})


@scoped(Theme, "view")
def theme(request, obj):
    """A theme's coverage: the organisations that held an activity on it, with attendance."""
    held_qs = (Activity.objects.visible_to(request.user).filter(theme=obj, status=Status.HELD)
               .select_related("org", "area")
               .annotate(attended=Count("participants", filter=Q(participants__status=Participation.ATTENDED)))
               .order_by("area__path", "starts_at"))
    items = list(held_qs[:500])
    organisers = {(a.org_id, a.area_id) for a in items}
    return render(request, "activities/theme.html", {
        "obj": obj, "items": items, "organisers": len(organisers),
        "person_times": sum(a.attended for a in items)})
