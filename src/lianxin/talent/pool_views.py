"""The demand pool (需求库) and recruitment events: job fairs with their firms, applicants and hires; a hire fills
a line of the pool, and the pool shows how many of each line are filled."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, Value
from django.db.models.functions import Concat
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.core import clock
from lianxin.core.visibility import can, ensure_created_in_scope, may_anywhere, scoped
from lianxin.duties import queries as duty_queries
from lianxin.duties.status import with_status

from . import queries, services
from .common import areas_for, employers_for, save_form
from .forms import DemandFilter, DemandForm, EventForm, HireForm, MatchForm
from .models import Demand, DemandStatus, RecruitmentEvent, Talent


def filter_demands(qs, data: dict):
    if data.get("q"):
        q = data["q"].strip()
        qs = qs.annotate(label=Concat("employer__name", Value(" · "), "position")).filter(
            Q(label__icontains=q) | Q(position__icontains=q) | Q(employer__name__icontains=q))
    for key in ("industry", "level", "status"):
        if data.get(key):
            qs = qs.filter(**{key: data[key]})
    return qs


@scoped(Demand, "view", kind="list")
def demand_list(request, qs):
    filters = DemandFilter(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    qs = services.with_filled(filter_demands(qs, data)).select_related("employer", "area").order_by("-posted_on", "-pk")
    totals = qs.order_by().aggregate(needed=Count("pk"), open=Count("pk", filter=Q(status=DemandStatus.OPEN)))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "talent/demands.html", {
        "filters": filters, "page": page, "query": query.urlencode(), "totals": totals,
        "may_add": may_anywhere(request.user, Demand, "add"),
    })


def _matchable(user, demand):
    return (Talent.objects.visible_to(user).filter(active=True).exclude(placements__demand=demand)
            .select_related("person").order_by("person__name"))


@scoped(Demand, "view")
def demand_detail(request, obj):
    hires = obj.hires.select_related("event", "employer")
    may_change = can(request.user, obj, "change")
    form = MatchForm(talents=_matchable(request.user, obj)) if may_change and obj.status == "open" else None
    return render(request, "talent/demand.html", {"obj": obj, "hires": hires, "filled": hires.count(),
                                                  "may_change": may_change, "match_form": form})


@scoped(Demand, "change")
@require_POST
def demand_match(request, obj):
    form = MatchForm(request.POST, talents=_matchable(request.user, obj))
    if form.is_valid():
        try:
            services.match_talent(obj, form.cleaned_data["talent"], actor=request.user)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("Matched from the registry."))
    return redirect("talent:demand_detail", obj.pk)


@scoped(Demand, "change")
@require_POST
def demand_close(request, obj):
    queries.close_demand(obj)
    messages.success(request, _("Demand closed."))
    return redirect("talent:demand_detail", obj.pk)


@scoped(Demand, "add", kind="create")
def demand_create(request):
    form = DemandForm(request.POST or None, orgs=employers_for(request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def write():
            demand = services.create_demand(actor=request.user, **{k: v for k, v in d.items() if k != "key"})
            ensure_created_in_scope(request.user, demand)
            return demand

        demand, created = save_form(request, form, write)
        if demand is not None:
            if created:
                messages.success(request, _("Demand added to the pool."))
            return redirect("talent:demand_detail", demand.pk)
    return render(request, "lianxin/form.html", {"form": form, "title": _("New demand"),
                                                  "back_url": reverse("talent:demands")})


@scoped(RecruitmentEvent, "view", kind="list")
def event_list(request, qs):
    q = (request.GET.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(venue__icontains=q))
    qs = qs.select_related("area").annotate(n_firms=Count("firms", distinct=True),
                                            n_hires=Count("hires", distinct=True)).order_by("-held_on", "-pk")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "talent/events.html", {"page": page, "q": q,
                                                  "may_add": may_anywhere(request.user, RecruitmentEvent, "add")})


@scoped(RecruitmentEvent, "add", kind="create")
def event_create(request):
    form = EventForm(request.POST or None, areas=areas_for(request.user, RecruitmentEvent),
                     orgs=employers_for(request.user), initial={"held_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def write():
            event = services.create_event(actor=request.user, **{k: v for k, v in d.items() if k != "key"})
            ensure_created_in_scope(request.user, event)
            return event

        event, created = save_form(request, form, write)
        if event is not None:
            if created:
                messages.success(request, _("Event recorded: now record its hires."))
            return redirect("talent:event_detail", event.pk)
    return render(request, "lianxin/form.html", {"form": form, "title": _("Record a job fair"),
                                                  "back_url": reverse("talent:events")})


def _hire_form(obj, data=None):
    firms = obj.firms.order_by("name")
    demands = (queries.open_demands_of(firms).select_related("employer")
               .order_by("employer__name", "position"))
    return HireForm(data, firms=firms, demands=demands, initial={"hired_on": obj.held_on})


@scoped(RecruitmentEvent, "view")
def event_detail(request, obj):
    hires = list(obj.hires.select_related("employer", "demand"))
    followups = with_status(duty_queries.obligations_of(hires, kind=services.HIRE_FOLLOWUP), clock.now())
    by_hire = {}
    subjects = duty_queries.subjects_of(list(followups.select_related("plan")), queries.hires_of(obj))
    for ob in followups.select_related("plan"):
        hire = subjects.get(ob.pk)
        if hire is not None:
            by_hire.setdefault(hire.pk, []).append(ob)
    for hire in hires:
        hire.followups = sorted(by_hire.get(hire.pk, []), key=lambda o: o.due_at)
    may_change = can(request.user, obj, "change")
    return render(request, "talent/event.html", {
        "obj": obj, "firms": obj.firms.order_by("name"), "hires": hires, "may_change": may_change,
        "hire_form": _hire_form(obj) if may_change else None,
    })


@scoped(RecruitmentEvent, "change")
@require_POST
def hire_add(request, obj):
    form = _hire_form(obj, request.POST)
    if form.is_valid():
        d = form.cleaned_data
        _hire, created = save_form(request, form, lambda: services.record_hire(
            actor=request.user, event=obj, **{k: v for k, v in d.items() if k != "key"}))
        if created:
            messages.success(request, _("Hire recorded: follow-ups after 3 and 12 months are owed."))
    for e in form.non_field_errors():
        messages.error(request, e)
    for name, errs in form.errors.items():
        if name != "__all__":
            messages.error(request, f"{form.fields[name].label}: {' '.join(errs)}")
    return redirect("talent:event_detail", obj.pk)
