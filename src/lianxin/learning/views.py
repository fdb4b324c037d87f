"""Staff pages of the library: items (list, create, edit, the item page with its QR code, history and moves),
study assignments, the category tree (administrators)."""

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.areas.models import Area
from lianxin.core import resubmit
from lianxin.core.uploads import store_upload
from lianxin.core.visibility import can, configuration, ensure_created_in_scope, may_anywhere, scoped
from lianxin.orgs.models import PARTY_KINDS, Org

from . import search, services
from .forms import AssignForm, CategoryForm, ItemForm, PublishForm
from .models import Category, Item, Read, Status, StudyAssignment


def read_url(request, item: Item) -> str:
    return request.build_absolute_uri(reverse("learning:read", args=[item.pk]))


@scoped(Item, "view", kind="list")
def item_list(request, qs):
    status = request.GET.get("status", "")
    if status in Status.values:
        qs = qs.filter(status=status)
    q = (request.GET.get("q") or "").strip()
    words = []
    if q:
        ids, words = search.search(qs, q, limit=200)  # ranked ids, then the page with its counts
        qs = search.ordered(qs, ids)
    else:
        qs = qs.order_by("-updated_at", "-pk")
    qs = qs.select_related("category", "area", "org").annotate(n_reads=Count("reads"))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    for item in page:
        item.marked = search.highlight(item.title, words)
    return render(request, "learning/list.html", {
        "page": page, "q": q, "status": status, "statuses": Status.choices,
        "may_add": may_anywhere(request.user, Item, "add"),
    })


def _choices(user):
    areas = Area.objects.visible_to(user).order_by("path")
    orgs = Org.objects.visible_to(user).filter(kind__in=PARTY_KINDS).order_by("path")
    return areas, orgs


def _fields(request, form) -> dict:
    d = form.cleaned_data
    fields = {k: d[k] for k in ("kind", "title", "summary", "media_url", "media_minutes", "category", "source",
                                "level", "area", "org", "audience_area", "audience_org")}
    body = d["body"] or ""
    fields["body"] = body if "<" in body else services.sanitize.from_plain(body)
    if d.get("document"):
        fields["document"] = store_upload(d["document"], owner=request.user, area=d["area"], accept=("pdf",))
    return fields


@scoped(Item, "add", kind="create")
def item_create(request):
    areas, orgs = _choices(request.user)
    form = ItemForm(request.POST or None, request.FILES or None, areas=areas, orgs=orgs)
    if request.method == "POST" and form.is_valid():
        def create():
            item = services.create_item(actor=request.user, tags=form.tag_names(), **_fields(request, form))
            ensure_created_in_scope(request.user, item)
            return item
        try:
            with transaction.atomic():
                item, created = resubmit.once(request, form.cleaned_data["key"], create)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            if created:
                messages.success(request, _("Draft saved."))
            return redirect("learning:detail", item.pk)
    return render(request, "lianxin/form.html", {"form": form, "title": _("New library item"),
                                                  "back_url": reverse("learning:list")})


@scoped(Item, "change")
def item_edit(request, obj):
    areas, orgs = _choices(request.user)
    initial = {k: getattr(obj, k) for k in ("kind", "title", "summary", "body", "media_url", "media_minutes",
                                            "category", "source", "level", "area", "org", "audience_area",
                                            "audience_org")}
    initial["tags"] = ", ".join(t.name for t in obj.tags.all())
    form = ItemForm(request.POST or None, request.FILES or None, areas=areas, orgs=orgs, editing=True,
                    initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                fields = _fields(request, form)
                if "document" not in fields:
                    fields["document"] = obj.document
                item = services.update_item(obj, actor=request.user, tags=form.tag_names(), **fields)
                ensure_created_in_scope(request.user, item, "change")
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Draft saved."))
            return redirect("learning:detail", obj.pk)
    return render(request, "lianxin/form.html", {"form": form, "title": _("Edit %(name)s") % {"name": obj.title},
                                                  "back_url": reverse("learning:detail", args=[obj.pk])})


@scoped(Item, "view")
def item_detail(request, obj):
    url = read_url(request, obj)
    reviewer = services.may_publish(request.user, obj)
    may_change = can(request.user, obj, "change")
    moves = [(name, label) for name, label, needs_reviewer in services.MOVES[obj.status]
             if (reviewer if needs_reviewer else may_change)]
    reads = Read.objects.visible_to(request.user).filter(item=obj)
    return render(request, "learning/detail.html", {
        "obj": obj, "events": obj.events.select_related("actor").order_by("-at", "-pk"), "moves": moves,
        "may_change": may_change and obj.status == Status.DRAFT, "read_url": url,
        "qr": segno.make(url, error="m").svg_data_uri(scale=4), "publish_form": PublishForm(),
        "reads": reads.count(), "readers": reads.values("user").distinct().count(),
        "min_seconds": services.min_seconds(obj), "tags": obj.tags.all(),
        "assignments": StudyAssignment.objects.visible_to(request.user).filter(item=obj).select_related("org"),
        "may_assign": obj.status == Status.PUBLISHED and may_anywhere(request.user, StudyAssignment, "add"),
    })


@scoped(Item, "view")
def item_qr(request, obj):
    """The item's QR code (SVG) for posters and printed material: it opens the reading page."""
    svg = segno.make(read_url(request, obj), error="m").svg_inline(scale=10, border=2)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="learning-{obj.pk}-qr.svg"'
    return response


@scoped(Item, "change")
@require_POST
def item_move(request, obj):
    move = request.POST.get("move", "")
    note = request.POST.get("note", "")[:300]
    try:
        if move == "submit":
            services.submit(obj, actor=request.user)
        elif move == "publish":
            form = PublishForm(request.POST)
            at = form.cleaned_data.get("at") if form.is_valid() else None
            services.publish(obj, actor=request.user, at=at, note=note)
        elif move == "return":
            services.return_to_draft(obj, actor=request.user, note=note)
        elif move == "withdraw":
            services.withdraw(obj, actor=request.user, note=note)
        elif move == "reopen":
            services.reopen(obj, actor=request.user, note=note)
        else:
            return HttpResponse(status=400)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    except PermissionDenied:
        raise
    else:
        messages.success(request, _("Done."))
    return redirect("learning:detail", obj.pk)


# ------------------------------------------------------------------ assigned study


@scoped(StudyAssignment, "add", kind="create")
def assign(request):
    raw = request.GET.get("item") or request.POST.get("item") or ""
    item = (Item.objects.visible_to(request.user).filter(pk=int(raw), status=Status.PUBLISHED).first()
            if raw.isdigit() and len(raw) < 19 else None)
    if item is None:
        items = Item.objects.visible_to(request.user).filter(status=Status.PUBLISHED).order_by("-publish_at")[:50]
        return render(request, "learning/assign_pick.html", {"items": items})
    orgs = Org.objects.visible_to(request.user, "view").filter(kind__in=PARTY_KINDS).order_by("path")
    form = AssignForm(request.POST or None, orgs=orgs, initial={"due_on": services.soon(14)})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def create():
            a = services.assign_study(actor=request.user, item=item, org=d["org"], due_on=d["due_on"],
                                      note=d["note"])
            ensure_created_in_scope(request.user, a)
            return a
        try:
            with transaction.atomic():
                assignment, created = resubmit.once(request, d["key"], create)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            if created:
                messages.success(request, _("Study assigned."))
            return redirect("learning:assignment", assignment.pk)
    return render(request, "learning/assign.html", {"form": form, "item": item})


@scoped(StudyAssignment, "view")
def assignment_detail(request, obj):
    studies = obj.duties.all()
    rows = []
    for org_id, name in studies.values_list("org", "org__name").distinct().order_by("org__path"):
        rows.append({"org": name, **services.completion(studies.filter(org_id=org_id))})
    return render(request, "learning/assignment.html", {
        "obj": obj, "rows": rows, "total": services.completion(studies)})


# ------------------------------------------------------------------ categories


@configuration(Category, "view")
def category_list(request):
    cats = Category.objects.annotate(n=Count("items")).order_by("path")
    return render(request, "learning/categories.html", {"categories": cats})


def _category_form(request, category=None):
    initial = {}
    if category is not None:
        initial = {"name": category.name, "code": category.code, "parent": category.parent,
                   "position": category.position, "active": category.active}
    form = CategoryForm(request.POST or None, category=category, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.save_category(actor=request.user, name=d["name"], code=d["code"], parent=d["parent"],
                                   position=d["position"], active=d["active"], category=category)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Category saved."))
            return redirect("learning:categories")
    return render(request, "lianxin/form.html", {
        "form": form, "title": category.name if category else _("New category"),
        "back_url": reverse("learning:categories")})


@configuration(Category, "add")
def category_create(request):
    return _category_form(request)


@configuration(Category, "change")
def category_edit(request, pk):
    category = Category.objects.filter(pk=pk).first()
    if category is None:
        raise Http404
    return _category_form(request, category)
