"""Workers (riders, couriers, drivers) with their platform and roles, the part-time grid worker link, and a
rider's own page. Every view reads through visible_to; every write goes through services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.cases.models import OPEN_STAGES, Case, Stage
from lianxin.cases.targets import assigned_to
from lianxin.core import resubmit
from lianxin.core.visibility import can, ensure_created_in_scope, may_anywhere, personal, scoped

from . import services
from .filters import filter_workers, worker_filter
from .forms import CompleteForm, GridForm, WorkerForm
from .models import Campaign, Delivery, Registration, Worker
from .pages import error_text, form_errors, paginate
from .types import SERVICE


@scoped(Worker, "view", kind="list")
def worker_list(request, qs):
    filters = worker_filter(request, qs)
    data = filters.cleaned_data if filters.is_valid() else {}
    rows = (filter_workers(qs, data).select_related("person", "org", "branch", "area")
            .annotate(open_links=Count("grid_links", filter=Q(grid_links__ended_at__isnull=True)))
            .prefetch_related("person__tags").order_by("person__name", "pk"))
    page, query = paginate(request, rows)
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
        messages.error(request, form_errors(form))
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
        messages.error(request, error_text(e))
    return redirect("workforce:detail", obj.pk)


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
