"""The write path of the coverage ledger, and the coverage figures computed from its history.

Every write takes ``actor=`` and runs in ``actor_context``; dates are local dates from ``core.clock``.
Instructor visits are duties on the duty engine (kind ``firm_visit``, quarterly); close-out items are cases on
the case engine (type ``closeout``), closed only by ``close_with_evidence``.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.areas.models import Area, AreaKind
from lianxin.cases import services as cases
from lianxin.cases.models import OPEN_STAGES, Category, CloseResult
from lianxin.cases.services.common import MoveRefused, _close, _move, _require_stage
from lianxin.core import clock, pii
from lianxin.core.audit import actor_context
from lianxin.core.clock import today
from lianxin.core.visibility import user_grants
from lianxin.duties import services as duties
from lianxin.duties.models import Frequency, Method
from lianxin.duties.queries import logs_of, obligations_of
from lianxin.duties.subjects import Subjects
from lianxin.orgs import services as orgs
from lianxin.orgs.models import PARTY_KINDS, Org, OrgKind

from .models import (
    ORG_COVERED,
    OWN_BRANCH_MIN,
    CloseOutItem,
    CloseOutReason,
    Coverage,
    CoverageChange,
    FirmProfile,
    InstructorAssignment,
    MeasureDocument,
    MeasureLevel,
)
from .seed import CLASS_CODE, SUB_OF_EXPECTED
from .types import CLOSE_MOVE, CLOSEOUT

VISIT_KIND = "firm_visit"
INSTRUCTOR = "instructor"
# Work coverage (工作覆盖): an instructor assigned and a visit within this many days before the day counted.
WORK_WINDOW_DAYS = 92
PROFILE_FIELDS = ("brand", "is_headquarters", "headquarters", "workers", "formal_members", "probationary_members",
                  "contact_name", "contact_phone", "committee", "address", "registered_on")


# ---------------------------------------------------------------- the rule


def expected_coverage(formal_members: int) -> str:
    """DOMAIN.md: 3 or more formal members → own branch; fewer → a joint branch; none → town fallback."""
    if formal_members >= OWN_BRANCH_MIN:
        return Coverage.OWN
    return Coverage.JOINT if formal_members > 0 else Coverage.TOWN


def meets_rule(state: str, formal_members: int, has_instructor: bool) -> bool:
    """Own branch where 3+ members; own or joint where 1–2; without members, an organisation or the town's
    fallback together with an instructor."""
    if formal_members >= OWN_BRANCH_MIN:
        return state == Coverage.OWN
    if formal_members > 0:
        return state in ORG_COVERED
    return state in ORG_COVERED or (state == Coverage.TOWN and has_instructor)


def current_instructor(firm: FirmProfile):
    a = firm.assignments.filter(ended_on__isnull=True).select_related("instructor").first()
    return a.instructor if a else None


def firm_meets_rule(firm: FirmProfile) -> bool:
    return meets_rule(firm.coverage, firm.formal_members, current_instructor(firm) is not None)


def area_of_kind(area: Area, kind: str) -> Area | None:
    return next((a for a in [*area.ancestors(), area] if a.kind == kind), None)


# ---------------------------------------------------------------- profiles


def _clean_profile(profile: FirmProfile) -> None:
    profile.contact_name = (profile.contact_name or "").strip()
    if profile.contact_phone:
        try:
            profile.contact_phone = pii.validate_mobile(profile.contact_phone)
        except ValidationError as e:
            raise ValidationError({"contact_phone": e.messages}) from None
    if profile.is_headquarters:
        profile.headquarters = None
    elif profile.headquarters_id and profile.headquarters_id == profile.pk:
        raise ValidationError({"headquarters": _("A firm cannot be its own headquarters.")})
    if profile.headquarters_id and not profile.headquarters.is_headquarters:
        raise ValidationError({"headquarters": _("“%(name)s” is not marked as a headquarters.")
                               % {"name": profile.headquarters.name}})
    if profile.committee_id and profile.committee.kind != OrgKind.INDUSTRY_COMMITTEE:
        raise ValidationError({"committee": _("Choose an industry party committee.")})
    if profile.registered_on and profile.registered_on > today():
        raise ValidationError({"registered_on": _("The date is in the future.")})
    profile.full_clean(exclude=["org"])


@transaction.atomic
def create_profile(*, actor, org: Org, coverage: str = Coverage.NONE, covering_org: Org | None = None,
                   **fields) -> FirmProfile:
    """The ledger entry of a firm. Its first coverage state is recorded as the first change of its history."""
    if org.kind != OrgKind.FIRM:
        raise ValidationError(_("“%(name)s” is not a firm.") % {"name": org.name})
    if FirmProfile.objects.filter(org=org).exists():
        raise ValidationError(_("“%(name)s” is already in the ledger.") % {"name": org.name})
    fields = {k: v for k, v in fields.items() if k in PROFILE_FIELDS}
    if fields.get("committee") is None and org.parent_id and org.parent.kind == OrgKind.INDUSTRY_COMMITTEE:
        fields["committee"] = org.parent
    fields.setdefault("registered_on", today())
    profile = FirmProfile(org=org, **fields)
    _clean_profile(profile)
    with actor_context(actor):
        profile.save()
    change_coverage(profile, actor=actor, after=coverage, covering_org=covering_org, on=profile.registered_on,
                    note=_("Entered in the ledger"))
    profile.refresh_from_db()
    return profile


@transaction.atomic
def create_firm(*, actor, committee: Org, name: str, area: Area, industry: str = "", code: str = "",
                **fields) -> FirmProfile:
    """A new firm in the org tree under its industry party committee, with its profile."""
    if committee is None or committee.kind != OrgKind.INDUSTRY_COMMITTEE:
        raise ValidationError({"committee": _("Choose an industry party committee.")})
    org = orgs.create_org(actor=actor, parent=committee, kind=OrgKind.FIRM, name=name, area=area,
                          industry=industry or committee.industry, code=code or None)
    return create_profile(actor=actor, org=org, committee=committee, **fields)


@transaction.atomic
def update_profile(profile: FirmProfile, *, actor, **fields) -> FirmProfile:
    profile = FirmProfile.objects.select_for_update().get(pk=profile.pk)
    for key, value in fields.items():
        if key in PROFILE_FIELDS:
            setattr(profile, key, value)
    _clean_profile(profile)
    with actor_context(actor):
        profile.save()
    return profile


# ---------------------------------------------------------------- coverage history


def _check_covering(profile: FirmProfile, after: str, covering_org: Org | None) -> None:
    firm = profile.org
    if after not in Coverage.values:
        raise ValidationError(_("Unknown coverage state."))
    if after == Coverage.NONE:
        if covering_org is not None:
            raise ValidationError(_("An uncovered firm has no covering organisation."))
        return
    if after in ORG_COVERED and covering_org is None:
        raise ValidationError(_("Name the party organisation that covers the firm."))
    if covering_org is None:
        return
    if covering_org.kind not in PARTY_KINDS or not covering_org.is_active:
        raise ValidationError(_("“%(name)s” is not an active party organisation.") % {"name": covering_org.name})
    under_firm = covering_org.path.startswith(firm.path) and covering_org.pk != firm.pk
    if after == Coverage.OWN:
        if not under_firm:
            raise ValidationError(_("The firm's own branch must sit under the firm in the organisation tree: "
                                    "“%(name)s” does not.") % {"name": covering_org.name})
        if profile.formal_members < OWN_BRANCH_MIN:
            raise ValidationError(
                _("A party branch of its own needs at least %(min)d formal members; the ledger has %(n)d for "
                  "this firm. Update the member count first, or use a joint branch.")
                % {"min": OWN_BRANCH_MIN, "n": profile.formal_members})
    elif after == Coverage.JOINT:
        if under_firm:
            raise ValidationError(_("“%(name)s” sits under the firm: that is its own branch, not a joint one.")
                                  % {"name": covering_org.name})
        if covering_org.kind not in (OrgKind.BRANCH, OrgKind.GENERAL_BRANCH, OrgKind.TEMPORARY_BRANCH):
            raise ValidationError(_("A joint organisation is a party branch or general branch."))
        county = area_of_kind(firm.area, AreaKind.COUNTY)
        if county is not None and not covering_org.area.path.startswith(county.path):
            raise ValidationError(_("The joint branch “%(name)s” is in another county.") % {"name": covering_org.name})


def change_coverage(profile: FirmProfile, *, actor, after: str, covering_org: Org | None = None,
                    on: date | None = None, note: str = "", closeout: CloseOutItem | None = None) -> CoverageChange:
    """Append a change of the firm's coverage state (effective ``on``, default today) and update the profile.

    Changes are never edited: a correction is a further change. A change may not be dated before the last one
    or in the future, so the history stays in order."""
    on = on or today()
    with transaction.atomic():
        profile = FirmProfile.objects.select_for_update().select_related("org", "org__area").get(pk=profile.pk)
        _check_covering(profile, after, covering_org)
        if on > today():
            raise ValidationError(_("The date is in the future."))
        last = profile.coverage_changes.order_by("-on", "-pk").first()
        if last is not None and on < last.on:
            raise ValidationError(_("The last change is dated %(d)s: a new one cannot be earlier.")
                                  % {"d": last.on.isoformat()})
        if last is not None and last.after == after and last.covering_org_id == (covering_org and covering_org.pk):
            raise ValidationError(_("Nothing changes: the firm is already in this state."), code="unchanged")
        with actor_context(actor):
            change = CoverageChange.objects.create(
                firm=profile, on=on, before=last.after if last else "", after=after, covering_org=covering_org,
                closeout=closeout, actor=actor if getattr(actor, "pk", None) else None, note=(note or "")[:200],
                created_at=clock.now())
            profile.coverage, profile.covering_org = after, covering_org
            profile.save(update_fields=["coverage", "covering_org", "updated_at"])
    return change


# ---------------------------------------------------------------- instructors and visits


def is_instructor(user) -> bool:
    return user is not None and user.is_active and any(g.role == INSTRUCTOR for g in user_grants(user))


def visit_plans(firm: FirmProfile):
    return duties.plans_for(firm).filter(kind=VISIT_KIND, active=True, end_date__isnull=True)


@transaction.atomic
def assign_instructor(firm: FirmProfile, *, instructor, actor, on: date | None = None,
                      note: str = "") -> InstructorAssignment:
    """Make ``instructor`` the firm's instructor from ``on`` (default today), ending the previous assignment.

    The instructor owes the firm a visit each quarter: the firm's quarterly visit plan on the duty engine goes to
    the new instructor (open obligations move with it) or is created for the first one."""
    if not is_instructor(instructor):
        raise ValidationError(_("%(u)s does not hold the instructor role.") % {"u": instructor})
    on = on or today()
    if on > today():
        raise ValidationError(_("The date is in the future."))
    firm = FirmProfile.objects.select_for_update().get(pk=firm.pk)
    previous = firm.assignments.filter(ended_on__isnull=True).first()
    if previous is not None and previous.instructor_id == instructor.pk:
        return previous
    if previous is not None and on < previous.started_on:
        raise ValidationError(_("The current instructor started on %(d)s: the new one cannot start earlier.")
                              % {"d": previous.started_on.isoformat()})
    with actor_context(actor):
        if previous is not None:
            previous.ended_on = on
            previous.save(update_fields=["ended_on"])
        assignment = InstructorAssignment.objects.create(firm=firm, instructor=instructor, started_on=on,
                                                         actor=actor if getattr(actor, "pk", None) else None,
                                                         note=(note or "")[:200])
    plans = list(visit_plans(firm))
    if plans:
        duties.reassign(plans, new_carer=instructor, actor=actor, note=note)
    else:
        duties.create_plan(actor=actor, subject=firm, kind=VISIT_KIND, frequency=Frequency.QUARTERLY,
                           carer=instructor, start_date=on, title=_("Quarterly instructor visit"))
    return assignment


@transaction.atomic
def end_instructor(firm: FirmProfile, *, actor, on: date | None = None, note: str = "") -> InstructorAssignment:
    """The firm has no instructor any more from ``on``: the assignment and the visit plan end."""
    on = on or today()
    current = firm.assignments.select_for_update().filter(ended_on__isnull=True).first()
    if current is None:
        raise ValidationError(_("The firm has no instructor."))
    if on < current.started_on:
        raise ValidationError(_("The end is before the start."))
    with actor_context(actor):
        current.ended_on = on
        current.save(update_fields=["ended_on"])
    duties.end_plans(list(visit_plans(firm)), actor=actor, on=on, note=note or _("Instructor assignment ended"))
    return current


def log_visit(firm: FirmProfile, *, actor, method: str = Method.VISIT, done_on: date | None = None,
              notes: str = "", photos=(), idempotency_key: str | None = None):
    """An instructor's visit to a firm: fulfils that quarter's obligation (the duty engine decides)."""
    if not duties.plans_for(firm).filter(kind=VISIT_KIND).exists():
        raise ValidationError(_("The firm has no instructor, so no visit is owed to it. Assign an instructor first."))
    return duties.log_duty(actor=actor, subject=firm, kind=VISIT_KIND, method=method, done_on=done_on,
                           notes=notes, photos=photos, idempotency_key=idempotency_key)


def firm_visits(firms: Subjects):
    """The visit logs of a firm or of several firms (a list or queryset; one query)."""
    return logs_of(firms, kind=VISIT_KIND)


def firm_obligations(firms: Subjects):
    """The visit obligations of a firm or of several firms (one query; ``plan.subject_id`` names the firm)."""
    return obligations_of(firms, kind=VISIT_KIND)



# ---------------------------------------------------------------- close-out items (销号)


def owner_of(firm: FirmProfile, expected: str) -> dict:
    """Who closes the gap: the industry party committee where a branch is expected, the town for the fallback."""
    if expected == Coverage.TOWN or firm.committee_id is None:
        return {"owner_org": None, "owner_area": area_of_kind(firm.org.area, AreaKind.TOWN) or firm.org.area}
    return {"owner_org": firm.committee, "owner_area": None}


def open_closeout(firm: FirmProfile, *, actor, on: date | None = None) -> CloseOutItem:
    """File the firm's coverage gap as a close-out case (idempotent: an open item is returned as it is)."""
    firm = FirmProfile.objects.select_related("org", "org__area", "committee").get(pk=firm.pk)
    existing = firm.closeouts.filter(closed_on__isnull=True).first()
    if existing is not None:
        return existing
    if firm_meets_rule(firm):
        raise ValidationError(_("“%(name)s” meets the coverage rule: there is nothing to close out.")
                              % {"name": firm.name})
    expected = expected_coverage(firm.formal_members)
    category = Category.objects.filter(full_code=CLASS_CODE + SUB_OF_EXPECTED[expected], is_active=True).first()
    if category is None:
        raise ValidationError(_("The close-out categories are missing; ask an administrator to run the migrations."))
    owner = owner_of(firm, expected)
    reason = CloseOutReason.UNCOVERED if firm.coverage == Coverage.NONE else CloseOutReason.BELOW_RULE
    title = _("%(firm)s: %(expected)s") % {"firm": firm.name, "expected": Coverage(expected).label}
    with transaction.atomic():
        outcome = cases.report(actor=actor, type=CLOSEOUT, category=category, title=title[:120],
                               area=area_of_kind(firm.org.area, AreaKind.TOWN) or firm.org.area,
                               source="inspection",
                               description=_("Formal members: %(n)d. Current coverage: %(state)s.")
                               % {"n": firm.formal_members, "state": firm.get_coverage_display()})
        with actor_context(actor):
            item = CloseOutItem.objects.create(case=outcome.case, firm=firm, reason=reason, expected=expected,
                                               opened_on=on or today(), **owner)
        transaction.on_commit(lambda: _tell_owners(item), robust=True)
    return item


def _tell_owners(item: CloseOutItem) -> None:
    """The owner's staff hear of a new item: the committee's staff, or the town's."""
    from lianxin.accounts.models import User
    from lianxin.core.notify import Message, notify

    if item.owner_org_id:
        users = User.objects.filter(grants__org=item.owner_org, grants__role="industry_committee_staff")
    else:
        users = User.objects.filter(grants__area=item.owner_area, grants__role="town_staff")
    notify(list(users.filter(is_active=True).distinct()), kind=f"closeout.{item.case.number}",
           title=Message(gettext_lazy("Close-out item %(n)s: %(t)s"), n=item.case.number, t=item.case.title),
           body=Message(gettext_lazy("Due by %(d)s."),
                        d=item.case.due_at.date().isoformat() if item.case.due_at else "—"),
           link=f"/newgroups/closeouts/{item.pk}/")


def scan_closeouts(firms, *, actor) -> list[CloseOutItem]:
    """Open an item for every firm of ``firms`` below the rule that has none open."""
    opened = []
    for firm in firms.select_related("org", "committee").order_by("pk"):
        if firm.closeouts.filter(closed_on__isnull=True).exists() or firm_meets_rule(firm):
            continue
        opened.append(open_closeout(firm, actor=actor))
    return opened


def _may_close(actor, item: CloseOutItem) -> None:
    if actor is None or actor.is_superuser:
        return
    if not CloseOutItem.objects.visible_to(actor, "close").filter(pk=item.pk).exists():
        raise PermissionDenied(_("You may not close this item."))


def close_with_evidence(item: CloseOutItem, *, actor, evidence_org: Org | None = None, new_branch: str = "",
                        note: str = "", version: int | None = None) -> CloseOutItem:
    """Close the item with its evidence: a branch created now under the firm (``new_branch``: its name) or an
    existing organisation (the firm's own branch, or the joint branch it joined). Writes the coverage change
    and the case's closing event in one transaction; any problem leaves everything as it was."""
    new_branch = (new_branch or "").strip()
    if bool(new_branch) == (evidence_org is not None):
        raise ValidationError(_("Give the evidence: either the name of the branch created under the firm, or the "
                                "organisation the firm joined."))
    _may_close(actor, item)
    if evidence_org is not None and actor is not None and not actor.is_superuser \
            and not Org.objects.visible_to(actor).filter(pk=evidence_org.pk).exists():
        raise ValidationError(_("You cannot see the organisation given as evidence."))
    with transaction.atomic():
        item = CloseOutItem.objects.select_for_update().select_related("firm", "firm__org", "case").get(pk=item.pk)
        if item.closed_on is not None or item.case.stage not in OPEN_STAGES:
            raise ValidationError(_("This item is already closed."), code="closed")
        firm = item.firm
        if new_branch:
            evidence_org = orgs.create_org(actor=actor, parent=firm.org, kind=OrgKind.BRANCH, name=new_branch,
                                           area=firm.org.area, industry=firm.org.industry)
        under_firm = evidence_org.path.startswith(firm.org.path) and evidence_org.pk != firm.org_id
        after = Coverage.OWN if under_firm else Coverage.JOINT
        change = change_coverage(firm, actor=actor, after=after, covering_org=evidence_org, closeout=item,
                                 note=note or _("Close-out %(n)s") % {"n": item.case.number})
        firm.refresh_from_db()
        if not firm_meets_rule(firm):
            raise ValidationError(
                _("With %(n)d formal members the rule expects %(expected)s; “%(org)s” (%(state)s) does not meet "
                  "it, so the item stays open.")
                % {"n": firm.formal_members, "expected": Coverage(expected_coverage(firm.formal_members)).label,
                   "org": evidence_org.name, "state": Coverage(after).label})

        def fn(c, now):
            _require_stage(c, *OPEN_STAGES)
            return {"evidence_org": evidence_org.pk, "coverage": after, "change": change.pk,
                    **_close(c, now, CloseResult.FIXED)}

        try:
            _move(item.case, version, actor, CLOSE_MOVE, fn, note=note or evidence_org.name, org=evidence_org)
        except MoveRefused as e:
            raise ValidationError(str(e)) from e
        item.evidence_org, item.closed_on = evidence_org, today()
        with actor_context(actor):
            item.save(update_fields=["evidence_org", "closed_on"])
    return item


# ---------------------------------------------------------------- measures documents ("1+4+N")


def add_measure(*, actor, level: str, title: str, issued_on: date, org: Org | None = None, area: Area | None = None,
                number: str = "", summary: str = "", file=None) -> MeasureDocument:
    if level not in MeasureLevel.values:
        raise ValidationError(_("Unknown level."))
    if level == MeasureLevel.TOWN:
        if area is None or area.kind != AreaKind.TOWN:
            raise ValidationError({"area": _("A town's measures belong to a town or street.")})
        org = None
    else:
        wanted = OrgKind.WORKING_COMMITTEE if level == MeasureLevel.CITY else OrgKind.INDUSTRY_COMMITTEE
        if org is None or org.kind != wanted:
            raise ValidationError({"org": _("Choose the issuing %(kind)s.") % {"kind": OrgKind(wanted).label}})
        if level == MeasureLevel.CITY and org.area.kind != AreaKind.CITY:
            raise ValidationError({"org": _("The city's measures are issued by the city's working committee.")})
        area = org.area
    doc = MeasureDocument(level=level, org=org, area=area, title=(title or "").strip(), number=(number or "").strip(),
                          issued_on=issued_on, summary=summary or "", file=file,
                          created_by=actor if getattr(actor, "pk", None) else None, created_at=clock.now())
    if doc.issued_on and doc.issued_on > today():
        raise ValidationError({"issued_on": _("The date is in the future.")})
    doc.full_clean()
    with actor_context(actor):
        doc.save()
    return doc


# ---------------------------------------------------------------- figures, as of any day


@dataclass
class FirmState:
    firm_id: int
    industry: str
    area_path: str
    state: str
    formal_members: int
    instructor: bool
    visited: bool

    @property
    def org_covered(self) -> bool:
        return self.state in ORG_COVERED

    @property
    def work_covered(self) -> bool:
        return self.instructor and self.visited

    @property
    def meets_rule(self) -> bool:
        return meets_rule(self.state, self.formal_members, self.instructor)


class History:
    """The coverage history of a set of firms, loaded once, evaluated as of any day (never stored)."""

    def __init__(self, firms):
        rows = list(firms.values_list("pk", "org__industry", "org__area__path", "formal_members", "registered_on"))
        self.firms = {pk: (ind, path, members, since) for pk, ind, path, members, since in rows}
        ids = list(self.firms)
        self.changes: dict[int, list[tuple[date, int, str]]] = {}
        for fid, on, pk, after in (CoverageChange.objects.filter(firm_id__in=ids)
                                   .values_list("firm_id", "on", "pk", "after").order_by("on", "pk")):
            self.changes.setdefault(fid, []).append((on, pk, after))
        self.assignments: dict[int, list[tuple[date, date | None]]] = {}
        for fid, start, end in InstructorAssignment.objects.filter(firm_id__in=ids).values_list(
                "firm_id", "started_on", "ended_on"):
            self.assignments.setdefault(fid, []).append((start, end))
        self.visits: dict[int, list[date]] = {}
        for fid, done in firm_visits(firms).values_list("subject_id", "done_on"):
            self.visits.setdefault(fid, []).append(done)

    def state_on(self, fid: int, day: date) -> str:
        state = Coverage.NONE
        for on, _pk, after in self.changes.get(fid, ()):
            if on > day:
                break
            state = after
        return state

    def as_of(self, day: date) -> list[FirmState]:
        out = []
        window = day - timedelta(days=WORK_WINDOW_DAYS)
        for fid, (industry, path, members, since) in self.firms.items():
            if since > day:
                continue
            instructor = any(s <= day and (e is None or e > day) for s, e in self.assignments.get(fid, ()))
            visited = any(window < d <= day for d in self.visits.get(fid, ()))
            out.append(FirmState(fid, industry, path, self.state_on(fid, day), members, instructor, visited))
        return out


def summarise(states: list[FirmState]) -> dict:
    n = len(states)
    org = sum(s.org_covered for s in states)
    work = sum(s.work_covered for s in states)
    rule = sum(s.meets_rule for s in states)
    return {
        "firms": n, "own": sum(s.state == Coverage.OWN for s in states),
        "joint": sum(s.state == Coverage.JOINT for s in states), "town": sum(s.state == Coverage.TOWN for s in states),
        "none": sum(s.state == Coverage.NONE for s in states), "org_covered": org, "work_covered": work,
        "meets_rule": rule, "org_rate": round(org / n, 4) if n else None,
        "work_rate": round(work / n, 4) if n else None,
        "rule_rate": round(rule / n, 4) if n else None,
    }


def rates_by(states: list[FirmState], group: str, areas: list[Area] | None = None) -> list[tuple]:
    """(key, label, summary) per industry, or per county/town (``areas``: the areas of that kind to group by)."""
    from lianxin.orgs.models import Industry

    buckets: dict = {}
    if group == "industry":
        for s in states:
            buckets.setdefault(s.industry or "other", []).append(s)
        return [(k, Industry(k).label if k in Industry.values else k, summarise(v))
                for k, v in sorted(buckets.items(), key=lambda kv: list(Industry.values).index(kv[0])
                                   if kv[0] in Industry.values else 99)]
    rows = []
    for area in areas or []:
        mine = [s for s in states if s.area_path.startswith(area.path)]
        if mine:
            rows.append((area.pk, area.name, summarise(mine)))
    return rows


def month_ends(start: date, end: date) -> list[date]:
    """The last day of each month from ``start``'s month to ``end``'s (the last one is ``end`` itself)."""
    out, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        nxt = date(y + (m == 12), m % 12 + 1, 1)
        out.append(min(nxt - timedelta(days=1), end))
        y, m = nxt.year, nxt.month
    return out
