"""The write path of the library: categories, items and their publishing workflow (with history), effective
reads and assigned study. Every function takes ``actor=`` (None: the system, e.g. the seeder or a task),
runs in one transaction and writes the item's history."""

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.core import clock
from lianxin.core.audit import actor_context
from lianxin.core.trees import place_node, subtree_q
from lianxin.core.visibility import can
from lianxin.duties import kinds as duties_kinds
from lianxin.duties import services as duties
from lianxin.duties.models import Frequency, Obligation
from lianxin.workdays.calendar import tz

from . import sanitize, search
from .models import Category, Item, ItemEvent, Kind, Level, Read, Status, StudyAssignment, StudyDuty, Tag, reader_anchor

STUDY = "study"
duties_kinds.register_kind(STUDY, gettext_lazy("Assigned study"))

# ---------------------------------------------------------------- categories


def save_category(*, actor, name: str, code: str, parent: Category | None = None, position: int = 0,
                  active: bool = True, category: Category | None = None) -> Category:
    with transaction.atomic(), actor_context(actor):
        category = category or Category()
        category.name, category.code, category.position, category.active = name, code, position, active
        place_node(category, parent)
    return category


# ---------------------------------------------------------------- items

EDITABLE = ("kind", "title", "summary", "body", "document", "media_url", "media_minutes", "category", "source",
            "level", "area", "org", "audience_area", "audience_org")


def _check(item: Item) -> None:
    if item.level == Level.ORG and not item.org_id:
        raise ValidationError(_("An item published by an organisation names the organisation."))
    if item.level == Level.CITY and item.area.kind != "city":
        raise ValidationError(_("A city-level item belongs to the city."))
    if item.level == Level.COUNTY and item.area.kind != "county":
        raise ValidationError(_("A county-level item belongs to a county."))
    if item.org_id and item.org.area_id != item.area_id:
        raise ValidationError(_("The publishing organisation lies in another area."))
    if item.audience_area_id and item.audience_org_id:
        raise ValidationError(_("Give an audience area or an audience organisation, not both."))
    if item.kind == Kind.ARTICLE and not item.body_chars:
        raise ValidationError(_("An article needs its text."))
    if item.kind == Kind.DOCUMENT and not item.document_id:
        raise ValidationError(_("A document item needs its PDF file."))
    if item.kind in (Kind.AUDIO, Kind.VIDEO) and not item.media_url:
        raise ValidationError(_("An audio or video item needs its link."))


def _index(item: Item) -> None:
    item.body = sanitize.clean(item.body)
    text = sanitize.plain(item.body)
    item.body_chars = len(text)
    item.search_title = search.index_text(item.title)
    item.search_body = search.index_text(f"{item.summary}\n{text}\n{item.source}")


def _tags(item: Item, names) -> None:
    if names is None:
        return
    tags = []
    for name in dict.fromkeys(n.strip() for n in names if n and n.strip()):
        tags.append(Tag.objects.get_or_create(name=name[:30])[0])
    item.tags.set(tags)


def _event(item, kind, actor, *, before: str = "", note: str = "", at: datetime | None = None) -> ItemEvent:
    return ItemEvent.objects.create(item=item, kind=kind, from_status=before, to_status=item.status,
                                    at=at or clock.now(), actor=actor, note=note[:300])


def create_item(*, actor, tags=None, **fields) -> Item:
    now = clock.now()
    with transaction.atomic(), actor_context(actor):
        item = Item(created_by=actor, created_at=now, updated_at=now, status=Status.DRAFT,
                    **{k: v for k, v in fields.items() if k in EDITABLE})
        _index(item)
        _check(item)
        item.save()
        _tags(item, tags)
        _event(item, ItemEvent.Kind.CREATED, actor)
    return item


def update_item(item: Item, *, actor, tags=None, **fields) -> Item:
    with transaction.atomic(), actor_context(actor):
        item = Item.objects.select_for_update().get(pk=item.pk)
        if item.status != Status.DRAFT:
            raise ValidationError(_("Only a draft can be edited: send it back to draft first."))
        for key, value in fields.items():
            if key in EDITABLE:
                setattr(item, key, value)
        _index(item)
        _check(item)
        item.updated_at = clock.now()
        item.save()
        _tags(item, tags)
        _event(item, ItemEvent.Kind.EDITED, actor)
    return item


def may_publish(actor, item: Item) -> bool:
    return actor is None or can(actor, item, "publish")


def _move(item: Item, *, actor, to: str, allowed_from: tuple, kind, refusals: dict | None = None, note: str = "",
          reviewer: bool = False, **changes) -> Item:
    with transaction.atomic(), actor_context(actor):
        item = Item.objects.select_for_update().get(pk=item.pk)
        if reviewer and not may_publish(actor, item):
            raise PermissionDenied(_("Only a reviewer may do this."))
        if item.status not in allowed_from:
            raise ValidationError((refusals or {}).get(item.status) or _("This item cannot move from %(status)s.")
                                  % {"status": item.get_status_display()}, code="refused")
        before = item.status
        item.status = to
        for key, value in changes.items():
            setattr(item, key, value)
        item.updated_at = clock.now()
        item.save()
        _event(item, kind, actor, before=before, note=note)
    return item


def submit(item: Item, *, actor) -> Item:
    return _move(item, actor=actor, to=Status.REVIEW, allowed_from=(Status.DRAFT,), kind=ItemEvent.Kind.SUBMITTED,
                 refusals={Status.REVIEW: _("The item is already in review.")})


def return_to_draft(item: Item, *, actor, note: str = "") -> Item:
    return _move(item, actor=actor, to=Status.DRAFT, allowed_from=(Status.REVIEW,), kind=ItemEvent.Kind.RETURNED,
                 note=note, reviewer=True)


def publish(item: Item, *, actor, at: datetime | None = None, note: str = "") -> Item:
    """Publish now, or from ``at`` (scheduled). Only a reviewer, and only an item in review."""
    now = clock.now()
    at = at or now
    kind = ItemEvent.Kind.SCHEDULED if at > now else ItemEvent.Kind.PUBLISHED
    return _move(item, actor=actor, to=Status.PUBLISHED, allowed_from=(Status.REVIEW,), kind=kind, note=note,
                 reviewer=True, publish_at=at, withdrawn_at=None, refusals={
                     Status.DRAFT: _("Submit the draft for review first."),
                     Status.WITHDRAWN: _("A withdrawn item cannot be published again: send it back to draft, "
                                         "then through review."),
                     Status.PUBLISHED: _("The item is already published."),
                 })


def withdraw(item: Item, *, actor, note: str = "") -> Item:
    return _move(item, actor=actor, to=Status.WITHDRAWN, allowed_from=(Status.PUBLISHED,),
                 kind=ItemEvent.Kind.WITHDRAWN, note=note, reviewer=True, withdrawn_at=clock.now(),
                 refusals={Status.WITHDRAWN: _("The item is already withdrawn.")})


def reopen(item: Item, *, actor, note: str = "") -> Item:
    return _move(item, actor=actor, to=Status.DRAFT, allowed_from=(Status.WITHDRAWN,),
                 kind=ItemEvent.Kind.REOPENED, note=note)


# Which moves the item page offers for a status: (name, label, reviewer only).
MOVES = {
    Status.DRAFT: [("submit", gettext_lazy("Submit for review"), False)],
    Status.REVIEW: [("publish", gettext_lazy("Publish"), True), ("return", gettext_lazy("Return to draft"), True)],
    Status.PUBLISHED: [("withdraw", gettext_lazy("Withdraw"), True)],
    Status.WITHDRAWN: [("reopen", gettext_lazy("Back to draft"), False)],
}


# ---------------------------------------------------------------- reading

# A reader gets through about this many Chinese characters a second; an effective read needs the page visible
# for at least the text's length at that pace (between the floor and the ceiling below).
CHARS_PER_SECOND = 25
MIN_SECONDS, MAX_SECONDS = 8, 240
MEDIA_SHARE = 0.5  # of an audio or video's length


def min_seconds(item: Item) -> int:
    if item.kind in (Kind.AUDIO, Kind.VIDEO) and item.media_minutes:
        need = item.media_minutes * 60 * MEDIA_SHARE
    elif item.kind == Kind.DOCUMENT:
        need = 60
    else:
        need = item.body_chars / CHARS_PER_SECOND
    return int(min(MAX_SECONDS, max(MIN_SECONDS, math.ceil(need))))


@dataclass
class ReadOutcome:
    read: Read | None
    created: bool
    reason: str = ""


def local_day(moment: datetime) -> date:
    return moment.astimezone(tz()).date()


def read_today(user, item: Item | None = None):
    """The user's own reads of today (their own rows, so no scoping): item ids, or whether ``item`` was read."""
    reads = Read.objects.filter(user=user, day=clock.today())
    if item is not None:
        return reads.filter(item=item).exists()
    return set(reads.values_list("item", flat=True))


def record_read(item: Item, *, user, seconds: int, reached_end: bool, opened_at: datetime,
                at: datetime | None = None) -> ReadOutcome:
    """An effective read of ``item`` by ``user``, at most one per local day.

    ``seconds`` is the time the page was visible (measured in the browser); ``opened_at`` the moment the server
    rendered the page (signed, so the wall-clock time since it bounds what the browser may claim). Refused,
    without a record, when the item is not live, the end was not reached or the time is too short.
    """
    now = at or clock.now()
    if item.status != Status.PUBLISHED or item.publish_at is None or item.publish_at > now:
        return ReadOutcome(None, False, "not_live")
    need = min_seconds(item)
    elapsed = (now - opened_at).total_seconds()
    if not reached_end:
        return ReadOutcome(None, False, "not_at_end")
    if seconds < need or elapsed + 1 < need:
        return ReadOutcome(None, False, "too_short")
    day = local_day(now)
    existing = Read.objects.filter(item=item, user=user, day=day).first()
    if existing is not None:
        return ReadOutcome(existing, False)
    area, org = reader_anchor(user)
    if area is None:
        return ReadOutcome(None, False, "no_area")
    try:
        with transaction.atomic():
            read = Read.objects.create(item=item, user=user, day=day, area=area, org=org,
                                       seconds=min(int(seconds), 24 * 3600), at=now)
            _complete_study(item, user, read, day)
    except IntegrityError:  # the same read sent twice at once: the first one counts
        return ReadOutcome(Read.objects.get(item=item, user=user, day=day), False)
    return ReadOutcome(read, True)


def _complete_study(item: Item, user, read: Read, day: date) -> None:
    """The read fulfils the reader's open study duties for this item."""
    for study in StudyDuty.objects.filter(assignment__item=item, user=user).select_related("assignment"):
        plan = duties.plans_for(study).filter(kind=STUDY).first()
        if plan is None:
            continue
        open_ob = Obligation.objects.filter(plan=plan, fulfilled_by__isnull=True, cancelled_at__isnull=True)
        if not open_ob.exists():
            continue
        duties.log_duty(actor=user, plan=plan, method="online", done_on=day,
                        notes=_("Effective read in the learning library"),
                        idempotency_key=f"learning-read-{read.pk}-{plan.pk}")


# ---------------------------------------------------------------- assigned study


def members_of(org):
    """The party members of ``org``'s subtree."""
    from lianxin.people.models import Person

    return (Person.objects.filter(subtree_q("org__path", org.path), is_party_member=True)
            .select_related("area", "org", "account"))


def assign_study(*, actor, item: Item, org, due_on: date, note: str = "") -> StudyAssignment:
    """Each party member of ``org``'s subtree owes the study of ``item`` by ``due_on`` (a one-off duty owed by
    the member's own account, or by the community staff for a member without one)."""
    today = clock.today()
    if item.status != Status.PUBLISHED:
        raise ValidationError(_("Only a published item can be assigned for study."))
    if due_on < today:
        raise ValidationError(_("The deadline is in the past."))
    with transaction.atomic(), actor_context(actor):
        assignment = StudyAssignment.objects.create(item=item, org=org, area=org.area, due_on=due_on, note=note,
                                                    created_by=actor, created_at=clock.now())
        title = _("Study: %(title)s") % {"title": item.title}
        start = max(today, local_day(item.publish_at)) if item.publish_at else today
        for person in members_of(org):
            account = getattr(person, "account", None)
            study = StudyDuty.objects.create(assignment=assignment, person=person, org=person.org,
                                             user=account if account and account.is_active else None)
            duties.create_plan(actor=actor, subject=study, kind=STUDY, frequency=Frequency.ONCE,
                               carer=study.user, owner_role="" if study.user else "community_staff",
                               start_date=min(start, due_on), due_date=due_on, title=title[:200], grace_days=0)
        _event(item, ItemEvent.Kind.ASSIGNED, actor, before=item.status, note=org.name)
    return assignment


def completion(studies) -> dict:
    """{"owed", "done", "rate"} over StudyDuty rows: done = their study obligation fulfilled."""
    from lianxin.duties import queries as duty_queries

    obligations = duty_queries.obligations_of(studies, kind=STUDY).filter(cancelled_at__isnull=True)
    owed = obligations.count()
    done = obligations.filter(fulfilled_by__isnull=False).count()
    return {"owed": owed, "done": done, "rate": round(done / owed, 4) if owed else None}


def soon(days: int) -> date:
    return clock.today() + timedelta(days=days)
