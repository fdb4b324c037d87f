import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lianxin.core.audit import history
from lianxin.core.trees import TreeError
from lianxin.core.treeviews import top_nodes, with_child_flags
from lianxin.core.uploads import _read_limited
from lianxin.core.visibility import can, ensure_created_in_scope, may_anywhere, scoped

from . import boundaries, services, svgmap
from .forms import AreaForm, BoundaryUploadForm
from .models import KIND_ORDER, Area, AreaKind


@scoped(Area, "view", kind="list")
def tree(request, qs):
    q = request.GET.get("q", "").strip()
    if q:
        found = qs.filter(name__icontains=q)[:100]
        return render(request, "areas/tree.html", {"found": found, "q": q})
    return render(request, "areas/tree.html", {"nodes": with_child_flags(top_nodes(qs)), "q": q,
                                               "may_export": may_anywhere(request.user, Area, "view"),
                                               "may_import": may_anywhere(request.user, Area, "change")})


@scoped(Area, "view")
def children(request, obj):
    nodes = with_child_flags(Area.objects.visible_to(request.user).filter(parent=obj).order_by("code"))
    return render(request, "areas/tree_children.html", {"nodes": nodes})


@scoped(Area, "view")
def detail(request, obj):
    kids = list(Area.objects.visible_to(request.user).filter(parent=obj).order_by("code"))
    counts = {
        "orgs": obj.orgs.count(),
        "people": obj.people.count(),
    }
    shown = [obj, *kids] if kids else [obj]
    svg = svgmap.outlines(shown)
    if svg["projection"]:  # the sub-areas' names on the map
        svg["labels"] = svgmap.base_layer(svg["projection"], kids, font_scale=1.4)  # the card shows it small
    return render(request, "areas/detail.html", {
        "obj": obj, "kids": kids, "counts": counts, "svg": svg,
        "ancestors": [a for a in obj.ancestors() if can(request.user, a, "view")],
        "boundary_json": json.dumps(obj.boundary, ensure_ascii=False) if obj.boundary else "",
        "child_kind": _child_kind(obj.kind),
        "may_change": can(request.user, obj, "change"),
    })


def _child_kind(kind):
    i = KIND_ORDER.index(kind)
    return KIND_ORDER[i + 1] if i + 1 < len(KIND_ORDER) else None


@scoped(Area, "add", kind="create")
def create(request):
    kind = request.GET.get("kind") or request.POST.get("kind") or AreaKind.COUNTY
    if kind not in AreaKind.values:
        raise Http404
    initial = {"parent": request.GET.get("parent")}
    form = AreaForm(request.POST or None, user=request.user, kind=kind, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                area = services.create_area(actor=request.user, kind=kind, code=d["code"], name=d["name"],
                                            parent=d.get("parent"), boundary=d["boundary"],
                                            is_demo_code=d["is_demo_code"])
                ensure_created_in_scope(request.user, area)
        except (ValidationError, TreeError) as e:
            form.add_error(None, e if isinstance(e, ValidationError) else str(e))
        else:
            messages.success(request, _("Area created."))
            return redirect("areas:detail", pk=area.pk)
    return render(request, "lianxin/form.html", {
        "form": form, "title": _("New %(kind)s") % {"kind": AreaKind(kind).label},
        "back_url": reverse("areas:tree"),
    })


@scoped(Area, "change")
def edit(request, obj):
    initial = {"name": obj.name, "code": obj.code, "is_demo_code": obj.is_demo_code, "parent": obj.parent_id,
               "boundary": json.dumps(obj.boundary, ensure_ascii=False) if obj.boundary else ""}
    form = AreaForm(request.POST or None, user=request.user, kind=obj.kind, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.update_area(obj, actor=request.user, name=d["name"], code=d["code"], boundary=d["boundary"],
                                 parent=d.get("parent", obj.parent))
        except (ValidationError, TreeError) as e:
            form.add_error(None, e if isinstance(e, ValidationError) else str(e))
        else:
            messages.success(request, _("Area saved."))
            return redirect("areas:detail", pk=obj.pk)
    return render(request, "lianxin/form.html", {
        "form": form, "title": _("Edit %(name)s") % {"name": obj.name},
        "back_url": reverse("areas:detail", args=[obj.pk]),
    })


@scoped(Area, "delete")
def delete(request, obj):
    back = reverse("areas:detail", args=[obj.pk])
    if request.method == "POST":
        parent = obj.parent_id
        try:
            services.delete_area(obj, actor=request.user)
        except TreeError as e:
            messages.error(request, str(e))
            return redirect(back)
        messages.success(request, _("Area deleted."))
        return redirect("areas:detail", pk=parent) if parent else redirect("areas:tree")
    return render(request, "lianxin/confirm_delete.html", {"obj": obj, "back_url": back})


@scoped(Area, "audit")
def area_history(request, obj):
    return render(request, "lianxin/history.html", {
        "obj": obj, "entries": history(obj), "back_url": reverse("areas:detail", args=[obj.pk]),
    })


@scoped(Area, "change", kind="create")
def import_boundaries(request):
    """Upload a GeoJSON FeatureCollection (or a zipped Shapefile) of boundaries; all or nothing (areas.boundaries).

    Only areas the user may change are reachable by code; the whole file is checked and applied while they wait."""
    form = BoundaryUploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            data = _read_limited(upload, settings.UPLOAD_MAX_BYTES)
            outcome = boundaries.import_boundaries(data, actor=request.user, filename=upload.name)
        except ValidationError as e:
            form.add_error("file", e)
        except boundaries.Refused as e:
            problems = e.problems
        else:
            text = ngettext("%(n)d boundary updated.", "%(n)d boundaries updated.", outcome.updated) % {
                "n": outcome.updated}
            if outcome.unchanged:
                text += " " + ngettext("%(n)d was already as in the file.", "%(n)d were already as in the file.",
                                       outcome.unchanged) % {"n": outcome.unchanged}
            messages.success(request, text)
            return redirect("areas:tree")
    return render(request, "areas/boundaries_import.html", {
        "form": form, "problems": problems, "back_url": reverse("areas:tree"),
        "outside_pct": boundaries.OUTSIDE_TOLERANCE * 100, "overlap_pct": boundaries.OVERLAP_TOLERANCE * 100,
    }, status=400 if problems else 200)
