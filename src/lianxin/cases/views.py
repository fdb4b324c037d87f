"""The case engine's own endpoints. The screens (dispatch board, case page, quick report) build on these."""

from datetime import date, datetime, time

from django import forms as djforms
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

from lianxin.areas import geo
from lianxin.areas.models import Area
from lianxin.core import clock
from lianxin.core.excel import Column, write_workbook, xlsx_response
from lianxin.core.trees import subtree_q
from lianxin.core.treeviews import top_nodes
from lianxin.core.uploads import store_upload
from lianxin.core.visibility import scoped
from lianxin.orgs.models import Org
from lianxin.workdays.calendar import tz

from . import services, targets
from .deadlines import Colour, colour_expression, colour_of, colour_q
from .models import (
    OPEN_STAGES,
    Case,
    Category,
    ResponseTemplate,
    Source,
    Stage,
    Urgency,
)
from .move_forms import FORMS, LABELS
from .stats import FIGURES, Scope, compute
from .types import TYPES, Move


def _day(text: str | None, default: date) -> date:
    if not text:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError as e:
        raise Http404(_("Dates are written YYYY-MM-DD.")) from e


def months_between(start: date, end: date):
    cursor = start.replace(day=1)
    while cursor < end:
        nxt = date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
        yield max(cursor, start), min(nxt, end)
        cursor = nxt


def stats_area(request, area_pk: str | None) -> Area:
    """The area whose statistics are asked for: one the user may see (404 otherwise)."""
    visible = Area.objects.visible_to(request.user)
    if area_pk:
        area = visible.filter(pk=area_pk).first() if area_pk.isdigit() else None
        if area is None:
            raise Http404
        return area
    area = top_nodes(visible).first()
    if area is None:
        raise PermissionDenied
    return area


@scoped(Case, "view", kind="list")
def stats_export(request, qs):
    today = clock.today()
    start = _day(request.GET.get("start"), date(today.year, 1, 1))
    end = _day(request.GET.get("end"), today)
    if end <= start or (end - start).days > 3 * 366:
        raise Http404(_("Choose a period of up to three years."))
    area = stats_area(request, request.GET.get("area"))
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



COLOURS = [
    (Colour.BLUE, gettext_lazy("Blue: on time")), (Colour.YELLOW, gettext_lazy("Yellow: deadline near")),
    (Colour.RED, gettext_lazy("Red: overdue")), (Colour.PARKED, gettext_lazy("Parked")),
    (Colour.CLOSED_ON_TIME, gettext_lazy("Closed on time")), (Colour.CLOSED_LATE, gettext_lazy("Closed late")),
]


class BoardFilter(djforms.Form):
    q = djforms.CharField(label=gettext_lazy("Case number or title"), required=False)
    stage = djforms.ChoiceField(label=gettext_lazy("Stage"), required=False)
    type = djforms.ChoiceField(label=gettext_lazy("Type"), required=False)
    category = djforms.ChoiceField(label=gettext_lazy("Category"), required=False)
    urgency = djforms.ChoiceField(label=gettext_lazy("Urgency"), required=False,
                                  choices=[("", gettext_lazy("All")), *Urgency.choices])
    colour = djforms.ChoiceField(label=gettext_lazy("Alert"), required=False,
                                 choices=[("", gettext_lazy("All")), *COLOURS])
    source = djforms.ChoiceField(label=gettext_lazy("Source"), required=False,
                                 choices=[("", gettext_lazy("All")), *Source.choices])
    area = djforms.ModelChoiceField(label=gettext_lazy("Area"), queryset=Area.objects.none(), required=False)
    unit = djforms.ModelChoiceField(label=gettext_lazy("Unit"), queryset=Org.objects.none(), required=False)
    open = djforms.BooleanField(label=gettext_lazy("Open cases only"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [("", gettext_lazy("All")), *Stage.choices]
        self.fields["type"].choices = [("", gettext_lazy("All")), *[(t.code, t.label) for t in TYPES.values()]]
        self.fields["category"].choices = [("", gettext_lazy("All"))] + [
            (c.pk, c.label) for c in Category.objects.filter(parent__isnull=True)]
        self.fields["area"].queryset = Area.objects.visible_to(user).exclude(kind="grid")
        self.fields["unit"].queryset = Org.objects.visible_to(user)


def filter_cases(qs, data: dict, now):
    """The board's filters; the same function serves the page, bulk actions and the Excel export."""
    qs = qs.annotate(colour=colour_expression(now))
    if data.get("q"):
        q = data["q"].strip()
        qs = qs.filter(number=q) if q.isdigit() else qs.filter(title__icontains=q)
    if data.get("open"):
        qs = qs.filter(stage__in=OPEN_STAGES)
    for key in ("stage", "type", "source", "urgency"):
        if data.get(key):
            qs = qs.filter(**{key: data[key]})
    if data.get("colour"):
        qs = qs.filter(colour_q(data["colour"], now))
    if data.get("category"):
        qs = qs.filter(category__parent_id=data["category"])
    if data.get("area"):
        qs = qs.filter(subtree_q("area__path", data["area"].path))
    if data.get("unit"):
        qs = qs.filter(lead_org=data["unit"])
    return qs


def board_rows(qs):
    return (qs.select_related("category", "category__parent", "area", "lead_org")
            .order_by(F("due_at").asc(nulls_last=True), "-pk"))


@scoped(Case, "view", kind="list")
def board(request, qs):
    form = BoardFilter(request.GET or None, user=request.user, initial={"open": True})
    data = form.cleaned_data if form.is_valid() else {"open": True}
    now = clock.now()
    page = Paginator(board_rows(filter_cases(qs, data, now)), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    for case in page:
        case.minutes_left = int((case.due_at - now).total_seconds() // 60) if case.due_at else None
    return render(request, "cases/board.html", {
        "form": form, "page": page, "query": query.urlencode(), "now": now,
        "units": targets_for_bulk(request.user),
    })


def targets_for_bulk(user):
    return Org.objects.visible_to(user).filter(kind__in=("department", "firm"))[:200]


@scoped(Case, "view", kind="list")
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
    for case in rows:
        case.minutes_left = int((case.due_at - now).total_seconds() // 60) if case.due_at else None
    return render(request, "cases/tasks.html", {"rows": rows})


EVENT_LABELS = {**LABELS, "report": gettext_lazy("Reported"), "alert": gettext_lazy("Deadline alert"),
                "edit": gettext_lazy("Edited by the reporter"), "withdraw": gettext_lazy("Withdrawn by the reporter")}


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
    svg = geo.svg_shapes(shown[:1]) if shown else None
    pin = _pin(case, shown[0]) if shown and case.lng is not None else None
    hide_reporter = services.reporter_hidden_from(case, request.user)
    return render(request, "cases/detail.html", {
        "case": case, "colour": colour_of(case, now), "events": _timeline(case),
        "assignments": case.assignments.select_related("org", "user", "user__person"),
        "moves": [(m, LABELS[m], forms[m], phrases.get(m, [])) for m in moves], "svg": svg, "pin": pin,
        "hide_reporter": hide_reporter, "minutes_left": int((case.due_at - now).total_seconds() // 60)
        if case.due_at else None,
        "before_photos": [f for e in case.events.filter(kind="report") for f in e.attachments.all()],
        "after_photos": [f for e in case.events.filter(kind=Move.FEEDBACK) for f in e.attachments.all()],
    })


def _pin(case, area):
    """The case's point in the same projection as the area's SVG outline."""
    import math

    (x0, y0, x1, y1) = geo.bounds(area.boundary)
    k = math.cos(math.radians((y0 + y1) / 2))
    width, height, pad = 480, 320, 8
    scale = min((width - 2 * pad) / max((x1 - x0) * k, 1e-9), (height - 2 * pad) / max(y1 - y0, 1e-9))
    return {"x": pad + (case.lng - x0) * k * scale, "y": pad + (y1 - case.lat) * scale}


def move_form(case, move, user, data=None, files=None):
    cls = FORMS[move]
    kwargs = {}
    if move in (Move.DISPATCH, Move.REDISPATCH):
        kwargs["targets"] = [(f"u{u.pk}", f"{u.display_name} ({_('person')})") for u in targets.dispatch_people(case)] \
            + [(f"o{o.pk}", f"{o.name}") for o in targets.dispatch_units(case)]
    if move == Move.RECATEGORIZE:
        kwargs["categories"] = targets.categories_for(case.type)
    initial = {"version": case.version}
    if move == Move.DISPATCH:
        unit = targets.suggested_unit(case)
        if unit:
            initial["lead"] = f"o{unit.pk}"
    return cls(data, files, initial=initial, prefix=move, **kwargs)


def perform_move(move, case, user, d, files):
    v = d["version"]
    note = d.get("note", "")
    photos = [store_upload(f, owner=user, area=case.area) for f in files.getlist(f"{move}-photos")] if files else []
    if move == Move.ACCEPT:
        return services.accept(case, actor=user, version=v, note=note, urgency=d.get("urgency") or None)
    if move == Move.REFUSE:
        return services.refuse(case, actor=user, reason=note, version=v)
    if move in (Move.DISPATCH, Move.REDISPATCH):
        lead = targets.resolve_target(case, d["lead"])
        if lead is None:
            raise ValidationError(_("Choose who handles the case."))
        if move == Move.REDISPATCH:
            return services.redispatch(case, actor=user, to=lead, version=v, note=note)
        co = [t for t in (targets.resolve_target(case, x) for x in d.get("co", [])) if t is not None and t != lead]
        return services.dispatch(case, actor=user, lead=lead, co_handlers=co, version=v, note=note)
    simple = {
        Move.HANDLER_ACCEPT: lambda: services.handler_accept(case, actor=user, version=v, note=note),
        Move.RETURN: lambda: services.return_case(case, actor=user, reason=note, version=v),
        Move.PROGRESS: lambda: services.progress(case, actor=user, note=note, photos=photos, version=v),
        Move.FEEDBACK: lambda: services.feedback(case, actor=user, note=note, photos=photos, version=v),
        Move.VERIFY: lambda: services.verify(case, actor=user, passed=d["passed"], note=note, version=v),
        Move.RATE: lambda: services.rate(case, actor=user, stars=d["stars"], note=note, version=v),
        Move.REVISIT: lambda: services.revisit(case, actor=user, fixed=d["fixed"], note=note, version=v),
        Move.EXTEND_REQUEST: lambda: services.request_extension(case, actor=user, work_days=d["work_days"],
                                                                reason=note, version=v),
        Move.EXTEND_DECIDE: lambda: services.decide_extension(case, actor=user, approve=d["approve"], note=note,
                                                              version=v),
        Move.SUPERVISE: lambda: services.supervise(case, actor=user, note=note, version=v),
        Move.ESCALATE: lambda: services.escalate(case, actor=user, reason=note, version=v),
        Move.PARK_REQUEST: lambda: services.request_park(case, actor=user, reason=note, version=v),
        Move.PARK_DECIDE: lambda: services.decide_park(case, actor=user, approve=d["approve"], note=note, version=v),
        Move.UNPARK: lambda: services.unpark(case, actor=user, note=note, version=v),
        Move.VOID_REQUEST: lambda: services.request_void(case, actor=user, reason=note, version=v),
        Move.VOID_DECIDE: lambda: services.decide_void(case, actor=user, approve=d["approve"], note=note, version=v),
        Move.CLOSE_WITHOUT_FIX: lambda: services.close_without_fix(case, actor=user, result=d["result"], reason=note,
                                                                   version=v),
    }
    if move in simple:
        return simple[move]()
    if move == Move.MERGE:
        original = Case.objects.visible_to(user).filter(number=d["into"].strip()).first()
        if original is None:
            raise ValidationError(_("No case with that number is visible to you."))
        return services.merge(case, into=original, actor=user, version=v, note=note)
    if move == Move.RECATEGORIZE:
        category = next((c for c in targets.categories_for(case.type) if str(c.pk) == d["category"]), None)
        if category is None:
            raise ValidationError(_("Choose a sub-category."))
        return services.recategorize(case, actor=user, category=category, version=v, note=note)
    raise Http404


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


@scoped(Case, "view", kind="list")
def export(request, qs):
    form = BoardFilter(request.GET or None, user=request.user)
    data = form.cleaned_data if form.is_valid() else {}
    now = clock.now()
    rows = board_rows(filter_cases(qs, data, now))[:20000]
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


