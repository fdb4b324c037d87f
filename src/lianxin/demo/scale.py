"""``lianxin seed --scale 邹城``: one county at a real year's volume, for benchmarks and screenshots.

邹城's grid workers alone found over 9,000 problems in a year (the source); with residents' reports, hotline calls
and workers' appeals a county of its size files tens of thousands of cases a year. After the normal demo this
writes that volume (30,000 by default) over the county's grids with the bulk loader
(``cases/management/commands/bulk_load_cases.py``: every case's life played in memory by the engine's rules and
written in batches) — the demo's categories and their weights, its texts on the county's own streets, workers'
appeals through the committee of their industry, routes by the platform's routing rule (``cases.targets.route``),
every stage and side path, deadlines from the categories' limits on the working-time calendar. Minutes on two
cores, not the hours the services would take.

Deterministic (one seed); idempotent: each report event carries ``"bulk": "scale-<code>"``, and a run loads only
what is missing up to the number asked for, so running it twice does not double; timed by the city's clock (the
test clock in tests): over the year before now, reports between 07:00 and 21:00 Asia/Shanghai.
"""

import random
import time
from dataclasses import dataclass

from django.core.management.base import CommandError
from django.db import transaction

from lianxin.accounts.models import RoleGrant, User
from lianxin.areas.models import Area, AreaKind
from lianxin.cases import checker
from lianxin.cases.management.commands.bulk_load_cases import Draw, Loader, _weighted
from lianxin.cases.models import Case, CaseEvent, Source
from lianxin.core.trees import subtree_q
from lianxin.orgs.models import Org

from . import cases as demo_cases
from . import generator

SEED = generator.SEED + 3
DEFAULT_COUNTY = generator.ZOUCHENG
DEFAULT_CASES = 30_000
# Who reports an event, as in the demo: residents, grid workers' patrols, the hotline, video, the media.
EVENT_SOURCES = ((Source.REPORT, 40), (Source.PATROL, 32), (Source.HOTLINE, 20), (Source.VIDEO, 5), (Source.MEDIA, 3))
HAZARDS = (("0701", 3), ("0702", 3), ("0703", 3), ("0704", 4))
APPEAL_SHARE, HAZARD_SHARE = 0.12, 0.04
URGENT = ("05", "1001", "0702")  # classes and categories reported as urgent or emergencies


def county_of(value: str) -> Area:
    """The county named by its code or its name, with or without its suffix: 370883, 邹城市, 邹城."""
    value = (value or "").strip()
    for county in Area.objects.filter(kind=AreaKind.COUNTY).order_by("code"):
        if value in (county.code, county.name, generator.short(county.name)):
            return county
    raise CommandError(f"No county {value!r} in the database (give its code or name, e.g. 370883 or 邹城).")


def tag_of(county: Area) -> str:
    return f"scale-{county.code}"


def loaded(county: Area) -> int:
    """How many cases the scale seed has loaded into the county so far."""
    return CaseEvent.objects.filter(kind="report", data__bulk=tag_of(county)).count()


def ensure_cast(county: Area) -> int:
    """The county's working accounts (the demo cases' cast: community and town staff, a grid worker per grid, a
    handler per department and committee, residents), made here when the demo was seeded without cases."""
    grids = Area.objects.filter(subtree_q("path", county.path), kind=AreaKind.GRID)
    staffed = set(RoleGrant.objects.filter(role="grid_worker", area__in=grids).values_list("area_id", flat=True))
    if set(grids.values_list("pk", flat=True)) <= staffed:
        return 0
    with transaction.atomic():
        cast = demo_cases.Cast(random.Random(SEED))
        cast.build([county.code])
    return cast.created


class ScaleLoader(Loader):
    """The bulk loader with the demo's content, over one county's grids."""

    def __init__(self, county: Area, **kwargs):
        super().__init__(county=county.code, tag=tag_of(county), **kwargs)
        self.county = county

    def prepare(self):
        super().prepare()
        cats = {c.full_code: c for c in self.all_categories.values()}
        events = demo_cases.event_categories(self.categories)
        self.event_values, self.event_cum = _weighted(
            [(c, demo_cases.EVENT_WEIGHTS.get(c.full_code, 2)) for c in events])
        self.appeal_values, self.appeal_cum = _weighted(
            [(cats[code], w) for code, w in demo_cases.APPEAL_WEIGHTS.items() if code in cats])
        self.hazard_values, self.hazard_cum = _weighted([(cats[code], w) for code, w in HAZARDS if code in cats])
        self.source_values, self.source_cum = _weighted(EVENT_SOURCES)
        # Reporters: the county's residents, and the new-economy workers among them (with their firm, for the text).
        residents = list(RoleGrant.objects.filter(role="resident").filter(subtree_q("area__path", self.county.path))
                         .order_by("user_id").values_list("user_id", flat=True).distinct())
        self.residents = residents or [None]
        self.workers = [u for u in residents if u in self.industry_of]
        firms = dict(User.objects.filter(pk__in=self.workers).values_list("pk", "person__org"))
        orgs = Org.objects.in_bulk(set(firms.values()))
        self.firm_of = {u: orgs.get(pk) for u, pk in firms.items()}

    def draw(self, grid) -> Draw:
        rng = self.rng
        g, _poly, _rect, community, town, _county = grid
        r = rng.random()
        nature = hazard_level = ""
        urgency = "normal"
        reporter = None
        if r < APPEAL_SHARE and self.workers:
            kind = "appeal"
            reporter = self.workers[rng.randrange(len(self.workers))]
            cat = self.pick(self.appeal_values, self.appeal_cum)
            nature = rng.choice(demo_cases.APPEAL_NATURES[cat.full_code])
            source = Source.HOTLINE if rng.random() < 0.3 else Source.REPORT
        elif r < APPEAL_SHARE + HAZARD_SHARE and self.hazard_values:
            kind = "hazard"
            cat = self.pick(self.hazard_values, self.hazard_cum)
            source = Source.PATROL
            hazard_level = "major" if rng.random() < 0.1 else "general"
        else:
            kind = "event"
            cat = self.pick(self.event_values, self.event_cum)
            source = self.pick(self.source_values, self.source_cum)
            if cat.parent.code in URGENT or cat.full_code in URGENT:
                urgency = rng.choice(["urgent", "emergency"])
            if source == Source.REPORT:
                reporter = self.residents[rng.randrange(len(self.residents))]
        if source == Source.PATROL:
            reporter = self.covering("grid_worker", g.pk)
        elif reporter is None:  # the hotline, video and media are filed by the community's staff
            reporter = self.covering("community_staff", community.pk if community else g.pk)
        lng, lat = self.point(grid)
        title, description, address = demo_cases.case_text(rng, cat, self.county.code, self.firm_of.get(reporter),
                                                           self.now.year, community, town)
        return Draw(type=kind, category=cat, urgency=urgency, source=source, title=title, description=description,
                    address=address, reporter=reporter, lng=lng, lat=lat, nature=nature, hazard_level=hazard_level,
                    rates=kind == "appeal" or source == Source.REPORT)


@dataclass
class Result:
    county: Area
    cases: int  # loaded by this run
    total: int  # the county's scale cases now
    events: int
    accounts: int
    seconds: float


def seed_scale(county: Area, *, n: int = DEFAULT_CASES, progress=None, jobs: int = 2, check: int = 500) -> Result:
    """Load the county's scale cases up to ``n`` (nothing when they are there), then check a sample of them."""
    if n < 0:
        raise CommandError("--scale-cases must be 0 or more.")
    started = time.monotonic()
    accounts = ensure_cast(county)
    have = loaded(county)
    todo = n - have
    if todo <= 0:
        return Result(county, 0, have, 0, accounts, time.monotonic() - started)
    loader = ScaleLoader(county, n=todo, seed=SEED + have, batch=5000, out=progress)
    r = loader.run(jobs=jobs)
    sample = random.Random(SEED).sample(r["ids"], min(check, len(r["ids"])))
    problems = checker.check(Case.objects.filter(pk__in=sample))
    if problems:
        raise CommandError("The scale cases do not add up:\n" + "\n".join(problems[:20]))
    return Result(county, r["cases"], have + r["cases"], r["events"], accounts + r["accounts"],
                  time.monotonic() - started)
