"""A briefing as Word (python-docx) and PDF (WeasyPrint), in the house style of a government 工作简报:
red letterhead, issue number, issuer and date under a red rule, sections per mechanism with the figures, a
chart and the top and bottom units, 亮点 / 问题 / 下步打算, the recipients at the foot, and the "数据截至" stamp
of the frozen figures. Charts are drawn on the server by matplotlib with a CJK font of the system (Debian's
fonts-noto-cjk), no browser involved."""

import base64
import io
from functools import cache

from django.template.loader import render_to_string

from .briefing import sections_of

RED = (0xC0, 0x00, 0x00)
FONT_FILES = ("NotoSansCJK-Regular.ttc", "NotoSerifCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf", "wqy-zenhei.ttc",
              "wqy-microhei.ttc")


@cache
def cjk_font():
    """A matplotlib FontProperties of a CJK font found on the system (None: labels may show as boxes)."""
    from matplotlib import font_manager

    found = {path.rsplit("/", 1)[-1]: path for path in font_manager.findSystemFonts()}
    for name in FONT_FILES:
        if name in found:
            return font_manager.FontProperties(fname=found[name])
    return None


def chart_png(figure_set: dict) -> bytes | None:
    """Bars of the section's first count figure by sub-area (or, without sub-areas, the period, the last period
    and the same period last year), as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    index = next((i for i, f in enumerate(figure_set["figures"]) if f["unit"] not in ("rate", "percent")), None)
    if index is None:
        return None
    if len(figure_set["rows"]) >= 2:
        names = [r["name"] for r in figure_set["rows"]]
        values = [r["values"][index] or 0 for r in figure_set["rows"]]
    else:
        names = ["本期", "上期", "去年同期"]
        values = [figure_set[k][index] or 0 for k in ("total", "previous", "year_before")]
    font = cjk_font()
    fig = Figure(figsize=(6.4, 2.8), dpi=150)
    ax = fig.subplots()
    bars = ax.bar(range(len(names)), values, color="#c00000")
    ax.bar_label(bars, fontsize=7)
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(names, fontproperties=font, fontsize=7, rotation=30 if len(names) > 6 else 0)
    ax.set_title(f"{figure_set['label']} · {figure_set['figures'][index]['label']}", fontproperties=font,
                 fontsize=9)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()


def _charts(briefing) -> dict[str, bytes]:
    by_app = {s["app"]: s for s in briefing.snapshot["sets"]}
    out = {}
    for section in sections_of(briefing):
        if section["has_chart"]:
            png = chart_png(by_app[section["app"]])
            if png:
                out[section["app"]] = png
    return out


def context(briefing) -> dict:
    snap = briefing.snapshot
    day = (briefing.issued_at or briefing.created_at)
    from django.utils import timezone

    day = timezone.localtime(day)
    return {"b": briefing, "snap": snap, "sections": sections_of(briefing),
            "date_zh": f"{day.year}年{day.month}月{day.day}日",
            "as_of": snap["as_of"].replace("T", " ")[:16],
            "highlights": [t for t in briefing.highlights.splitlines() if t.strip()],
            "problems": [t for t in briefing.problems.splitlines() if t.strip()],
            "next_steps": [t for t in briefing.next_steps.splitlines() if t.strip()]}


# ---------------------------------------------------------------------------------------------- Word


def _font(run, name="仿宋", size=16, bold=False, color=None):
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)
    if color:
        run.font.color.rgb = RGBColor(*color)


def _para(doc, text="", *, size=16, name="仿宋", bold=False, color=None, align=None, indent=True):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = doc.add_paragraph()
    if align == "center":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif align == "right":
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if indent and align is None:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    if text:
        _font(p.add_run(text), name, size, bold, color)
    return p


def _red_rule(paragraph):
    from docx.oxml.ns import qn

    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.makeelement(qn("w:pBdr"), {})
    bottom = borders.makeelement(qn("w:bottom"), {qn("w:val"): "single", qn("w:sz"): "18", qn("w:space"): "1",
                                                  qn("w:color"): "C00000"})
    borders.append(bottom)
    ppr.append(borders)


def docx_bytes(briefing) -> bytes:
    from docx import Document
    from docx.shared import Cm, Inches

    c = context(briefing)
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    _para(doc, briefing.title, size=48, name="方正小标宋简体", bold=True, color=RED, align="center")
    _para(doc, f"{briefing.issue_label}", size=16, name="楷体", align="center")
    p = _para(doc, f"{briefing.issuer}\u3000\u3000\u3000\u3000{c['date_zh']}", size=15, name="仿宋",
              align="center")
    _red_rule(p)
    _para(doc, f"{c['snap']['area']['name']}{c['snap']['period']['label_zh']}工作情况", size=22,
          name="方正小标宋简体", align="center")
    _para(doc, f"（数据截至{c['as_of']}）", size=14, name="楷体", align="center")
    charts = _charts(briefing)
    for s in c["sections"]:
        _para(doc, s["heading"], size=16, name="黑体", indent=False)
        if s["sentence"]:
            _para(doc, s["sentence"])
        table = doc.add_table(rows=1, cols=6)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, ("指标", "本期", "上期", "环比", "去年同期", "同比"), strict=True):
            cell.text = text
        for row in s["rows"]:
            cells = table.add_row().cells
            for cell, key in zip(cells, ("label", "now", "previous", "vs_previous", "year_before", "vs_year_before"),
                                 strict=True):
                cell.text = str(row[key])
        _para(doc, f"数据截至{c['as_of']}", size=10, name="仿宋", align="right")
        if s["app"] in charts:
            doc.add_picture(io.BytesIO(charts[s["app"]]), width=Inches(5.8))
        if s["ranking"]:
            label, top, bottom = s["ranking"]
            _para(doc, f"{label}排名前列：{'、'.join(f'{n}（{v}）' for n, v in top)}；"
                       f"排名靠后：{'、'.join(f'{n}（{v}）' for n, v in bottom)}。")
    for heading, lines in (("亮点", c["highlights"]), ("问题", c["problems"]), ("下步打算", c["next_steps"])):
        _para(doc, f"【{heading}】", size=16, name="黑体", indent=False)
        for line in lines:
            _para(doc, line)
    p = _para(doc, briefing.recipients, size=14, indent=False)
    _red_rule(p)
    if briefing.issued_by:
        _para(doc, f"签发：{briefing.issued_by.get_full_name() or briefing.issued_by.username}", size=14,
              align="right")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# ----------------------------------------------------------------------------------------------- PDF


def pdf_bytes(briefing) -> bytes:
    from weasyprint import HTML

    c = context(briefing)
    c["charts"] = {app: "data:image/png;base64," + base64.b64encode(png).decode()
                   for app, png in _charts(briefing).items()}
    return HTML(string=render_to_string("reports/briefing_print.html", c)).write_pdf()
