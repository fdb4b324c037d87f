"""Pages of the village work: villages and their profiles, the roster (terms and hand-overs), households, the
visit log on the phone (an answer becomes a case in one step), the coverage matrix, the village survey with
its history and gaps."""

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from lianxin.areas.models import Area
from lianxin.cases.models import Category
from lianxin.core import clock, resubmit
from lianxin.core.uploads import store_upload
from lianxin.core.visibility import can, ensure_created_in_scope, may_anywhere, may_at, scoped
from lianxin.duties import queries as duty_queries
from lianxin.duties.models import Obligation
from lianxin.duties.status import with_status
from lianxin.people.models import Person

from . import queries, services
from .forms import CaseForm, HandoverForm, HouseholdForm, ProfileForm, SurveyForm, TermForm, VisitForm
from .models import (
    Household,
    SecretaryTerm,
    SurveyAnswer,
    SurveyItem,
    VillageProfile,
    Visit,
)
from .stats import must_visit_households


def quarter(d: date) -> tuple[date, date]:
    """The calendar quarter holding ``d``: [start, end)."""
    start = date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)
    end = date(start.year + 1, 1, 1) if start.month == 10 else date(start.year, start.month + 3, 1)
    return start, end


def chosen_period(request) -> tuple[date, date]:
    """?start=&end= (end exclusive), default the current quarter."""
    start, end = quarter(clock.today())
    try:
        if request.GET.get("start"):
            start = date.fromisoformat(request.GET["start"])
        if request.GET.get("end"):
            end = date.fromisoformat(request.GET["end"])
    except ValueError:
        messages.error(request, _("Dates are written YYYY-MM-DD."))
        return quarter(clock.today())
    if end <= start or (end - start).days > 3 * 366:
        messages.error(request, _("Choose a period of up to three years."))
        return quarter(clock.today())
    return start, end


def village_choices(user, model, action: str):
    """Villages (community-kind areas) where ``user`` may ``action`` rows of ``model``."""
    return queries.villages_for(user, model, action)


def _terms_by_area(user, area_ids) -> dict:
    terms = (SecretaryTerm.objects.visible_to(user).filter(area_id__in=area_ids, end_on__isnull=True)
             .select_related("secretary"))
    return {t.area_id: t for t in terms}


# ------------------------------------------------------------------------------------------ villages


@scoped(VillageProfile, "view", kind="list")
def village_list(request, qs):
    q = (request.GET.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(area__name__icontains=q) | Q(area__parent__name__icontains=q))
    qs = qs.select_related("area", "area__parent").order_by("area__path")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    ids = [p.area_id for p in page]
    start, end = quarter(clock.today())
    households = Household.objects.visible_to(request.user).filter(area_id__in=ids)
    counts = dict(households.values("area").annotate(n=Count("pk")).values_list("area", "n"))
    must = must_visit_households(households)
    must_n = dict(must.order_by().values("area").annotate(n=Count("pk", distinct=True)).values_list("area", "n"))
    covered = dict(must.filter(visits__visited_on__gte=start, visits__visited_on__lt=end).order_by()
                   .values("area").annotate(n=Count("pk", distinct=True)).values_list("area", "n"))
    terms = _terms_by_area(request.user, ids)
    for p in page:
        p.term = terms.get(p.area_id)
        p.registered = counts.get(p.area_id, 0)
        p.must = must_n.get(p.area_id, 0)
        p.covered = covered.get(p.area_id, 0)
        p.coverage = round(100 * p.covered / p.must) if p.must else None
    return render(request, "villages/list.html", {"page": page, "q": q, "start": start,
                                                  "end": end - timedelta(days=1)})


@scoped(VillageProfile, "view")
def village_detail(request, obj):
    user = request.user
    terms = (SecretaryTerm.objects.visible_to(user).filter(area=obj.area).select_related("secretary")
             .prefetch_related("team"))
    households = Household.objects.visible_to(user).filter(area=obj.area)
    start, end = quarter(clock.today())
    visits = Visit.objects.visible_to(user).filter(area=obj.area)
    return render(request, "villages/detail.html", {
        "obj": obj, "terms": terms, "households": households.count(),
        "must": must_visit_households(households).count(),
        "visits_quarter": visits.filter(visited_on__gte=start, visited_on__lt=end).count(),
        "recent": visits.select_related("household", "visitor__person")[:10],
        "may_change": can(user, obj, "change"),
        "may_household": may_at(user, Household, "add", area=obj.area),
        "may_term": may_at(user, SecretaryTerm, "add", area=obj.area),
    })


@scoped(VillageProfile, "change")
def profile_edit(request, obj):
    form = ProfileForm(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        services.update_profile(obj, actor=request.user, **{k: form.cleaned_data[k] for k in services.PROFILE_FIELDS})
        messages.success(request, _("Village profile saved."))
        return redirect("villages:detail", obj.pk)
    return render(request, "lianxin/form.html", {"form": form, "title": _("Village profile: %(name)s") % {
        "name": obj.area.name}, "back_url": reverse("villages:detail", args=[obj.pk])})


# ------------------------------------------------------------------------------------------ roster


@scoped(SecretaryTerm, "view", kind="list")
def term_list(request, qs):
    q = (request.GET.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(area__name__icontains=q) | Q(secretary__name__icontains=q) | Q(unit__icontains=q))
    if request.GET.get("current") == "1":
        qs = qs.filter(end_on__isnull=True)
    qs = qs.select_related("area", "area__parent", "secretary").annotate(team_size=Count("team"))
    page = Paginator(qs.order_by("area__path", "-start_on", "-pk"), 50).get_page(request.GET.get("page"))
    return render(request, "villages/terms.html", {"page": page, "q": q,
                                                   "may_add": may_anywhere(request.user, SecretaryTerm, "add")})


def _people(user):
    return Person.objects.visible_to(user).order_by("name", "pk")


@scoped(SecretaryTerm, "add", kind="create")
def term_create(request):
    villages = village_choices(request.user, SecretaryTerm, "add")
    people = _people(request.user)
    initial = {"start_on": clock.today()}
    if request.GET.get("village", "").isdigit():
        initial["village"] = int(request.GET["village"])
    form = TermForm(request.POST or None, villages=villages, people=people, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                term, _created = resubmit.once(request, d["key"], lambda: services.start_term(
                    actor=request.user, area=d["village"], secretary=d["secretary"], level=d["level"],
                    unit=d["unit"], start_on=d["start_on"], team=d["team"]))
                ensure_created_in_scope(request.user, term)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            services.profile_of(term.area)
            return redirect("villages:term", term.pk)
    return render(request, "lianxin/form.html", {"form": form, "title": _("Dispatch a first secretary"),
                                                 "back_url": reverse("villages:terms")})


@scoped(SecretaryTerm, "view")
def term_detail(request, obj):
    chain = list(SecretaryTerm.objects.visible_to(request.user).filter(area=obj.area)
                 .select_related("secretary").order_by("start_on", "pk"))
    return render(request, "villages/term.html", {
        "obj": obj, "team": obj.team.all(), "chain": chain,
        "visits": Visit.objects.visible_to(request.user).filter(term=obj).count(),
        "profile": VillageProfile.objects.visible_to(request.user).filter(area=obj.area).first(),
        "may_handover": obj.end_on is None and can(request.user, obj, "handover"),
    })


@scoped(SecretaryTerm, "handover")
def handover(request, obj):
    if obj.end_on is not None:
        messages.error(request, _("This term has already ended."))
        return redirect("villages:term", obj.pk)
    form = HandoverForm(request.POST or None, people=_people(request.user).exclude(pk=obj.secretary_id),
                        initial={"on": clock.today(), "level": obj.level, "unit": obj.unit})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            new = services.hand_over(obj, actor=request.user, secretary=d["secretary"], on=d["on"], level=d["level"],
                                     unit=d["unit"], team=d["team"], note=d["note"])
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("The village was handed over; its records stay with it."))
            return redirect("villages:term", new.pk)
    return render(request, "lianxin/form.html", {"form": form, "title": _("Hand over %(village)s") % {
        "village": obj.area.name}, "back_url": reverse("villages:term", args=[obj.pk])})


# ------------------------------------------------------------------------------------------ households


@scoped(Household, "view", kind="list")
def household_list(request, qs):
    q = (request.GET.get("q") or "").strip()
    village = None
    if request.GET.get("village", "").isdigit():
        profile = (VillageProfile.objects.visible_to(request.user).filter(area_id=int(request.GET["village"]))
                   .select_related("area").first())
        if profile is None:
            raise Http404
        village = profile.area
        qs = qs.filter(area=village)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(address__icontains=q))
    category = request.GET.get("category") or ""
    if category:
        qs = qs.filter(categories__code=category)
    qs = qs.select_related("area").prefetch_related("categories").order_by("area__path", "name", "pk")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "villages/households.html", {
        "page": page, "q": q, "village": village, "category": category, "query": query.urlencode(),
        "categories": queries.active_categories(),
        "may_add": village is not None and may_at(request.user, Household, "add", area=village),
    })


@scoped(Household, "add", kind="create")
def household_create(request):
    villages = village_choices(request.user, Household, "add")
    raw = request.GET.get("village") or request.POST.get("village") or ""
    village = villages.filter(pk=int(raw)).first() if raw.isdigit() else None
    if village is None:
        return render(request, "villages/choose_village.html", {"villages": villages[:200],
                                                                "title": _("New household")})
    form = HouseholdForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                household, _c = resubmit.once(request, d["key"], lambda: services.create_household(
                    actor=request.user, area=village, name=d["name"], phone=d["phone"], members=d["members"],
                    address=d["address"], categories=d["categories"]))
                ensure_created_in_scope(request.user, household)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            return redirect("villages:household", household.pk)
    return render(request, "lianxin/form.html", {"form": form, "title": _("New household in %(village)s") % {
        "village": village.name}, "back_url": reverse("villages:households") + f"?village={village.pk}"})


@scoped(Household, "view")
def household_detail(request, obj):
    visits = (Visit.objects.visible_to(request.user).filter(household=obj).select_related("visitor__person")
              .prefetch_related("answers__question"))
    obligations = with_status(duty_queries.obligations_of(
        obj, kind=services.MUST_VISIT, qs=Obligation.objects.visible_to(request.user)), clock.now())
    return render(request, "villages/household.html", {
        "obj": obj, "visits": visits[:50], "categories": obj.categories.all(),
        "obligations": obligations.order_by("-period_start")[:8],
        "may_change": can(request.user, obj, "change"), "may_visit": can(request.user, obj, "visit"),
    })


@scoped(Household, "change")
def household_edit(request, obj):
    initial = {"name": obj.name, "phone": obj.phone, "members": obj.members, "address": obj.address,
               "categories": list(obj.categories.all())}
    form = HouseholdForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.update_household(obj, actor=request.user, name=d["name"], phone=d["phone"],
                                      members=d["members"], address=d["address"], categories=d["categories"])
        except ValidationError as e:
            form.add_error(None, e)
        else:
            return redirect("villages:household", obj.pk)
    return render(request, "lianxin/form.html", {"form": form, "title": _("Household: %(name)s") % {
        "name": obj.name}, "back_url": reverse("villages:household", args=[obj.pk])})


# ------------------------------------------------------------------------------------------ visits


@scoped(Household, "visit", kind="list", subset=True)
def mine(request, qs):
    """The first secretary's phone page: their villages and the must-visit households not yet visited in the
    current period (overdue first), each one tap from the visit form."""
    now = clock.now()
    obligations = with_status(duty_queries.obligations_of(
        Household, kind=services.MUST_VISIT, qs=Obligation.objects.visible_to(request.user, "view")), now)
    open_obs = list(obligations.filter(status__in=("blue", "yellow", "red"), period_start__lte=clock.today())
                    .order_by("due_at", "pk")[:100])
    households = duty_queries.subjects_of(open_obs, qs.select_related("area"))
    rows = [(ob, households[ob.pk]) for ob in open_obs if ob.pk in households]
    villages = (VillageProfile.objects.visible_to(request.user).filter(area__in=qs.values("area"))
                .select_related("area")[:20])
    return render(request, "villages/mine.html", {"rows": rows, "villages": villages})


@scoped(Household, "visit")
def visit_create(request, obj):
    questions = services.questions()
    form = VisitForm(request.POST or None, request.FILES or None, questions=questions,
                     initial={"visited_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                def create():
                    photo = store_upload(d["photo"], owner=request.user, area=obj.area) if d["photo"] else None
                    return services.log_visit(
                        actor=request.user, household=obj, answers=form.answers(), method=d["method"],
                        visited_on=d["visited_on"], notes=d["notes"], photo=photo, device_time=d["device_time"],
                        lng=d["lng"], lat=d["lat"])

                visit, created = resubmit.once(request, d["key"], create)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            if created:
                messages.success(request, _("Visit logged."))
            return redirect("villages:visit", visit.pk)
    return render(request, "villages/visit_form.html", {"form": form, "obj": obj})


def case_categories():
    return (Category.objects.filter(parent__isnull=False, is_active=True, case_types__contains="event")
            .select_related("parent").order_by("full_code"))


@scoped(Visit, "view")
def visit_detail(request, obj):
    answers = list(obj.answers.select_related("question", "case"))
    may_case = can(request.user, obj, "change")
    categories = case_categories() if may_case and any(a.case_id is None for a in answers) else None
    return render(request, "villages/visit.html", {
        "obj": obj, "answers": answers, "may_case": may_case,
        "case_form": CaseForm(categories=categories) if categories is not None else None,
    })


@scoped(Visit, "change")
def answer_case(request, obj):
    """Turn one answer of the visit into a case (POST); GET goes back to the visit."""
    if request.method != "POST":
        return redirect("villages:visit", obj.pk)
    form = CaseForm(request.POST, categories=case_categories())
    if not form.is_valid():
        messages.error(request, _("Choose a category for the case."))
        return redirect("villages:visit", obj.pk)
    answer = obj.answers.filter(pk=form.cleaned_data["answer"]).first()
    if answer is None:
        raise Http404
    try:
        case = services.answer_to_case(answer, actor=request.user, category=form.cleaned_data["category"],
                                       title=form.cleaned_data["title"])
    except (ValidationError, PermissionDenied) as e:
        messages.error(request, " ".join(getattr(e, "messages", [str(e)])))
        return redirect("villages:visit", obj.pk)
    messages.success(request, _("Case %(number)s filed from the answer.") % {"number": case.number})
    return redirect("villages:visit", obj.pk)


# ------------------------------------------------------------------------------------------ coverage


@scoped(VillageProfile, "view")
def coverage(request, obj):
    """The coverage matrix of a village for a period: must-visit category × household, visited or not, and the
    household's duty status on the engine."""
    start, end = chosen_period(request)
    user = request.user
    categories = list(queries.active_categories())
    households = list(must_visit_households(Household.objects.visible_to(user).filter(area=obj.area))
                      .prefetch_related("categories").order_by("name", "pk"))
    visited = dict(Visit.objects.visible_to(user).filter(area=obj.area, visited_on__gte=start, visited_on__lt=end)
                   .order_by().values("household").annotate(n=Count("pk")).values_list("household", "n"))
    today = clock.today()
    obligations = with_status(duty_queries.obligations_of(
        households, kind=services.MUST_VISIT, qs=Obligation.objects.visible_to(user)), clock.now())
    current = obligations.filter(period_start__lte=today, period_end__gt=today)
    by_household = duty_queries.subjects_of(list(current), Household.objects.visible_to(user).filter(area=obj.area))
    status = {}
    for ob in current:
        h = by_household.get(ob.pk)
        if h is not None:
            status[h.pk] = ob.status
    rows, totals = [], {c.pk: [0, 0] for c in categories}
    for h in households:
        mine = {c.pk for c in h.categories.all()}
        cells = []
        for c in categories:
            if c.pk in mine:
                totals[c.pk][0] += 1
                totals[c.pk][1] += bool(visited.get(h.pk))
            cells.append(c.pk in mine)
        rows.append({"household": h, "cells": cells, "visits": visited.get(h.pk, 0), "status": status.get(h.pk)})
    summary = [{"category": c, "households": totals[c.pk][0], "visited": totals[c.pk][1],
                "percent": round(100 * totals[c.pk][1] / totals[c.pk][0]) if totals[c.pk][0] else None}
               for c in categories]
    n_visited = sum(1 for r in rows if r["visits"])
    return render(request, "villages/coverage.html", {
        "obj": obj, "categories": categories, "rows": rows, "summary": summary, "start": start,
        "end": end - timedelta(days=1), "n_visited": n_visited,
        "percent": round(100 * n_visited / len(rows)) if rows else None,
        "overdue": sum(1 for r in rows if r["status"] in ("red", "missed")),
    })


# ------------------------------------------------------------------------------------------ survey


def _survey_value(item, d):
    if item.kind == SurveyItem.Kind.YES_NO:
        return {"yes": d["yes"]}
    if item.kind in (SurveyItem.Kind.AMOUNT, SurveyItem.Kind.COUNT):
        return {"number": d["number"]}
    return {"text": d["text"]}


@scoped(VillageProfile, "view")
def survey(request, obj):
    """The village survey checklist (大调研): the current answer to each item, and a form to answer again."""
    user = request.user
    items = queries.active_items()
    may_answer = may_at(user, SurveyAnswer, "add", area=obj.area)
    form = None
    if request.method == "POST":
        if not may_answer:
            raise PermissionDenied
        form = SurveyForm(request.POST, request.FILES)
        item = next((i for i in items if form.is_valid() and i.pk == form.cleaned_data["item"]), None)
        if item is None:
            messages.error(request, _("Check the answer."))
        else:
            d = form.cleaned_data
            try:
                with transaction.atomic():
                    def create():
                        evidence = (store_upload(d["evidence"], owner=user, area=obj.area, accept=("image", "pdf"))
                                    if d["evidence"] else None)
                        return services.answer_survey(actor=user, area=obj.area, item=item, evidence=evidence,
                                                      measures=d["measures"], **_survey_value(item, d))

                    resubmit.once(request, d["key"], create)
            except ValidationError as e:
                messages.error(request, " ".join(e.messages))
            else:
                messages.success(request, _("Answer recorded."))
                return redirect(reverse("villages:survey", args=[obj.pk]) + f"#item-{item.pk}")
    latest = services.current_answers(SurveyAnswer.objects.visible_to(user).filter(area=obj.area))
    counts = dict(SurveyAnswer.objects.visible_to(user).filter(area=obj.area).order_by().values("item")
                  .annotate(n=Count("pk")).values_list("item", "n"))
    rows = [{"item": i, "answer": latest.get((obj.area_id, i.pk)), "count": counts.get(i.pk, 0),
             "form": SurveyForm(initial={"item": i.pk}) if may_answer else None} for i in items]
    return render(request, "villages/survey.html", {"obj": obj, "rows": rows, "may_answer": may_answer})


@scoped(VillageProfile, "view")
def survey_history(request, obj):
    answers = (SurveyAnswer.objects.visible_to(request.user).filter(area=obj.area)
               .select_related("item", "answered_by__person", "evidence")
               .order_by("item__order", "-answered_at", "-pk"))
    if request.GET.get("item", "").isdigit():
        answers = answers.filter(item_id=int(request.GET["item"]))
    return render(request, "villages/survey_history.html", {"obj": obj, "answers": answers[:500]})


@scoped(SurveyAnswer, "view", kind="list", subset=True)
def gaps(request, qs):
    """Where villages fall short of the survey's standards, per town and county: every village of the chosen
    area (default: the top of the user's reach) with the items short of the standard or not answered."""
    user = request.user
    areas = Area.objects.visible_to(user)
    area = None
    if request.GET.get("area", "").isdigit():
        area = areas.filter(pk=int(request.GET["area"])).first()
        if area is None:
            raise Http404
    villages = queries.villages_for(user, SurveyAnswer, "view").filter(village_profile__isnull=False)
    if area is not None:
        villages = villages.filter(path__startswith=area.path)
    villages = list(villages.select_related("parent", "parent__parent").order_by("path")[:300])
    items = [i for i in queries.active_items() if i.kind != SurveyItem.Kind.TEXT]
    rows = services.gaps(villages, qs, items)
    towns = {}
    for r in rows:
        town = r["village"].parent
        entry = towns.setdefault(town.pk, {"town": town, "villages": 0, "short": 0, "missing": 0,
                                           "by_item": {i.pk: 0 for i in items}})
        entry["villages"] += 1
        entry["short"] += bool(r["short"])
        entry["missing"] += bool(r["missing"])
        for a in r["short"]:
            entry["by_item"][a.item_id] += 1
    town_rows = [{**t, "items": [t["by_item"][i.pk] for i in items]} for t in towns.values()]
    counties = {}
    for t in town_rows:
        county = t["town"].parent
        entry = counties.setdefault(county.pk, {"county": county, "villages": 0, "short": 0,
                                                "items": [0] * len(items)})
        entry["villages"] += t["villages"]
        entry["short"] += t["short"]
        entry["items"] = [a + b for a, b in zip(entry["items"], t["items"], strict=True)]
    return render(request, "villages/gaps.html", {
        "area": area, "items": items, "rows": [r for r in rows if r["short"] or r["missing"]],
        "towns": town_rows, "counties": list(counties.values()), "villages": len(rows),
    })
