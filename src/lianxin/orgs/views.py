from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from lianxin.core.audit import history
from lianxin.core.trees import TreeError
from lianxin.core.treeviews import top_nodes, with_child_flags
from lianxin.core.visibility import can, ensure_created_in_scope, may_anywhere, scoped

from . import services
from .forms import OrgForm
from .models import Org, OrgKind


@scoped(Org, "view", kind="list")
def tree(request, qs):
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    ctx = {"q": q, "kind": kind, "kinds": OrgKind.choices, "may_export": may_anywhere(request.user, Org, "view"),
           "may_import": may_anywhere(request.user, Org, "change")}
    if q or kind:
        found = qs.select_related("area")
        if q:
            found = found.filter(name__icontains=q)
        if kind:
            found = found.filter(kind=kind)
        ctx["found"] = found[:200]
    else:
        ctx["nodes"] = with_child_flags(top_nodes(qs).select_related("area"))
    return render(request, "orgs/tree.html", ctx)


@scoped(Org, "view")
def children(request, obj):
    nodes = with_child_flags(Org.objects.visible_to(request.user).filter(parent=obj).select_related("area"))
    return render(request, "orgs/tree_children.html", {"nodes": nodes})


@scoped(Org, "view")
def detail(request, obj):
    kids = Org.objects.visible_to(request.user).filter(parent=obj).select_related("area")
    # Through the reverse relation: people depend on orgs, not the other way round.
    people = obj.people.visible_to(request.user)
    return render(request, "orgs/detail.html", {
        "obj": obj, "kids": kids, "people_count": people.count(),
        "ancestors": [o for o in obj.ancestors() if can(request.user, o, "view")],
        "may_change": can(request.user, obj, "change"),
    })


def _form_fields(d):
    return {k: d[k] for k in ("kind", "name", "short_name", "code", "area", "industry", "is_active")}


@scoped(Org, "add", kind="create")
def create(request):
    form = OrgForm(request.POST or None, user=request.user,
                   initial={"parent": request.GET.get("parent"), "area": request.GET.get("area"), "is_active": True})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                org = services.create_org(actor=request.user, parent=d["parent"], **_form_fields(d))
                ensure_created_in_scope(request.user, org)
        except (ValidationError, TreeError) as e:
            form.add_error(None, e if isinstance(e, ValidationError) else str(e))
        else:
            messages.success(request, _("Organisation created."))
            return redirect("orgs:detail", pk=org.pk)
    return render(request, "lianxin/form.html",
                  {"form": form, "title": _("New organisation"), "back_url": reverse("orgs:tree")})


@scoped(Org, "change")
def edit(request, obj):
    initial = {k: getattr(obj, k) for k in ("kind", "name", "short_name", "code", "industry", "is_active")}
    initial.update(area=obj.area_id, parent=obj.parent_id)
    form = OrgForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                services.update_org(obj, actor=request.user, parent=d["parent"], **_form_fields(d))
                ensure_created_in_scope(request.user, obj, "change")
        except (ValidationError, TreeError) as e:
            form.add_error(None, e if isinstance(e, ValidationError) else str(e))
        else:
            messages.success(request, _("Organisation saved."))
            return redirect("orgs:detail", pk=obj.pk)
    return render(request, "lianxin/form.html", {
        "form": form, "title": _("Edit %(name)s") % {"name": obj.name},
        "back_url": reverse("orgs:detail", args=[obj.pk]),
    })


@scoped(Org, "delete")
def delete(request, obj):
    back = reverse("orgs:detail", args=[obj.pk])
    if request.method == "POST":
        try:
            services.delete_org(obj, actor=request.user)
        except TreeError as e:
            messages.error(request, str(e))
            return redirect(back)
        messages.success(request, _("Organisation deleted."))
        return redirect("orgs:tree")
    return render(request, "lianxin/confirm_delete.html", {"obj": obj, "back_url": back})


@scoped(Org, "audit")
def org_history(request, obj):
    return render(request, "lianxin/history.html", {
        "obj": obj, "entries": history(obj), "back_url": reverse("orgs:detail", args=[obj.pk]),
    })
