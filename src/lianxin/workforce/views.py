"""Workers, 双报到 (registrations, service requests, quarterly feedback), the 大党委, campaigns and the
problem-collector leaderboard. Every view reads through visible_to; every write goes through services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.areas.models import Area, AreaKind
from lianxin.cases.models import OPEN_STAGES, Case, Category, Stage
from lianxin.cases.services import MoveRefused
from lianxin.cases.targets import assigned_to
from lianxin.core import clock, resubmit
from lianxin.core.trees import subtree_q
from lianxin.core.uploads import store_upload
from lianxin.core.visibility import (
    can,
    ensure_created_in_scope,
    may_anywhere,
    personal,
    scoped,
)
from lianxin.duties import services as duties
from lianxin.duties.models import Obligation
from lianxin.duties.status import with_status
from lianxin.orgs.models import Org, OrgKind

from . import queries, services
from .forms import (
    CampaignForm,
    CommitteeForm,
    CompleteForm,
    DeliveryForm,
    EndForm,
    FeedbackForm,
    GridForm,
    NeedForm,
    PeriodForm,
    RegistrationFilter,
    RegistrationForm,
    TeamForm,
    WorkerFilter,
    WorkerForm,
    new_key,
)
from .models import Campaign, CommitteeMember, Delivery, Registration, RegStatus, Worker
from .types import SERVICE

PAGE = 50


def _errors(error) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("You may not do this.")


def _page(request, qs):
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def _form_errors(form) -> str:
    return " ".join(str(m) for errs in form.errors.values() for m in errs)


# ---------------------------------------------------------------- workers


def filter_workers(qs, data: dict):
    if data.get("q"):
        q = data["q"].strip()
        qs = qs.filter(Q(person__name__icontains=q) | Q(org__name__icontains=q) | Q(branch_name__icontains=q)
                       | Q(person__phone=q))
    if data.get("platform"):
        qs = qs.filter(org=data["platform"])
    if data.get("area"):
        qs = qs.filter(subtree_q("area__path", data["area"].path))
    role = data.get("role")
    if role == "grid":
        qs = qs.filter(grid_links__ended_at__isnull=True, grid_links__isnull=False)
    elif role == "collector":
        qs = qs.filter(is_collector=True)
    elif role == "promoter":
        qs = qs.filter(is_promoter=True)
    if data.get("party") in ("0", "1"):
        qs = qs.filter(person__is_party_member=data["party"] == "1")
    return qs.distinct()


def worker_filter(request, qs):
    platforms = Org.objects.visible_to(request.user).filter(kind=OrgKind.FIRM, pk__in=qs.values("org")).order_by(
        "name")
    areas = Area.objects.visible_to(request.user).filter(
        kind__in=(AreaKind.COUNTY, AreaKind.TOWN, AreaKind.COMMUNITY)).order_by("path")
    return WorkerFilter(request.GET or None, platforms=platforms, areas=areas)


@scoped(Worker, "view", kind="list")
def worker_list(request, qs):
    filters = worker_filter(request, qs)
    data = filters.cleaned_data if filters.is_valid() else {}
    rows = (filter_workers(qs, data).select_related("person", "org", "branch", "area")
            .annotate(open_links=Count("grid_links", filter=Q(grid_links__ended_at__isnull=True)))
            .prefetch_related("person__tags").order_by("person__name", "pk"))
    page, query = _page(request, rows)
    return render(request, "workforce/list.html", {
        "filters": filters, "page": page, "query": query, "may_add": may_anywhere(request.user, Worker, "add"),
    })


@scoped(Worker, "add", kind="create")
def worker_create(request):
    form = WorkerForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def create():
            worker = services.create_worker(
                actor=request.user, person=d["person"], org=d["org"], area=d["area"], branch=d["branch"],
                branch_name=d["branch_name"], is_collector=d["is_collector"], is_promoter=d["is_promoter"],
                joined_on=d["joined_on"], notes=d["notes"])
            ensure_created_in_scope(request.user, worker)
            return worker

        try:
            with transaction.atomic():
                worker, created = resubmit.once(request, d["key"], create)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            if created:
                messages.success(request, _("Worker profile of %(name)s saved.") % {"name": worker.name})
            return redirect("workforce:detail", worker.pk)
    return render(request, "lianxin/form.html", {"form": form, "title": _("New worker profile"),
                                                 "back_url": reverse("workforce:list")})


@scoped(Worker, "change")
def worker_edit(request, obj):
    initial = {"org": obj.org.code or obj.org.name, "branch": obj.station, "area": obj.area.code,
               "is_collector": obj.is_collector, "is_promoter": obj.is_promoter, "joined_on": obj.joined_on,
               "notes": obj.notes}
    form = WorkerForm(request.POST or None, user=request.user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                worker = services.update_worker(
                    obj, actor=request.user, org=d["org"], area=d["area"] or obj.area, branch=d["branch"],
                    branch_name=d["branch_name"], is_collector=d["is_collector"], is_promoter=d["is_promoter"],
                    joined_on=d["joined_on"] or obj.joined_on, notes=d["notes"])
                ensure_created_in_scope(request.user, worker, "change")
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Saved."))
            return redirect("workforce:detail", obj.pk)
    return render(request, "lianxin/form.html", {"form": form, "title": _("Edit %(name)s") % {"name": obj.name},
                                                 "back_url": reverse("workforce:detail", args=[obj.pk])})


@scoped(Worker, "view")
def worker_detail(request, obj):
    reported = Case.objects.visible_to(request.user).filter(reporter__person=obj.person)
    return render(request, "workforce/detail.html", {
        "obj": obj, "links": obj.grid_links.select_related("grid", "grid__parent", "started_by", "ended_by"),
        "active_link": services.active_link(obj),
        "may_change": can(request.user, obj, "change"), "grid_form": GridForm(user=request.user),
        "registrations": Registration.objects.visible_to(request.user).filter(person=obj.person)
        .select_related("area"),
        "campaigns": Campaign.objects.visible_to(request.user).filter(promoters=obj).distinct(),
        "problems": reported.select_related("category", "category__parent", "area")[:20],
        "problem_counts": reported.aggregate(total=Count("pk"),
                                             closed=Count("pk", filter=Q(stage=Stage.CLOSED))),
        "deliveries": Delivery.objects.visible_to(request.user).filter(worker=obj).select_related(
            "campaign", "area")[:20],
    })


@scoped(Worker, "change")
@require_POST
def worker_grid(request, obj):
    form = GridForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("workforce:detail", obj.pk)
    grid, note = form.cleaned_data["grid"], form.cleaned_data["note"]
    try:
        if grid is None:
            services.unlink_grid(obj, actor=request.user, note=note)
            messages.success(request, _("%(name)s is no longer a part-time grid worker.") % {"name": obj.name})
        else:
            services.link_grid(obj, actor=request.user, grid=grid, note=note)
            messages.success(request, _("%(name)s is now a part-time grid worker of %(grid)s.")
                             % {"name": obj.name, "grid": grid.name})
    except ValidationError as e:
        messages.error(request, _errors(e))
    return redirect("workforce:detail", obj.pk)


# ---------------------------------------------------------------- a rider's own page


@personal
def me(request):
    worker = Worker.objects.visible_to(request.user).filter(person__account=request.user).select_related(
        "org", "area", "person").first()
    tasks = []
    if request.user.is_authenticated:
        tasks = (Case.objects.visible_to(request.user)
                 .filter(type=SERVICE, stage__in=OPEN_STAGES,
                         pk__in=assigned_to(request.user))
                 .select_related("area", "category").order_by("due_at", "pk")[:50])
    return render(request, "workforce/me.html", {
        "worker": worker, "tasks": tasks, "active_link": services.active_link(worker) if worker else None,
        "registrations": Registration.objects.visible_to(request.user).filter(person__account=request.user)
        .select_related("area"),
        "campaigns": Campaign.objects.visible_to(request.user).filter(promoters__person__account=request.user)
        .distinct(),
        "complete_form": CompleteForm(),
    })


# ---------------------------------------------------------------- 双报到


def filter_registrations(qs, data: dict):
    if data.get("q"):
        q = data["q"].strip()
        qs = qs.filter(Q(person__name__icontains=q) | Q(org__name__icontains=q) | Q(area__name__icontains=q))
    if data.get("kind"):
        qs = qs.filter(kind=data["kind"])
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    return qs


@scoped(Registration, "view", kind="list")
def registration_list(request, qs):
    filters = RegistrationFilter(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    rows = filter_registrations(qs, data).select_related("area", "org", "person").annotate(
        taken=Count("orders", distinct=True)).order_by("-registered_on", "-pk")
    page, query = _page(request, rows)
    return render(request, "workforce/registrations.html", {
        "filters": filters, "page": page, "query": query,
        "may_add": may_anywhere(request.user, Registration, "add"),
    })


@scoped(Registration, "add", kind="create")
def registration_create(request):
    form = RegistrationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def create():
            reg = services.register(actor=request.user, kind=d["kind"], area=d["area"], org=d.get("org"),
                                    person=d.get("person"), registered_on=d["registered_on"], services=d["services"])
            ensure_created_in_scope(request.user, reg)
            return reg

        try:
            with transaction.atomic():
                reg, created = resubmit.once(request, d["key"], create)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            if created:
                messages.success(request, _("Registration of %(name)s with %(area)s saved.")
                                 % {"name": reg.name, "area": reg.area.name})
            return redirect("workforce:registration", reg.pk)
    return render(request, "lianxin/form.html", {"form": form, "title": _("New double registration"),
                                                 "back_url": reverse("workforce:registrations")})


@scoped(Registration, "view")
def registration_detail(request, obj):
    plan = services.feedback_plan(obj)
    obligations = []
    if plan is not None:
        obligations = with_status(Obligation.objects.visible_to(request.user).filter(plan=plan),
                                  clock.now()).select_related("fulfilled_by").order_by("-period_start")[:12]
    orders = obj.orders.filter(case__in=Case.objects.visible_to(request.user)).select_related(
        "case", "case__category").order_by("-created_at")[:50]
    return render(request, "workforce/registration.html", {
        "obj": obj, "plan": plan, "obligations": obligations, "orders": orders,
        "may_change": can(request.user, obj, "change"),
        "may_log": plan is not None and duties.may_log(request.user, plan),
        "feedback_form": FeedbackForm(initial={"key": new_key()}), "end_form": EndForm(),
    })


@scoped(Registration, "change")
@require_POST
def registration_end(request, obj):
    form = EndForm(request.POST)
    if form.is_valid():
        try:
            services.end_registration(obj, actor=request.user, on=form.cleaned_data["on"],
                                      note=form.cleaned_data["note"])
            messages.success(request, _("The registration has ended."))
        except ValidationError as e:
            messages.error(request, _errors(e))
    else:
        messages.error(request, _form_errors(form))
    return redirect("workforce:registration", obj.pk)


@scoped(Registration, "view")
@require_POST
def registration_feedback(request, obj):
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("workforce:registration", obj.pk)
    d = form.cleaned_data
    try:
        outcome = services.log_feedback(obj, actor=request.user, notes=d["notes"], done_on=d["done_on"],
                                        idempotency_key=d["key"])
    except (ValidationError, PermissionDenied) as e:
        messages.error(request, _("The feedback was not saved: %(e)s") % {"e": _errors(e)})
    else:
        if outcome.created:
            messages.success(request, _("Quarterly feedback to the unit recorded."))
    return redirect("workforce:registration", obj.pk)


def _service_categories():
    return Category.objects.filter(parent__isnull=False, is_active=True, case_types__contains=SERVICE).order_by(
        "full_code")


@scoped(Case, "add", kind="create")
def need_create(request):
    """点单: a resident (or staff for them) posts a need to the community's party members."""
    form = NeedForm(request.POST or None, categories=_service_categories(), areas=queries.need_areas(request.user))
    if len(form.fields["area"].queryset) == 1:
        form.fields["area"].initial = form.fields["area"].queryset.first().pk
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            out = services.post_need(actor=request.user, category=d["category"], title=d["title"], area=d["area"],
                                     description=d["description"], idempotency_key=d["key"])
        except ValidationError as e:
            form.add_error(None, e)
        else:
            # The case engine keeps the form key (cases.report's IdempotentCreate): a retry returns the first case.
            if out.created:
                messages.success(request, _("Your need was posted as %(n)s.") % {"n": out.case.number})
            else:
                resubmit.already_submitted(request)
            return redirect("cases:detail", out.case.pk)
    return render(request, "workforce/need.html", {"form": form})


@scoped(Case, "view", kind="list", subset=True)
def service_board(request, qs):
    """The community's 双报到 service requests: waiting to be assigned, in hand, done."""
    rows = (qs.filter(type=SERVICE).select_related("area__parent", "category", "dr_order__registration__person",
                                                   "dr_order__registration__org")
            .order_by("-created_at", "-pk"))
    stage = request.GET.get("stage", "open")
    if stage == "open":
        rows = rows.filter(stage__in=OPEN_STAGES)
    elif stage == "closed":
        rows = rows.filter(stage=Stage.CLOSED)
    page, query = _page(request, rows)
    regs = Registration.objects.visible_to(request.user, "view").filter(status=RegStatus.ACTIVE).select_related(
        "person", "org")
    by_area = {}
    for r in regs:
        by_area.setdefault(r.area_id, []).append(r)
    for case in page:
        community = services.community_of(case.area)
        case.candidates = by_area.get(community.pk if community else None, []) if case.stage in (
            Stage.REPORTED, Stage.ACCEPTED) else []
    return render(request, "workforce/services.html", {
        "page": page, "query": query, "stage": stage,
    })


@scoped(Case, "view")
@require_POST
def service_assign(request, obj):
    if obj.type != SERVICE:
        raise Http404
    pk = request.POST.get("registration", "")
    reg = Registration.objects.visible_to(request.user).filter(pk=int(pk)).first() \
        if pk.isascii() and pk.isdigit() and len(pk) < 19 else None
    if reg is None:
        messages.error(request, _("Choose a registered member or unit."))
    else:
        try:
            services.assign_service(obj, actor=request.user, registration=reg)
            messages.success(request, _("%(n)s was assigned to %(name)s.") % {"n": obj.number, "name": reg.name})
        except (ValidationError, MoveRefused, PermissionDenied) as e:
            messages.error(request, _errors(e))
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/workforce/services/") else reverse("workforce:services"))


@scoped(Case, "view")
@require_POST
def service_take(request, obj):
    if obj.type != SERVICE:
        raise Http404
    try:
        services.take_service(obj, actor=request.user)
        messages.success(request, _("You took %(n)s.") % {"n": obj.number})
    except (ValidationError, MoveRefused) as e:
        messages.error(request, _errors(e))
    return redirect("workforce:me")


@scoped(Case, "view")
@require_POST
def service_done(request, obj):
    if obj.type != SERVICE:
        raise Http404
    form = CompleteForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("workforce:me")
    try:
        with transaction.atomic():
            photo = form.cleaned_data["photo"]
            photos = [store_upload(photo, owner=request.user, area=obj.area)] if photo else []
            services.complete_service(obj, actor=request.user, note=form.cleaned_data["note"], photos=photos)
        messages.success(request, _("%(n)s is done and goes to the community to verify.") % {"n": obj.number})
    except (ValidationError, MoveRefused) as e:
        messages.error(request, _errors(e))
    return redirect("workforce:me")


# ---------------------------------------------------------------- 大党委


@scoped(CommitteeMember, "view", kind="list")
def committee_list(request, qs):
    q = (request.GET.get("q") or "").strip()
    rows = qs.select_related("area", "org")
    if q:
        rows = rows.filter(Q(org__name__icontains=q) | Q(area__name__icontains=q) | Q(representative__icontains=q))
    if request.GET.get("current") == "1":
        rows = rows.filter(Q(to_on__isnull=True) | Q(to_on__gte=clock.today()))
    page, query = _page(request, rows)
    return render(request, "workforce/committee.html", {
        "page": page, "query": query, "q": q, "may_add": may_anywhere(request.user, CommitteeMember, "add"),
    })


@scoped(CommitteeMember, "add", kind="create")
def committee_create(request):
    form = CommitteeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def create():
            member = services.add_committee_member(
                actor=request.user, area=d["area"], org=d["org"], post=d["post"],
                representative=d["representative"], from_on=d["from_on"], to_on=d["to_on"])
            ensure_created_in_scope(request.user, member)
            return member

        try:
            with transaction.atomic():
                member, created = resubmit.once(request, d["key"], create)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            if created:
                messages.success(request, _("%(org)s joined the big party committee of %(area)s.")
                                 % {"org": member.org.name, "area": member.area.name})
            return redirect("workforce:committee_member", member.pk)
    return render(request, "lianxin/form.html", {"form": form, "title": _("New big party committee member"),
                                                 "back_url": reverse("workforce:committee")})


@scoped(CommitteeMember, "view")
def committee_member(request, obj):
    if request.method == "POST":
        if not can(request.user, obj, "change"):
            raise PermissionDenied
        form = EndForm(request.POST)
        if form.is_valid():
            try:
                services.end_committee_member(obj, actor=request.user, on=form.cleaned_data["on"])
                messages.success(request, _("The membership has ended."))
            except ValidationError as e:
                messages.error(request, _errors(e))
        return redirect("workforce:committee_member", obj.pk)
    return render(request, "workforce/committee_member.html", {
        "obj": obj, "may_change": can(request.user, obj, "change"), "end_form": EndForm(),
    })


# ---------------------------------------------------------------- campaigns


@scoped(Campaign, "view", kind="list")
def campaign_list(request, qs):
    q = (request.GET.get("q") or "").strip()
    rows = qs.select_related("area").distinct()
    if q:
        rows = rows.filter(Q(title__icontains=q) | Q(theme__icontains=q))
    rows = queries.with_totals(rows).order_by("-starts_on", "-pk")
    page, query = _page(request, rows)
    return render(request, "workforce/campaigns.html", {
        "page": page, "query": query, "q": q, "may_add": may_anywhere(request.user, Campaign, "add"),
    })


@scoped(Campaign, "add", kind="create")
def campaign_create(request):
    form = CampaignForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def create():
            files = [store_upload(d["material"], owner=request.user, area=d["area"], accept=("image", "pdf"))] \
                if d["material"] else []
            campaign = services.create_campaign(
                actor=request.user, title=d["title"], theme=d["theme"], area=d["area"],
                starts_on=d["starts_on"], ends_on=d["ends_on"], description=d["description"], materials=files)
            ensure_created_in_scope(request.user, campaign)
            return campaign

        try:
            with transaction.atomic():
                campaign, created = resubmit.once(request, d["key"], create)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            if created:
                messages.success(request, _("Campaign “%(t)s” created.") % {"t": campaign.title})
            return redirect("workforce:campaign", campaign.pk)
    return render(request, "lianxin/form.html", {"form": form, "title": _("New policy campaign"),
                                                 "back_url": reverse("workforce:campaigns")})


def _delivery_form(request, campaign, data=None):
    workers = Worker.objects.visible_to(request.user).filter(campaigns=campaign).select_related("person")
    if not can(request.user, campaign, "change"):
        workers = workers.filter(person__account=request.user)
    return DeliveryForm(data, workers=workers.order_by("person__name"), areas=queries.campaign_areas(campaign))


@scoped(Campaign, "view")
def campaign_detail(request, obj):
    deliveries = Delivery.objects.visible_to(request.user).filter(campaign=obj)
    totals = deliveries.aggregate(households=Sum("households"), flyers=Sum("flyers"), rounds=Count("pk"))
    per_worker = (deliveries.values("worker", "worker__person__name")
                  .annotate(households=Sum("households"), flyers=Sum("flyers"), rounds=Count("pk"))
                  .order_by("-households"))
    return render(request, "workforce/campaign.html", {
        "obj": obj, "totals": totals, "per_worker": per_worker,
        "deliveries": deliveries.select_related("worker__person", "area")[:100],
        "team": Worker.objects.visible_to(request.user).filter(campaigns=obj).select_related("person", "org"),
        "materials": obj.materials.all(), "may_change": can(request.user, obj, "change"),
        "team_form": TeamForm(), "delivery_form": _delivery_form(request, obj),
    })


@scoped(Campaign, "change")
@require_POST
def campaign_team(request, obj):
    form = TeamForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            if d["remove"]:
                w = Worker.objects.visible_to(request.user).filter(pk=d["remove"]).first()
                if w is not None:
                    services.set_team(obj, actor=request.user, remove=[w])
            elif d["add"]:
                text = d["add"].strip()
                found = list(Worker.objects.visible_to(request.user).filter(
                    Q(person__phone=text) | Q(person__name=text))[:2])
                if len(found) != 1:
                    raise ValidationError(_("Give the mobile number or the exact name of one worker in your scope."))
                services.set_team(obj, actor=request.user, add=found)
                messages.success(request, _("%(name)s joined the team.") % {"name": found[0].name})
        except ValidationError as e:
            messages.error(request, _errors(e))
    return redirect("workforce:campaign", obj.pk)


@scoped(Campaign, "view")
def campaign_deliver(request, obj):
    """The promoter's phone form: one delivery round. A retried submission (same key) is saved once."""
    form = _delivery_form(request, obj, request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            log, created = services.log_delivery(
                actor=request.user, campaign=obj, worker=d["worker"], area=d["area"], households=d["households"],
                flyers=d["flyers"], done_on=d["done_on"], notes=d["notes"], idempotency_key=d["key"])
        except ValidationError as e:
            form.add_error(None, e)
        else:
            if created:
                messages.success(request, _("Delivery logged: %(h)d households, %(f)d flyers.")
                                 % {"h": log.households, "f": log.flyers})
            return redirect("workforce:campaign", obj.pk)
    return render(request, "workforce/deliver.html", {"obj": obj, "form": form})


# ---------------------------------------------------------------- problem collectors


def _counties(user):
    return Area.objects.visible_to(user).filter(kind=AreaKind.COUNTY).order_by("path")


@scoped(Worker, "view", kind="list", subset=True)
def problems(request, qs):
    form = PeriodForm(request.GET or None, counties=_counties(request.user))
    start, end = form.period()
    county = form.cleaned_data.get("county") if form.is_valid() else None
    board = queries.leaderboard(request.user, start, end, county.path if county else None)
    linkable = set(qs.filter(pk__in=[r["pk"] for r in board["workers"]]).values_list("pk", flat=True))
    for r in board["workers"]:
        r["linkable"] = r["pk"] in linkable
    query = request.GET.urlencode()
    return render(request, "workforce/problems.html", {"form": form, "board": board, "start": start, "end": end,
                                                       "query": query})

