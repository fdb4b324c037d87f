"""The station's QR poster: an A4 PDF rendered by WeasyPrint from an HTML template, in Chinese whatever the
page language (it hangs on a wall in Jining), with the fonts embedded so it prints the same anywhere."""

import segno
from django.template.loader import render_to_string
from django.utils import translation

FONT_FAMILY = "Noto Sans CJK SC"


def render_html(station, url: str) -> str:
    with translation.override("zh-hans"):
        return render_to_string("stations/poster.html", {
            "station": station, "qr": segno.make(url, error="m").svg_data_uri(scale=10, border=2),
            "url": url, "font": FONT_FAMILY,
        })


def render_pdf(station, url: str) -> bytes:
    from PIL import ImageFile
    from weasyprint import HTML

    # Importing WeasyPrint switches Pillow to accepting truncated images for the whole process; the upload
    # pipeline (core.uploads) must keep refusing them, and the poster has no raster images.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    return HTML(string=render_html(station, url)).write_pdf()
