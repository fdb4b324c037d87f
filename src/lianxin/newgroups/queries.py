"""Reads shared by the pages, the exports and the statistics (the caller has already scoped what it passes)."""

from django.db.models import Q

from lianxin.areas.models import Area, AreaKind
from lianxin.core.trees import subtree_q
from lianxin.core.treeviews import top_nodes
from lianxin.core.visibility import user_grants

from .models import Coverage, FirmProfile

KIND_ORDER = [AreaKind.CITY, AreaKind.COUNTY, AreaKind.TOWN, AreaKind.COMMUNITY]


def filter_firms(qs, data: dict):
    """The firm list's filters: search, industry, county/town, coverage state (or "below the rule")."""
    if data.get("q"):
        q = data["q"].strip()
        qs = qs.filter(Q(org__name__icontains=q) | Q(brand__icontains=q) | Q(org__code__iexact=q))
    if data.get("industry"):
        qs = qs.filter(org__industry=data["industry"])
    if data.get("area"):
        qs = qs.filter(subtree_q("org__area__path", data["area"].path))
    coverage = data.get("coverage")
    if coverage == "below":
        # The rule in SQL: own branch where 3+ members; own/joint where 1–2; none → town + instructor.
        current = Q(assignments__ended_on__isnull=True)
        ok = (Q(formal_members__gte=3, coverage=Coverage.OWN)
              | Q(formal_members__gt=0, formal_members__lt=3, coverage__in=[Coverage.OWN, Coverage.JOINT])
              | Q(formal_members=0, coverage__in=[Coverage.OWN, Coverage.JOINT])
              | Q(formal_members=0, coverage=Coverage.TOWN, pk__in=FirmProfile.objects.filter(current).values("pk")))
        qs = qs.exclude(ok)
    elif coverage:
        qs = qs.filter(coverage=coverage)
    return qs


def areas_for(user):
    """The areas a user's statistics can be asked for: the visible areas (down to communities), plus the areas of
    the orgs the user is granted at (an industry committee sits at its county), each with its descendants."""
    kinds = KIND_ORDER
    qs = Area.objects.visible_to(user).filter(kind__in=kinds)
    q = Q(pk__in=qs.values("pk"))
    for g in user_grants(user):
        if g.org_id:
            q |= subtree_q("path", g.org.area.path)
    return Area.objects.filter(q, kind__in=kinds).order_by("path")


def top_area(areas):
    return top_nodes(areas).first()


def children_of(area: Area, areas):
    return list(areas.filter(parent=area).order_by("path"))


def towns_and_counties(paths_within: str | None = None):
    qs = Area.objects.filter(kind__in=[AreaKind.COUNTY, AreaKind.TOWN]).order_by("path")
    if paths_within:
        qs = qs.filter(subtree_q("path", paths_within))
    counties = [a for a in qs if a.kind == AreaKind.COUNTY]
    towns = [a for a in qs if a.kind == AreaKind.TOWN]
    return counties, towns


def instructors_for(user):
    """Accounts holding the instructor role at a node the user reaches (their org or an area of theirs)."""
    from lianxin.accounts.models import User

    if user.is_superuser:
        return (User.objects.filter(grants__role="instructor", is_active=True).select_related("person").distinct()
                .order_by("username"))
    q = Q(pk__in=[])
    for g in user_grants(user):
        if g.org_id:
            q |= subtree_q("grants__org__path", g.org.path)
        if g.area_id:
            q |= subtree_q("grants__org__area__path", g.area.path) | subtree_q("grants__area__path", g.area.path)
    return (User.objects.filter(q, grants__role="instructor", is_active=True).select_related("person").distinct()
            .order_by("username"))


def may_see_contact(user, firm) -> bool:
    """The contact's number in full: for those who manage the firm or whose role sees personal data."""
    from lianxin.core.roles import ROLES
    from lianxin.core.visibility import can

    if user.is_superuser:
        return True
    for g in user_grants(user):
        role = ROLES.get(g.role)
        if not (role and role.sees_personal_data):
            continue
        # Areas and orgs are two trees whose paths look alike (/1/5/): compare each grant within its own tree.
        if (g.area_id and firm.org.area.path.startswith(g.area.path)) or (
                g.org_id and firm.org.path.startswith(g.org.path)):
            return True
    return can(user, firm, "change")


def area_below(org, code: str):
    """The area of ``code`` inside the area of ``org`` (for users whose grant is at the org)."""
    return Area.objects.filter(subtree_q("path", org.area.path), code=code).first()


def changes_of(firms):
    from .models import CoverageChange

    return (CoverageChange.objects.filter(firm__in=firms.values("pk"))
            .select_related("firm__org__area", "covering_org", "actor", "closeout__case")
            .order_by("firm__org__name", "on", "pk"))


def assignments_of(firms):
    from .models import InstructorAssignment

    return (InstructorAssignment.objects.filter(firm__in=firms.values("pk"))
            .select_related("firm__org__area", "instructor__person").order_by("firm__org__name", "started_on", "pk"))


def visits_of(firms) -> list[dict]:
    from .services import firm_visits

    names = {pk: (name, area) for pk, name, area in firms.values_list("pk", "org__name", "org__area__name")}
    logs = firm_visits(firms).select_related("actor").order_by("subject_id", "done_on", "pk")
    return [{"firm": names[v.subject_id][0], "area": names[v.subject_id][1],
             "actor": v.actor.display_name if v.actor_id else "", "done_on": v.done_on,
             "method": v.get_method_display(), "late": v.late, "notes": v.notes} for v in logs]
