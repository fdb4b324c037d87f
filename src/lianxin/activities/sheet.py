"""The printable sign-in sheet and minutes of an activity: an A4 PDF (WeasyPrint, Chinese fonts embedded, in
Chinese whatever the page language), with 应到 / 实到 / 请假, the roster with a column for signatures, and the
minutes and resolutions once written."""

from django.template.loader import render_to_string
from django.utils import translation

FONT_FAMILY = "Noto Sans CJK SC"


def render_html(activity, roster, attendance, minutes) -> str:
    with translation.override("zh-hans"):
        return render_to_string("activities/sheet.html", {
            "obj": activity, "roster": roster, "a": attendance, "minutes": minutes, "font": FONT_FAMILY})


def render_pdf(activity, roster, attendance, minutes) -> bytes:
    from PIL import ImageFile
    from weasyprint import HTML

    # Importing WeasyPrint makes Pillow accept truncated images process-wide; the upload pipeline must not.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    return HTML(string=render_html(activity, roster, attendance, minutes)).write_pdf()
