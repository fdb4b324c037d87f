"""The wish board: open wishes of the viewer's area, a claim button for volunteers, and the counts."""

from datetime import date, datetime, time

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from lianxin.areas.models import Area
from lianxin.care.models import Retiree
from lianxin.cases.models import OPEN_STAGES, Case
from lianxin.cases.services import MoveRefused, owner_area
from lianxin.core import clock
from lianxin.core.excel import Column, dated_name, write_workbook, xlsx_response
from lianxin.core.treeviews import top_nodes
from lianxin.core.uploads import store_upload
from lianxin.core.visibility import has_role, personal, scoped
from lianxin.workdays.calendar import tz

from . import services
from .forms import WishForm
from .types import WISH

LIMIT = 100


def _day(text: str | None, default: date) -> date:
    try:
        return date.fromisoformat(text) if text else default
    except ValueError as e:
        raise Http404(_("Dates are written YYYY-MM-DD.")) from e


def _is_id(text: str) -> bool:
    """Digits that int() reads and a database integer holds ("²".isdigit() is true but int("²") fails)."""
    return text.isascii() and text.isdigit() and len(text) < 19


def _shared_areas(cases):
    """One Area instance per area for these cases, so that owner_area reads each area's ancestors once."""
    seen = {}
    for case in cases:
        case.area = seen.setdefault(case.area_id, case.area)
    return cases


def _counts(request):
    """Posted / claimed / fulfilled per child area of the viewer's top area, for a period."""
    visible = Area.objects.visible_to(request.user)
    area = top_nodes(visible).first()
    if area is None:
        return None
    today = clock.today()
    start = _day(request.GET.get("start"), date(today.year, 1, 1))
    end = _day(request.GET.get("end"), today)
    zone = tz()
    a, b = datetime.combine(start, time.min, tzinfo=zone), datetime.combine(end, time.max, tzinfo=zone)
    rows = [(child, services.counts(child.path, a, b))
            for child in visible.filter(parent=area).exclude(kind="grid").order_by("path")]
    return {"area": area, "start": start, "end": end, "total": services.counts(area.path, a, b), "rows": rows}


def _row(case):
    """What the board shows of a wish: never the beneficiary (the description stays on the case page)."""
    return {"pk": case.pk, "version": case.version, "title": case.title, "category": case.category.label,
            "community": owner_area(case).name, "stage": case.get_stage_display(), "due_at": case.due_at,
            "created_at": case.created_at}


@scoped(Case, "view", kind="list", subset=True)
def board(request, qs):
    claimable = services.claimable(request.user).select_related("area", "category", "category__parent")
    claimable = claimable.order_by("due_at", "pk")[:LIMIT]
    ours = (qs.filter(type=WISH, stage__in=OPEN_STAGES).select_related("area", "category", "category__parent")
            .order_by("due_at", "pk")[:LIMIT])
    return render(request, "wishes/board.html", {
        "claimable": [_row(c) for c in _shared_areas(list(claimable))],
        "ours": [_row(c) for c in _shared_areas(list(ours))],
        "counts": _counts(request),
        "may_post": has_role(request.user, *services.POSTER_ROLES),
    })


@personal
def post(request):
    """Staff or a care cadre post a wish for a retiree (theirs, or of their area) or another resident. The
    service checks that the poster holds a posting role over the beneficiary's area; the hidden key makes a
    resubmitted form return the wish already posted."""
    if not (request.user.is_superuser or has_role(request.user, *services.POSTER_ROLES)):
        raise PermissionDenied
    retirees = list(Retiree.objects.visible_to(request.user).exclude(status="deceased")
                    .select_related("person", "person__area").order_by("person__name", "pk")[:500])
    form = WishForm(request.POST or None, request.FILES or None, user=request.user, retirees=retirees)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        description = _("For: %(name)s") % {"name": d["name"]}
        if d["description"].strip():
            description += "\n" + d["description"].strip()
        try:
            with transaction.atomic():
                photos = ([store_upload(d["photo"], owner=request.user, area=d["area_obj"])]
                          if d["photo"] else [])
                outcome = services.post_wish(actor=request.user, category=d["category"], title=d["title"],
                                             area=d["area_obj"], description=description, photos=photos,
                                             idempotency_key=d["key"])
        except (MoveRefused, ValidationError) as e:
            form.add_error(None, " ".join(getattr(e, "messages", None) or [str(e)]))
        else:
            messages.success(request, _("The wish “%(t)s” was posted.") % {"t": outcome.case.title})
            return redirect("cases:detail", outcome.case.pk)
    return render(request, "lianxin/form.html", {"form": form, "title": _("Post a micro-wish"),
                                                 "back_url": reverse("wishes:board"), "multipart": True})


EXPORT_COLUMNS = [
    Column("number", _lazy("Case number"), "编号", width=18, text=True),
    Column("title", _lazy("Wish"), "心愿", width=24), Column("category", _lazy("Kind of wish"), "类别", width=14),
    Column("community", _lazy("Community"), "社区", width=16), Column("stage", _lazy("Stage"), "状态", width=12),
    Column("posted", _lazy("Posted on"), "发布日期", width=12),
    Column("taken_by", _lazy("Taken by"), "认领方", width=18),
    Column("closed", _lazy("Closed on"), "办结日期", width=12), Column("rating", _lazy("Rating"), "评价", width=8),
]


@scoped(Case, "view", kind="list")
def export(request, qs):
    """The wish ledger (Excel): wishes posted in the optional range ?start=&end= (end not included)."""
    qs = (qs.filter(type=WISH).select_related("area", "category", "category__parent")
          .prefetch_related("assignments__org", "assignments__user"))
    zone = tz()
    if request.GET.get("start"):
        qs = qs.filter(created_at__gte=datetime.combine(_day(request.GET["start"], None), time.min, tzinfo=zone))
    if request.GET.get("end"):
        qs = qs.filter(created_at__lt=datetime.combine(_day(request.GET["end"], None), time.min, tzinfo=zone))

    def rows():
        for c in _shared_areas(qs.order_by("-created_at", "-pk")):
            takers = [a.org.name if a.org_id else a.user.display_name for a in c.assignments.all()
                      if a.org_id or a.user_id]
            lead = "、".join(dict.fromkeys(takers))
            yield [c.number, c.title, c.category.label, owner_area(c).name, c.get_stage_display(),
                   c.created_at.astimezone(zone).date().isoformat(), lead,
                   c.closed_at.astimezone(zone).date().isoformat() if c.closed_at else "", c.rating or ""]

    return xlsx_response(write_workbook(EXPORT_COLUMNS, rows(), title=_("Micro-wishes")), dated_name("wishes"))


@scoped(Case, "claim", kind="list")
@require_POST
def claim(request, qs):
    pk, version = request.POST.get("case", ""), request.POST.get("version", "")
    case = qs.filter(type=WISH, pk=int(pk)).first() if _is_id(pk) else None
    if case is None:
        raise Http404
    try:
        services.claim_wish(case, volunteer=request.user, version=int(version) if _is_id(version) else None)
    except (MoveRefused, ValidationError) as e:
        messages.error(request, " ".join(getattr(e, "messages", None) or [str(e)]))
    else:
        messages.success(request, _("You claimed the wish “%(t)s”.") % {"t": case.title})
    return redirect("wishes:board")
