"""双报到: registrations of firm party organisations and members with a community, and the community's
quarterly feedback to the unit (a duty)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.cases.models import Case
from lianxin.core import clock, resubmit
from lianxin.core.visibility import can, ensure_created_in_scope, may_anywhere, scoped
from lianxin.duties import services as duties
from lianxin.duties.models import Obligation
from lianxin.duties.status import with_status

from . import services
from .filters import filter_registrations
from .forms import EndForm, FeedbackForm, RegistrationFilter, RegistrationForm, new_key
from .models import Registration
from .pages import error_text, form_errors, paginate


@scoped(Registration, "view", kind="list")
def registration_list(request, qs):
    filters = RegistrationFilter(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    rows = filter_registrations(qs, data).select_related("area", "org", "person").annotate(
        taken=Count("orders", distinct=True)).order_by("-registered_on", "-pk")
    page, query = paginate(request, rows)
    return render(request, "workforce/registrations.html", {
        "filters": filters, "page": page, "query": query,
        "may_add": may_anywhere(request.user, Registration, "add"),
    })


@scoped(Registration, "add", kind="create")
def registration_create(request):
    form = RegistrationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def create():
            reg = services.register(actor=request.user, kind=d["kind"], area=d["area"], org=d.get("org"),
                                    person=d.get("person"), registered_on=d["registered_on"], services=d["services"])
            ensure_created_in_scope(request.user, reg)
            return reg

        try:
            with transaction.atomic():
                reg, created = resubmit.once(request, d["key"], create)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            if created:
                messages.success(request, _("Registration of %(name)s with %(area)s saved.")
                                 % {"name": reg.name, "area": reg.area.name})
            return redirect("workforce:registration", reg.pk)
    return render(request, "lianxin/form.html", {"form": form, "title": _("New double registration"),
                                                 "back_url": reverse("workforce:registrations")})


@scoped(Registration, "view")
def registration_detail(request, obj):
    plan = services.feedback_plan(obj)
    obligations = []
    if plan is not None:
        obligations = with_status(Obligation.objects.visible_to(request.user).filter(plan=plan),
                                  clock.now()).select_related("fulfilled_by").order_by("-period_start")[:12]
    orders = obj.orders.filter(case__in=Case.objects.visible_to(request.user)).select_related(
        "case", "case__category").order_by("-created_at")[:50]
    return render(request, "workforce/registration.html", {
        "obj": obj, "plan": plan, "obligations": obligations, "orders": orders,
        "may_change": can(request.user, obj, "change"),
        "may_log": plan is not None and duties.may_log(request.user, plan),
        "feedback_form": FeedbackForm(initial={"key": new_key()}), "end_form": EndForm(),
    })


@scoped(Registration, "change")
@require_POST
def registration_end(request, obj):
    form = EndForm(request.POST)
    if form.is_valid():
        try:
            services.end_registration(obj, actor=request.user, on=form.cleaned_data["on"],
                                      note=form.cleaned_data["note"])
            messages.success(request, _("The registration has ended."))
        except ValidationError as e:
            messages.error(request, error_text(e))
    else:
        messages.error(request, form_errors(form))
    return redirect("workforce:registration", obj.pk)


@scoped(Registration, "view")
@require_POST
def registration_feedback(request, obj):
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("workforce:registration", obj.pk)
    d = form.cleaned_data
    try:
        outcome = services.log_feedback(obj, actor=request.user, notes=d["notes"], done_on=d["done_on"],
                                        idempotency_key=d["key"])
    except (ValidationError, PermissionDenied) as e:
        messages.error(request, _("The feedback was not saved: %(e)s") % {"e": error_text(e)})
    else:
        if outcome.created:
            messages.success(request, _("Quarterly feedback to the unit recorded."))
    return redirect("workforce:registration", obj.pk)
