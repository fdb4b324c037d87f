"""The write path of the workforce module. Every function is atomic and takes ``actor=``.

Part-time grid workers get the foundation's grid_worker role through accounts.services; 双报到 service requests
move only through lianxin.cases.services; the quarterly feedback is a duty plan of lianxin.duties.
"""

import secrets
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from lianxin.accounts import services as accounts
from lianxin.accounts.models import RoleGrant, User
from lianxin.areas.models import Area, AreaKind
from lianxin.cases import services as cases
from lianxin.cases.models import Case, Stage
from lianxin.core import clock
from lianxin.core.audit import actor_context
from lianxin.core.clock import today
from lianxin.duties import services as duties
from lianxin.duties.models import Frequency, Method, Plan
from lianxin.orgs.models import PARTY_KINDS, Org, OrgKind

from .models import (
    WORKER_KINDS,
    Campaign,
    CommitteeMember,
    Delivery,
    GridLink,
    Registration,
    RegKind,
    RegStatus,
    ServiceOrder,
    Worker,
)
from .types import FEEDBACK_KIND, SERVICE

GRID_ROLE = "grid_worker"
FEEDBACK_OWNER = "community_staff"


# ---------------------------------------------------------------- helpers


def community_of(area: Area | None) -> Area | None:
    """The community an area belongs to (itself, or the community above a grid)."""
    if area is None:
        return None
    if area.kind == AreaKind.COMMUNITY:
        return area
    if area.kind == AreaKind.GRID:
        return area.parent
    return None


def _require_community(area: Area | None, what) -> Area:
    community = community_of(area)
    if community is None:
        raise ValidationError({what: _("Choose a community (or a grid inside one).")})
    return community


def firm_of(org: Org | None) -> Org | None:
    """The firm an org is, or belongs to (a firm's own branch sits below it)."""
    while org is not None and org.kind != OrgKind.FIRM:
        org = org.parent
    return org


# ---------------------------------------------------------------- workers

PROFILE_FIELDS = ("branch", "branch_name", "area", "is_collector", "is_promoter", "joined_on", "notes", "org")


def _check_profile(w: Worker) -> None:
    if w.org.kind != OrgKind.FIRM:
        raise ValidationError({"org": _("The platform must be a firm.")})
    if w.branch_id and not (w.branch.path.startswith(w.org.path) and w.branch_id != w.org_id):
        raise ValidationError({"branch": _("The branch must be an organisation below the firm.")})
    w.area = _require_community(w.area, "area")
    w.branch_name = (w.branch_name or "").strip()[:80]


@transaction.atomic
def create_worker(*, actor, person, org: Org, area: Area | None = None, branch: Org | None = None,
                  branch_name: str = "", is_collector: bool = False, is_promoter: bool = False,
                  joined_on: date | None = None, notes: str = "") -> Worker:
    """A worker profile for a person whose kinds say rider, courier or driver."""
    if not set(person.kind_codes) & set(WORKER_KINDS):
        raise ValidationError({"person": _("%(name)s is not registered as a rider, courier or driver.")
                               % {"name": person.name}})
    if Worker.objects.filter(person=person).exists():
        raise ValidationError({"person": _("%(name)s already has a worker profile.") % {"name": person.name}})
    w = Worker(person=person, org=org, area=area or person.area, branch=branch, branch_name=branch_name,
               is_collector=is_collector, is_promoter=is_promoter, joined_on=joined_on or today(), notes=notes)
    _check_profile(w)
    with actor_context(actor):
        w.save()
    return w


@transaction.atomic
def update_worker(worker: Worker, *, actor, **fields) -> Worker:
    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    for key, value in fields.items():
        if key in PROFILE_FIELDS:
            setattr(worker, key, value)
    _check_profile(worker)
    with actor_context(actor):
        worker.save()
    return worker


def active_link(worker: Worker) -> GridLink | None:
    return worker.grid_links.filter(ended_at__isnull=True).select_related("grid").first()


def ensure_account(person, *, actor) -> User:
    """The person's login; riders sign in with their mobile number, so one is made for them if missing."""
    user = User.objects.filter(person=person).first()
    if user is not None:
        return user
    if not person.phone:
        raise ValidationError(_("%(name)s has no account and no mobile number to sign in with: add the number "
                                "first.") % {"name": person.name})
    user = accounts.create_account(actor=actor, username=f"m{secrets.token_hex(5)}", person=person,
                                   area=person.area)
    accounts.grant_role(actor=actor, user=user, role="resident", area=community_of(person.area) or person.area)
    return user


@transaction.atomic
def link_grid(worker: Worker, *, actor, grid: Area, note: str = "") -> GridLink:
    """Make the worker a part-time grid worker of ``grid``: their account gets the grid_worker role there,
    so the grid's tasks reach their handheld terminal. Linking to another grid ends the current link."""
    if grid.kind != AreaKind.GRID:
        raise ValidationError({"grid": _("Choose a grid.")})
    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    current = active_link(worker)
    if current is not None and current.grid_id == grid.pk:
        raise ValidationError(_("%(name)s is already a part-time grid worker of %(grid)s.")
                              % {"name": worker.name, "grid": grid.name})
    if current is not None:
        unlink_grid(worker, actor=actor, note=_("Moved to %(grid)s") % {"grid": grid.name})
    user = ensure_account(worker.person, actor=actor)
    grant = None
    if not RoleGrant.objects.filter(user=user, role=GRID_ROLE, area=grid).exists():
        grant = accounts.grant_role(actor=actor, user=user, role=GRID_ROLE, area=grid)
    with actor_context(actor):
        return GridLink.objects.create(worker=worker, grid=grid, grant=grant, started_at=clock.now(),
                                       started_by=actor if isinstance(actor, User) else None, note=note[:200])


@transaction.atomic
def unlink_grid(worker: Worker, *, actor, note: str = "") -> GridLink:
    """End the worker's part-time grid work: the grant this link made is revoked, the link kept as history."""
    link = GridLink.objects.select_for_update().filter(worker=worker, ended_at__isnull=True).first()
    if link is None:
        raise ValidationError(_("%(name)s is not a part-time grid worker.") % {"name": worker.name})
    if link.grant_id:
        accounts.revoke_grant(link.grant, actor=actor)
        link.grant = None
    link.ended_at, link.ended_by = clock.now(), actor if isinstance(actor, User) else None
    if note:
        link.note = (f"{link.note} / {note}" if link.note else note)[:200]
    with actor_context(actor):
        link.save(update_fields=["ended_at", "ended_by", "note", "grant"])
    return link


# ---------------------------------------------------------------- 双报到


def feedback_plan(registration: Registration) -> Plan | None:
    return duties.plans_for(registration).filter(kind=FEEDBACK_KIND).order_by("-pk").first()


@transaction.atomic
def register(*, actor, kind: str, area: Area, org: Org | None = None, person=None,
             registered_on: date | None = None, services: str = "") -> Registration:
    """双报到: a unit's party organisation to the community where it sits, or a party member to the community
    where they live. A member's registration starts the community's quarterly feedback to the member's unit."""
    community = _require_community(area, "area")
    registered_on = registered_on or today()
    if registered_on > today():
        raise ValidationError({"registered_on": _("The registration date cannot be in the future.")})
    if kind == RegKind.ORG:
        if org is None or not (org.kind in PARTY_KINDS or org.kind == OrgKind.FIRM):
            raise ValidationError({"org": _("Choose the unit's party organisation (or the firm).")})
        person = None
        home = community_of(org.area)
        if home is not None and home.pk != community.pk:
            raise ValidationError({"area": _("A unit reports to the community where it sits (%(area)s).")
                                   % {"area": home.name}})
        duplicate = Registration.objects.filter(kind=kind, org=org, area=community, status=RegStatus.ACTIVE)
    elif kind == RegKind.MEMBER:
        if person is None:
            raise ValidationError({"person": _("Choose the party member.")})
        if not person.is_party_member:
            raise ValidationError({"person": _("%(name)s is not recorded as a party member.") % {"name": person.name}})
        home = community_of(person.area)
        if home is not None and home.pk != community.pk:
            raise ValidationError({"area": _("A party member reports to the community where they live (%(area)s).")
                                   % {"area": home.name}})
        org = org or firm_of(person.org) or person.org
        duplicate = Registration.objects.filter(person=person, area=community, status=RegStatus.ACTIVE)
    else:
        raise ValidationError(_("Unknown kind of registration."))
    if duplicate.exists():
        raise ValidationError(_("This registration already exists for %(area)s.") % {"area": community.name})
    with actor_context(actor):
        reg = Registration.objects.create(kind=kind, area=community, org=org, person=person,
                                          registered_on=registered_on, services=services.strip(),
                                          created_by=actor if isinstance(actor, User) else None)
    if kind == RegKind.MEMBER:
        duties.create_plan(actor=actor, subject=reg, kind=FEEDBACK_KIND, frequency=Frequency.QUARTERLY,
                           owner_role=FEEDBACK_OWNER, start_date=registered_on, area=community,
                           title=_("Quarterly service feedback to the member's unit"), grace_days=10)
    return reg


@transaction.atomic
def end_registration(reg: Registration, *, actor, on: date | None = None, note: str = "") -> Registration:
    reg = Registration.objects.select_for_update().get(pk=reg.pk)
    if reg.status == RegStatus.ENDED:
        raise ValidationError(_("This registration has already ended."))
    on = on or today()
    if on < reg.registered_on:
        raise ValidationError(_("The end date is before the registration date."))
    reg.status, reg.ended_on = RegStatus.ENDED, on
    with actor_context(actor):
        reg.save(update_fields=["status", "ended_on"])
    plans = list(duties.plans_for(reg).filter(active=True))
    if plans:
        duties.end_plans(plans, actor=actor, on=on, note=note or _("Registration ended"))
    return reg


def log_feedback(reg: Registration, *, actor, notes: str, done_on: date | None = None, method: str = Method.ONLINE,
                 idempotency_key: str | None = None):
    """The community's quarterly service feedback to the member's unit: a duty log on the feedback plan."""
    plan = feedback_plan(reg)
    if plan is None:
        raise ValidationError(_("Only a party member's registration owes quarterly feedback."))
    if not (notes or "").strip():
        raise ValidationError({"notes": _("Write what the member did this quarter.")})
    return duties.log_duty(actor=actor, plan=plan, kind=FEEDBACK_KIND, method=method, done_on=done_on,
                           notes=notes.strip(), idempotency_key=idempotency_key)


def post_need(*, actor, category, title: str, area: Area, description: str = "", photos=(),
              idempotency_key: str | None = None):
    """点单: a resident's need, posted to their community as a service case."""
    community = _require_community(area, "area")
    return cases.report(actor=actor, type=SERVICE, category=category, title=title, description=description,
                        area=community, photos=photos, idempotency_key=idempotency_key)


def handler_of(reg: Registration):
    """Who a service is dispatched to: the member's account, or the registered unit."""
    if reg.kind == RegKind.MEMBER:
        user = User.objects.filter(person=reg.person, is_active=True).first()
        if user is None:
            raise ValidationError(_("%(name)s has no account to take services with.") % {"name": reg.name})
        return user
    return reg.org


@transaction.atomic
def assign_service(case: Case, *, actor, registration: Registration, note: str = ""):
    """下单: the community accepts the need (if not yet) and dispatches it to a registered member or unit."""
    if case.type != SERVICE:
        raise ValidationError(_("Only double-registration service requests are assigned here."))
    if registration.status != RegStatus.ACTIVE:
        raise ValidationError(_("This registration has ended."))
    community = community_of(case.area)
    if community is None or registration.area_id != community.pk:
        raise ValidationError(_("Assign the request to someone registered with its community."))
    target = handler_of(registration)
    if case.stage == Stage.REPORTED:
        case = cases.accept(case, actor=actor).case
    out = cases.dispatch(case, actor=actor, lead=target, note=note)
    ServiceOrder.objects.update_or_create(case=out.case, defaults={"registration": registration,
                                                                   "created_at": out.event.at})
    return out


def take_service(case: Case, *, actor, version: int | None = None):
    """接单: the member (or the unit's handler) takes the request."""
    if case.type != SERVICE:
        raise ValidationError(_("Only double-registration service requests are taken here."))
    return cases.handler_accept(case, actor=actor, version=version)


def complete_service(case: Case, *, actor, note: str, photos=(), version: int | None = None):
    if case.type != SERVICE:
        raise ValidationError(_("Only double-registration service requests are completed here."))
    return cases.feedback(case, actor=actor, note=note, photos=photos, version=version)


# ---------------------------------------------------------------- 大党委


@transaction.atomic
def add_committee_member(*, actor, area: Area, org: Org, post: str = "兼职委员", representative: str = "",
                         from_on: date | None = None, to_on: date | None = None) -> CommitteeMember:
    community = _require_community(area, "area")
    from_on = from_on or today()
    if to_on is not None and to_on < from_on:
        raise ValidationError({"to_on": _("The end date is before the start date.")})
    post = (post or "").strip() or "兼职委员"
    # Any membership of the unit overlapping this term (not only an open-ended one): a resubmitted form with an
    # end date would otherwise add the same unit twice.
    overlap = Q(to_on__isnull=True) | Q(to_on__gt=from_on)
    if to_on is not None:
        overlap &= Q(from_on__lte=to_on)
    if CommitteeMember.objects.filter(overlap, area=community, org=org).exists():
        raise ValidationError(_("%(org)s is already a member unit of this community's big party committee.")
                              % {"org": org.name})
    with actor_context(actor):
        return CommitteeMember.objects.create(area=community, org=org, post=post[:40],
                                              representative=representative.strip()[:60], from_on=from_on,
                                              to_on=to_on)


@transaction.atomic
def end_committee_member(member: CommitteeMember, *, actor, on: date | None = None) -> CommitteeMember:
    member = CommitteeMember.objects.select_for_update().get(pk=member.pk)
    on = on or today()
    if member.to_on is not None and member.to_on <= today():
        raise ValidationError(_("This membership has already ended."))
    if on < member.from_on:
        raise ValidationError(_("The end date is before the start date."))
    member.to_on = on
    with actor_context(actor):
        member.save(update_fields=["to_on"])
    return member


# ---------------------------------------------------------------- campaigns


@transaction.atomic
def create_campaign(*, actor, title: str, area: Area, starts_on: date, ends_on: date, theme: str = "",
                    description: str = "", materials=(), promoters=()) -> Campaign:
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the campaign a title.")})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end date is before the start date.")})
    with actor_context(actor):
        campaign = Campaign.objects.create(title=title[:120], theme=theme.strip()[:120], area=area,
                                           starts_on=starts_on, ends_on=ends_on, description=description,
                                           created_by=actor if isinstance(actor, User) else None)
        if materials:
            campaign.materials.add(*materials)
    if promoters:
        set_team(campaign, actor=actor, add=promoters)
    return campaign


@transaction.atomic
def set_team(campaign: Campaign, *, actor, add=(), remove=()) -> Campaign:
    """Add or remove promoters. Only workers marked as policy promoters join a team."""
    for w in add:
        if not w.is_promoter:
            raise ValidationError(_("%(name)s is not a policy promoter.") % {"name": w.name})
    with actor_context(actor):
        if add:
            campaign.promoters.add(*add)
        if remove:
            campaign.promoters.remove(*remove)
    return campaign


def log_delivery(*, actor, campaign: Campaign, worker: Worker, area: Area, households: int, flyers: int,
                 done_on: date | None = None, notes: str = "", idempotency_key: str | None = None
                 ) -> tuple[Delivery, bool]:
    """A promoter's delivery round. A retry with the same client key returns the first log: (log, created)."""
    done_on = done_on or today()
    if done_on > today():
        raise ValidationError({"done_on": _("A delivery cannot be logged for a future date.")})
    if not (campaign.starts_on <= done_on <= campaign.ends_on):
        raise ValidationError({"done_on": _("The date is outside the campaign's period (%(a)s – %(b)s).")
                               % {"a": campaign.starts_on, "b": campaign.ends_on}})
    if not campaign.promoters.filter(pk=worker.pk).exists():
        raise ValidationError({"worker": _("%(name)s is not on this campaign's team.") % {"name": worker.name}})
    if not area.path.startswith(campaign.area.path):
        raise ValidationError({"area": _("The area is outside the campaign's area.")})
    if households < 0 or flyers < 0:
        raise ValidationError(_("Counts cannot be negative."))
    key = (idempotency_key or "")[:80]
    if key and actor is not None:
        existing = Delivery.objects.filter(actor=actor, client_key=key).first()
        if existing is not None:
            return existing, False
    try:
        with transaction.atomic(), actor_context(actor):
            log = Delivery.objects.create(campaign=campaign, worker=worker, area=area, done_on=done_on,
                                          households=households, flyers=flyers, notes=notes.strip()[:300],
                                          actor=actor if isinstance(actor, User) else None, client_key=key,
                                          entered_at=clock.now())
    except IntegrityError:
        existing = Delivery.objects.filter(actor=actor, client_key=key).first() if key else None
        if existing is None:
            raise
        return existing, False
    return log, True
