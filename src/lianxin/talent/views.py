"""The talent registry: list (search and filters), the talent's page (measures and follow-ups, liaison leaders
and their yearly contact, green-channel requests, money and housing), create and edit."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.cases.models import Case
from lianxin.core import clock
from lianxin.core.visibility import can, ensure_created_in_scope, may_anywhere, scoped
from lianxin.duties import queries as duty_queries
from lianxin.duties.models import Obligation
from lianxin.duties.status import status_of
from lianxin.people import services as people
from lianxin.people.models import Person

from . import queries, services
from .common import areas_for, employers_for, save_form
from .forms import ContactForm, FollowUpForm, LinkForm, MeasureForm, RequestForm, TalentFilter, TalentForm
from .models import Loan, Subsidy, Talent, Tier


def filter_talents(qs, data: dict):
    if data.get("q"):
        q = data["q"].strip()
        qs = qs.filter(Q(person__name__icontains=q) | Q(field__icontains=q) | Q(employer__name__icontains=q)
                       | Q(honours__icontains=q))
    if data.get("tier"):
        qs = qs.filter(tier=data["tier"])
    for key in ("industry", "intake_way"):
        if data.get(key):
            qs = qs.filter(**{key: data[key]})
    if data.get("intake_year"):
        qs = qs.filter(intake_date__year=data["intake_year"])
    return qs


@scoped(Talent, "view", kind="list")
def talent_list(request, qs):
    filters = TalentFilter(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    qs = filter_talents(qs, data).select_related("person__area", "tier", "employer")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "talent/list.html", {
        "filters": filters, "page": page, "query": query.urlencode(), "total": qs.count(),
        "may_add": may_anywhere(request.user, Talent, "add"), "may_tiers": may_anywhere(request.user, Tier, "change"),
    })


@scoped(Talent, "view")
def talent_detail(request, obj):
    today = clock.today()
    now = clock.now()
    may_change = can(request.user, obj, "change")
    links = list(obj.liaisons.select_related("leader__person").order_by("until", "since"))
    this_year = {o.owner_id: o for o in services.contact_obligations(obj, year=today.year)}
    for link in links:
        ob = this_year.get(link.leader_id) if link.until is None else None
        link.colour = status_of(ob, now) if ob else ""
        link.mine = link.leader_id == request.user.pk
    may_log = may_change or any(link.mine and link.until is None for link in links)
    requests = (Case.objects.visible_to(request.user).filter(talent_request__talent=obj)
                .select_related("category", "lead_org").order_by("-created_at"))
    return render(request, "talent/detail.html", {
        "obj": obj, "may_change": may_change, "may_log": may_log,
        "measures": obj.measures.prefetch_related("follow_ups__by"),
        "links": links, "contacts": duty_queries.logs_of(obj, kind=services.CONTACT).select_related("actor")[:20],
        "requests": requests,
        "subsidies": Subsidy.objects.visible_to(request.user).filter(talent=obj),
        "loans": Loan.objects.visible_to(request.user).filter(talent=obj),
        "tenancies": queries.tenancies_of(obj).select_related("apartment"),
        "measure_form": MeasureForm(initial={"decided_on": today}), "follow_form": FollowUpForm(initial={"on": today}),
        "link_form": LinkForm(), "contact_form": ContactForm(initial={"done_on": today}, leaders=_leaders(obj)),
        "request_form": RequestForm(categories=services.request_categories()),
        "route_ready": [c for c in requests if c.stage == "accepted"],
    })


def _leaders(talent):
    return queries.leaders_of(talent)


def _talent_form(request, obj=None):
    areas = areas_for(request.user, Talent, "change" if obj else "add")
    initial = {}
    if obj is not None:
        initial = {k: getattr(obj, k) for k in services.TALENT_FIELDS}
    return TalentForm(request.POST or None, areas=areas, orgs=employers_for(request.user), editing=obj is not None,
                      initial=initial)


@scoped(Talent, "add", kind="create")
def talent_create(request):
    form = _talent_form(request)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def write():
            person = None
            if d["phone"]:
                person = Person.objects.visible_to(request.user).filter(phone=d["phone"]).first()
            if person is None:
                person = people.create_person(actor=request.user, name=d["name"], area=d["area"], kinds=["expert"],
                                              phone=d["phone"] or None)
            talent = services.create_talent(actor=request.user, person=person,
                                            **{k: d[k] for k in services.TALENT_FIELDS if k in d})
            ensure_created_in_scope(request.user, talent)
            return talent

        talent, created = save_form(request, form, write)
        if talent is not None:
            if created:
                messages.success(request, _("Talent registered."))
            return redirect("talent:detail", talent.pk)
    return render(request, "lianxin/form.html", {"form": form, "title": _("Register a talent"),
                                                  "back_url": reverse("talent:list")})


@scoped(Talent, "change")
def talent_edit(request, obj):
    form = _talent_form(request, obj)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done, _created = save_form(request, form, lambda: services.update_talent(
            obj, actor=request.user, **{k: d[k] for k in services.TALENT_FIELDS if k in d}), once=False)
        if done is not None:
            messages.success(request, _("Saved."))
            return redirect("talent:detail", obj.pk)
    return render(request, "lianxin/form.html", {"form": form, "title": _("Edit %(name)s") % {"name": obj.name},
                                                  "back_url": reverse("talent:detail", args=[obj.pk])})


def _errors(request, form):
    for e in form.non_field_errors():
        messages.error(request, e)
    for name, errs in form.errors.items():
        if name != "__all__":
            messages.error(request, f"{form.fields[name].label}: {' '.join(errs)}")


def _post(request, obj, form, write, done: str):
    if form.is_valid():
        result, created = save_form(request, form, write, once="key" in form.fields)
        if result is not None and created:
            messages.success(request, done)
    _errors(request, form)
    return redirect("talent:detail", obj.pk)


@scoped(Talent, "change")
@require_POST
def measure_add(request, obj):
    form = MeasureForm(request.POST)
    return _post(request, obj, form, lambda: services.add_measure(obj, actor=request.user, **{
        k: v for k, v in form.cleaned_data.items() if k != "key"}), _("Measure added."))


@scoped(Talent, "change")
@require_POST
def follow_up_add(request, obj):
    form = FollowUpForm(request.POST)

    def write():
        measure = queries.measure_of(obj, form.cleaned_data["measure"])
        if measure is None:
            raise ValidationError(_("No such measure."))
        d = form.cleaned_data
        return services.follow_up(measure, actor=request.user, note=d["note"], on=d["on"], status=d["status"])

    return _post(request, obj, form, write, _("Follow-up recorded."))


@scoped(Talent, "change")
@require_POST
def link_add(request, obj):
    form = LinkForm(request.POST)

    def write():
        d = form.cleaned_data
        leader = queries.active_account(d["leader"])
        if leader is None:
            raise ValidationError(_("No active account “%(u)s”.") % {"u": d["leader"]})
        return services.link_leader(obj, actor=request.user, leader=leader, post=d["post"], since=d["since"])

    return _post(request, obj, form, write, _("Leader linked: a yearly contact is now owed."))


@scoped(Talent, "change")
@require_POST
def link_end(request, obj):
    link = obj.liaisons.filter(pk=request.POST.get("link") or 0, until__isnull=True).first()
    if link is not None:
        services.end_link(link, actor=request.user)
        messages.success(request, _("Liaison ended."))
    return redirect("talent:detail", obj.pk)


@scoped(Talent, "view")
@require_POST
def contact_log(request, obj):
    form = ContactForm(request.POST, leaders=_leaders(obj))
    if form.is_valid():
        d = form.cleaned_data
        try:
            out = services.log_contact(obj, actor=request.user, method=d["method"], done_on=d["done_on"],
                                       notes=d["notes"], leader=d["leader"], idempotency_key=d["key"] or None)
        except (ValidationError, PermissionDenied) as e:
            messages.error(request, " ".join(getattr(e, "messages", [str(e)])))
        else:
            if not out.fulfilled:
                messages.warning(request, _("Contact recorded; it fulfils no open yearly contact of yours."))
            else:
                messages.success(request, _("Contact recorded."))
    _errors(request, form)
    return redirect("talent:detail", obj.pk)


@scoped(Talent, "change")
@require_POST
def request_add(request, obj):
    form = RequestForm(request.POST, categories=services.request_categories())
    return _post(request, obj, form, lambda: services.file_request(
        obj, actor=request.user, category=form.cleaned_data["category"], title=form.cleaned_data["title"],
        description=form.cleaned_data["description"]), _("Request taken; route it to the department."))


@scoped(Talent, "change")
@require_POST
def request_route(request, obj):
    talent_request = obj.requests.filter(case_id=request.POST.get("case") or 0).select_related("case").first()
    if talent_request is None:
        messages.error(request, _("No such request."))
        return redirect("talent:detail", obj.pk)
    try:
        services.route_request(talent_request, actor=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    except PermissionDenied as e:  # the case engine refuses a move the user may not make
        messages.error(request, str(e))
    else:
        messages.success(request, _("Routed to the responsible department."))
    return redirect("talent:detail", obj.pk)


__all__ = ["Obligation"]
