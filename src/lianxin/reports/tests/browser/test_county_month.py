"""A county official chooses a month, sees the figures, opens one figure's records, drafts the briefing and
downloads it: the Word file's figures are the page's, the PDF is rendered to PNG and looked at."""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_county_official_month_figures_records_briefing(world, page_of, sign_in, live_server, tmp_path):
    from docx import Document

    from lianxin.core import clock
    from lianxin.reports.periods import Period

    page = page_of("desktop")
    page.context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": live_server.url}])
    sign_in(page, "p_county", "/reports/")
    month = Period.containing("month", clock.today())
    page.select_option("#id_period", "month")
    page.fill("#id_on", month.start.isoformat())
    with page.expect_navigation():
        page.click("#report-form button")
    assert month.label() in page.inner_text("h1")
    page.wait_for_selector("#chart-cases[data-drawn='1']")
    reported = page.locator("tr[data-figure='cases.reported'] td.now").inner_text()
    retirees = page.locator("tr[data-figure='care.retirees'] td.now").inner_text()
    assert int(reported) >= 1
    # The records behind the figure: as many cases as the number says.
    with page.expect_navigation():
        page.click("tr[data-figure='cases.reported'] td.now a")
    assert page.locator("#records li a").count() == int(reported)
    with page.expect_navigation():
        page.go_back()
    with page.expect_navigation():
        page.click("#briefing-link")
    assert page.locator("#id_sections input:checked").count() >= 5
    with page.expect_navigation():
        page.click("#briefing-form button")
    assert "数据截至" in page.inner_text("#briefing-doc")
    page.fill("#id_highlights", "本月各项工作扎实推进。")
    with page.expect_navigation():
        page.click("#texts-form button")
    with page.expect_navigation():
        page.click("#issue-form button")
    assert "第1期" in page.inner_text("#briefing-doc")
    with page.expect_download() as download:
        page.click("#docx-link")
    doc = Document(download.value.path())
    values = {row.cells[0].text: row.cells[1].text for t in doc.tables for row in t.rows[1:]}
    assert values["已上报"] == reported and values["离退休干部"] == retirees
    assert "本月各项工作扎实推进。" in "\n".join(p.text for p in doc.paragraphs)
    with page.expect_download() as download:
        page.click("#pdf-link")
    import pypdfium2

    pdf = pypdfium2.PdfDocument(download.value.path())
    image = pdf[0].render(scale=1).to_pil()
    png = tmp_path / "briefing-page1.png"
    image.save(png)
    # Looked at: the letterhead's red is there, and the page is mostly white paper with dark text.
    rgb = image.convert("RGB")
    raw = rgb.tobytes()
    pixels = list(zip(raw[0::3], raw[1::3], raw[2::3], strict=True))
    red = sum(1 for r, g, b in pixels if r > 150 and g < 60 and b < 60)
    dark = sum(1 for r, g, b in pixels if r < 80 and g < 80 and b < 80)
    assert red > 500 and dark > 2000 and len(pixels) - red - dark > len(pixels) // 2
