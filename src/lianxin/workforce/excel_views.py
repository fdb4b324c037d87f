"""Excel import of workers and the export of every ledger of the module (see imports.py for the rules)."""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lianxin.cases.models import Case
from lianxin.core.excel import dated_name, write_workbook, xlsx_response
from lianxin.core.importing import import_page, template_response
from lianxin.core.visibility import scoped

from . import queries
from .filters import counties, filter_registrations, filter_workers, worker_filter
from .forms import PeriodForm, RegistrationFilter
from .imports import (
    CAMPAIGN_EXPORT,
    COMMITTEE_EXPORT,
    DELIVERY_EXPORT,
    LEADERBOARD_EXPORT,
    REGISTRATION_EXPORT,
    SERVICE_EXPORT,
    WORKER_EXPORT,
    WorkerImporter,
    campaign_rows,
    committee_rows,
    delivery_rows,
    registration_rows,
    service_rows,
    worker_rows,
)
from .models import Campaign, CommitteeMember, Delivery, Registration, Worker
from .types import SERVICE


@scoped(Worker, "add", kind="create")
def worker_import(request):
    return import_page(
        request, WorkerImporter(request.user), name="workers", template="workforce/import.html",
        done_url=reverse("workforce:list"),
        done_message=lambda n: ngettext("%(n)d worker imported.", "%(n)d workers imported.", n) % {"n": n},
        context={"title": _("Import workers"), "template_url": reverse("workforce:import_template"),
                 "back_url": reverse("workforce:list")},
    )


@scoped(Worker, "add", kind="create")
def worker_import_template(request):
    return template_response(WorkerImporter(request.user), "workers-import-template.xlsx")


@scoped(Worker, "view", kind="list")
def worker_export(request, qs):
    filters = worker_filter(request, qs)
    data = filters.cleaned_data if filters.is_valid() else {}
    rows = (filter_workers(qs, data).select_related("person", "org", "branch", "area")
            .prefetch_related("person__tags", "grid_links__grid").order_by("person__name", "pk"))
    content = write_workbook(WORKER_EXPORT, worker_rows(rows.iterator(chunk_size=1000)), title=_("Workers"))
    return xlsx_response(content, dated_name("workers"))


@scoped(Registration, "view", kind="list")
def registration_export(request, qs):
    """Registrations, and on a second sheet the service requests given to them (read through visible_to)."""
    filters = RegistrationFilter(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    regs = (filter_registrations(qs, data).select_related("area", "org", "person")
            .annotate(taken=Count("orders", distinct=True)).order_by("area__path", "-registered_on", "pk"))
    cases = (Case.objects.visible_to(request.user).filter(type=SERVICE)
             .select_related("area", "category", "category__parent", "dr_order__registration__person",
                             "dr_order__registration__org").order_by("-created_at", "-pk"))
    content = write_workbook(REGISTRATION_EXPORT, registration_rows(regs), title=_("Double registrations"),
                             extra_sheets=[(_("Service requests"), [str(c.title) for c in SERVICE_EXPORT],
                                            list(service_rows(cases)), [c.width for c in SERVICE_EXPORT])])
    return xlsx_response(content, dated_name("double-registrations"))


@scoped(CommitteeMember, "view", kind="list")
def committee_export(request, qs):
    rows = qs.select_related("area", "org").order_by("area__path", "-from_on", "pk")
    content = write_workbook(COMMITTEE_EXPORT, committee_rows(rows), title=_("Big party committee members"))
    return xlsx_response(content, dated_name("big-party-committee"))


@scoped(Campaign, "view", kind="list")
def campaign_export(request, qs):
    campaigns = queries.with_totals(qs.select_related("area").distinct()).order_by("-starts_on", "pk")
    deliveries = (Delivery.objects.visible_to(request.user).filter(campaign__in=qs.values("pk"))
                  .select_related("campaign", "worker__person", "area").order_by("-done_on", "-pk"))
    content = write_workbook(CAMPAIGN_EXPORT, campaign_rows(campaigns), title=_("Policy campaigns"),
                             extra_sheets=[(_("Delivery logs"), [str(c.title) for c in DELIVERY_EXPORT],
                                            list(delivery_rows(deliveries)), [c.width for c in DELIVERY_EXPORT])])
    return xlsx_response(content, dated_name("policy-campaigns"))


@scoped(Worker, "view", kind="list", subset=True)
def problems_export(request, qs):
    form = PeriodForm(request.GET or None, counties=counties(request.user))
    start, end = form.period()
    county = form.cleaned_data.get("county") if form.is_valid() else None
    board = queries.leaderboard(request.user, start, end, county.path if county else None)
    rows = [[i, r["name"], r["firm"], r["reported"], r["accepted"], r["handled"]]
            for i, r in enumerate(board["workers"], 1)]
    county_rows = [[r["name"], r["reported"], r["accepted"], r["handled"]] for r in board["counties"]]
    firm_rows = [[r["name"], r["reported"], r["accepted"], r["handled"]] for r in board["firms"]]
    heads = [_("Reported"), _("Accepted"), _("Handled")]
    content = write_workbook(LEADERBOARD_EXPORT, rows, title=_("Problem collectors"), extra_sheets=[
        (_("Counties"), [_("County"), *heads], county_rows, [16, 8, 8, 8]),
        (_("Firms"), [_("Platform firm"), *heads], firm_rows, [24, 8, 8, 8]),
    ])
    return xlsx_response(content, dated_name(f"problem-collectors-{start:%Y%m%d}-{end:%Y%m%d}"))
