"""The learning figures in Excel: areas, categories and branches of the figures page, one sheet each."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.core.excel import Column, dated_name, write_workbook, xlsx_response
from lianxin.core.visibility import scoped

from .models import Read
from .stats_views import context

COLUMNS = [
    Column("area", gettext_lazy("Area"), "区划", width=18),
    Column("code", gettext_lazy("Area code"), "区划代码", width=14, text=True),
    Column("branch", gettext_lazy("Branch"), "支部", width=24),
    Column("category", gettext_lazy("Category"), "栏目", width=16),
    Column("items", gettext_lazy("Items published"), "发布条目", width=10),
    Column("readers", gettext_lazy("Readers"), "学习人数", width=10),
    Column("reads", gettext_lazy("Effective reads"), "有效学习人次", width=12),
    Column("owed", gettext_lazy("Assigned study owed"), "应学", width=10),
    Column("done", gettext_lazy("Assigned study done"), "已学", width=10),
    Column("rate", gettext_lazy("Completion (%)"), "完成率(%)", width=10),
]


@scoped(Read, "view", kind="list", subset=True)
def export(request, qs):
    ctx = context(request)
    rows = []
    for r in ctx["rows"]:
        rows.append([r["area"].name, r["area"].code, "", "", r["items_published"], r["readers"],
                     r["effective_reads"], r["study_owed"], r["study_done"], r["study_percent"]])
    for category, n in ctx["categories"]:
        rows.append([ctx["area"].name, ctx["area"].code, "", category.name, n, None, None, None, None, None])
    for b in ctx["branches"]:
        rows.append([ctx["area"].name, ctx["area"].code, b["org"], "", None, b["readers"], b["reads"],
                     b.get("study_owed"), b.get("study_done"), b.get("study_percent")])
    return xlsx_response(write_workbook(COLUMNS, rows, title=_("Learning figures")), dated_name("learning"))
