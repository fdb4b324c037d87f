"""Filing a case (idempotent) and the reporter's own moves before acceptance."""

import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from lianxin.areas.models import Area, AreaKind
from lianxin.areas.services import check_point_in_city, locate
from lianxin.core import clock

from .. import deadlines
from ..models import (
    Case,
    CaseCounter,
    Category,
    IdempotentCreate,
    Stage,
    Urgency,
)
from ..tasks import tell_new_case
from ..types import TYPES
from .common import (
    LEVELS,
    MoveRefused,
    Outcome,
    _event,
    _level_staff,
    _move,
    _require_stage,
    _tell,
    ancestors,
)


def _body_hash(payload: dict) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _next_number(case: Case) -> str:
    county = next((a for a in [*ancestors(case.area), case.area] if a.kind == AreaKind.COUNTY), None)
    division = (county.code if county else case.area.code)[:6].ljust(6, "0")
    code = case.category.full_code
    prefix = f"{division}{code[:2]}{code[2:4] or '00'}"
    # One statement takes the next serial: the upsert locks the counter row until the case commits, so
    # numbers stay gapless per prefix and two reports never share one (PostgreSQL and SQLite ≥ 3.35).
    table = connection.ops.quote_name(CaseCounter._meta.db_table)
    last = connection.ops.quote_name("last")
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} (prefix, {last}) VALUES (%s, 1) ON CONFLICT (prefix) "  # noqa: S608
                       f"DO UPDATE SET {last} = {table}.{last} + 1 RETURNING {last}", [prefix])
        serial = cursor.fetchone()[0]
    return f"{prefix}{serial:06d}"


def intake_level(case_type, area: Area) -> str:
    if area.kind == AreaKind.GRID:
        return AreaKind.COMMUNITY
    return area.kind if area.kind in LEVELS else case_type.intake_level


def report(*, actor, type: str = "event", category: Category, title: str, description: str = "",
           area: Area | None = None, lng=None, lat=None, address: str = "", urgency: str = Urgency.NORMAL,
           source: str = "report", nature: str = "", idempotency_key: str | None = None, photos=()) -> Outcome:
    """File a case. A retry with the same key returns the first case; the same key with another body fails."""
    case_type = TYPES.get(type)
    if case_type is None:
        raise ValidationError(_("Unknown case type."))
    if category.parent_id is None or not category.is_active:
        raise ValidationError(_("Choose a sub-category."))
    if not category.allows_type(type):
        raise ValidationError(_("This category is not used for this kind of case."))
    title = (title or "").strip() or category.name
    if len(title) > 120:
        raise ValidationError(_("The title is too long (at most 120 characters)."))
    if urgency not in Urgency.values:
        raise ValidationError(_("Unknown urgency."))
    if lng is not None or lat is not None:
        check_point_in_city(lng, lat)
        lng, lat = float(lng), float(lat)
        area = area or locate(lng, lat)
        if area is None:
            raise ValidationError(_("This location is not inside any grid of the city."))
    if area is None:
        raise ValidationError(_("Give the location on the map or choose the area."))
    payload = {"type": type, "category": category.pk, "title": title, "description": description,
               "area": area.pk, "lng": lng, "lat": lat, "address": address, "urgency": urgency,
               "source": source, "nature": nature,
               # By content: a retried upload is a new StoredFile row with the same bytes.
               "photos": sorted(p.sha256 for p in photos)}
    body_hash = _body_hash(payload)
    now = clock.now()
    try:
        with transaction.atomic():
            case = Case(type=type, category=category, title=title, description=description, area=area,
                        level=intake_level(case_type, area), lng=lng, lat=lat, address=address, urgency=urgency,
                        source=source, nature=nature, reporter=actor, created_at=now)
            deadlines.start_clock(case, case_type.first_stage, now)
            case.number = _next_number(case)
            case.save(force_insert=True)
            if idempotency_key:
                # No read first: the unique (user, key) constraint turns a retry into an IntegrityError below,
                # which rolls this attempt back (number, case and event together).
                IdempotentCreate.objects.create(user=actor, key=idempotency_key, body_hash=body_hash, case=case)
            event = _event(case, "report", actor, now, from_stage="", attachments=photos,
                           data={"source": source})
            # Queued with the case, in its transaction: an acknowledged report's notification is never lost.
            tell_new_case.enqueue(case.pk)
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


def _require_reporter(actor, c: Case) -> None:
    if actor is None or c.reporter_id != actor.pk:
        raise MoveRefused(_("Only the person who reported the case may change it."))


def edit_report(case, *, actor, title: str | None = None, description: str | None = None,
                category: Category | None = None, version=None) -> Outcome:
    """The reporter corrects their report while it still awaits acceptance. The running clock is kept."""
    changes = {}

    def fn(c, now):
        _require_stage(c, Stage.REPORTED)
        _require_reporter(actor, c)
        if title is not None:
            new_title = title.strip() or c.title
            if len(new_title) > 120:
                raise ValidationError(_("The title is too long (at most 120 characters)."))
            if new_title != c.title:
                changes["title"] = [c.title, new_title]
                c.title = new_title
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
        _require_stage(c, Stage.REPORTED)
        _require_reporter(actor, c)
        c.closed_at = now
        deadlines.start_clock(c, Stage.VOIDED, now)
        return {"withdrawn": True}

    out = _move(case, version, actor, "withdraw", fn, note=(reason or "").strip())
    transaction.on_commit(lambda: _tell(_level_staff(out.case, TYPES[out.case.type].supervising_roles(out.case.level)),
                                        out.case, _("Report %(n)s was withdrawn by the reporter")
                                        % {"n": out.case.number}, out.event.note), robust=True)
    return out
