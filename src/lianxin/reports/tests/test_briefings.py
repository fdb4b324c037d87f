"""Briefings: drafted from the figures, edited, signed off, frozen; Word and PDF hold the page's figures."""

import io
from datetime import timedelta

import pytest
from docx import Document
from pypdf import PdfReader

from lianxin.core import clock
from lianxin.core.figures import shown
from lianxin.reports import table
from lianxin.reports.models import Briefing
from lianxin.reports.periods import Period

pytestmark = pytest.mark.django_db


def _docx_cells(content: bytes) -> dict:
    """{(section heading, figure label): 本期 value} of a briefing's Word file, read with python-docx."""
    doc = Document(io.BytesIO(content))
    out = {}
    for t in doc.tables:
        for row in t.rows[1:]:
            cells = [c.text for c in row.cells]
            out[cells[0]] = cells[1]
    return out, "\n".join(p.text for p in doc.paragraphs)


def _draft(client, area, sections=("cases", "care", "stations")):
    p = Period.containing("month", clock.today())
    response = client.post("/reports/briefings/new/", {"area": area.pk, "period": "month", "on": p.start,
                                                       "sections": list(sections),
                                                       "key": f"k-{area.code}-{'-'.join(sections)}"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Briefing.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))


def test_draft_edit_issue_and_documents(world, persona_client):
    client = persona_client("county_staff")
    county = world.areas["370801"]
    b = _draft(client, county)
    assert b.status == "draft" and b.sections == ["cases", "care", "stations"] and b.issuer == "中共甲县委组织部"
    assert b.highlights and b.problems and b.next_steps
    page = client.get(f"/reports/briefings/{b.pk}/").content.decode()
    assert "数据截至" in page and "一、" in page and 'id="texts-form"' in page and 'id="issue-form"' in page
    # Edited before issue.
    client.post(f"/reports/briefings/{b.pk}/edit/", {"title": "工作简报", "issuer": b.issuer,
                                                     "recipients": b.recipients, "highlights": "亮点一句。",
                                                     "problems": b.problems, "next_steps": b.next_steps})
    b.refresh_from_db()
    assert b.highlights == "亮点一句。"
    # Word: the figures equal the page's (the figures page computed now, in Chinese).
    with_zh = persona_client("county_staff")
    with_zh.cookies["django_language"] = "zh-hans"
    report = table.collect(world.users["county_staff"], county, Period.containing("month", clock.today()),
                           apps=["cases", "care", "stations"])
    cells, text = _docx_cells(client.get(f"/reports/briefings/{b.pk}/briefing.docx").content)
    assert "工作简报" in text and "数据截至" in text and "亮点一句。" in text and "中共甲县委组织部" in text
    checked = 0
    for s in report["sets"]:
        for i, f in enumerate(s["figures"]):
            if f["label"] in cells and sum(1 for s2 in report["sets"] for f2 in s2["figures"]
                                           if f2["label"] == f["label"]) == 1:
                assert cells[f["label"]] == shown(s["total"][i], f["unit"]), f["label"]
                checked += 1
    assert checked >= 10
    # The page shows the same figures as the document.
    html = with_zh.get("/reports/", {"area": county.pk}).content.decode()
    assert 'data-figure="cases.reported"' in html
    # PDF: opened, Chinese text extracted.
    pdf = PdfReader(io.BytesIO(client.get(f"/reports/briefings/{b.pk}/briefing.pdf").content))
    first = pdf.pages[0].extract_text()
    assert "甲县" in first and "工作情况" in first and "数据截至" in first and "一、" in first
    chart = client.get(f"/reports/briefings/{b.pk}/chart-cases.png")
    assert chart.status_code == 200 and chart.content[:4] == b"\x89PNG"
    # Signed off: numbered, then frozen.
    client.post(f"/reports/briefings/{b.pk}/issue/")
    b.refresh_from_db()
    assert b.status == "issued" and b.number == 1 and b.year == clock.today().year and b.issued_by
    frozen = b.snapshot
    client.post(f"/reports/briefings/{b.pk}/edit/", {"title": "x", "issuer": "x", "recipients": "", "highlights": "",
                                                     "problems": "", "next_steps": ""})
    b.refresh_from_db()
    assert b.title == "工作简报" and b.snapshot == frozen
    assert 'id="texts-form"' not in client.get(f"/reports/briefings/{b.pk}/").content.decode()
    second = _draft(client, county, sections=("cases",))
    client.post(f"/reports/briefings/{second.pk}/issue/")
    second.refresh_from_db()
    assert second.number == 2 and [s["app"] for s in second.snapshot["sets"]] == ["cases"]
    archive = client.get("/reports/briefings/", {"status": "issued"}).content.decode()
    assert f"/reports/briefings/{b.pk}/" in archive and f"/reports/briefings/{second.pk}/" in archive


def test_frozen_figures_do_not_move(world, persona_client):
    from lianxin.stations import services

    client = persona_client("county_staff")
    b = _draft(client, world.areas["370801"], sections=("stations",))
    client.post(f"/reports/briefings/{b.pk}/issue/")
    before, _text = _docx_cells(client.get(f"/reports/briefings/{b.pk}/briefing.docx").content)
    station = world.samples["stations.station"]["3708010101"]
    for i in range(3):
        services.record_checkin(station, "water", device=f"f{i}", at=clock.now())
    after, _text = _docx_cells(client.get(f"/reports/briefings/{b.pk}/briefing.docx").content)
    assert before == after


def test_who_may_issue(world, persona_client):
    client = persona_client("community_staff")
    b = _draft(client, world.areas["3708010101"], sections=("cases",))
    assert client.post(f"/reports/briefings/{b.pk}/issue/").status_code == 403
    assert 'id="issue-form"' not in client.get(f"/reports/briefings/{b.pk}/").content.decode()
    assert persona_client("town_staff").post(f"/reports/briefings/{b.pk}/issue/").status_code == 302
    assert persona_client("resident").get("/reports/briefings/new/").status_code == 403


def test_monthly_briefing_by_the_worker(world, persona_client):
    from lianxin.core.models import Notification
    from lianxin.reports import briefing
    from lianxin.reports.tasks import monthly_briefings

    client = persona_client("county_staff")
    county = world.areas["370801"]
    assert 'id="subscribe-form"' in client.get("/reports/briefings/").content.decode()
    client.post(f"/reports/briefings/subscribe/{county.pk}/", {"on": "1"})
    # Someone who cannot see the county subscribes nowhere there: 404.
    assert persona_client("community_staff").post(f"/reports/briefings/subscribe/{county.pk}/",
                                                  {"on": "1"}).status_code == 404
    assert monthly_briefings.func() == 1
    b = Briefing.objects.get(automatic=True)
    last = Period.containing("month", clock.today().replace(day=1) - timedelta(days=1))
    assert (b.area, b.start, b.end, b.status) == (county, last.start, last.end, "draft")
    note = Notification.objects.get(recipient=world.users["county_staff"], kind="briefing")
    assert note.link == f"/reports/briefings/{b.pk}/"
    assert briefing.monthly() == []  # once a month
    client.post(f"/reports/briefings/subscribe/{county.pk}/", {"on": "0"})
    assert 'name="on" value="1"' in client.get("/reports/briefings/").content.decode()
