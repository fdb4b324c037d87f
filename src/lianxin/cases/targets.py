"""Whom a case can be dispatched to: grid workers of its community, and the units of its county.

These are directory lookups for the dispatch form, not reads of user data, so they sit outside views.
"""

from lianxin.accounts.models import User
from lianxin.areas.models import Area, AreaKind
from lianxin.core.trees import subtree_q
from lianxin.orgs.models import Org, OrgKind

from .models import Case, Category


def _ancestor(case: Case, kind: str) -> Area | None:
    for a in [case.area, *reversed(case.area.ancestors())]:
        if a.kind == kind:
            return a
    return None


def dispatch_people(case: Case):
    """Grid workers (and community staff) of the case's community."""
    community = _ancestor(case, AreaKind.COMMUNITY) or case.area
    return (User.objects.filter(is_active=True, grants__role__in=("grid_worker", "community_staff"))
            .filter(subtree_q("grants__area__path", community.path))
            .select_related("person").distinct().order_by("username"))


def dispatch_units(case: Case):
    """Departments, firms, committees and social organisations of the case's county."""
    county = _ancestor(case, AreaKind.COUNTY) or case.area
    kinds = (OrgKind.DEPARTMENT, OrgKind.FIRM, OrgKind.INDUSTRY_COMMITTEE, OrgKind.SOCIAL_ORG)
    return (Org.objects.filter(is_active=True, kind__in=kinds).filter(subtree_q("area__path", county.path))
            .order_by("kind", "name"))


def named_unit(category: Category) -> str:
    """The department a category's routing rule names (its default handling unit, else its class's), or ""."""
    if category.default_unit_kind:
        return category.default_unit_kind
    return category.parent.default_unit_kind if category.parent_id else ""


def worker_industry(user) -> str:
    """The industry of a new-economy worker's firm (rider, courier, driver), "" for anyone else."""
    person = getattr(user, "person", None) if user is not None else None
    firm = person.org if person is not None and person.org_id else None
    return firm.industry if firm is not None and firm.kind == OrgKind.FIRM else ""


def route(units, *, case_type: str, category: Category, industry: str = "") -> Org | None:
    """The routing rule: which of a county's ``units`` (departments and industry party committees, in any order)
    a case goes to first. A new-economy worker's appeal goes through the committee of the worker's industry (a
    ride-hailing driver's to the ride-hailing committee), which passes it on to the firm or a department; anything
    else goes to the department its category names. None: no unit is named, and the community's own grid workers
    handle it. The dispatch form's suggestion, the demo and the bulk loader all route by this one rule."""
    units = list(units)
    if case_type == "appeal" and industry:
        committee = next((u for u in units if u.kind == OrgKind.INDUSTRY_COMMITTEE and u.industry == industry), None)
        if committee is not None:
            return committee
    name = named_unit(category)
    if not name:
        return None
    return next((u for u in units if u.kind == OrgKind.DEPARTMENT and (u.short_name == name or name in u.name)),
                None)


def suggested_unit(case: Case) -> Org | None:
    """The unit the routing rule names for this case among those it may be dispatched to."""
    return route(dispatch_units(case).filter(kind__in=(OrgKind.DEPARTMENT, OrgKind.INDUSTRY_COMMITTEE)),
                 case_type=case.type, category=case.category, industry=worker_industry(case.reporter))


def categories_for(case_type: str):
    return [c for c in Category.objects.filter(parent__isnull=False, is_active=True).select_related("parent")
            if c.allows_type(case_type)]


def assigned_to(user):
    """Ids of the cases with an active assignment to this person (the handheld terminal's list)."""
    from .models import ACTIVE_ASSIGNMENT, Assignment

    return Assignment.objects.filter(user=user, status__in=ACTIVE_ASSIGNMENT).values("case_id")


def resolve_target(case: Case, value: str):
    """'u<pk>' or 'o<pk>' from the dispatch form, checked against the offered lists."""
    if not value or value[0] not in "uo" or not value[1:].isdigit():
        return None
    pk = int(value[1:])
    if value[0] == "u":
        return dispatch_people(case).filter(pk=pk).first()
    return dispatch_units(case).filter(pk=pk).first()
