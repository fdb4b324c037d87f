"""Pages of the coverage ledger: firms (list, page, forms), coverage rates and their history, close-out items,
the instructor's firms, the "1+4+N" measures, and the organisation department's statistics dashboard."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lianxin.core import clock, resubmit
from lianxin.core.clock import today
from lianxin.core.figures import RATES, shown
from lianxin.core.resubmit import new_key
from lianxin.core.uploads import store_upload
from lianxin.core.visibility import can, ensure_created_in_scope, may_anywhere, scoped
from lianxin.duties import services as duties
from lianxin.duties.status import with_status

from . import queries, services
from .forms import (
    AssignForm,
    CloseForm,
    CoverageForm,
    FirmCreateForm,
    FirmFilter,
    MeasureForm,
    ProfileForm,
    StatsForm,
    VisitForm,
)
from .models import CloseOutItem, FirmProfile, MeasureDocument, MeasureLevel
from .stats import FIGURES, GROUPS
from .stats import total as figures_total

PAGE = 50


def _errors(error) -> str:
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# ---------------------------------------------------------------- firms


@scoped(FirmProfile, "view", kind="list")
def firm_list(request, qs):
    filters = FirmFilter(request.GET or None, user=request.user)
    data = filters.cleaned_data if filters.is_valid() else {}
    qs = (queries.filter_firms(qs, data).select_related("org", "org__area", "committee", "covering_org")
          .prefetch_related("assignments__instructor__person").order_by("org__name", "pk"))
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    for firm in page:
        current = [a for a in firm.assignments.all() if a.ended_on is None]
        firm.instructor = current[0].instructor if current else None
        firm.rule_ok = services.meets_rule(firm.coverage, firm.formal_members, firm.instructor is not None)
    return render(request, "newgroups/firms.html", {
        "filters": filters, "page": page, "query": _query(request),
        "may_add": may_anywhere(request.user, FirmProfile, "add"),
    })


@scoped(FirmProfile, "view", kind="list", subset=True)
def mine(request, qs):
    """The instructor's phone list: the firms assigned to them, with this quarter's visit and a log button."""
    firms = list(qs.filter(assignments__instructor=request.user, assignments__ended_on__isnull=True)
                 .select_related("org", "org__area").order_by("org__name").distinct())
    current = {}
    for o in (with_status(services.firm_obligations(firms), clock.now()).filter(period_start__lte=today())
              .select_related("plan").order_by("-period_start", "pk")):
        current.setdefault(o.plan.subject_id, o)  # each firm's latest period (one query, not one per firm)
    for firm in firms:
        firm.current = current.get(firm.pk)
        firm.visit_form = VisitForm(auto_id=f"id_%s_{firm.pk}")
    return render(request, "newgroups/mine.html", {"firms": firms, "key": new_key()})


@scoped(FirmProfile, "view")
def firm_detail(request, obj):
    now = clock.now()
    firm = obj
    instructor = services.current_instructor(firm)
    may_coverage = can(request.user, firm, "coverage")
    open_item = firm.closeouts.filter(closed_on__isnull=True).select_related("case").first()
    return render(request, "newgroups/firm.html", {
        "obj": firm, "instructor": instructor,
        "rule_ok": services.meets_rule(firm.coverage, firm.formal_members, instructor is not None),
        "expected": services.expected_coverage(firm.formal_members),
        "phone": firm.contact_phone if queries.may_see_contact(request.user, firm) else firm.contact_phone_masked,
        "changes": firm.coverage_changes.select_related("covering_org", "actor__person").order_by("-on", "-pk"),
        "assignments": firm.assignments.select_related("instructor__person").order_by("-started_on", "-pk"),
        "visits": services.firm_visits(firm).select_related("actor__person").order_by("-done_on", "-pk")[:20],
        "obligations": with_status(services.firm_obligations(firm), now).select_related("owner__person")
        .order_by("-period_start")[:8],
        "closeouts": firm.closeouts.select_related("case", "evidence_org").order_by("-opened_on", "-pk"),
        "open_item": open_item, "branches": firm.branches.select_related("org"),
        "may_change": can(request.user, firm, "change"), "may_coverage": may_coverage,
        # Visits are the assigned instructor's duty (the duty engine decides who may log them).
        "may_log": can(request.user, firm, "log") and any(duties.may_log(request.user, p)
                                                           for p in services.visit_plans(firm)),
        "coverage_form": CoverageForm(user=request.user, firm=firm) if may_coverage else None,
        "assign_form": AssignForm(instructors=queries.instructors_for(request.user)) if may_coverage else None,
        "visit_form": VisitForm(), "key": new_key(),
    })


@scoped(FirmProfile, "add", kind="create")
def firm_create(request):
    form = FirmCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        key = d.pop("key")
        named = {k: d.pop(k) for k in ("committee", "name", "area", "code")}

        def create():
            firm = services.create_firm(actor=request.user, **named, **{k: v for k, v in d.items() if v is not None})
            ensure_created_in_scope(request.user, firm)
            return firm

        try:
            with transaction.atomic():
                firm, created = resubmit.once(request, key, create)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            if created:
                messages.success(request, _("“%(name)s” was added to the ledger.") % {"name": firm.name})
            return redirect("newgroups:firm", pk=firm.pk)
    return render(request, "lianxin/form.html", {"form": form, "title": _("Add a firm"),
                                                 "back_url": reverse("newgroups:firms")})


@scoped(FirmProfile, "change")
def firm_edit(request, obj):
    form = ProfileForm(request.POST or None, instance=obj, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = {k: v for k, v in form.cleaned_data.items()}
        if not d.get("contact_phone"):
            d.pop("contact_phone")  # empty keeps the stored number
        if d.get("registered_on") is None:
            d.pop("registered_on")
        try:
            services.update_profile(obj, actor=request.user, **d)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("The profile was saved."))
            return redirect("newgroups:firm", pk=obj.pk)
    return render(request, "lianxin/form.html", {"form": form, "title": _("Edit %(name)s") % {"name": obj.name},
                                                 "back_url": reverse("newgroups:firm", args=[obj.pk])})


@scoped(FirmProfile, "coverage")
@require_POST
def firm_coverage(request, obj):
    form = CoverageForm(request.POST, user=request.user, firm=obj)
    if not form.is_valid():
        messages.error(request, form.errors.as_text())
    else:
        d = form.cleaned_data
        try:
            with transaction.atomic():
                _change, created = resubmit.once(request, d["key"], lambda: services.change_coverage(
                    obj, actor=request.user, after=d["after"], covering_org=d["covering_org"], on=d["on"],
                    note=d["note"]))
        except ValidationError as e:
            messages.error(request, _errors(e))
        else:
            if created:
                messages.success(request, _("The coverage change was recorded."))
    return redirect("newgroups:firm", pk=obj.pk)


@scoped(FirmProfile, "coverage")
@require_POST
def firm_assign(request, obj):
    if request.POST.get("end"):
        try:
            services.end_instructor(obj, actor=request.user)
        except ValidationError as e:
            messages.error(request, _errors(e))
        else:
            messages.success(request, _("The instructor assignment ended."))
        return redirect("newgroups:firm", pk=obj.pk)
    form = AssignForm(request.POST, instructors=queries.instructors_for(request.user))
    if not form.is_valid():
        messages.error(request, form.errors.as_text())
    else:
        d = form.cleaned_data
        try:
            services.assign_instructor(obj, instructor=d["instructor"], actor=request.user, on=d["on"],
                                       note=d["note"])
        except ValidationError as e:
            messages.error(request, _errors(e))
        else:
            messages.success(request, _("%(name)s is now the firm's instructor.")
                             % {"name": d["instructor"].display_name})
    return redirect("newgroups:firm", pk=obj.pk)


@scoped(FirmProfile, "log")
@require_POST
def firm_visit(request, obj):
    form = VisitForm(request.POST, request.FILES)
    back = "newgroups:mine" if request.POST.get("next") == "mine" else None
    if not form.is_valid():
        messages.error(request, _("The visit was not saved: %(e)s") % {"e": form.errors.as_text()})
    else:
        d = form.cleaned_data
        try:
            with transaction.atomic():
                photos = [store_upload(d["photo"], owner=request.user, area=obj.area)] if d["photo"] else []
                outcome = services.log_visit(obj, actor=request.user, method=d["method"], done_on=d["done_on"],
                                             notes=d["notes"], photos=photos, idempotency_key=d["key"])
        except (ValidationError, PermissionDenied) as e:
            messages.error(request, _("The visit was not saved: %(e)s") % {"e": _errors(e)})
        else:
            if outcome.created:
                messages.success(request, _("Visit to %(name)s logged.") % {"name": obj.name})
    return redirect(back) if back else redirect("newgroups:firm", pk=obj.pk)


@scoped(FirmProfile, "coverage")
@require_POST
def firm_open_closeout(request, obj):
    try:
        item = services.open_closeout(obj, actor=request.user)
    except ValidationError as e:
        messages.error(request, _errors(e))
        return redirect("newgroups:firm", pk=obj.pk)
    messages.success(request, _("Close-out item %(n)s is open.") % {"n": item.case.number})
    return redirect("newgroups:closeout", pk=item.pk)


# ---------------------------------------------------------------- coverage rates and history


@scoped(FirmProfile, "view", kind="list", subset=True)
def coverage(request, qs):
    day = today()
    history = services.History(qs)
    states = history.as_of(day)
    counties, towns = queries.towns_and_counties()
    start = date(day.year - 1, day.month, 1)
    months = [(end, services.summarise(history.as_of(end))) for end in services.month_ends(start, day)]
    return render(request, "newgroups/coverage.html", {
        "day": day, "total": services.summarise(states),
        "by_industry": services.rates_by(states, "industry"),
        "by_county": services.rates_by(states, "area", counties),
        "by_town": services.rates_by(states, "area", towns),
        "months": months, "window": services.WORK_WINDOW_DAYS,
    })


# ---------------------------------------------------------------- close-out items


@scoped(CloseOutItem, "view", kind="list")
def closeout_list(request, qs):
    from django.db.models import Q

    from lianxin.cases.deadlines import colour_of

    state = request.GET.get("state", "open")
    q = (request.GET.get("q") or "").strip()
    qs = qs.select_related("case", "firm__org", "owner_org", "owner_area", "evidence_org")
    if state == "open":
        qs = qs.filter(closed_on__isnull=True)
    elif state == "closed":
        qs = qs.filter(closed_on__isnull=False)
    if q:
        qs = qs.filter(Q(case__number__icontains=q) | Q(firm__org__name__icontains=q))
    page = Paginator(qs.order_by("closed_on", "case__due_at", "pk"), PAGE).get_page(request.GET.get("page"))
    now = clock.now()
    for item in page:
        item.colour = colour_of(item.case, now)
    return render(request, "newgroups/closeouts.html", {
        "page": page, "query": _query(request), "state": state, "q": q,
        "may_scan": may_anywhere(request.user, CloseOutItem, "add"),
    })


@scoped(CloseOutItem, "view")
def closeout_detail(request, obj):
    from lianxin.cases.deadlines import colour_of
    from lianxin.cases.move_forms import EVENT_LABELS

    may_close = obj.closed_on is None and can(request.user, obj, "close")
    events = list(obj.case.events.select_related("actor__person").order_by("at", "pk"))
    for e in events:  # the engine's move names, translated (the raw kind is a code, not a word)
        e.label = EVENT_LABELS.get(e.kind, e.kind)
    return render(request, "newgroups/closeout.html", {
        "obj": obj, "case": obj.case, "firm": obj.firm, "colour": colour_of(obj.case, clock.now()),
        "events": events,
        "may_close": may_close,
        "form": CloseForm(user=request.user, firm=obj.firm, initial={
            "version": obj.case.version, "new_branch": _("%(firm)s party branch") % {"firm": obj.firm.name}})
        if may_close else None,
        "may_see_case": can(request.user, obj.case, "view"),
    })


@scoped(CloseOutItem, "close")
def closeout_close(request, obj):
    form = CloseForm(request.POST or None, user=request.user, firm=obj.firm)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.close_with_evidence(
                obj, actor=request.user, evidence_org=d["evidence_org"] if d["mode"] == "existing" else None,
                new_branch=d["new_branch"] if d["mode"] == "new" else "", note=d["note"], version=d["version"])
        except (ValidationError, PermissionDenied) as e:
            messages.error(request, _("The item was not closed: %(e)s") % {"e": _errors(e)})
        else:
            messages.success(request, _("Item %(n)s is closed.") % {"n": obj.case.number})
        return redirect("newgroups:closeout", pk=obj.pk)
    if request.method == "POST":
        messages.error(request, _("The item was not closed: %(e)s") % {"e": form.errors.as_text()})
    return redirect("newgroups:closeout", pk=obj.pk)


@scoped(CloseOutItem, "add", kind="create")
@require_POST
def closeout_scan(request):
    firms = FirmProfile.objects.visible_to(request.user, "coverage")
    try:
        opened = services.scan_closeouts(firms, actor=request.user)
    except ValidationError as e:
        messages.error(request, _errors(e))
    else:
        messages.success(request, ngettext("%(n)d close-out item opened.", "%(n)d close-out items opened.",
                                           len(opened)) % {"n": len(opened)})
    return redirect("newgroups:closeouts")


# ---------------------------------------------------------------- measures ("1+4+N")


@scoped(MeasureDocument, "view", kind="list")
def measure_list(request, qs):
    from django.db.models import Q

    q = (request.GET.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(number__icontains=q))
    qs = qs.select_related("org", "area", "file").order_by("level", "-issued_on", "pk")
    groups = [(label, [d for d in qs if d.level == level]) for level, label in MeasureLevel.choices]
    return render(request, "newgroups/measures.html", {
        "groups": groups, "q": q, "may_add": may_anywhere(request.user, MeasureDocument, "add"),
    })


@scoped(MeasureDocument, "view")
def measure_detail(request, obj):
    return render(request, "newgroups/measure.html", {"obj": obj})


@scoped(MeasureDocument, "view")
def measure_file(request, obj):
    """The document's file, to whoever may read the document (core:file would ask the file's own area)."""
    from django.http import FileResponse, Http404

    if obj.file is None:
        raise Http404
    stored = obj.file
    response = FileResponse(stored.file.open("rb"), content_type=stored.content_type)
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    if not stored.is_image:
        response["Content-Disposition"] = f'attachment; filename="{stored.pk}"'
    return response


@scoped(MeasureDocument, "add", kind="create")
def measure_create(request):
    form = MeasureForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def create():
            area = d["area"] or (d["org"].area if d["org"] else None)
            stored = store_upload(d["file"], owner=request.user, area=area, accept=("image", "pdf")) \
                if d["file"] else None
            doc = services.add_measure(actor=request.user, level=d["level"], title=d["title"],
                                       issued_on=d["issued_on"], org=d["org"], area=d["area"],
                                       number=d["number"], summary=d["summary"], file=stored)
            ensure_created_in_scope(request.user, doc)
            return doc

        try:
            with transaction.atomic():
                doc, created = resubmit.once(request, d["key"], create)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            if created:
                messages.success(request, _("The measures document was added."))
            return redirect("newgroups:measure", pk=doc.pk)
    return render(request, "lianxin/form.html", {"form": form, "title": _("Add a measures document"),
                                                 "back_url": reverse("newgroups:measures")})


# ---------------------------------------------------------------- the organisation department's dashboard

def dashboard_data(request, qs):
    if not may_anywhere(request.user, FirmProfile, "view"):
        raise PermissionDenied
    areas = queries.areas_for(request.user)
    top = queries.top_area(areas)
    if top is None:
        raise PermissionDenied
    form = StatsForm(request.GET or None, areas=areas, initial={"area": top})
    data = form.cleaned_data if form.is_valid() else {}
    area = data.get("area") or top
    day = today()
    start = data.get("start") or date(day.year, 1, 1)
    end = data.get("end") or day
    if end < start:
        start, end = end, start
    children = queries.children_of(area, areas) or [area]
    # This module's figures; every module's side by side are on the figures page of the reports app.
    columns = [{"app": FIGURES.app, "app_label": FIGURES.label, "key": f.key, "label": f.label, "unit": f.unit}
               for f in FIGURES.figures]
    figs = FIGURES.compute(request.user, children, start, end)
    rows = [(c, [figs.get(c.pk, {}).get(col["key"]) for col in columns]) for c in children]
    # The total row: the same records as the rows together, its rates recomputed from its counts.
    everything = figures_total(request.user, children, start, end)
    total = [everything.get(col["key"]) for col in columns]
    return {"form": form, "area": area, "start": start, "end": end, "columns": columns, "rows": rows,
            "total": total, "charts": _charts(columns, rows)}


def _table(columns, rows, total) -> dict:
    """The dashboard's table: two header rows (the groups of stats.GROUPS, then the figures) and each value as
    the reports write it (rates as percentages)."""
    order = {key: i for i, (_label, keys) in enumerate(GROUPS) for key in keys}
    index = sorted(range(len(columns)), key=lambda i: order.get(columns[i]["key"], len(GROUPS)))
    groups = []
    for i in index:
        label = next((g for g, keys in GROUPS if columns[i]["key"] in keys), "")
        if groups and groups[-1]["label"] == label:
            groups[-1]["span"] += 1
        else:
            groups.append({"label": label, "span": 1})

    def cells(values):
        return [{"text": shown(values[i], columns[i]["unit"]), "rate": columns[i]["unit"] in RATES} for i in index]

    return {"groups": groups, "columns": [columns[i] for i in index],
            "rows": [(area, cells(values)) for area, values in rows], "total": cells(total)}


def _charts(columns, rows) -> list[dict]:
    """Horizontal bars, drawn by the server: the coverage rates per sub-area and the visits per sub-area."""
    charts = []
    for key, title, is_rate in (("org_rate", _("Organisation coverage (%)"), True),
                                ("work_rate", _("Work coverage (%)"), True),
                                ("visits", _("Instructor visits"), False)):
        index = next((i for i, c in enumerate(columns) if c["app"] == "newgroups" and c["key"] == key), None)
        if index is None:
            continue
        bars = [(area.name, row[index]) for area, row in rows]
        top = 100 if is_rate else max([v or 0 for _n, v in bars] + [1])
        charts.append({"key": key, "title": title, "bars": [
            {"label": name, "value": v, "width": round((v or 0) * 100 / top, 1)} for name, v in bars]})
    return charts


@scoped(FirmProfile, "view", kind="list", subset=True)
def stats(request, qs):
    context = dashboard_data(request, qs)
    context["table"] = _table(context["columns"], context["rows"], context["total"])
    query = request.GET.urlencode()
    context["export_url"] = reverse("newgroups:stats_export") + (f"?{query}" if query else "")
    return render(request, "newgroups/stats.html", context)
