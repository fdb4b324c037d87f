"""Whether seeded cases went where the platform's routing rule (``cases.targets.route``) sends them.

For every event, appeal and hazard with a current lead (an active lead assignment): a new-economy worker's appeal
is led by the committee of the worker's industry in the case's county, or by what that committee passed it on to
(the worker's own firm, or the department the category names); any other case by the department its category
names, or by a grid worker (or the staff) of its own community, which may take on what a department is named
for and takes all that none is named for. A unit that returned a case (退单) is never the one the rule names. Key tasks,
inspection findings and the modules' own types name their lead explicitly and are left out.
"""

from lianxin.accounts.models import RoleGrant
from lianxin.cases.models import ACTIVE_ASSIGNMENT, Assignment, AssignmentStatus
from lianxin.cases.targets import route, worker_industry
from lianxin.orgs.models import Org, OrgKind

ROUTED_TYPES = ("event", "appeal", "hazard")


def route_problems(cases) -> list[str]:
    cases = list(cases.filter(type__in=ROUTED_TYPES).select_related("category__parent", "area__parent",
                                                                     "reporter__person__org"))
    units: dict[str, list[Org]] = {}
    for o in Org.objects.filter(kind__in=(OrgKind.DEPARTMENT, OrgKind.INDUSTRY_COMMITTEE), is_active=True) \
            .select_related("area").order_by("pk"):
        units.setdefault(o.area.code[:6], []).append(o)
    firms = {o.pk: o for o in Org.objects.filter(kind=OrgKind.FIRM)}
    local: dict[int, list[str]] = {}  # user -> paths of their grid worker / community staff grants
    for user_id, path in RoleGrant.objects.filter(role__in=("grid_worker", "community_staff"), area__isnull=False) \
            .values_list("user_id", "area__path"):
        local.setdefault(user_id, []).append(path)
    leads: dict[int, list[Assignment]] = {}
    for a in Assignment.objects.filter(case__in=[c.pk for c in cases], is_lead=True).order_by("pk"):
        leads.setdefault(a.case_id, []).append(a)

    problems = []
    for case in cases:
        county = case.area.code[:6]
        industry = worker_industry(case.reporter) if case.type == "appeal" else ""
        named = route(units.get(county, ()), case_type=case.type, category=case.category, industry=industry)
        passed_on = route(units.get(county, ()), case_type=case.type, category=case.category)
        community = case.area.parent if case.area.kind == "grid" else case.area
        what = f"{case.number} ({case.type} {case.category.full_code}, {case.get_stage_display()})"
        history = leads.get(case.pk, [])
        for i, a in enumerate(history):
            if a.status == AssignmentStatus.RETURNED:
                if named is not None and a.org_id == named.pk:
                    problems.append(f"{what}: returned by {named}, the unit the rule names")
                continue
            if a.status not in ACTIVE_ASSIGNMENT:
                continue
            if named is not None and named.kind == OrgKind.INDUSTRY_COMMITTEE:
                before = history[i - 1] if i else None
                through = before is not None and before.org_id == named.pk
                own_firm = case.reporter.person.org_id if case.reporter and case.reporter.person else None
                ok = a.org_id == named.pk or (through and a.org_id is not None and (
                    (a.org_id == own_firm and firms.get(a.org_id) and firms[a.org_id].parent_id == named.pk)
                    or (passed_on is not None and a.org_id == passed_on.pk)))
            elif a.user_id and not a.org_id:
                ok = (named is None or named.kind == OrgKind.DEPARTMENT) and any(
                    p.startswith(community.path) or community.path.startswith(p) for p in local.get(a.user_id, ()))
            else:
                ok = named is not None and a.org_id == named.pk
            if not ok:
                lead = a.org_id and Org.objects.get(pk=a.org_id) or f"user {a.user_id}"
                problems.append(f"{what}: led by {lead}; the rule names {named or 'its community'}")
    return problems
