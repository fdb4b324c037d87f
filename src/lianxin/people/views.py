from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.core.audit import history
from lianxin.core.trees import subtree_q
from lianxin.core.visibility import can, ensure_created_in_scope, may_anywhere, scoped

from . import services
from .forms import PersonFilter, PersonForm
from .models import Person


def filter_people(qs, data: dict):
    """The people list's filters; the same function serves the page and the Excel export."""
    if data.get("q"):
        qs = qs.filter(name__icontains=data["q"])
    if data.get("kind"):
        qs = qs.filter(tags__kind=data["kind"])
    if data.get("area"):
        qs = qs.filter(subtree_q("area__path", data["area"].path))
    if data.get("org"):
        qs = qs.filter(subtree_q("org__path", data["org"].path))
    if data.get("party") in ("0", "1"):
        qs = qs.filter(is_party_member=data["party"] == "1")
    return qs


@scoped(Person, "view", kind="list")
def person_list(request, qs):
    filters = PersonFilter(request.GET or None, user=request.user)
    data = filters.cleaned_data if filters.is_valid() else {}
    qs = filter_people(qs, data).select_related("area", "org").prefetch_related("tags").order_by("name", "pk")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "people/list.html", {
        "filters": filters, "page": page, "query": query.urlencode(),
        "may_add": may_anywhere(request.user, Person, "add"),
    })


@scoped(Person, "view")
def person_detail(request, obj):
    return render(request, "people/detail.html", {
        "obj": obj,
        "may_change": can(request.user, obj, "change"),
        "may_delete": can(request.user, obj, "delete"),
        "may_reveal": can(request.user, obj, "reveal"),
        "may_audit": can(request.user, obj, "audit"),
        "account": getattr(obj, "account", None),
    })


@scoped(Person, "reveal")
@require_POST
def person_reveal(request, obj):
    field = request.POST.get("field")
    if field not in ("phone", "id_number"):
        return render(request, "people/revealed.html", {"value": ""}, status=400)
    value = services.reveal(obj, actor=request.user, field=field)
    return render(request, "people/revealed.html", {"value": value, "field": field})


def _save_person(request, form, person=None):
    d = form.cleaned_data
    fields = {k: d[k] for k in ("gender", "phone", "id_number", "area", "org", "is_party_member", "notes")}
    with transaction.atomic():
        if person is None:
            person = services.create_person(actor=request.user, name=d["name"], kinds=d["kinds"], **fields)
            ensure_created_in_scope(request.user, person)
        else:
            person = services.update_person(person, actor=request.user, name=d["name"], kinds=d["kinds"], **fields)
            ensure_created_in_scope(request.user, person, "change")
    return person


@scoped(Person, "add", kind="create")
def person_create(request):
    form = PersonForm(request.POST or None, user=request.user, initial={"area": request.GET.get("area")})
    if request.method == "POST" and form.is_valid():
        try:
            person = _save_person(request, form)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Person added."))
            return redirect("people:detail", pk=person.pk)
    return render(request, "lianxin/form.html",
                  {"form": form, "title": _("Add a person"), "back_url": reverse("people:list")})


@scoped(Person, "change")
def person_edit(request, obj):
    initial = {k: getattr(obj, k) for k in ("name", "gender", "is_party_member", "notes")}
    initial.update(area=obj.area_id, org=obj.org_id, kinds=obj.kind_codes)
    form = PersonForm(request.POST or None, user=request.user, initial=initial)
    # Personal numbers are not sent to the browser: empty fields keep the stored value.
    form.fields["phone"].help_text = _("Stored: %(v)s. Leave empty to keep it.") % {"v": obj.phone_masked or "—"}
    form.fields["id_number"].help_text = _("Stored: %(v)s. Leave empty to keep it.") % {
        "v": obj.id_number_masked or "—"}
    if request.method == "POST" and form.is_valid():
        for key in ("phone", "id_number"):
            if not form.cleaned_data[key]:
                form.cleaned_data[key] = getattr(obj, key)
        try:
            _save_person(request, form, obj)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Saved."))
            return redirect("people:detail", pk=obj.pk)
    return render(request, "lianxin/form.html", {
        "form": form, "title": _("Edit %(name)s") % {"name": obj.name},
        "back_url": reverse("people:detail", args=[obj.pk]),
    })


@scoped(Person, "delete")
def person_delete(request, obj):
    back = reverse("people:detail", args=[obj.pk])
    if request.method == "POST":
        try:
            services.delete_person(obj, actor=request.user)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
            return redirect(back)
        messages.success(request, _("Deleted."))
        return redirect("people:list")
    return render(request, "lianxin/confirm_delete.html", {"obj": obj, "back_url": back})


@scoped(Person, "audit")
def person_history(request, obj):
    return render(request, "lianxin/history.html", {
        "obj": obj, "entries": history(obj), "back_url": reverse("people:detail", args=[obj.pk]),
    })
