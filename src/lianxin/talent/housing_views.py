"""Talent apartments: the units with who rents them, the allocation rounds (published rules, applications, the
draw by points or lottery from the round's seed), the public notice of results, and tenancies with expiry."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, Value
from django.db.models.functions import Concat
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.core import clock
from lianxin.core.visibility import can, ensure_created_in_scope, may_anywhere, public, scoped

from . import queries, services
from .common import areas_for, save_form
from .forms import ApartmentForm, ApplyForm, RoundForm
from .models import AllocationRound, Apartment, RoundStatus, Talent, mask_name


def _current(qs):
    return qs.annotate(occupied=queries.occupied())


@scoped(Apartment, "view", kind="list")
def apartment_list(request, qs):
    q = (request.GET.get("q") or "").strip()
    if q:
        qs = qs.annotate(label=Concat("building", Value(" "), "unit")).filter(
            Q(label__icontains=q) | Q(address__icontains=q))
    state = request.GET.get("state") or ""
    qs = _current(qs.select_related("area"))
    if state == "vacant":
        qs = qs.filter(occupied=False, in_service=True)
    elif state == "occupied":
        qs = qs.filter(occupied=True)
    page = Paginator(qs, 60).get_page(request.GET.get("page"))
    tenants = {t.apartment_id: t for t in queries.current_tenancies(list(page))
               .select_related("talent__person")}
    for unit in page:
        unit.tenancy = tenants.get(unit.pk)
    counts = _current(Apartment.objects.visible_to(request.user))
    return render(request, "talent/apartments.html", {
        "page": page, "q": q, "state": state, "total": counts.count(), "occupied": counts.filter(occupied=True).count(),
        "expiring": services.expiring(queries.tenancies_of_apartments(Apartment.objects.visible_to(request.user)))
        .select_related("apartment", "talent__person")[:50],
        "may_add": may_anywhere(request.user, Apartment, "add"),
    })


@scoped(Apartment, "add", kind="create")
def apartment_create(request):
    form = ApartmentForm(request.POST or None, areas=areas_for(request.user, Apartment))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def write():
            if queries.unit_taken(d["building"], d["unit"]):
                raise ValidationError(_("This unit is registered already."))
            unit = Apartment(**{k: v for k, v in d.items() if k != "key"})
            unit.save(force_insert=True)
            ensure_created_in_scope(request.user, unit)
            return unit

        unit, created = save_form(request, form, write)
        if unit is not None:
            if created:
                messages.success(request, _("Unit registered."))
            return redirect("talent:apartments")
    return render(request, "lianxin/form.html", {"form": form, "title": _("New apartment unit"),
                                                  "back_url": reverse("talent:apartments")})


@scoped(Apartment, "change")
@require_POST
def tenancy_action(request, obj):
    tenancy = queries.current_tenancy(obj)
    if tenancy is None:
        messages.error(request, _("Nobody rents this unit."))
    elif request.POST.get("action") == "move_in" and tenancy.moved_in_on is None:
        services.move_in(tenancy, actor=request.user)
        messages.success(request, _("Moved in: the expiry will be reminded."))
    elif request.POST.get("action") == "end":
        services.end_tenancy(tenancy, actor=request.user)
        messages.success(request, _("Tenancy ended: the unit is vacant."))
    return redirect("talent:apartments")


@scoped(AllocationRound, "view", kind="list")
def round_list(request, qs):
    q = (request.GET.get("q") or "").strip()
    if q:
        qs = qs.filter(name__icontains=q)
    return render(request, "talent/rounds.html", {
        "rounds": qs.select_related("area")[:200], "q": q,
        "may_add": may_anywhere(request.user, AllocationRound, "add")})


@scoped(AllocationRound, "add", kind="create")
def round_create(request):
    units = _current(Apartment.objects.visible_to(request.user)).filter(occupied=False, in_service=True)
    form = RoundForm(request.POST or None, areas=areas_for(request.user, AllocationRound), units=units)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def write():
            rnd = services.create_round(actor=request.user, **{k: v for k, v in d.items() if k != "key"})
            ensure_created_in_scope(request.user, rnd)
            return rnd

        rnd, created = save_form(request, form, write)
        if rnd is not None:
            if created:
                messages.success(request, _("Round opened."))
            return redirect("talent:round_detail", rnd.pk)
    return render(request, "lianxin/form.html", {"form": form, "title": _("New allocation round"),
                                                  "back_url": reverse("talent:rounds")})


@scoped(AllocationRound, "view")
def round_detail(request, obj):
    may_change = can(request.user, obj, "change")
    applications = obj.applications.select_related("talent__person", "talent__tier", "apartment")
    talents = (Talent.objects.visible_to(request.user).filter(active=True, tier__in=obj.tiers.all())
               .exclude(apartment_applications__round=obj).select_related("person").order_by("person__name"))
    return render(request, "talent/round.html", {
        "obj": obj, "applications": applications, "may_change": may_change,
        "tiers": obj.tiers.all(), "units": obj.units.count(),
        "apply_form": ApplyForm(talents=talents) if may_change and obj.status == RoundStatus.OPEN else None,
    })


@scoped(AllocationRound, "change")
@require_POST
def round_apply(request, obj):
    talents = Talent.objects.visible_to(request.user)
    form = ApplyForm(request.POST, talents=talents)
    if form.is_valid():
        try:
            services.apply(obj, form.cleaned_data["talent"], actor=request.user,
                           points=form.cleaned_data["points"] or 0)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("Application recorded."))
    return redirect("talent:round_detail", obj.pk)


@scoped(AllocationRound, "change")
@require_POST
def round_allocate(request, obj):
    try:
        if request.POST.get("action") == "publish":
            services.publish(obj, actor=request.user)
            messages.success(request, _("Result published on the public notice."))
        else:
            order = services.allocate(obj, actor=request.user)
            messages.success(request,
                             _("Allocated: %(n)d units given.") % {"n": sum(1 for a in order if a.apartment_id)})
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect("talent:round_detail", obj.pk)


@public
def notice(request):
    """The public notice (公示): every round's published eligibility rules; once a round's result is published,
    masked names, ranks and units, and the seed of the draw (not before: an applicant could time the
    application against a known seed)."""
    rounds = queries.public_rounds().select_related("area").prefetch_related("tiers")
    chosen = None
    if (request.GET.get("round") or "").isdigit():
        chosen = rounds.filter(pk=int(request.GET["round"])).first()
    rows = []
    published = chosen is not None and chosen.status == RoundStatus.PUBLISHED
    if published:
        for app in queries.applications_of(chosen).select_related("talent__person", "apartment"):
            rows.append({"rank": app.rank, "name": mask_name(app.talent.person.name), "points": app.points,
                         "unit": app.apartment.name if app.apartment_id else ""})
    return render(request, "talent/notice.html", {"rounds": rounds[:50], "chosen": chosen, "rows": rows,
                                                  "published": published, "today": clock.today(),
                                                  "drawn": chosen is not None and chosen.status != RoundStatus.OPEN})
