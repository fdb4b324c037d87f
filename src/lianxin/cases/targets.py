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


def suggested_unit(case: Case) -> Org | None:
    name = case.category.default_unit_kind
    if not name:
        return None
    return dispatch_units(case).filter(kind=OrgKind.DEPARTMENT, name__contains=name).first()


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
