"""Excel import and export of retirees (see care.imports for the rules)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lianxin.core.excel import dated_name, write_workbook, xlsx_response
from lianxin.core.importing import import_page, template_response
from lianxin.core.visibility import may_anywhere, scoped
from lianxin.duties.models import DutyLog
from lianxin.duties.queries import logs_of
from lianxin.orgs.models import Org

from . import ledgers as books
from .forms import LedgerRange, RetireeFilter
from .imports import EXPORT_COLUMNS, RetireeImporter, export_rows
from .models import GroupVisit, HealthEvent, Retiree
from .queries import care_obligations
from .views import filter_retirees


@scoped(Retiree, "add", kind="create")
def retiree_import(request):
    return import_page(
        request, RetireeImporter(request.user), name="retirees", template="care/import.html",
        done_url=reverse("care:list"),
        done_message=lambda n: ngettext("%(n)d retiree imported or updated.", "%(n)d retirees imported or updated.",
                                        n) % {"n": n},
        context={"title": _("Import retirees"), "template_url": reverse("care:import_template"),
                 "back_url": reverse("care:list")},
    )


@scoped(Retiree, "add", kind="create")
def retiree_import_template(request):
    return template_response(RetireeImporter(request.user), "retirees-import-template.xlsx")


@scoped(Retiree, "view", kind="list")
def retiree_export(request, qs):
    filters = RetireeFilter(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    qs = (filter_retirees(qs, data).select_related("person", "person__area", "unit")
          .prefetch_related("assignments__user").order_by("person__name", "pk"))
    content = write_workbook(EXPORT_COLUMNS, export_rows(qs.iterator(chunk_size=1000)), title=_("Retirees"))
    return xlsx_response(content, dated_name("retirees"))


# ---------------------------------------------------------------- the other care ledgers


def _range(request):
    form = LedgerRange(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    return form, data.get("start"), data.get("end")


def _xlsx(columns, rows, title, stem):
    return xlsx_response(write_workbook(columns, rows, title=title), dated_name(stem))


@scoped(Retiree, "view", kind="list", subset=True)
def ledgers(request, qs):
    """The page listing every care ledger, with a date range applied to the dated ones."""
    if not may_anywhere(request.user, Retiree, "view"):
        raise PermissionDenied
    form, _start, _end = _range(request)
    query = request.GET.urlencode()
    items = [
        (_("Retirees"), "care:export", False), (_("Care cadre and family doctor assignments (history)"),
                                                 "care:export_assignments", True),
        (_("Contact, visit and follow-up logs"), "care:export_logs", True),
        (_("Obligations with their status"), "care:export_obligations", True),
        (_("Per-person plan entries"), "care:export_plan_entries", True),
        (_("Retirement procedure (six items) per unit"), "care:export_steps", False),
        (_("Liaisons per unit"), "care:export_liaisons", False),
        (_("Health events with the retirees covered"), "care:export_health_events", True),
        (_("Festival visits"), "care:export_groups", True),
        (_("Micro-wishes"), "wishes:export", True),
    ]
    return render(request, "care/ledgers.html", {"form": form, "items": [
        {"label": label, "url": reverse(name) + (f"?{query}" if query and dated else ""), "dated": dated}
        for label, name, dated in items]})


@scoped(Retiree, "view", kind="list")
def assignments_export(request, qs):
    _f, start, end = _range(request)
    return _xlsx(books.ASSIGNMENT_COLUMNS, books.assignment_rows(qs, start, end), _("Assignments"),
                 "care-assignments")


@scoped(Retiree, "view", kind="list")
def logs_export(request, qs):
    _f, start, end = _range(request)
    logs = logs_of(Retiree, qs=DutyLog.objects.visible_to(request.user))
    return _xlsx(books.LOG_COLUMNS, books.log_rows(books.in_range(logs, "done_on", start, end), qs),
                 _("Logs"), "care-logs")


@scoped(Retiree, "view", kind="list")
def obligations_export(request, qs):
    _f, start, end = _range(request)
    obligations = books.in_range(care_obligations(request.user), "period_start", start, end)
    return _xlsx(books.OBLIGATION_COLUMNS, books.obligation_rows(obligations, qs), _("Obligations"),
                 "care-obligations")


@scoped(Retiree, "plan", kind="list")
def plan_entries_export(request, qs):
    _f, start, end = _range(request)
    return _xlsx(books.ENTRY_COLUMNS, books.entry_rows(qs, start, end), _("Per-person plan"),
                 "care-plan-entries")


@scoped(Retiree, "view", kind="list")
def steps_export(request, qs):
    return _xlsx(books.STEP_COLUMNS, books.step_rows(qs), _("Retirement procedure"), "care-retirement-steps")


@scoped(Org, "view", kind="list")
def liaisons_export(request, qs):
    return _xlsx(books.LIAISON_COLUMNS, books.liaison_rows(qs, Retiree.objects.visible_to(request.user)),
                 _("Liaisons"), "care-liaisons")


@scoped(HealthEvent, "view", kind="list")
def health_events_export(request, qs):
    _f, start, end = _range(request)
    return _xlsx(books.HEALTH_COLUMNS, books.health_rows(qs, start, end), _("Health events"),
                 "care-health-events")


@scoped(GroupVisit, "view", kind="list")
def groups_export(request, qs):
    _f, start, end = _range(request)
    groups = list(books.in_range(qs, "due_on", start, end).order_by("-due_on", "-pk"))
    return _xlsx(books.GROUP_COLUMNS, books.group_rows(groups, Retiree.objects.visible_to(request.user)),
                 _("Festival visits"), "care-festival-visits")
