"""Policy campaigns: the team of promoters and their delivery rounds (the promoter's phone form)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.core import resubmit
from lianxin.core.uploads import store_upload
from lianxin.core.visibility import can, ensure_created_in_scope, may_anywhere, scoped

from . import queries, services
from .forms import CampaignForm, DeliveryForm, TeamForm
from .models import Campaign, Delivery, Worker
from .pages import error_text, paginate


@scoped(Campaign, "view", kind="list")
def campaign_list(request, qs):
    q = (request.GET.get("q") or "").strip()
    rows = qs.select_related("area").distinct()
    if q:
        rows = rows.filter(Q(title__icontains=q) | Q(theme__icontains=q))
    rows = queries.with_totals(rows).order_by("-starts_on", "-pk")
    page, query = paginate(request, rows)
    return render(request, "workforce/campaigns.html", {
        "page": page, "query": query, "q": q, "may_add": may_anywhere(request.user, Campaign, "add"),
    })


@scoped(Campaign, "add", kind="create")
def campaign_create(request):
    form = CampaignForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def create():
            files = [store_upload(d["material"], owner=request.user, area=d["area"], accept=("image", "pdf"))] \
                if d["material"] else []
            campaign = services.create_campaign(
                actor=request.user, title=d["title"], theme=d["theme"], area=d["area"],
                starts_on=d["starts_on"], ends_on=d["ends_on"], description=d["description"], materials=files)
            ensure_created_in_scope(request.user, campaign)
            return campaign

        try:
            with transaction.atomic():
                campaign, created = resubmit.once(request, d["key"], create)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            if created:
                messages.success(request, _("Campaign “%(t)s” created.") % {"t": campaign.title})
            return redirect("workforce:campaign", campaign.pk)
    return render(request, "lianxin/form.html", {"form": form, "title": _("New policy campaign"),
                                                 "back_url": reverse("workforce:campaigns")})


def _delivery_form(request, campaign, data=None):
    workers = Worker.objects.visible_to(request.user).filter(campaigns=campaign).select_related("person")
    if not can(request.user, campaign, "change"):
        workers = workers.filter(person__account=request.user)
    return DeliveryForm(data, workers=workers.order_by("person__name"), areas=queries.campaign_areas(campaign))


@scoped(Campaign, "view")
def campaign_detail(request, obj):
    deliveries = Delivery.objects.visible_to(request.user).filter(campaign=obj)
    totals = deliveries.aggregate(households=Sum("households"), flyers=Sum("flyers"), rounds=Count("pk"))
    per_worker = (deliveries.values("worker", "worker__person__name")
                  .annotate(households=Sum("households"), flyers=Sum("flyers"), rounds=Count("pk"))
                  .order_by("-households"))
    return render(request, "workforce/campaign.html", {
        "obj": obj, "totals": totals, "per_worker": per_worker,
        "deliveries": deliveries.select_related("worker__person", "area")[:100],
        "team": Worker.objects.visible_to(request.user).filter(campaigns=obj).select_related("person", "org"),
        "materials": obj.materials.all(), "may_change": can(request.user, obj, "change"),
        "team_form": TeamForm(), "delivery_form": _delivery_form(request, obj),
    })


@scoped(Campaign, "change")
@require_POST
def campaign_team(request, obj):
    form = TeamForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            if d["remove"]:
                w = Worker.objects.visible_to(request.user).filter(pk=d["remove"]).first()
                if w is not None:
                    services.set_team(obj, actor=request.user, remove=[w])
            elif d["add"]:
                text = d["add"].strip()
                found = list(Worker.objects.visible_to(request.user).filter(
                    Q(person__phone=text) | Q(person__name=text))[:2])
                if len(found) != 1:
                    raise ValidationError(_("Give the mobile number or the exact name of one worker in your scope."))
                services.set_team(obj, actor=request.user, add=found)
                messages.success(request, _("%(name)s joined the team.") % {"name": found[0].name})
        except ValidationError as e:
            messages.error(request, error_text(e))
    return redirect("workforce:campaign", obj.pk)


@scoped(Campaign, "view")
def campaign_deliver(request, obj):
    """The promoter's phone form: one delivery round. A retried submission (same key) is saved once."""
    form = _delivery_form(request, obj, request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            log, created = services.log_delivery(
                actor=request.user, campaign=obj, worker=d["worker"], area=d["area"], households=d["households"],
                flyers=d["flyers"], done_on=d["done_on"], notes=d["notes"], idempotency_key=d["key"])
        except ValidationError as e:
            form.add_error(None, e)
        else:
            if created:
                messages.success(request, _("Delivery logged: %(h)d households, %(f)d flyers.")
                                 % {"h": log.households, "f": log.flyers})
            return redirect("workforce:campaign", obj.pk)
    return render(request, "workforce/deliver.html", {"obj": obj, "form": form})
