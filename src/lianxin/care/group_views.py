"""Festival group visits (节日慰问): staff create a one-off visit duty for a group of retirees and follow its
progress; care cadres log the visits from their phone list like any other visit."""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from lianxin.core.visibility import ensure_created_in_scope, may_anywhere, scoped
from lianxin.duties.queries import subjects_of

from . import services
from .forms import GroupFilter, GroupVisitForm
from .models import GroupVisit, Retiree


@scoped(GroupVisit, "view", kind="list")
def groups(request, qs):
    filters = GroupFilter(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    if data.get("q"):
        qs = qs.filter(title__icontains=data["q"])
    page = Paginator(qs.select_related("area", "unit").order_by("-due_on", "-pk"), 30).get_page(
        request.GET.get("page"))
    progress = services.groups_progress(page.object_list)
    for group in page:
        group.progress = progress[group.pk]
    return render(request, "care/groups.html", {"page": page, "filters": filters,
                                                "may_add": may_anywhere(request.user, GroupVisit, "add")})


@scoped(GroupVisit, "add", kind="create")
def group_create(request):
    form = GroupVisitForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                group = services.create_group_visit(
                    actor=request.user, occasion=d["occasion"], title=d["title"], area=d["area"], unit=d["unit"],
                    flags=d["flags"], start_on=d["start_on"], due_on=d["due_on"], client_key=d["key"])
                ensure_created_in_scope(request.user, group)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            return redirect("care:group", group.pk)
    return render(request, "lianxin/form.html", {"form": form, "title": _("New festival visit"),
                                                 "back_url": reverse("care:groups")})


@scoped(GroupVisit, "view")
def group_detail(request, obj):
    progress = services.group_progress(obj)
    retirees = subjects_of(progress["obligations"],
                           Retiree.objects.visible_to(request.user).select_related("person", "person__area"))
    by_owner = defaultdict(lambda: {"done": 0, "due": 0})
    rows = []
    for o in progress["obligations"]:
        owner = o.owner.display_name if o.owner_id else _("Community staff")
        if o.status != "cancelled":
            by_owner[owner]["due"] += 1
            by_owner[owner]["done"] += o.status == "fulfilled"
        rows.append({"obligation": o, "retiree": retirees.get(o.pk), "owner": owner})
    return render(request, "care/group.html", {
        "obj": obj, "progress": progress, "rows": rows,
        "owners": sorted(by_owner.items(), key=lambda kv: (kv[1]["done"] / kv[1]["due"] if kv[1]["due"] else 1,
                                                           kv[0])),
        "flags": [Retiree._meta.get_field(f).verbose_name for f in obj.flags.split(",") if f],
    })
