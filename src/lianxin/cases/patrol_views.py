from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.core.uploads import store_upload
from lianxin.core.visibility import scoped

from . import patrol as patrols
from .models import Category, HazardLevel, Patrol


@scoped(Patrol, "view", kind="list", subset=True)
def patrol_home(request, qs):
    mine = qs.filter(worker=request.user)
    open_patrol = mine.filter(ended_at__isnull=True).select_related("area").first()
    findings = open_patrol and open_patrol.worker.reported_cases.filter(
        source="patrol", created_at__gte=open_patrol.started_at).order_by("-created_at")
    return render(request, "cases/patrol.html", {
        "open_patrol": open_patrol, "recent": mine.select_related("area")[:10], "grids": patrols.grids_of(request.user),
        "categories": patrols.finding_categories(), "findings": findings or [],
        "hazard_levels": HazardLevel.choices,
    })


@scoped(Patrol, "view", kind="list", subset=True)
@require_POST
def patrol_start(request, qs):
    grid = next((g for g in patrols.grids_of(request.user) if str(g.pk) == request.POST.get("grid")), None)
    try:
        if grid is None:
            raise ValidationError(_("Choose one of your grids."))
        patrols.start_patrol(worker=request.user, grid=grid)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect("cases:patrol")


@scoped(Patrol, "change")
@require_POST
def patrol_end(request, obj):
    try:
        patrols.end_patrol(obj, worker=request.user, note=request.POST.get("note", ""))
        messages.success(request, _("Patrol finished."))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect("cases:patrol")


@scoped(Patrol, "change")
@require_POST
def patrol_finding(request, obj):
    category = Category.objects.filter(pk=request.POST.get("category") or 0, parent__isnull=False).first()
    try:
        if category is None:
            raise ValidationError(_("Choose a category."))
        with transaction.atomic():
            photos = [store_upload(f, owner=request.user, area=obj.area) for f in request.FILES.getlist("photo")]
            lng, lat = request.POST.get("lng") or None, request.POST.get("lat") or None
            out = patrols.record_finding(obj, worker=request.user, category=category,
                                         title=request.POST.get("title", ""), description=request.POST.get("note", ""),
                                         lng=lng, lat=lat, photos=photos,
                                         idempotency_key=request.POST.get("key") or None,
                                         type=request.POST.get("type") or "event",
                                         hazard_level=request.POST.get("hazard_level") or "")
        messages.success(request, _("Case %(n)s filed from your patrol.") % {"n": out.case.number})
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect("cases:patrol")
