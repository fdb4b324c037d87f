"""The wish board: open wishes of the viewer's area, a claim button for volunteers, and the counts."""

from datetime import date, datetime, time

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.areas.models import Area
from lianxin.cases.models import OPEN_STAGES, Case
from lianxin.cases.services import MoveRefused, owner_area
from lianxin.core.treeviews import top_nodes
from lianxin.core.visibility import scoped
from lianxin.workdays.calendar import tz

from . import services
from .types import WISH

LIMIT = 100


def _day(text: str | None, default: date) -> date:
    try:
        return date.fromisoformat(text) if text else default
    except ValueError as e:
        raise Http404(_("Dates are written YYYY-MM-DD.")) from e


def _counts(request):
    """Posted / claimed / fulfilled per child area of the viewer's top area, for a period."""
    visible = Area.objects.visible_to(request.user)
    area = top_nodes(visible).first()
    if area is None:
        return None
    today = date.today()
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
        "claimable": [_row(c) for c in claimable],
        "ours": [_row(c) for c in ours],
        "counts": _counts(request),
    })


@scoped(Case, "claim", kind="list")
@require_POST
def claim(request, qs):
    pk, version = request.POST.get("case", ""), request.POST.get("version", "")
    case = qs.filter(type=WISH, pk=int(pk)).first() if pk.isdigit() else None
    if case is None:
        raise Http404
    try:
        services.claim_wish(case, volunteer=request.user, version=int(version) if version.isdigit() else None)
    except (MoveRefused, ValidationError) as e:
        messages.error(request, " ".join(getattr(e, "messages", None) or [str(e)]))
    else:
        messages.success(request, _("You claimed the wish “%(t)s”.") % {"t": case.title})
    return redirect("wishes:board")
