"""Excel import of firms and the exports of every ledger of the app (see newgroups.imports for the rules)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from lianxin.cases.deadlines import colour_of
from lianxin.core import clock
from lianxin.core.excel import Column, dated_name, write_workbook, xlsx_response
from lianxin.core.importing import import_page, template_response
from lianxin.core.visibility import scoped

from . import queries
from .forms import FirmFilter
from .imports import EXPORT_COLUMNS, FirmImporter, export_rows
from .models import CloseOutItem, Coverage, FirmProfile, MeasureDocument
from .views import dashboard_data


@scoped(FirmProfile, "add", kind="create")
def firm_import(request):
    return import_page(
        request, FirmImporter(request.user), name="firms", template="newgroups/import.html",
        done_url=reverse("newgroups:firms"),
        done_message=lambda n: ngettext("%(n)d firm imported.", "%(n)d firms imported.", n) % {"n": n},
        context={"title": _("Import firms"), "template_url": reverse("newgroups:import_template"),
                 "back_url": reverse("newgroups:firms")},
    )


@scoped(FirmProfile, "add", kind="create")
def firm_import_template(request):
    return template_response(FirmImporter(request.user), "firms-import-template.xlsx")


@scoped(FirmProfile, "view", kind="list")
def firm_export(request, qs):
    filters = FirmFilter(request.GET or None, user=request.user)
    data = filters.cleaned_data if filters.is_valid() else {}
    qs = (queries.filter_firms(qs, data).select_related("org", "org__area", "committee", "headquarters__org",
                                                        "covering_org")
          .prefetch_related("assignments__instructor__person").order_by("org__name", "pk"))
    content = write_workbook(EXPORT_COLUMNS, export_rows(qs), title=_("Firms"))
    return xlsx_response(content, dated_name("firms"))


HISTORY_COLUMNS = [
    Column("firm", gettext_lazy("Firm name"), "企业名称", width=28),
    Column("area", gettext_lazy("Area"), "区划", width=16),
    Column("on", gettext_lazy("Effective on"), "生效日期", width=12),
    Column("before", gettext_lazy("Before"), "变更前", width=12),
    Column("after", gettext_lazy("After"), "变更后", width=12),
    Column("covering_org", gettext_lazy("Covering organisation"), "覆盖党组织", width=26),
    Column("closeout", gettext_lazy("Close-out item"), "销号事项", width=18),
    Column("actor", gettext_lazy("Changed by"), "操作人", width=14),
    Column("note", gettext_lazy("Note"), "备注", width=30),
]


@scoped(FirmProfile, "view", kind="list")
def coverage_export(request, qs):
    changes = queries.changes_of(qs)
    labels = dict(Coverage.choices)
    rows = ([c.firm.org.name, c.firm.org.area.name, c.on, labels.get(c.before, ""), labels[c.after],
             c.covering_org.name if c.covering_org_id else "", c.closeout.case.number if c.closeout_id else "",
             c.actor.display_name if c.actor_id else "", c.note] for c in changes)
    return xlsx_response(write_workbook(HISTORY_COLUMNS, rows, title=_("Coverage history")),
                         dated_name("coverage-history"))


ASSIGNMENT_COLUMNS = [
    Column("firm", gettext_lazy("Firm name"), "企业名称", width=28),
    Column("area", gettext_lazy("Area"), "区划", width=16),
    Column("instructor", gettext_lazy("Instructor"), "党建工作指导员", width=16),
    Column("started_on", gettext_lazy("From"), "开始", width=12),
    Column("ended_on", gettext_lazy("Until"), "结束", width=12),
    Column("note", gettext_lazy("Note"), "备注", width=30),
]


@scoped(FirmProfile, "view", kind="list")
def instructors_export(request, qs):
    assignments = queries.assignments_of(qs)
    rows = ([a.firm.org.name, a.firm.org.area.name, a.instructor.display_name, a.started_on, a.ended_on or "",
             a.note] for a in assignments)
    visits = [[v["firm"], v["area"], v["actor"], v["done_on"], v["method"], _("Yes") if v["late"] else _("No"),
               v["notes"]] for v in queries.visits_of(qs)]
    visit_headers = [_("Firm name"), _("Area"), _("Logged by"), _("Date"), _("How"), _("Entered too late"),
                     _("What was done")]
    content = write_workbook(ASSIGNMENT_COLUMNS, rows, title=_("Instructor assignments"),
                             extra_sheets=[(_("Instructor visits"), visit_headers, visits,
                                            [28, 16, 16, 12, 10, 10, 40])])
    return xlsx_response(content, dated_name("instructors"))


CLOSEOUT_COLUMNS = [
    Column("number", gettext_lazy("Case number"), "编号", width=20, text=True),
    Column("firm", gettext_lazy("Firm name"), "企业名称", width=28),
    Column("reason", gettext_lazy("Reason"), "原因", width=16),
    Column("expected", gettext_lazy("Expected coverage"), "应达到", width=14),
    Column("owner", gettext_lazy("Owner"), "责任单位", width=22),
    Column("opened_on", gettext_lazy("Opened on"), "开立日期", width=12),
    Column("due_at", gettext_lazy("Deadline"), "期限", width=18),
    Column("state", gettext_lazy("State"), "状态", width=12),
    Column("closed_on", gettext_lazy("Closed on"), "销号日期", width=12),
    Column("evidence", gettext_lazy("Evidence organisation"), "佐证党组织", width=26),
]
COLOUR_LABELS = {"blue": gettext_lazy("Open"), "yellow": gettext_lazy("Due soon"), "red": gettext_lazy("Overdue"),
                 "closed_on_time": gettext_lazy("Closed on time"), "closed_late": gettext_lazy("Closed late"),
                 "parked": gettext_lazy("Parked"), "done": gettext_lazy("Done")}


@scoped(CloseOutItem, "view", kind="list")
def closeouts_export(request, qs):
    now = clock.now()
    qs = qs.select_related("case", "firm__org", "owner_org", "owner_area", "evidence_org").order_by("opened_on", "pk")
    rows = ([i.case.number, i.firm.org.name, i.get_reason_display(), i.get_expected_display(), i.owner_label,
             i.opened_on, i.case.due_at or "", str(COLOUR_LABELS.get(colour_of(i.case, now), "")), i.closed_on or "",
             i.evidence_org.name if i.evidence_org_id else ""] for i in qs)
    return xlsx_response(write_workbook(CLOSEOUT_COLUMNS, rows, title=_("Close-out items")), dated_name("closeouts"))


MEASURE_COLUMNS = [
    Column("level", gettext_lazy("Level"), "层级", width=20),
    Column("issuer", gettext_lazy("Issued by"), "发文单位", width=24),
    Column("title", gettext_lazy("Title"), "标题", width=36),
    Column("number", gettext_lazy("Document number"), "文号", width=18),
    Column("issued_on", gettext_lazy("Issued on"), "印发日期", width=12),
    Column("summary", gettext_lazy("Summary"), "摘要", width=40),
    Column("file", gettext_lazy("File"), "附件", width=20),
]


@scoped(MeasureDocument, "view", kind="list")
def measures_export(request, qs):
    qs = qs.select_related("org", "area", "file").order_by("level", "-issued_on", "pk")
    rows = ([d.get_level_display(), d.org.name if d.org_id else d.area.name, d.title, d.number, d.issued_on,
             d.summary, str(d.file) if d.file_id else ""] for d in qs)
    return xlsx_response(write_workbook(MEASURE_COLUMNS, rows, title=_("Measures documents")), dated_name("measures"))


@scoped(FirmProfile, "view", kind="list", subset=True)
def stats_export(request, qs):
    data = dashboard_data(request, qs)
    columns = [Column("area", gettext_lazy("Area"), "区划", width=18)] + [
        Column(f"{c['app']}.{c['key']}", f"{c['app_label']}: {c['label']}", width=14) for c in data["columns"]]
    rows = ([area.name, *("" if v is None else v for v in values)] for area, values in data["rows"])
    title = _("Statistics %(start)s–%(end)s") % {"start": data["start"].isoformat(), "end": data["end"].isoformat()}
    return xlsx_response(write_workbook(columns, rows, title=title[:31]), dated_name("newgroups-stats"))
