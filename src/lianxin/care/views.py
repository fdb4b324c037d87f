"""Retired-cadre care pages: the care cadre's phone list with one-tap logging, the staff's retiree list and
page (profile, 2+1, duties, per-person plan, status changes) and the statistics per area and period."""

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lianxin.areas.models import Area
from lianxin.core import clock
from lianxin.core.clock import today
from lianxin.core.resubmit import new_key
from lianxin.core.trees import subtree_q
from lianxin.core.uploads import store_upload
from lianxin.core.visibility import (
    can,
    ensure_created_in_scope,
    grant_paths,
    may_anywhere,
    personal,
    scoped,
    user_grants,
)
from lianxin.duties import services as duties
from lianxin.duties.models import Plan
from lianxin.duties.periods import midnight
from lianxin.duties.queries import obligations_of, plans_of
from lianxin.duties.status import with_status
from lianxin.orgs.models import Org
from lianxin.people.models import Person
from lianxin.wishes import services as wishes

from . import services
from .forms import (
    AssignForm,
    HealthEventForm,
    LiaisonForm,
    LogForm,
    PlanEntryForm,
    ProfileForm,
    RetireeFilter,
    StatsForm,
    StatusForm,
    StepForm,
)
from .models import HealthEvent, Retiree, RetirementItem
from .queries import care_obligations, far_after, my_obligations, period_bounds


def _errors(error) -> str:
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


def _apply(request, form, action, done) -> None:
    """Every small action on these pages: validate the form, call the service, say what happened."""
    if not form.is_valid():
        messages.error(request, form.errors.as_text())
        return
    try:
        action(form.cleaned_data)
        messages.success(request, done)
    except ValidationError as e:
        messages.error(request, _errors(e))


# ---------------------------------------------------------------- the care cadre's phone view


@personal
def mine(request):
    rows = my_obligations(request.user)
    return render(request, "care/mine.html", {
        "overdue": [o for o in rows if o.status == "red"],
        "due": [o for o in rows if o.status != "red"],
        "key": new_key(),
    })


@scoped(Retiree, "view")
@require_POST
def log(request, obj):
    form = LogForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("The log was not saved: %(e)s") % {"e": form.errors.as_text()})
        return redirect("care:mine")
    d = form.cleaned_data
    kind = d["duty"] or ("visit" if d["method"] == "visit" else "contact")
    try:
        with transaction.atomic():
            photos = [store_upload(d["photo"], owner=request.user, area=obj.area)] if d["photo"] else []
            outcome = duties.log_duty(actor=request.user, subject=obj, kind=kind, method=d["method"],
                                      notes=d["notes"], photos=photos, idempotency_key=d["key"])
    except (ValidationError, PermissionDenied) as e:
        messages.error(request, _("The log was not saved: %(e)s") % {"e": _errors(e)})
        return redirect("care:mine")
    if outcome.created:
        if kind == services.FOLLOWUP:
            text = _("Health follow-up of %(name)s logged.")
        else:
            text = _("Visit to %(name)s logged.") if kind == "visit" else _("Call to %(name)s logged.")
        messages.success(request, text % {"name": obj.name})
    return redirect(request.POST.get("next") if request.POST.get("next") == reverse("care:detail", args=[obj.pk])
                    else "care:mine")


# ---------------------------------------------------------------- staff: list and retiree page


def filter_retirees(qs, data: dict):
    if data.get("q"):
        qs = qs.filter(person__name__icontains=data["q"])
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    return qs


@scoped(Retiree, "view", kind="list")
def retiree_list(request, qs):
    filters = RetireeFilter(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    qs = filter_retirees(qs, data).select_related("person", "person__area", "unit").order_by("person__name", "pk")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "care/list.html", {
        "filters": filters, "page": page, "query": query.urlencode(),
        "may_add": may_anywhere(request.user, Retiree, "add"),
    })


@scoped(Retiree, "view")
def retiree_detail(request, obj):
    now = clock.now()
    plans = plans_of(obj, qs=Plan.objects.visible_to(request.user))
    obligations = with_status(care_obligations(request.user).filter(plan__in=plans), now).select_related(
        "plan", "owner").order_by("-period_start", "-pk")[:24]
    may_change = can(request.user, obj, "change")
    return render(request, "care/detail.html", {
        "obj": obj, "plans": plans.select_related("carer").order_by("pk"), "obligations": obligations,
        "assignments": obj.assignments.select_related("user").order_by("-started_on", "-pk"),
        "entries": obj.plan_entries.select_related("author"), "entry_count": obj.plan_entries.count(),
        "may_change": may_change, "may_plan": can(request.user, obj, "plan"),
        "entry_form": PlanEntryForm(), "status_form": StatusForm(user=request.user), "assign_form": AssignForm(),
        "log_key": new_key(), "may_log": any(duties.may_log(request.user, p) for p in plans),
        # A family doctor (and no one else's duty) logs health follow-ups from this page.
        "log_duty": services.FOLLOWUP if any(p.kind == services.FOLLOWUP and p.carer_id == request.user.pk
                                             for p in plans) and not any(
            p.kind != services.FOLLOWUP and p.carer_id == request.user.pk for p in plans) else "",
        "steps": _steps(obj), "step_form": StepForm(), "may_steps": can(request.user, obj, "steps"),
    })


def _steps(obj) -> list[dict]:
    done = {s.item: s for s in obj.retirement_steps.all()}
    return [{"item": value, "label": label, "step": done.get(value)} for value, label in RetirementItem.choices]


@scoped(Retiree, "plan")
@require_POST
def plan_entry_add(request, obj):
    _apply(request, PlanEntryForm(request.POST),
           lambda d: services.add_plan_entry(obj, actor=request.user, **d), _("Plan entry added."))
    return redirect("care:detail", obj.pk)


@scoped(Retiree, "change")
@require_POST
def status_change(request, obj):
    def change(d):
        carer = services.find_assignee(d["care_cadre"], "care_cadre") if d["care_cadre"] else None
        services.change_status(obj, d["status"], actor=request.user, on=d["on"], area=d["area"],
                               care_cadre=carer, note=d["note"])

    _apply(request, StatusForm(request.POST, user=request.user), change, _("Status changed."))
    return redirect("care:detail", obj.pk)


@scoped(Retiree, "change")
@require_POST
def assign(request, obj):
    _apply(request, AssignForm(request.POST),
           lambda d: services.assign(obj, role=d["role"], user=services.find_assignee(d["username"], d["role"]),
                                     actor=request.user),
           _("Assignment saved."))
    return redirect("care:detail", obj.pk)


@scoped(Retiree, "change")
def profile_edit(request, obj):
    form = ProfileForm(request.POST or None, instance=Retiree(pk=obj.pk, person=obj.person, **{
        f: getattr(obj, f) for f in ProfileForm.Meta.fields}))
    if request.method == "POST" and form.is_valid():
        services.update_profile(obj, actor=request.user,
                                **{f: form.cleaned_data[f] for f in ProfileForm.Meta.fields})
        messages.success(request, _("Saved."))
        return redirect("care:detail", obj.pk)
    return render(request, "lianxin/form.html", {
        "form": form, "title": _("Edit %(name)s") % {"name": obj.name},
        "back_url": reverse("care:detail", args=[obj.pk])})


# ---------------------------------------------------------------- statistics


def _roots(user) -> list[Area]:
    """The areas a user's retiree statistics start from: where their viewing grants are."""
    if user.is_superuser:
        return list(Area.objects.visible_to(user).filter(parent__isnull=True))
    paths, _orgs = grant_paths(user, Retiree._meta.label_lower, "view")
    return list(Area.objects.visible_to(user).filter(path__in=paths).order_by("path"))


@scoped(Retiree, "view", kind="list", subset=True)
def stats(request, qs):
    roots = _roots(request.user)
    if not roots:
        raise PermissionDenied
    form = StatsForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    kind = data.get("period") or "quarter"
    on = data.get("on") or today()
    start, end = period_bounds(kind, on)
    chosen = None
    if data.get("area"):
        chosen = next((a for a in Area.objects.visible_to(request.user).filter(pk=data["area"])
                       if any(a.path.startswith(r.path) for r in roots)), None)
    if chosen is not None:
        areas = [chosen, *Area.objects.visible_to(request.user).filter(parent=chosen).order_by("code")]
    elif len(roots) == 1:
        areas = [roots[0], *Area.objects.visible_to(request.user).filter(parent=roots[0]).order_by("code")]
    else:
        areas = roots
    living = qs.exclude(status="deceased")
    figures = CareFigures(request.user, start, end)
    rows = []
    for area in areas:
        in_area = subtree_q("person__area__path", area.path)
        row = figures.row(living.filter(in_area), figures.base.filter(subtree_q("area__path", area.path)))
        row.update({"area": area, "wishes": wishes.counts(area.path, midnight(start), midnight(end))["fulfilled"]})
        rows.append(row)
    top = areas[0].path if len(areas) == 1 or chosen is not None or len(roots) == 1 else None
    scope = living.filter(subtree_q("person__area__path", top)) if top else living
    units = []
    for unit_id, name in (scope.filter(unit__isnull=False).values_list("unit", "unit__name")
                          .distinct().order_by("unit__name")[:MAX_UNITS]):
        members = scope.filter(unit_id=unit_id)
        row = figures.row(members, obligations_of(members, qs=figures.base))
        row.update({"unit_id": unit_id, "name": name})
        units.append(row)
    months = figures.months(on, obligation_q=subtree_q("area__path", top) if top else Q())
    return render(request, "care/stats.html", {
        "form": form, "rows": rows, "units": units, "start": start, "end": end, "period": kind,
        "months": months, "month_max": max([1, *(max(m["contact_due"], m["visit_due"]) for m in months)]),
        "previous": (start - timedelta(days=1)).isoformat(), "next": end.isoformat(),
        "chosen": chosen, "max_units": MAX_UNITS, "units_cut": len(units) >= MAX_UNITS,
    })


MAX_UNITS = 40


class CareFigures:
    """The figures of item 8 of the care issue for a group of retirees in [start, end): contacts and visits
    due and done (open ones count as not yet done), compliance, health follow-ups, check-up coverage, plan
    updates and honour ceremonies held. Obligations are those whose period ends inside [start, end)."""

    def __init__(self, user, start, end):
        self.user, self.start, self.end = user, start, end
        self.moment = far_after(end)
        self.base = care_obligations(user).filter(due_at__gt=midnight(start), due_at__lte=midnight(end))

    def _compliance(self, qs, **kw):
        return duties.compliance(qs, now=self.moment, **kw)

    def row(self, retirees, obligations) -> dict:
        """``obligations``: the group's, narrowed from ``self.base`` (those of the period)."""
        cadre = obligations.filter(plan__kind__in=["contact", "visit"])
        count = retirees.count()
        covered = retirees.filter(health_events__kind="checkup", health_events__held_on__gte=self.start,
                                  health_events__held_on__lt=self.end).distinct().count()
        return {
            "retirees": count,
            "contact": self._compliance(obligations, kind="contact"),
            "visit": self._compliance(obligations, kind="visit"),
            "followup": self._compliance(obligations, kind=services.FOLLOWUP),
            "total": self._compliance(cadre),
            "closed": duties.compliance(cadre),
            "entries": plan_updates(retirees, self.start, self.end),
            "covered": covered, "coverage": round(covered / count, 4) if count else None,
            "ceremonies": retirees.filter(retirement_steps__item=RetirementItem.CEREMONY,
                                          retirement_steps__done_on__gte=self.start,
                                          retirement_steps__done_on__lt=self.end).count(),
        }

    def months(self, on, *, obligation_q) -> list[dict]:
        """Contacts and visits due and done in each of the twelve months up to the one containing ``on``."""
        out = []
        first = date(on.year - (on.month < 12), on.month % 12 + 1, 1)
        for i in range(12):
            month_start = date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1)
            _s, month_end = period_bounds("month", month_start)
            qs = care_obligations(self.user).filter(obligation_q).filter(
                due_at__gt=midnight(month_start), due_at__lte=midnight(month_end))
            moment = far_after(month_end)
            contact = duties.compliance(qs, kind="contact", now=moment)
            visit = duties.compliance(qs, kind="visit", now=moment)
            out.append({"label": f"{month_start:%Y-%m}", "contact_due": contact["due"],
                        "contact_done": contact["fulfilled"], "visit_due": visit["due"],
                        "visit_done": visit["fulfilled"]})
        return out


def plan_updates(retirees, start, end) -> int:
    """Per-person plan updates (entries dated in the period) of these retirees."""
    return retirees.filter(plan_entries__on__gte=start, plan_entries__on__lt=end).aggregate(
        n=Count("plan_entries"))["n"]


# ---------------------------------------------------------------- "六个一" checklist and the liaison roster


@scoped(Retiree, "steps")
@require_POST
def step_mark(request, obj):
    _apply(request, StepForm(request.POST), lambda d: services.mark_step(obj, actor=request.user, **d),
           _("Checklist updated."))
    if request.POST.get("next") == reverse("care:liaison_mine"):
        return redirect(reverse("care:liaison_mine") + f"#r{obj.pk}")
    return redirect(reverse("care:detail", args=[obj.pk]) + "#steps")


@personal
def liaison_mine(request):
    """The liaison's phone page: the retirees of the units where they hold the liaison role, each with the
    "六个一" checklist and a form to mark an item done."""
    units = [g.org for g in user_grants(request.user) if g.role == "liaison" and g.org_id]
    retirees = (Retiree.objects.visible_to(request.user, "steps").filter(unit__in=units)
                .select_related("person", "person__area", "unit").prefetch_related("retirement_steps")
                .order_by("unit__name", "person__name", "pk"))
    # The procedure concerns those retired lately (or already under way); the others are listed by name.
    since = today() - timedelta(days=RECENT_DAYS)
    rows, others = [], []
    for r in retirees:
        steps = _steps(r)
        done = sum(1 for s in steps if s["step"])
        if done or (r.retirement_date and r.retirement_date >= since):
            rows.append({"retiree": r, "steps": steps, "done": done})
        else:
            others.append(r)
    return render(request, "care/liaison_mine.html", {"units": units, "rows": rows, "others": others,
                                                      "total": len(RetirementItem.choices)})


RECENT_DAYS = 730


@scoped(Org, "view", kind="list", subset=True)
def liaisons(request, qs):
    """Units with retirees or liaisons, with their current liaisons and the number of retirees."""
    retirees = Retiree.objects.visible_to(request.user).filter(unit__isnull=False)
    counts = dict(retirees.values("unit").annotate(n=Count("pk")).values_list("unit", "n"))
    units = (qs.filter(Q(pk__in=counts.keys()) | Q(care_liaisons__ended_on__isnull=True)).distinct()
             .prefetch_related("care_liaisons__person").order_by("path"))
    rows = [{"unit": u, "retirees": counts.get(u.pk, 0),
             "liaisons": [x for x in u.care_liaisons.all() if x.ended_on is None]} for u in units]
    return render(request, "care/liaisons.html", {"rows": rows})


@scoped(Org, "view")
def unit(request, obj):
    retirees = (Retiree.objects.visible_to(request.user).filter(unit=obj).select_related("person")
                .prefetch_related("retirement_steps").order_by("-retirement_date", "pk"))
    return render(request, "care/unit.html", {
        "obj": obj, "liaisons": obj.care_liaisons.select_related("person").order_by("-started_on", "-pk"),
        "rows": [{"retiree": r, "steps": _steps(r)} for r in retirees], "items": RetirementItem.choices,
        "may_change": can(request.user, obj, "change"), "form": LiaisonForm(),
    })


@scoped(Org, "change")
@require_POST
def liaison_change(request, obj):
    if request.POST.get("end"):
        end = request.POST["end"]
        found = obj.care_liaisons.filter(pk=int(end), ended_on__isnull=True).first() \
            if end.isascii() and end.isdigit() and len(end) < 19 else None
        if found is not None:
            services.end_liaison(found, actor=request.user)
            messages.success(request, _("Liaison ended."))
        return redirect("care:unit", obj.pk)
    form = LiaisonForm(request.POST)
    if form.is_valid():
        person = Person.objects.visible_to(request.user).filter(phone=form.cleaned_data["phone"]).first()
        if person is None:
            messages.error(request, _("No one with this mobile number is in your scope."))
        else:
            try:
                services.add_liaison(obj, person=person, actor=request.user, note=form.cleaned_data["note"])
                messages.success(request, _("Liaison added."))
            except ValidationError as e:
                messages.error(request, _errors(e))
    else:
        messages.error(request, form.errors.as_text())
    return redirect("care:unit", obj.pk)


# ---------------------------------------------------------------- health events


@scoped(HealthEvent, "view", kind="list")
def health_events(request, qs):
    qs = qs.select_related("area").annotate(covered=Count("retirees")).order_by("-held_on", "-pk")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "care/health_events.html", {
        "page": page, "may_add": may_anywhere(request.user, HealthEvent, "add")})


@scoped(HealthEvent, "add", kind="create")
def health_event_create(request):
    form = HealthEventForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                event = services.create_health_event(actor=request.user, **form.cleaned_data)
                ensure_created_in_scope(request.user, event)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            return redirect("care:health_event", event.pk)
    return render(request, "lianxin/form.html", {"form": form, "title": _("New health event"),
                                                 "back_url": reverse("care:health_events")})


@scoped(HealthEvent, "view")
def health_event(request, obj):
    may_change = can(request.user, obj, "change")
    covered = obj.retirees.select_related("person")
    candidates = []
    if may_change:
        candidates = (Retiree.objects.visible_to(request.user).filter(subtree_q("person__area__path", obj.area.path))
                      .exclude(pk__in=covered.values("pk")).select_related("person").order_by("person__name")[:500])
    return render(request, "care/health_event.html", {"obj": obj, "covered": covered, "candidates": candidates,
                                                      "may_change": may_change})


@scoped(HealthEvent, "change")
@require_POST
def health_event_cover(request, obj):
    ids = [int(x) for x in request.POST.getlist("retiree") if x.isascii() and x.isdigit() and len(x) < 19]
    chosen = Retiree.objects.visible_to(request.user).filter(pk__in=ids)
    added = services.cover(obj, chosen, actor=request.user)
    messages.success(request, ngettext("%(n)d retiree added.", "%(n)d retirees added.", added) % {"n": added})
    return redirect("care:health_event", obj.pk)
