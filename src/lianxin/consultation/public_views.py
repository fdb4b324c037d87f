"""The public results page of a community (no sign-in): what the council decided, which unit does it, how far
it is, when it was done, the notice period for objections, and the residents' satisfaction. Nothing personal:
no author, member, resident or handler names, no comments; units are named."""

from django.http import Http404
from django.shortcuts import render

from lianxin.cases.models import Stage
from lianxin.core import clock
from lianxin.core.pii import mask_text
from lianxin.core.visibility import public

from . import queries, services


@public
def results(request, code=None):
    if not code:
        return render(request, "consultation/public_index.html",
                      {"communities": queries.communities_with_decisions()})
    area = queries.community(code)
    if area is None:
        raise Http404
    today = clock.today()
    rows = []
    for d in queries.public_decisions(area)[:200]:
        cases = [t.case for t in d.tasks.all()]
        p = services.progress(d, cases)
        rows.append({
            # Free text is masked: a resident may have typed a phone number or a neighbour's name into a title.
            "title": mask_text(d.topic.title), "text": mask_text(d.text), "council": d.council.name,
            "decided_at": d.decided_at,
            "major": d.major, "step": d.get_step_display() if d.major else "",
            "objection_open": d.objection_until and d.objection_until >= today, "objection_until": d.objection_until,
            "units": sorted({c.lead_org.name for c in cases if c.lead_org_id}),
            "tasks": [{"title": mask_text(c.title), "stage": c.get_stage_display(), "due_at": c.due_at,
                       "closed": c.stage == Stage.CLOSED, "closed_at": c.closed_at} for c in cases],
            "progress": p,
        })
    stars = queries.public_stars(area)
    return render(request, "consultation/public.html", {
        "area": area, "rows": rows, "ratings": len(stars), "satisfaction": services.satisfaction(stars),
        "done": sum(1 for r in rows if r["progress"].done),
    })
