"""The QR poster: an A4 PDF with the station's name and its fonts (Chinese ones included) embedded."""

import re

import pytest
from django.urls import reverse

from .pdf import embedded_fonts, streams, texts

pytestmark = pytest.mark.django_db


def test_poster_pdf_has_the_name_and_embedded_cjk_fonts(make_station, persona_client):
    station = make_station(name="千泉街道新新驿站", water=True, charging=True, address="千泉路88号")
    response = persona_client("station_manager").get(reverse("stations:poster", args=[station.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    assert any("千泉街道新新驿站" in t for t in texts(pdf))
    assert any("千泉路88号" in t for t in texts(pdf))
    fonts = embedded_fonts(pdf)
    # Subset fonts are named "ABCDEF+Family": the CJK font travels inside the file.
    assert any(re.match(r"^[A-Z]{6}\+Noto-?Sans-?CJK", f) for f in fonts), fonts
    assert any(s.startswith((b"OTTO", b"\x00\x01\x00\x00", b"true")) for s in streams(pdf))
    # A4 portrait
    assert re.search(rb"/MediaBox \[0 0 595\.\d+ 841\.\d+\]", b"".join(streams(pdf)) + pdf)


def test_poster_is_scoped(make_station, persona_client):
    station = make_station("3708020101")
    assert persona_client("station_manager").get(reverse("stations:poster", args=[station.pk])).status_code == 404


@pytest.mark.django_db
def test_rendering_a_poster_leaves_truncated_uploads_refused(world):
    from PIL import ImageFile

    from lianxin.stations.poster import render_pdf

    render_pdf(world.samples["stations.station"]["3708010101"], "https://example.test/stations/c/x/")
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
