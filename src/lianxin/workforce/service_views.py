"""双报到 service requests on the case engine: 点单 (a resident's need), the community's board, 下单 (given to a
registered member or unit), 接单 and done."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.cases.models import OPEN_STAGES, Case, Category, Stage
from lianxin.cases.services import MoveRefused
from lianxin.core import resubmit
from lianxin.core.uploads import store_upload
from lianxin.core.visibility import scoped

from . import queries, services
from .forms import CompleteForm, NeedForm
from .models import Registration, RegStatus
from .pages import error_text, form_errors, paginate
from .types import SERVICE


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
    page, query = paginate(request, rows)
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
            messages.error(request, error_text(e))
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
        messages.error(request, error_text(e))
    return redirect("workforce:me")


@scoped(Case, "view")
@require_POST
def service_done(request, obj):
    if obj.type != SERVICE:
        raise Http404
    form = CompleteForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("workforce:me")
    try:
        with transaction.atomic():
            photo = form.cleaned_data["photo"]
            photos = [store_upload(photo, owner=request.user, area=obj.area)] if photo else []
            services.complete_service(obj, actor=request.user, note=form.cleaned_data["note"], photos=photos)
        messages.success(request, _("%(n)s is done and goes to the community to verify.") % {"n": obj.number})
    except (ValidationError, MoveRefused) as e:
        messages.error(request, error_text(e))
    return redirect("workforce:me")
