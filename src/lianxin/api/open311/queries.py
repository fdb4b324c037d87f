"""The public reads behind Open311 GeoReport v2: published services and requests, public fields only.

These deliberately look past ``visible_to`` (Open311 reading is public), like ``lianxin.cases.queries``,
so every function here returns plain dicts of public fields and never a model instance a view could
leak more of. What is published:

* services: the public, active sub-categories used for events or appeals, never a confidential
  (whistle-blowing) one;
* requests: event cases filed under those categories, identified by their case number (appeals may be
  filed but are never published);
* per request: status, public notes (the reasons given for not accepting or for closing without a fix,
  and the handler's account of what was done), the lead unit's name, the point, the address and the
  description with phone and ID numbers masked, the first report photo; never the reporter or any
  other person.
"""

from datetime import datetime

from django.db.models import F, Max, Q

from lianxin.areas.models import Area
from lianxin.cases.models import DONE_STAGES, Case, CaseEvent, IdempotentCreate, Nature
from lianxin.cases.queries import offered_categories, public_categories
from lianxin.core.logredact import redact
from lianxin.core.models import StoredFile

TOKEN_PREFIX = "open311:"  # noqa: S105  (a namespace for client tokens, not a secret)
# Events whose note is written for the public (a reason given to the reporter, or what was done).
PUBLIC_NOTE_KINDS = ("refuse", "close_without_fix", "feedback", "verify")
PUBLISHED_TYPE = "event"
# What a client may file: events, and appeals (诉求, filed but never published: they concern their reporter).
FILED_TYPES = ("event", "appeal")


def published_categories() -> list:
    """The services: sub-categories offered for events or appeals, never a confidential one."""
    seen, out = set(), []
    for c in [*public_categories(), *offered_categories("appeal")]:
        if c.pk not in seen and not c.confidential and not c.parent.confidential:
            seen.add(c.pk)
            out.append(c)
    return sorted(out, key=lambda c: c.full_code)


def published_category(code: str):
    return next((c for c in published_categories() if c.full_code == code), None)


def service_rows() -> list[dict]:
    return [{"code": c.full_code, "name": c.label, "group": c.parent.label, "description": c.acceptance_rule
             or c.parent.acceptance_rule, "category": c} for c in published_categories()]


def _published_cases():
    ids = [c.pk for c in published_categories()]
    return Case.objects.filter(category_id__in=ids, type=PUBLISHED_TYPE).exclude(nature=Nature.WHISTLEBLOW)


def status_of(stage: str) -> str:
    return "closed" if stage in DONE_STAGES else "open"


def _rows(qs, *, notes: bool) -> list[dict]:
    cases = list(qs.select_related("category", "lead_org").annotate(last_event=Max("events__at")))
    ids = [c.pk for c in cases]
    photos = first_photos(ids)
    public_notes = notes_of(ids)
    rows = []
    for c in cases:
        case_notes = public_notes.get(c.pk, [])
        row = {
            "number": c.number, "status": status_of(c.stage), "stage": c.stage,
            "status_notes": case_notes[-1]["description"] if case_notes else "",
            "service_name": c.category.label, "service_code": c.category.full_code,
            "description": redact(c.description), "agency_responsible": c.lead_org.name if c.lead_org_id else "",
            "requested": c.created_at, "updated": c.last_event or c.created_at, "expected": c.due_at
            if c.stage not in DONE_STAGES else None,
            "address": redact(c.address), "lat": c.lat, "long": c.lng, "photo": photos.get(c.pk),
        }
        if notes:
            row["notes"] = case_notes
        rows.append(row)
    return rows


def requests_by_numbers(numbers: list[str], *, notes: bool = False) -> list[dict]:
    return _rows(_published_cases().filter(number__in=numbers[:1000]).order_by("-created_at", "-pk"), notes=notes)


def search_requests(*, service_codes: list[str] | None, start: datetime, end: datetime, statuses: set[str],
                    offset: int, limit: int, notes: bool = False) -> list[dict]:
    qs = _published_cases().filter(created_at__gte=start, created_at__lte=end)
    if service_codes is not None:
        qs = qs.filter(category__full_code__in=service_codes)
    if statuses == {"open"}:
        qs = qs.exclude(stage__in=DONE_STAGES)
    elif statuses == {"closed"}:
        qs = qs.filter(stage__in=DONE_STAGES)
    return _rows(qs.order_by("-created_at", "-pk")[offset:offset + limit], notes=notes)


def first_photos(case_ids: list[int]) -> dict:
    """{case id: id of the first image attached to its report event}."""
    found = {}
    events = (CaseEvent.objects.filter(case_id__in=case_ids, kind="report").order_by("at", "pk")
              .prefetch_related("attachments"))
    for e in events:
        if e.case_id in found:
            continue
        image = next((f for f in sorted(e.attachments.all(), key=lambda f: f.created_at) if f.is_image), None)
        if image is not None:
            found[e.case_id] = image.pk
    return found


def notes_of(case_ids: list[int]) -> dict:
    """{case id: [public notes, oldest first]} with phone and ID numbers masked."""
    found = {}
    events = (CaseEvent.objects.filter(case_id__in=case_ids, kind__in=PUBLIC_NOTE_KINDS).exclude(note="")
              .order_by("at", "pk").values("case_id", "kind", "at", "note"))
    for e in events:
        found.setdefault(e["case_id"], []).append({"kind": e["kind"], "at": e["at"], "description": redact(e["note"])})
    return found


def updates(*, start: datetime, end: datetime, offset: int, limit: int) -> list[dict]:
    """Status changes of published requests (events that moved a case to another stage), oldest first."""
    ids = [c.pk for c in published_categories()]
    events = (CaseEvent.objects.filter(case__category_id__in=ids, case__type=PUBLISHED_TYPE, at__gte=start,
                                       at__lte=end)
              .exclude(from_stage="").exclude(from_stage=F("to_stage"))
              .select_related("case").order_by("at", "pk")[offset:offset + limit])
    rows = []
    for e in events:
        rows.append({"id": e.pk, "number": e.case.number, "stage": e.to_stage, "kind": e.kind,
                     "result": e.case.close_result if e.to_stage == "closed" else "", "at": e.at,
                     "description": redact(e.note) if e.kind in PUBLIC_NOTE_KINDS else ""})
    return rows


def token_request(token: str) -> str | None:
    """The number of the published request filed with this client token, if any."""
    numbers = (IdempotentCreate.objects.filter(key=TOKEN_PREFIX + token, case__in=_published_cases())
               .values_list("case__number", flat=True)[:1])
    return next(iter(numbers), None)


def public_photo(file_id) -> StoredFile | None:
    """An image attached to the report of a published request; nothing else is ever served."""
    published = _published_cases()
    return (StoredFile.objects.filter(pk=file_id, content_type__startswith="image/")
            .filter(Q(pk__in=CaseEvent.objects.filter(kind="report", case__in=published)
                      .values("attachments"))).first())


def city() -> Area | None:
    return Area.objects.filter(parent__isnull=True).order_by("pk").first()
