"""The printable record of a council meeting (会议记录): an A4 PDF rendered by WeasyPrint, in Chinese whatever
the page language (it is filed and posted in the community), fonts embedded."""

from django.template.loader import render_to_string
from django.utils import translation

from . import services

FONT_FAMILY = "Noto Sans CJK SC"


def render_html(meeting) -> str:
    attendance = list(meeting.attendance.select_related("member"))
    items = list(meeting.items.select_related("topic").prefetch_related("votes__member"))
    for item in items:
        item.tally = services.count(item)
        item.named = [(v.member.name, v.get_choice_display()) for v in item.votes.all()]
    with translation.override("zh-hans"):
        return render_to_string("consultation/record.html", {
            "meeting": meeting, "attendance": attendance, "items": items, "font": FONT_FAMILY,
            "came": sum(1 for a in attendance if a.counts),
        })


def render_pdf(meeting) -> bytes:
    from PIL import ImageFile
    from weasyprint import HTML

    # Importing WeasyPrint switches Pillow to accepting truncated images for the whole process (see
    # stations.poster): keep the upload pipeline refusing them.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    return HTML(string=render_html(meeting)).write_pdf()
