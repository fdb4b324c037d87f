"""Filing a case (idempotent) and the reporter's own moves before acceptance."""

import hashlib
import json
from contextlib import nullcontext
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks.signals import task_enqueued
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from lianxin.areas.models import Area, AreaKind
from lianxin.areas.services import check_point_in_city, locate
from lianxin.core import clock
from lianxin.core.sqlinsert import has_save_hooks, insert_select

from .. import deadlines
from ..flow import guard
from ..models import (
    Case,
    CaseCounter,
    CaseEvent,
    Category,
    HazardLevel,
    IdempotentCreate,
    Nature,
    Stage,
    Urgency,
)
from ..tasks import tell_new_case
from ..types import TYPES
from .common import (
    LEVELS,
    Outcome,
    _level_staff,
    _move,
    _new_event,
    _tell,
    ancestors,
)


def _body_hash(payload: dict) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _number_prefix(case: Case) -> str:
    county = next((a for a in [*ancestors(case.area), case.area] if a.kind == AreaKind.COUNTY), None)
    division = (county.code if county else case.area.code)[:6].ljust(6, "0")
    code = case.category.full_code
    return f"{division}{code[:2]}{code[2:4] or '00'}"


def _serial_sql() -> str:
    # One statement takes the next serial: the upsert locks the counter row until the case commits, so
    # numbers stay gapless per prefix and two reports never share one (PostgreSQL and SQLite ≥ 3.35).
    table = connection.ops.quote_name(CaseCounter._meta.db_table)
    last = connection.ops.quote_name("last")
    return (f"INSERT INTO {table} (prefix, {last}) VALUES (%s, 1) ON CONFLICT (prefix) "  # noqa: S608
            f"DO UPDATE SET {last} = {table}.{last} + 1 RETURNING {last}")


def _next_number(case: Case) -> str:
    prefix = _number_prefix(case)
    with connection.cursor() as cursor:
        cursor.execute(_serial_sql(), [prefix])
        serial = cursor.fetchone()[0]
    return f"{prefix}{serial:06d}"


def _write_report(case: Case, key: IdempotentCreate | None, event: CaseEvent, photos) -> None:
    """Writes the case with its number, its idempotency key, its first event (with the photos) and the task
    telling the staff, all or nothing: an acknowledged report's notification is never lost.

    On PostgreSQL in one statement of data-modifying CTEs, which is atomic by itself: there each round trip
    costs more than the insert itself, and a report is the platform's most frequent write. Elsewhere, or when a
    save hook would be bypassed, through the ORM. Either way a repeated key raises IntegrityError and takes the
    number back."""
    task_row = _task_row(tell_new_case)
    one_statement = (connection.vendor == "postgresql" and task_row is not None
                     and not has_save_hooks(Case, IdempotentCreate, CaseEvent, DBTaskResult))
    # The statement alone is atomic; in an outer transaction a savepoint keeps a refused retry from spoiling it.
    atomic = not one_statement or photos or not connection.get_autocommit()
    with transaction.atomic() if atomic else nullcontext():
        if one_statement:
            _write_in_one_statement(case, key, event, task_row)
        else:
            _write_with_orm(case, key, event)
        if photos:
            event.attachments.set(photos)
    if one_statement:
        task_enqueued.send(type(tell_new_case.get_backend()), task_result=task_row.task_result)


def _write_with_orm(case: Case, key: IdempotentCreate | None, event: CaseEvent) -> None:
    case.number = _next_number(case)
    case.save(force_insert=True)
    if key is not None:
        key.case = case
        key.save(force_insert=True)
    event.case = case
    event.save(force_insert=True)
    tell_new_case.enqueue(case.pk)


def _write_in_one_statement(case: Case, key: IdempotentCreate | None, event: CaseEvent, task_row) -> None:
    prefix = _number_prefix(case)
    # Serials past 999999 keep all their digits, as f"{serial:06d}" does.
    number = ("%s || CASE WHEN n.last > 999999 THEN n.last::text ELSE lpad(n.last::text, 6, '0') END", [prefix])
    # The task's arguments as django_tasks_db stores them: {"args": [case id], "kwargs": {}}.
    args = "jsonb_build_object('args', jsonb_build_array(c.id), 'kwargs', '{}'::jsonb)"
    parts = [("n", _serial_sql(), [prefix]),
             ("c", *insert_select(case, exprs={"number": number}, source="n", returning=("id", "number")))]
    if key is not None:
        parts.append(("k", *insert_select(key, exprs={"case_id": "c.id"}, source="c")))
    parts.append(("e", *insert_select(event, exprs={"case_id": "c.id"}, source="c", returning=("id",))))
    parts.append(("t", *insert_select(task_row, exprs={"args_kwargs": args}, source="c")))
    ctes = ", ".join(f"{name} AS ({text})" for name, text, _ in parts)
    sql = f"WITH {ctes} SELECT c.id, c.number, e.id FROM c, e"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [p for _, _, params in parts for p in params])
        case.pk, case.number, event.pk = cursor.fetchone()
    event.case = case
    if key is not None:
        key.case = case
    task_row.args_kwargs = {"args": [case.pk], "kwargs": {}}
    for obj in (case, event, key, task_row):
        if obj is not None:
            obj._state.adding, obj._state.db = False, connection.alias


def _task_row(task) -> DBTaskResult | None:
    """The unsaved row ``task.enqueue`` would write with django_tasks_db (None with another backend, or a
    subclass that may enqueue differently)."""
    backend = task.get_backend()
    if type(backend) is not DatabaseBackend:
        return None
    backend.validate_task(task)
    return DBTaskResult(id=backend._get_id(), args_kwargs={}, priority=task.priority, task_path=task.module_path,
                        queue_name=task.queue_name, run_after=task.run_after, backend_name=backend.alias)


def intake_level(case_type, area: Area) -> str:
    if area.kind == AreaKind.GRID:
        return AreaKind.COMMUNITY
    return area.kind if area.kind in LEVELS else case_type.intake_level


class Limits:
    """The one set of limits of a report, whatever door it comes through (docs/CASES.md, "Intake")."""

    TITLE = 120
    DERIVED_TITLE = 40  # a title taken from the description's first line
    DESCRIPTION = 2000
    ADDRESS = 200
    KEY = 80


# The doors a report comes through and the case types each admits (None: every type, for services' callers
# such as importers and the seeder). Open311 and the quick report are public: only the types residents file.
DOORS = {
    "web": {"event", "appeal"},
    "open311": {"event", "appeal"},
    "rest": {"event", "appeal", "hazard"},
    "patrol": {"event", "hazard"},
    "internal": None,
}


class IntakeError(ValidationError):
    """A report refused by the intake. ``field`` names what is wrong in the intake's words (type, category,
    title, description, address, urgency, nature, hazard_level, location, key); each door maps it onto its
    own field names and error format. ``code`` says which rule (e.g. ``no_location``, ``half_point``)."""

    def __init__(self, field: str, message, code: str = "invalid"):
        super().__init__(message, code=code)
        self.field = field


@dataclass
class Submission:
    """A report that passed the intake: what will be written."""

    actor: object
    type: str
    category: Category
    title: str
    description: str
    area: Area
    lng: float | None
    lat: float | None
    address: str
    urgency: str
    source: str
    nature: str
    hazard_level: str
    idempotency_key: str | None


def derive_title(description: str, category) -> str:
    """The title when none is given: the description's first line, shortened; else the category's name."""
    first = ((description or "").strip().splitlines() or [""])[0].strip()
    if not first:
        return category.name
    n = Limits.DERIVED_TITLE
    return first if len(first) <= n else first[: n - 1] + "…"


def _point(lng, lat):
    given = [v not in (None, "") for v in (lng, lat)]
    if not any(given):
        return None
    if not all(given):
        raise IntakeError("location", _("Give both longitude and latitude."), code="half_point")
    try:
        check_point_in_city(lng, lat)
    except ValidationError as e:
        code = "not_numbers" if e.messages and "number" in e.messages[0].lower() else "outside_city"
        raise IntakeError("location", " ".join(e.messages), code=code) from e
    return float(lng), float(lat)


def _may_file(actor, case_type) -> bool:
    if case_type.filer_roles is None or actor is None or actor.is_superuser:
        return True
    from lianxin.core.visibility import user_grants

    return any(g.role in case_type.filer_roles for g in user_grants(actor))


PUBLIC_ROLES = {"resident", "volunteer"}  # reporters from the public: the web form offers them no urgency


def _may_set_urgency(actor) -> bool:
    if actor is None or actor.is_superuser:
        return True
    from lianxin.core.visibility import user_grants

    return any(g.role not in PUBLIC_ROLES for g in user_grants(actor))


def clean_report(*, actor, door: str = "internal", type: str = "event", category: Category | None,
                 title: str = "", description: str = "", area: Area | None = None, lng=None, lat=None,
                 address: str = "", urgency: str = Urgency.NORMAL, source: str = "report", nature: str = "",
                 hazard_level: str = "", idempotency_key: str | None = None) -> Submission:
    """The one validation of a report, for every door (web form, REST, Open311, patrols, services' callers).

    Raises ``IntakeError``; writes nothing. A chosen ``area`` places the case; without one the point is
    located to its grid."""
    case_type = TYPES.get(type)
    admitted = DOORS.get(door, ())
    if case_type is None or (admitted is not None and type not in admitted):
        raise IntakeError("type", _("Unknown case type."), code="unknown_type")
    if not _may_file(actor, case_type):
        raise IntakeError("type", _("Only staff and grid workers file this kind of case."), code="not_filer")
    if category is None:
        raise IntakeError("category", _("Choose what kind of problem it is."), code="no_category")
    if category.parent_id is None or not category.is_active:
        raise IntakeError("category", _("Choose a sub-category."), code="not_sub_category")
    if not category.allows_type(type):
        raise IntakeError("category", _("This category is not used for this kind of case."), code="wrong_type")
    description = (description or "").strip()
    if len(description) > Limits.DESCRIPTION:
        raise IntakeError("description", _("The description is too long (at most %(n)d characters).")
                          % {"n": Limits.DESCRIPTION}, code="too_long")
    title = (title or "").strip() or derive_title(description, category)
    if len(title) > Limits.TITLE:
        raise IntakeError("title", _("The title is too long (at most 120 characters)."), code="too_long")
    address = (address or "").strip()
    if len(address) > Limits.ADDRESS:
        raise IntakeError("address", _("The address is too long (at most %(n)d characters).")
                          % {"n": Limits.ADDRESS}, code="too_long")
    if urgency not in Urgency.values:
        raise IntakeError("urgency", _("Unknown urgency."))
    if urgency != Urgency.NORMAL and not _may_set_urgency(actor):
        raise IntakeError("urgency", _("The urgency is set by the staff who accept the report."),
                          code="not_allowed")
    nature = nature or ""
    if "nature" in case_type.fields:
        # Every door asks the person; services' own callers (importers, older records) may leave it open.
        if (nature or door != "internal") and nature not in Nature.values:
            raise IntakeError("nature", _("Say what the appeal is: a question, a request for help, a complaint, "
                                          "a report of wrongdoing, a suggestion or thanks."), code="no_nature")
    elif nature:
        raise IntakeError("nature", _("Only appeals have a nature."), code="not_allowed")
    hazard_level = hazard_level or ""
    if "hazard_level" in case_type.fields:
        hazard_level = hazard_level or HazardLevel.GENERAL
        if hazard_level not in HazardLevel.values:
            raise IntakeError("hazard_level", _("Unknown hazard level."))
    elif hazard_level:
        raise IntakeError("hazard_level", _("Only hazards have a hazard level."), code="not_allowed")
    point = _point(lng, lat)
    if point is not None and area is None:
        area = locate(*point)
        if area is None:
            raise IntakeError("location", _("This location is not inside any grid of the city."), code="no_grid")
    if area is None:
        raise IntakeError("location", _("Give the location on the map or choose the area."), code="no_location")
    key = (idempotency_key or "").strip() or None
    if key is not None and len(key) > Limits.KEY:
        raise IntakeError("key", _("The submission key is longer than %(n)d characters.") % {"n": Limits.KEY},
                          code="too_long")
    return Submission(actor=actor, type=type, category=category, title=title, description=description, area=area,
                      lng=point[0] if point else None, lat=point[1] if point else None, address=address,
                      urgency=urgency, source=source, nature=nature, hazard_level=hazard_level,
                      idempotency_key=key)


def report(*, photos=(), **fields) -> Outcome:
    """File a case: ``clean_report``'s fields, then ``file_report``."""
    return file_report(clean_report(**fields), photos=photos)


def file_report(sub: Submission, *, photos=()) -> Outcome:
    """Write a cleaned report. A retry with the same key returns the first case; the same key with another
    body fails."""
    actor, idempotency_key = sub.actor, sub.idempotency_key
    case_type = TYPES[sub.type]
    payload = {"type": sub.type, "category": sub.category.pk, "title": sub.title, "description": sub.description,
               "area": sub.area.pk, "lng": sub.lng, "lat": sub.lat, "address": sub.address, "urgency": sub.urgency,
               "source": sub.source, "nature": sub.nature,
               # By content: a retried upload is a new StoredFile row with the same bytes.
               "photos": sorted(p.sha256 for p in photos)}
    if sub.hazard_level:
        payload["hazard_level"] = sub.hazard_level
    body_hash = _body_hash(payload)
    now = clock.now()
    case = Case(type=sub.type, category=sub.category, title=sub.title, description=sub.description, area=sub.area,
                level=intake_level(case_type, sub.area), lng=sub.lng, lat=sub.lat, address=sub.address,
                urgency=sub.urgency, source=sub.source, nature=sub.nature, hazard_level=sub.hazard_level,
                reporter=actor, created_at=now)
    deadlines.start_clock(case, case_type.first_stage, now)
    # No read of the key first: the unique (user, key) constraint turns a retry into an IntegrityError below,
    # which takes this attempt back (number, case, event and task together).
    key = IdempotentCreate(user=actor, key=idempotency_key, body_hash=body_hash) if idempotency_key else None
    event = _new_event(case, "report", actor, now, from_stage="", data={"source": sub.source})
    try:
        _write_report(case, key, event, photos)
    except IntegrityError:
        if not idempotency_key:
            raise
        existing = IdempotentCreate.objects.filter(user=actor, key=idempotency_key).select_related("case").first()
        if existing is None:
            raise
        return _replay(existing, body_hash)
    return Outcome(case, event, created=True)


def _replay(existing: IdempotentCreate, body_hash: str) -> Outcome:
    if existing.body_hash != body_hash:
        raise ValidationError(_("This submission key was already used for a different report."), code="key_reused")
    case = existing.case
    return Outcome(case, case.events.order_by("at", "pk").first(), created=False)


def edit_report(case, *, actor, title: str | None = None, description: str | None = None,
                category: Category | None = None, version=None) -> Outcome:
    """The reporter corrects their report while it still awaits acceptance. The running clock is kept."""
    changes = {}

    def fn(c, now):
        guard("edit", actor, c)
        if title is not None:
            new_title = title.strip() or c.title
            if len(new_title) > Limits.TITLE:
                raise ValidationError(_("The title is too long (at most 120 characters)."))
            if new_title != c.title:
                changes["title"] = [c.title, new_title]
                c.title = new_title
        if description is not None and len(description.strip()) > Limits.DESCRIPTION:
            raise ValidationError(_("The description is too long (at most %(n)d characters).")
                                  % {"n": Limits.DESCRIPTION})
        if description is not None and description.strip() != c.description:
            changes["description"] = [c.description, description.strip()]
            c.description = description.strip()
        if category is not None and category.pk != c.category_id:
            if category.parent_id is None or not category.is_active or not category.allows_type(c.type):
                raise ValidationError(_("Choose a sub-category used for this kind of case."))
            changes["category"] = [c.category.full_code, category.full_code]
            c.category = category
        if not changes:
            raise ValidationError(_("Nothing was changed."), code="unchanged")
        return {"changes": changes}

    return _move(case, version, actor, "edit", fn)


def withdraw(case, *, actor, reason: str = "", version=None) -> Outcome:
    """The reporter takes their report back before it is accepted: the case ends as voided."""

    def fn(c, now):
        guard("withdraw", actor, c)
        c.closed_at = now
        deadlines.start_clock(c, Stage.VOIDED, now)
        return {"withdrawn": True}

    out = _move(case, version, actor, "withdraw", fn, note=(reason or "").strip())
    transaction.on_commit(lambda: _tell(_level_staff(out.case, TYPES[out.case.type].supervising_roles(out.case.level)),
                                        out.case, gettext_lazy("Report %(n)s was withdrawn by the reporter"),
                                        out.event.note), robust=True)
    return out
