"""The key-task ledger (重点任务台账): every visible key task with its lead unit, co-units and coloured milestones;
the units mark a milestone reached with evidence from here."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.core import clock
from lianxin.core.visibility import scoped

from . import flow, keytasks, services
from .models import Case, Milestone


@scoped(Case, "view", kind="list", subset=True)
def ledger(request, qs):
    now = clock.now()
    rows = keytasks.ledger(qs, now)
    for row in rows:
        row["may_reach"] = flow.refusal("milestone", request.user, row["case"]) is None
    counts = {c: sum(1 for r in rows if r["colour"] == c) for c in ("blue", "yellow", "red")}
    return render(request, "cases/ledger.html", {"rows": rows, "counts": counts})


@scoped(Case, "view")
@require_POST
def reach(request, obj):
    milestone = get_object_or_404(Milestone, case=obj, order=request.POST.get("order") or 0)
    try:
        keytasks.reach_milestone(obj, milestone, actor=request.user, evidence=request.POST.get("evidence", ""))
        messages.success(request, _("Milestone “%(m)s” reached.") % {"m": milestone.title})
    except services.MoveRefused as e:
        messages.error(request, str(e))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect("cases:ledger")
