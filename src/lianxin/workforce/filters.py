"""The workforce lists' filters, shared by the pages and their Excel exports."""

from django.db.models import Q

from lianxin.areas.models import Area, AreaKind
from lianxin.core.trees import subtree_q
from lianxin.orgs.models import Org, OrgKind

from .forms import WorkerFilter


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


def filter_registrations(qs, data: dict):
    if data.get("q"):
        q = data["q"].strip()
        qs = qs.filter(Q(person__name__icontains=q) | Q(org__name__icontains=q) | Q(area__name__icontains=q))
    if data.get("kind"):
        qs = qs.filter(kind=data["kind"])
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    return qs


def counties(user):
    return Area.objects.visible_to(user).filter(kind=AreaKind.COUNTY).order_by("path")
