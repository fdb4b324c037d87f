"""The case engine's own endpoints. The screens (dispatch board, case page, quick report) build on these."""

from datetime import date, datetime, time

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from lianxin.areas import svgmap
from lianxin.areas.models import place_labels
from lianxin.core import clock
from lianxin.core.excel import Column, write_workbook, xlsx_response
from lianxin.core.visibility import may_anywhere, scoped
from lianxin.orgs.models import Org
from lianxin.workdays.calendar import tz

from . import services, targets
from .deadlines import colour_expression, colour_of, time_left
from .filters import COLOURS, CaseFilter
from .models import OPEN_STAGES, Case, ResponseTemplate, Stage
from .move_forms import EVENT_LABELS, FORMS, LABELS, move_form, perform_move
from .stats import FIGURES, Scope, compute, months_between, stats_area
from .types import TYPES, Move


def _day(text: str | None, default: date) -> date:
    if not text:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError as e:
        raise Http404(_("Dates are written YYYY-MM-DD.")) from e


@scoped(Case, "view", kind="list", staff=True)
def stats_export(request, qs):
    today = clock.today()
    start = _day(request.GET.get("start"), date(today.year, 1, 1))
    end = _day(request.GET.get("end"), today)
    if end <= start or (end - start).days > 3 * 366:
        raise Http404(_("Choose a period of up to three years."))
    area = stats_area(request.user, request.GET.get("area"))
    zone = tz()

    def moment(d: date) -> datetime:
        return datetime.combine(d, time.min, tzinfo=zone)

    scope = Scope(area_path=area.path, case_type=request.GET.get("type") or None)
    periods = list(months_between(start, end))
    results = [compute(moment(a), moment(b), scope) for a, b in periods]
    total = compute(moment(start), moment(end), scope)
    columns = [Column("figure", _("Figure"), width=28)]
    columns += [Column(f"m{i}", f"{a:%Y-%m}", width=12) for i, (a, _b) in enumerate(periods)]
    columns += [Column("total", _("Whole period"), width=14)]
    rows = [[str(label)] + [r[key] for r in results] + [total[key]] for key, label in FIGURES]
    content = write_workbook(columns, rows, title=_("Case statistics"))
    return xlsx_response(content, f"case-stats-{area.code}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx")


# ---------------------------------------------------------------- the dispatch board and the case page


def board_rows(qs):
    return (qs.select_related("category", "category__parent", "area", "lead_org")
            .order_by(F("due_at").asc(nulls_last=True), "-pk"))


@scoped(Case, "view", kind="list", staff=True)
def board(request, qs):
    now = clock.now()
    filters = CaseFilter(request.GET or None, qs, user=request.user, now=now)
    # Nothing asked, or a bad value: the open cases.
    cases = filters.qs if filters.is_valid() else filters.open_cases()
    page = Paginator(board_rows(cases), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    places = place_labels(case.area for case in page)
    for case in page:
        case.time_left = time_left(case, now)
        case.place = places[case.area_id]
    return render(request, "cases/board.html", {
        "form": filters.form, "page": page, "query": query.urlencode(), "now": now,
        "units": targets_for_bulk(request.user),
    })


def targets_for_bulk(user):
    return Org.objects.visible_to(user).filter(kind__in=("department", "firm"))[:200]


@scoped(Case, "view", kind="list", staff=True)
@require_POST
def bulk(request, qs):
    """Accept, or accept-and-dispatch, the selected cases; each through its own service call."""
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    action = request.POST.get("action")
    unit = Org.objects.visible_to(request.user).filter(pk=request.POST.get("unit") or 0).first()
    done, refused = 0, []
    for case in qs.filter(pk__in=ids):
        try:
            if action in ("accept", "accept_dispatch") and case.stage == Stage.REPORTED:
                case = services.accept(case, actor=request.user).case
            if action == "accept_dispatch":
                if unit is None:
                    raise ValidationError(_("Choose the unit to dispatch to."))
                services.dispatch(case, actor=request.user, lead=unit)
            done += 1
        except (ValidationError, PermissionDenied) as e:
            refused.append(f"{case.number}: {' '.join(getattr(e, 'messages', [str(e)]))}")
    if done:
        messages.success(request, ngettext("%(n)d case done.", "%(n)d cases done.", done) % {"n": done})
    for line in refused[:10]:
        messages.error(request, line)
    return redirect(request.POST.get("next") or reverse("cases:board"))


@scoped(Case, "view", kind="list", subset=True)
def my_tasks(request, qs):
    """The grid worker's terminal: what is dispatched to me or my unit, most urgent first."""
    now = clock.now()
    mine = qs.filter(pk__in=targets.assigned_to(request.user), stage__in=OPEN_STAGES)
    rows = list(board_rows(mine.annotate(colour=colour_expression(now)))[:100])
    places = place_labels(case.area for case in rows)
    for case in rows:
        case.time_left = time_left(case, now)
        case.place = places[case.area_id]
    return render(request, "cases/tasks.html", {"rows": rows})


def _timeline(case):
    events = list(case.events.select_related("actor", "actor__person").prefetch_related("attachments")
                  .order_by("at", "pk"))
    for e in events:
        e.label = EVENT_LABELS.get(e.kind, e.kind)
        if e.kind == "alert":
            e.label = gettext_lazy("Red alert: overdue") if e.data.get("colour") == "red" else \
                gettext_lazy("Yellow alert: deadline near")
    return events


@scoped(Case, "view")
def detail(request, obj):
    case = obj
    now = clock.now()
    moves = services.available_moves(request.user, case)
    forms = {m: move_form(case, m, request.user) for m in moves}
    phrases = {}
    for t in ResponseTemplate.objects.filter(is_active=True, move__in=moves):
        phrases.setdefault(t.move, []).append(t.label)
    shown = [a for a in [case.area, *case.area.ancestors()[-1:]] if a.boundary]
    svg = svgmap.outlines(shown[:1]) if shown else None
    pin = None
    if svg and svg["projection"] and case.lng is not None:  # the case's point in the outline's projection
        pin = dict(zip("xy", svg["projection"].xy(case.lng, case.lat), strict=True))
    hide_reporter = services.reporter_hidden_from(case, request.user)
    return render(request, "cases/detail.html", {
        "case": case, "colour": colour_of(case, now), "events": _timeline(case),
        "assignments": case.assignments.select_related("org", "user", "user__person"),
        "moves": [(m, LABELS[m], forms[m], phrases.get(m, [])) for m in moves], "svg": svg, "pin": pin,
        "hide_reporter": hide_reporter, "may_board": may_anywhere(request.user, Case, "view"),
        "place": place_labels([case.area])[case.area_id], "time_left": time_left(case, now),
        "before_photos": [f for e in case.events.filter(kind="report") for f in e.attachments.all()],
        "after_photos": [f for e in case.events.filter(kind=Move.FEEDBACK) for f in e.attachments.all()],
    })


@scoped(Case, "view", sample={"name": Move.ACCEPT})
@require_POST
def move(request, obj, name):
    if name not in FORMS:
        raise Http404
    if name not in services.available_moves(request.user, obj):
        # Usually the case moved on while the page was open: say so rather than show an error page.
        messages.error(request, _("“%(move)s” is not possible for you on this case now; it may have changed "
                                  "meanwhile.") % {"move": LABELS[name]})
        return redirect("cases:detail", pk=obj.pk)
    form = move_form(obj, name, request.user, request.POST, request.FILES)
    if form.is_valid():
        try:
            with transaction.atomic():
                perform_move(name, obj, request.user, form.cleaned_data, request.FILES)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        except services.MoveRefused as e:
            messages.error(request, str(e))
        else:
            messages.success(request, _("%(move)s: done.") % {"move": LABELS[name]})
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label if field in form.fields else ''} {' '.join(errors)}")
    return redirect("cases:detail", pk=obj.pk)


@scoped(Case, "view")
def notice(request, obj):
    """The printable supervision notice (督办通知单) of the latest supervision."""
    event = obj.events.filter(kind=Move.SUPERVISE).select_related("actor", "actor__person").order_by("-at").first()
    return render(request, "cases/notice.html", {"case": obj, "event": event,
                                                 "assignments": obj.assignments.select_related("org", "user")})


@scoped(Case, "view", kind="list", staff=True)
def export(request, qs):
    now = clock.now()
    filters = CaseFilter(request.GET or None, qs, user=request.user, now=now)
    # A bad value: every visible case, as before the filters.
    rows = board_rows(filters.qs if filters.is_valid() else filters.queryset)[:20000]
    columns = [Column("number", _("Case number"), width=18, text=True), Column("title", _("Title"), width=30),
               Column("type", _("Type")), Column("category", _("Category"), width=24), Column("stage", _("Stage")),
               Column("colour", _("Alert")), Column("area", _("Area"), width=20), Column("unit", _("Unit"), width=20),
               Column("reported", _("Reported at"), width=18), Column("due", _("Due"), width=18)]
    colour_names = dict(COLOURS)
    zone = tz()
    content = write_workbook(columns, (
        [c.number, c.title, str(TYPES[c.type].label), str(c.category), c.get_stage_display(),
         str(colour_names.get(c.colour, "")), c.area.name, c.lead_org.name if c.lead_org else "",
         c.created_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
         c.due_at.astimezone(zone).strftime("%Y-%m-%d %H:%M") if c.due_at else ""] for c in rows),
        title=_("Cases"))
    return xlsx_response(content, f"cases-{now.astimezone(zone):%Y%m%d-%H%M}.xlsx")


