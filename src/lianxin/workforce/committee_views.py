"""大党委: the member units of an area's big party committee."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from lianxin.core import clock, resubmit
from lianxin.core.visibility import can, ensure_created_in_scope, may_anywhere, scoped

from . import services
from .forms import CommitteeForm, EndForm
from .models import CommitteeMember
from .pages import error_text, paginate


@scoped(CommitteeMember, "view", kind="list")
def committee_list(request, qs):
    q = (request.GET.get("q") or "").strip()
    rows = qs.select_related("area", "org")
    if q:
        rows = rows.filter(Q(org__name__icontains=q) | Q(area__name__icontains=q) | Q(representative__icontains=q))
    if request.GET.get("current") == "1":
        rows = rows.filter(Q(to_on__isnull=True) | Q(to_on__gte=clock.today()))
    page, query = paginate(request, rows)
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
                messages.error(request, error_text(e))
        return redirect("workforce:committee_member", obj.pk)
    return render(request, "workforce/committee_member.html", {
        "obj": obj, "may_change": can(request.user, obj, "change"), "end_form": EndForm(),
    })
