"""``lianxin bulk_load_cases --n N [--seed S] [--batch B]``: N realistic cases with full histories, fast.

For scale testing only ("Cases at scale"). The case services make one transaction and a dozen queries per
move; this command instead plays each case's life in memory — report, accept, dispatch, handler_accept,
feedback, verify, rate, and the side paths (rework, return, extension, supervision, parking, refusal,
voiding, closing without a fix) — with the same rules the services apply (deadlines from the category's
limits through the real working-time calendar, due_after/parked_after/stage_due_at on every event), and
writes cases, assignments and events in batches: PostgreSQL COPY where available, bulk_create otherwise.

Needs the demo base data (``lianxin seed --demo --cases 0``) or any areas with grids that have boundaries,
the seeded categories and the holiday calendar. It reuses the existing grid_worker / community_staff /
department_handler accounts (creating one grid worker and one community staff account if there is none),
continues the case-number counters and leaves them at the last number used, and finally runs the
event/state checker on a random sample. Run it on a quiet database: it reserves numbers without locking
out the intake.
"""

import json
import multiprocessing
import random
import time
from bisect import bisect_right
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from itertools import accumulate
from queue import Empty

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, transaction
from shapely.geometry import Point, box, shape

from lianxin.accounts.models import RoleGrant, User
from lianxin.areas.models import Area
from lianxin.cases import checker
from lianxin.cases.deadlines import find_limit
from lianxin.cases.flow import FLOW
from lianxin.cases.models import (
    CLOCK_OF_STAGE,
    DONE_STAGES,
    Assignment,
    AssignmentStatus,
    Case,
    CaseCounter,
    CaseEvent,
    Category,
    CloseResult,
    Source,
    Stage,
)
from lianxin.cases.targets import route
from lianxin.core import clock
from lianxin.orgs.models import Org, OrgKind
from lianxin.workdays import calendar as cal

# Scenario -> weight. "stall" cases stop at a stage and are never acted on again (they turn red).
SCENARIOS = {"normal": 730, "rework": 50, "return": 40, "extension": 40, "supervise": 30, "refuse": 40,
             "void": 20, "cwf": 30, "park": 10, "stall": 10}
STALL_STAGES = (Stage.REPORTED, Stage.ACCEPTED, Stage.DISPATCHED, Stage.HANDLING, Stage.VERIFYING)
URGENCIES = (("normal", 85), ("urgent", 12), ("emergency", 3))
SOURCES = ((Source.REPORT, 55), (Source.PATROL, 30), (Source.HOTLINE, 10), (Source.VIDEO, 5))
STARS = ((5, 60), (4, 25), (3, 10), (2, 3), (1, 2))
ROADS = ["建设路", "太平路", "崇义路", "唐王街", "峄山路", "府前街", "兴隆路", "文化路", "人民路", "中心街", "东风路",
         "新华路", "育才路", "解放路", "光明街", "泰山路"]
PLACES = ["农贸市场", "幼儿园门口", "公交站台", "小学东门", "社区广场", "卫生院门前", "商业街", "公园南门"]
NOTES = {
    "refuse": "反映内容不属于受理范围。", "return": "该事项不属于本单位职责，请重新派遣。",
    "progress": "已到现场查看，正在协调处理。", "feedback": "已处理完毕，现场已恢复。",
    "rework": "现场核查仍未处理到位，请返工。", "extend": "需协调施工单位，申请延期。",
    "supervise": "请抓紧办理，按期办结。", "park": "资金待审批，暂缓办理。", "void": "重复录入，申请作废。",
    "cwf": "历史遗留问题，现阶段无法解决，已向群众做好解释。",
}


def _weighted(pairs):
    values = [v for v, _w in pairs]
    cum = list(accumulate(w for _v, w in pairs))
    return values, cum


class Ids:
    """Primary keys handed out before the rows are written (events reference their case)."""

    def __init__(self, model):
        self.model = model
        self.pg = connection.vendor == "postgresql"
        self.next = None

    def take(self, n: int) -> list[int]:
        if n == 0:
            return []
        if self.pg:
            with connection.cursor() as cur:
                cur.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                            [self.model._meta.db_table, n])
                return [r[0] for r in cur.fetchall()]
        if self.next is None:
            self.next = (self.model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        ids = list(range(self.next, self.next + n))
        self.next += n
        return ids


def write_rows(model, rows: list[dict]) -> None:
    """Insert rows (dicts keyed by attname): COPY on PostgreSQL, bulk_create elsewhere."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**r) for r in rows], batch_size=500)
        return
    names = list(rows[0])
    columns = ", ".join(connection.ops.quote_name(model._meta.get_field(n).column) for n in names)
    with connection.cursor() as cur:
        with cur.cursor.copy(f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN") \
                as copy:
            for r in rows:
                copy.write_row([r[n] for n in names])


@dataclass
class Draw:
    """What one case is about and who reports it (``Loader.draw``); the loader plays its life."""

    type: str
    category: Category
    urgency: str
    source: str
    title: str
    description: str
    address: str
    reporter: int | None  # user id
    lng: float
    lat: float
    nature: str = ""
    hazard_level: str = ""
    rates: bool = True  # whether the reporter rates the closed case now and then (residents do; staff do not)


class Loader:
    """Subclasses may narrow the grids (``county``), tag what they load and draw other content (``draw``)."""

    def __init__(self, *, n: int, seed: int, batch: int, months: int = 12, out=None, county: str = "",
                 tag: str = ""):
        self.n, self.batch, self.out = n, batch, out
        self.rng = random.Random(seed)
        self.now = clock.now()
        self.start = self.now - timedelta(days=round(months * 30.44))
        self.pg = connection.vendor == "postgresql"
        self.county_code = county  # only the grids of this county, when given
        self.tag = tag  # written into each report event's data as "bulk", so that a run can count what it loaded

    def say(self, text):
        if self.out:
            self.out(text)

    # ------------------------------------------------------------ the world the cases live in

    def prepare(self):
        areas = {a.pk: a for a in Area.objects.all()}
        grids = [a for a in areas.values() if a.kind == "grid" and a.boundary and a.min_lng is not None]
        if self.county_code:
            grids = [a for a in grids if a.code.startswith(self.county_code)]
        if not grids:
            raise CommandError("No grids with boundaries: run `lianxin seed --demo --cases 0` first.")
        self.areas = areas

        def up(area, kind):
            while area is not None and area.kind != kind:
                area = areas.get(area.parent_id)
            return area

        self.up = up
        self.grids = []
        for g in sorted(grids, key=lambda a: a.path):
            poly = shape(g.boundary)
            rect = poly.equals(box(g.min_lng, g.min_lat, g.max_lng, g.max_lat))
            county = up(g, "county")
            self.grids.append((g, poly, rect, up(g, "community"), up(g, "town"), county))
        self.all_categories = {c.pk: c for c in Category.objects.filter(parent__isnull=False, is_active=True)
                               .select_related("parent").order_by("full_code")}
        self.categories = [c for c in self.all_categories.values() if c.allows_type("event")]
        if not self.categories:
            raise CommandError("No active event categories: run `lianxin migrate` (it seeds them).")
        self.cal = cal.Calendar.load()

        # Accounts by role, with the area/org they are granted at.
        by_role: dict[str, list] = {}
        for g in RoleGrant.objects.select_related("area", "org").order_by("pk"):
            by_role.setdefault(g.role, []).append(g)
        created = self._ensure_accounts(by_role)
        if created:
            by_role = {}
            for g in RoleGrant.objects.select_related("area", "org").order_by("pk"):
                by_role.setdefault(g.role, []).append(g)
        self.grants = by_role
        self.residents = [g.user_id for g in by_role.get("resident", [])] or [None]
        self.org_handler = {}  # unit -> the account acting for it
        for role in ("department_handler", "industry_committee_staff"):
            for g in by_role.get(role, []):
                if g.org_id:
                    self.org_handler.setdefault(g.org_id, g.user_id)
        # The reporters who are new-economy workers, by their firm's industry (the routing rule reads it).
        self.industry_of = dict(User.objects.filter(person__org__kind=OrgKind.FIRM).exclude(person__org__industry="")
                                .values_list("pk", "person__org__industry"))
        self.depts: dict[int, list[Org]] = {}
        self.units: dict[int, list[Org]] = {}  # county -> its departments and industry committees (for the route)
        for o in Org.objects.filter(kind__in=(OrgKind.DEPARTMENT, OrgKind.INDUSTRY_COMMITTEE), is_active=True) \
                .select_related("area").order_by("pk"):
            county = up(areas.get(o.area_id), "county")
            if county is not None:
                self.units.setdefault(county.pk, []).append(o)
                if o.kind == OrgKind.DEPARTMENT:
                    self.depts.setdefault(county.pk, []).append(o)
        self.all_depts = [o for v in self.depts.values() for o in v]

        self.grid_values, self.grid_cum = _weighted([(g, 1) for g in self.grids])
        self.scen_values, self.scen_cum = _weighted(SCENARIOS.items())
        self.urg_values, self.urg_cum = _weighted(URGENCIES)
        self.src_values, self.src_cum = _weighted(SOURCES)
        self.star_values, self.star_cum = _weighted(STARS)
        self.counters = dict(CaseCounter.objects.values_list("prefix", "last"))
        self.touched: set[str] = set()
        self.created_accounts = created

    def _ensure_accounts(self, by_role) -> int:
        from lianxin.accounts import services as accounts

        made = 0
        first_grid = self.grids[0][0]
        for role, anchor in (("grid_worker", first_grid), ("community_staff", self.grids[0][3] or first_grid)):
            if by_role.get(role):
                continue
            name = f"bulk_{role}"
            if not User.objects.filter(username=name).exists():
                accounts.create_account(actor=None, username=name, person=None, area=anchor,
                                        grants=[(role, {"area": anchor})])
                made += 1
        return made

    def pick(self, values, cum):
        return values[bisect_right(cum, self.rng.random() * cum[-1])]

    @cache  # noqa: B019 (one loader per command run)
    def covering(self, role: str, area_pk: int | None):
        """A user granted ``role`` at the area or an ancestor; else any user with the role; else None."""
        grants = self.grants.get(role, [])
        area = self.areas.get(area_pk)
        for g in grants:
            if g.area_id and area is not None and area.path.startswith(g.area.path):
                return g.user_id
        return grants[0].user_id if grants else None

    @cache  # noqa: B019
    def limit(self, category_pk: int, urgency: str, clock_name: str, level: str):
        return find_limit(self.all_categories[category_pk], urgency, clock_name, level)

    # ------------------------------------------------------------ one case

    def report_time(self, i: int) -> datetime:
        """Chronological in i: day by day over the period, 07:00–21:00 local time."""
        days = (self.now - self.start).days
        pos = (i + self.rng.random() * 0.5) * days / self.n
        day = self.start.astimezone(cal.tz()).replace(hour=0, minute=0, second=0, microsecond=0) \
            + timedelta(days=int(pos))
        return day + timedelta(hours=7 + 14 * (pos % 1))

    def point(self, grid):
        g, poly, rect, *_ = grid
        for _try in range(20):
            lng = self.rng.uniform(g.min_lng, g.max_lng)
            lat = self.rng.uniform(g.min_lat, g.max_lat)
            if rect or poly.covers(Point(lng, lat)):
                return round(lng, 6), round(lat, 6)
        c = poly.representative_point()
        return c.x, c.y

    def draw(self, grid) -> Draw:
        """An event of any category at a point of the grid, by a resident or (patrols) the grid's worker."""
        rng = self.rng
        g = grid[0]
        cat = self.categories[rng.randrange(len(self.categories))]
        urgency = self.pick(self.urg_values, self.urg_cum)
        source = self.pick(self.src_values, self.src_cum)
        lng, lat = self.point(grid)
        road, road2 = rng.sample(ROADS, 2)
        no = rng.randint(1, 120)
        if source == Source.PATROL:
            reporter = self.covering("grid_worker", g.pk)
        else:
            reporter = self.residents[rng.randrange(len(self.residents))]
        return Draw(type="event", category=cat, urgency=urgency, source=source, title=f"{road}{no}号附近{cat.name}",
                    description=f"{road}与{road2}附近：{cat.name}，请尽快处理。", address=f"{road}{no}号",
                    reporter=reporter, lng=lng, lat=lat)

    def lead(self, grid, what: Draw, *, wrong: bool = False):
        """(unit, grid worker), one of them None: whom the case is dispatched to, by the platform's routing rule
        (``cases.targets.route``): a worker's appeal to the committee of the worker's industry, otherwise the
        department its category names or, now and then, the grid's own worker; what no unit is named for, the
        grid worker. ``wrong``: the first dispatch of a case that will be returned, to a unit the rule does not
        name."""
        g, _poly, _rect, _community, _town, county = grid
        key = county.pk if county else None
        industry = self.industry_of.get(what.reporter, "") if what.type == "appeal" else ""
        named = route(self.units.get(key, ()), case_type=what.type, category=what.category, industry=industry)
        depts = self.depts.get(key) or self.all_depts
        if not depts:
            raise CommandError("No departments to dispatch to: run `lianxin seed --demo --cases 0` first.")
        if wrong:
            others = [o for o in depts if o != named] or depts
            return others[self.rng.randrange(len(others))], None
        if named is not None and named.kind == OrgKind.INDUSTRY_COMMITTEE:
            return named, None
        worker = self.covering("grid_worker", g.pk)
        if worker is not None and (named is None or self.rng.random() < 0.45):
            return None, worker
        return named or depts[what.category.pk % len(depts)], None

    def life(self, i: int, case_id: int, assignment_ids):
        rng = self.rng
        grid = self.pick(self.grid_values, self.grid_cum)
        g, _poly, _rect, community, town, county = grid
        what = self.draw(grid)
        cat, urgency, source, reporter = what.category, what.urgency, what.source, what.reporter
        scenario = self.pick(self.scen_values, self.scen_cum)
        stall = rng.choice(STALL_STAGES) if scenario == "stall" else None
        t = self.report_time(i)
        division = (county.code if county else g.code)[:6].ljust(6, "0")
        prefix = f"{division}{cat.full_code[:2]}{cat.full_code[2:4] or '00'}"
        last = self.counters.get(prefix, 0) + 1
        self.counters[prefix] = last
        self.touched.add(prefix)
        staff = self.covering("community_staff", community.pk if community else g.pk)
        above = self.covering("town_staff", town.pk if town else g.pk) or self.covering("county_staff", g.pk)

        c = {"id": case_id, "number": f"{prefix}{last:06d}", "type": what.type, "category_id": cat.pk,
             "urgency": urgency, "source": source, "nature": what.nature, "hazard_level": what.hazard_level,
             "title": what.title[:120], "description": what.description, "area_id": g.pk, "level": "community",
             "lng": what.lng, "lat": what.lat, "address": what.address, "reporter_id": reporter,
             "stage": Stage.REPORTED, "close_result": "", "parked": False, "parked_remaining_min": None,
             "stage_started_at": t, "due_at": None, "warn_at": None, "limit_working": False, "lead_org_id": None,
             "merged_into_id": None, "rating": None, "rework_count": 0, "extension_count": 0,
             "supervise_count": 0, "version": 0, "created_at": t, "closed_at": None, "closed_late": False}
        events: list[dict] = []
        assignments: list[dict] = []
        path = g.path

        def start_clock(stage, at):
            c["stage"], c["stage_started_at"] = stage, at
            if stage in DONE_STAGES or stage not in CLOCK_OF_STAGE:
                c["due_at"] = c["warn_at"] = None
                return
            amount, unit, wf = self.limit(cat.pk, urgency, CLOCK_OF_STAGE[stage], c["level"])
            c["due_at"], c["warn_at"] = cal.due_and_warn(at, amount, unit, wf, calendar=self.cal)
            c["limit_working"] = unit in cal.LimitUnit.WORKING

        def event(kind, at, actor, from_stage, stage_due, data=None, note="", org=None):
            rule = FLOW.get(kind)  # the flow table decides which stages a move leaves from, here as in the services
            if rule is not None and rule.leaves_from is not None and from_stage not in rule.leaves_from:
                raise RuntimeError(f"bulk load: {kind} does not leave from {from_stage} (cases.flow)")
            c["version"] += 1
            events.append({"case_id": case_id, "kind": kind, "actor_id": actor, "at": at, "from_stage": from_stage,
                           "to_stage": c["stage"], "stage_due_at": stage_due, "due_after": c["due_at"],
                           "parked_after": c["parked"], "note": note,
                           "data": json.dumps(data or {}, ensure_ascii=False) if self.pg else (data or {}),
                           "area_path": path, "org_id": org or c["lead_org_id"]})

        def when(at, late=0.08):
            """The moment of the next move: mostly well inside the running limit, sometimes late."""
            due = c["due_at"]
            if due is None or due <= at:
                return at + timedelta(minutes=rng.uniform(10, 600))
            if rng.random() < late:
                return due + timedelta(minutes=rng.uniform(10, 2880))
            return at + max((due - at) * rng.uniform(0.05, 0.85), timedelta(minutes=2))

        def done():
            c["version"] = max(c["version"], 1)
            return c, assignments, events

        start_clock(Stage.REPORTED, t)
        event("report", t, reporter, "", None, {"source": source, "bulk": self.tag} if self.tag else {"source": source})
        if stall == Stage.REPORTED:
            return done()
        t = when(t)
        if t > self.now:
            return done()
        if scenario == "refuse":
            due = c["due_at"]
            start_clock(Stage.REFUSED, t)
            c["closed_at"] = t
            event("refuse", t, staff, Stage.REPORTED, due, note=NOTES["refuse"])
            return done()
        due = c["due_at"]
        start_clock(Stage.ACCEPTED, t)
        event("accept", t, staff, Stage.REPORTED, due)
        if stall == Stage.ACCEPTED:
            return done()
        if scenario == "void":
            t = when(t, late=0)
            if t > self.now:
                return done()
            event("void_request", t, staff, Stage.ACCEPTED, c["due_at"], note=NOTES["void"])
            t += timedelta(minutes=rng.uniform(30, 1440))
            if t > self.now:
                return done()
            due = c["due_at"]
            c["closed_at"] = t
            start_clock(Stage.VOIDED, t)
            event("void_decide", t, above, Stage.ACCEPTED, due, {"approve": True})
            return done()

        rounds = 2 if scenario == "return" else 1
        assignment = None
        for r in range(rounds):
            t = when(t)
            if t > self.now:
                return done()
            due = c["due_at"]
            start_clock(Stage.DISPATCHED, t)
            # The first dispatch of a returned case goes where the rule does not send it, when its return (退单)
            # comes before now; a case not back by now went to the right unit at once.
            back = when(t, late=0) if r + 1 < rounds else None
            wrong = back is not None and back <= self.now
            dept, worker = self.lead(grid, what, wrong=wrong)
            assignment = {"id": assignment_ids.pop(), "case_id": case_id, "org_id": None if worker else dept.pk,
                          "user_id": worker, "is_lead": True, "status": AssignmentStatus.PENDING, "created_at": t}
            assignments.append(assignment)
            c["lead_org_id"] = None if worker else dept.pk
            handler = worker or self.org_handler.get(dept.pk)
            event("dispatch", t, staff, Stage.ACCEPTED, due, {"lead": str(dept.name if not worker else worker),
                                                              "co": []})
            if stall == Stage.DISPATCHED:
                return done()
            if not wrong:
                break
            t = back
            assignment["status"] = AssignmentStatus.RETURNED
            due = c["due_at"]
            c["lead_org_id"] = None
            start_clock(Stage.ACCEPTED, t)
            event("return", t, handler, Stage.DISPATCHED, due, {"co_handler": False}, NOTES["return"],
                  org=dept.pk if not worker else None)

        t = when(t, late=0.03)
        if t > self.now:
            return done()
        assignment["status"] = AssignmentStatus.ACCEPTED
        c["stage"] = Stage.HANDLING
        event("handler_accept", t, handler, Stage.DISPATCHED, c["due_at"], {"assignment": assignment["id"]})
        if stall == Stage.HANDLING:
            return done()
        if rng.random() < 0.3:
            t = when(t, late=0)
            if t > self.now:
                return done()
            event("progress", t, handler, Stage.HANDLING, c["due_at"], note=NOTES["progress"])
        if scenario == "supervise":
            t = when(t, late=0)
            if t > self.now:
                return done()
            c["supervise_count"] += 1
            event("supervise", t, above, Stage.HANDLING, c["due_at"],
                  {"overdue": t > c["due_at"], "notice_no": c["supervise_count"]}, NOTES["supervise"])
        if scenario == "extension":
            t = when(t, late=0)
            if t > self.now:
                return done()
            days = rng.randint(2, 10)
            event("extend_request", t, handler, Stage.HANDLING, c["due_at"], {"work_days": days}, NOTES["extend"])
            t += timedelta(minutes=rng.uniform(30, 600))
            if t > self.now:
                return done()
            minutes = days * cal.MINUTES_PER_WORKDAY
            due = c["due_at"]
            c["due_at"] = cal.add_working_minutes(c["due_at"], minutes, self.cal)
            c["warn_at"] = cal.add_working_minutes(c["warn_at"], minutes, self.cal)
            c["extension_count"] += 1
            event("extend_decide", t, staff, Stage.HANDLING, due, {"approve": True, "work_days": days})
        if scenario == "park":
            t = when(t, late=0)
            if t > self.now:
                return done()
            event("park_request", t, handler, Stage.HANDLING, c["due_at"], note=NOTES["park"])
            t += timedelta(minutes=rng.uniform(30, 600))
            if t > self.now:
                return done()
            working = c["limit_working"]

            def left(moment):
                if working:
                    return cal.working_minutes_between(t, moment, self.cal)
                return max((moment - t).total_seconds() / 60, 0.0)

            c["parked"] = True
            c["parked_remaining_min"] = left(c["due_at"])
            warn_left = left(c["warn_at"])
            event("park_decide", t, staff, Stage.HANDLING, c["due_at"],
                  {"approve": True, "remaining_min": c["parked_remaining_min"], "warn_remaining_min": warn_left})
            t += timedelta(days=rng.uniform(3, 40))
            if t > self.now:
                return done()
            due = c["due_at"]
            c["parked"] = False
            c["due_at"] = cal.deadline(t, c["parked_remaining_min"], working, self.cal)
            c["warn_at"] = cal.deadline(t, warn_left, working, self.cal)
            c["parked_remaining_min"] = None
            event("unpark", t, staff, Stage.HANDLING, due)
        if scenario == "cwf":
            t = when(t)
            if t > self.now:
                return done()
            due = c["due_at"]
            assignment["status"] = AssignmentStatus.HANDED_OVER
            result = rng.choice((CloseResult.NOT_REMIT, CloseResult.NO_ACTION))
            c["closed_late"] = due is not None and t > due
            c["close_result"], c["closed_at"] = result, t
            start_clock(Stage.CLOSED, t)
            event("close_without_fix", t, staff, Stage.HANDLING, due, {"result": result, "late": c["closed_late"]},
                  NOTES["cwf"])
            return done()

        late_handling = False
        for attempt in range(2 if scenario == "rework" else 1):
            t = when(t)
            if t > self.now:
                return done()
            due = c["due_at"]
            late_handling |= due is not None and t > due
            assignment["status"] = AssignmentStatus.FED_BACK
            start_clock(Stage.VERIFYING, t)
            event("feedback", t, handler, Stage.HANDLING, due,
                  {"assignment": assignment["id"], "lead": True, "complete": True}, NOTES["feedback"])
            if stall == Stage.VERIFYING:
                return done()
            t = when(t, late=0.04)
            if t > self.now:
                return done()
            due = c["due_at"]
            if scenario == "rework" and attempt == 0:
                c["rework_count"] += 1
                assignment["status"] = AssignmentStatus.ACCEPTED
                start_clock(Stage.HANDLING, t)
                event("verify", t, staff, Stage.VERIFYING, due, {"passed": False}, NOTES["rework"])
                continue
            c["closed_late"] = late_handling or (due is not None and t > due)
            c["close_result"], c["closed_at"] = CloseResult.FIXED, t
            start_clock(Stage.CLOSED, t)
            event("verify", t, staff, Stage.VERIFYING, due, {"passed": True, "late": c["closed_late"]})
        if reporter is not None and what.rates and rng.random() < 0.7:
            t += timedelta(minutes=rng.uniform(10, 4320))
            if t <= self.now:
                c["rating"] = self.pick(self.star_values, self.star_cum)
                event("rate", t, reporter, Stage.CLOSED, None, {"stars": c["rating"]})
        if rng.random() < 0.1:
            t += timedelta(minutes=rng.uniform(60, 7200))
            if t <= self.now:
                event("revisit", t, staff, Stage.CLOSED, None, {"fixed": True})
        return done()

    # ------------------------------------------------------------ the run

    def build(self, first: int, case_ids: list[int], assignment_ids: list[int]) -> dict:
        """One batch of rows, and the counters as they stand after it."""
        cases, assignments, events, stages = [], [], [], {}
        for k, case_id in enumerate(case_ids):
            c, a, e = self.life(first + k, case_id, assignment_ids)
            cases.append(c)
            assignments += a
            events += e
            stages[c["stage"]] = stages.get(c["stage"], 0) + 1
        counters = {p: self.counters[p] for p in self.touched}
        self.touched.clear()
        return {"cases": cases, "assignments": assignments, "events": events, "stages": stages,
                "counters": counters}

    def batches(self, case_ids, assignment_ids):
        for first in range(0, self.n, self.batch):
            yield self.build(first, case_ids[first:first + self.batch], assignment_ids)

    def run(self, jobs: int = 2) -> dict:
        started = time.monotonic()
        self.prepare()
        for cat in self.all_categories.values():  # every limit a life can ask for: a forked builder needs no queries
            for urgency, _w in URGENCIES:
                for clock_name in CLOCK_OF_STAGE.values():
                    self.limit(cat.pk, urgency, clock_name, "community")
        case_ids = Ids(Case).take(self.n)
        # Reversed: lives pop() them in ascending order. A case uses one, or two when it was returned.
        assignment_ids = list(reversed(Ids(Assignment).take(self.n + self.n // 5 + 100)))
        self.say(f"Prepared in {time.monotonic() - started:.1f} s; loading {self.n:,} cases "
                 f"in batches of {self.batch:,}.")
        producer = None
        if jobs > 1 and self.n > self.batch and not connection.in_atomic_block:
            # Build the next batches in a forked process while this one writes (the builder needs no database;
            # the connection is closed first so that the child does not share its socket). Not inside an
            # outer transaction (a test's), which closing the connection would end.
            connections.close_all()
            ctx = multiprocessing.get_context("fork")
            queue = ctx.Queue(maxsize=3)
            producer = ctx.Process(target=_produce, args=(self, queue, case_ids, assignment_ids), daemon=True)
            producer.start()
            batches = _consume(queue, producer)
        else:
            batches = self.batches(case_ids, assignment_ids)
        n_events = n_assign = done = 0
        stages: dict[str, int] = {}
        wait_s = write_s = 0.0
        t0 = time.monotonic()
        for b in batches:
            t1 = time.monotonic()
            with transaction.atomic():
                if self.pg:
                    with connection.cursor() as cur:
                        # A bulk load: losing the last batches in a server crash is acceptable, waiting on
                        # each commit's WAL flush is not.
                        cur.execute("SET LOCAL synchronous_commit = off")
                write_rows(Case, b["cases"])
                write_rows(Assignment, b["assignments"])
                write_rows(CaseEvent, b["events"])
                rows = [CaseCounter(prefix=p, last=last) for p, last in sorted(b["counters"].items())]
                CaseCounter.objects.bulk_create(rows, update_conflicts=True, unique_fields=["prefix"],
                                                update_fields=["last"])
            t2 = time.monotonic()
            wait_s += t1 - t0
            write_s += t2 - t1
            t0 = t2
            done += len(b["cases"])
            n_events += len(b["events"])
            n_assign += len(b["assignments"])
            for k, v in b["stages"].items():
                stages[k] = stages.get(k, 0) + v
            spent = time.monotonic() - started
            self.say(f"{done:>9,}/{self.n:,} cases  {n_events:>10,} events  {spent:7.1f} s  "
                     f"{done / spent:6.0f} cases/s  (writing {write_s:.0f} s, waiting for rows {wait_s:.0f} s)")
        if producer is not None:
            producer.join(timeout=60)
        load_s = time.monotonic() - started
        if self.pg:
            with connection.cursor() as cur:
                for model in (Case, Assignment, CaseEvent, CaseCounter):
                    cur.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        total_s = time.monotonic() - started
        return {"cases": done, "events": n_events, "assignments": n_assign, "stages": stages, "ids": case_ids,
                "load_s": load_s, "total_s": total_s, "accounts": self.created_accounts}


def _produce(loader: Loader, queue, case_ids, assignment_ids) -> None:
    try:
        for b in loader.batches(case_ids, assignment_ids):
            queue.put(b)
        queue.put(None)
    except BaseException as e:  # report to the writer instead of leaving it waiting
        queue.put(e)
        raise


def _consume(queue, producer):
    while True:
        try:
            item = queue.get(timeout=5)
        except Empty:
            if not producer.is_alive():
                raise CommandError(f"The row builder stopped (exit code {producer.exitcode}).") from None
            continue
        if item is None:
            return
        if isinstance(item, BaseException):
            raise CommandError(f"The row builder failed: {item!r}")
        yield item


class Command(BaseCommand):
    help = "Load N realistic cases with full event histories in bulk (scale testing), then check a sample."

    def add_arguments(self, parser):
        parser.add_argument("--n", type=int, required=True, help="How many cases to load.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument("--batch", type=int, default=5000, help="Cases per transaction (default 5000).")
        parser.add_argument("--months", type=int, default=12, help="Spread over the last M months (default 12).")
        parser.add_argument("--jobs", type=int, default=2,
                            help="2 (default): build rows in a second process while writing; 1: one process.")
        parser.add_argument("--check", type=int, default=1000, help="Check this many random cases (default 1000).")
        parser.add_argument("--county", default="", metavar="CODE",
                            help="Only the grids of this county (its division code, e.g. 370883).")

    def handle(self, *args, **opts):
        if opts["n"] < 1 or opts["batch"] < 1 or opts["months"] < 1:
            raise CommandError("--n, --batch and --months must be positive.")
        loader = Loader(n=opts["n"], seed=opts["seed"], batch=opts["batch"], months=opts["months"],
                        out=self.stdout.write if opts["verbosity"] else None, county=opts["county"])
        r = loader.run(jobs=opts["jobs"])
        stages = ", ".join(f"{k} {v:,}" for k, v in sorted(r["stages"].items(), key=lambda kv: -kv[1]))
        self.stdout.write(f"Stages: {stages}")
        started = time.monotonic()
        sample = random.Random(opts["seed"]).sample(r["ids"], min(opts["check"], len(r["ids"])))
        problems = checker.check(Case.objects.filter(pk__in=sample))
        check_s = time.monotonic() - started
        if problems:
            for line in problems[:50]:
                self.stderr.write(line)
            raise CommandError(f"The checker found {len(problems)} problem(s) in a sample of {len(sample)} cases.")
        self.stdout.write(self.style.SUCCESS(
            f"Loaded {r['cases']:,} cases, {r['events']:,} events, {r['assignments']:,} assignments in "
            f"{r['load_s']:.1f} s ({r['cases'] / r['load_s']:.0f} cases/s; with ANALYZE {r['total_s']:.1f} s). "
            f"Checker: {len(sample)} random cases consistent ({check_s:.1f} s)."
        ))
