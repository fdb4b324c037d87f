"""Demo data of this app (the app config's seed_demo), generated after the base demo and the cases.

Stations in the seven counties with towns: in Zoucheng (Z4) a 新新驿站 in every community service centre,
红帆驿站 in about half of the grids and a few hosted by delivery firms; two or three per town elsewhere.
A year of check-ins, mostly anonymous, some by the demo's rider accounts, so that Zoucheng's total runs
into the thousands like the source's "served 5,300+ person-times". No new accounts or people are made (the
base demo's fingerprint stays the same): existing demo logins are named managers, and the grid worker gets
the station manager role for the red-sail station of its grid.
"""

from datetime import datetime, time, timedelta

from lianxin.accounts import services as accounts
from lianxin.accounts.models import User
from lianxin.areas import geo
from lianxin.areas.models import Area
from lianxin.core import clock
from lianxin.orgs.models import Org
from lianxin.workdays.calendar import tz

from . import hours as opening
from . import services
from .models import AMENITY_FIELDS, CheckIn, Station

ZOUCHENG = "370883"
COUNTIES = ("370883", "370828", "370826", "370831", "370832", "370830", "370829")  # the seven with towns
WORKERS = ("rider", "courier", "ride_hailing_driver", "truck_driver")
# Visits per station and day (Poisson-like mean): Zoucheng's stations are the busy ones of the source.
DAILY = {"xinxin": 1.2, "hongfan": 0.85, "firm": 1.0}
ELSEWHERE = 0.3
# Hour weights of a day: lunch and the evening rush of deliveries.
HOUR_WEIGHTS = [1, 1, 0, 0, 0, 0, 1, 2, 3, 3, 4, 8, 9, 5, 3, 3, 4, 6, 8, 6, 4, 3, 2, 1]
SERVICE_WEIGHTS = {"rest": 30, "water": 25, "charge": 25, "heat_cool": 10, "rain_gear": 5, "first_aid": 5}
HONGFAN_SPOTS = ["便民服务点", "警务室旁", "物业服务中心", "网格工作站", "社区超市旁"]


def _point(rng, area: Area) -> tuple[float, float]:
    """A point well inside the area (away from its edges)."""
    return geo.random_point(area.boundary, rng, inset=0.2)


def _amenities(rng, kind: str) -> dict:
    base = {"xinxin": 0.85, "hongfan": 0.55, "firm": 0.6}[kind]
    flags = {key: rng.random() < base for key in AMENITY_FIELDS}
    flags.update(water=True, charging=True, seats=True)  # what every station offers in the source
    if kind == "hongfan":
        flags["rain_gear"] = True
    return flags


def _hours(rng, kind: str) -> list[str]:
    if kind == "xinxin":
        return rng.choice([["08:00-20:00"] * 5 + ["09:00-18:00"] * 2, ["24h"] * 7,
                           ["08:30-12:00, 13:30-21:00"] * 6 + ["closed"]])
    if kind == "hongfan":
        return rng.choice([["07:00-21:00"] * 7, ["06:30-22:30"] * 7, ["08:00-20:00"] * 6 + ["10:00-16:00"]])
    return rng.choice([["10:00-02:00"] * 7, ["09:00-23:00"] * 7])  # firms serve the late-night shift


def _phone(rng) -> str:
    return f"0537-{rng.randrange(2_000_000, 8_999_999)}"


def _create(rng, kind, name, area, address, org=None, manager=None, opened_days=400) -> Station:
    lng, lat = _point(rng, area)
    station = services.create_station(
        actor=None, kind=kind, name=name, area=area, org=org, lng=round(lng, 6), lat=round(lat, 6),
        address=address, hours=_hours(rng, kind), manager=manager, public_phone=_phone(rng),
        **_amenities(rng, kind))
    # Registered before the replayed year, so that past periods count it.
    station.created_at = clock.now() - timedelta(days=opened_days + rng.randrange(120))
    Station.objects.filter(pk=station.pk).update(created_at=station.created_at)
    return station


def _stations(rng) -> tuple[list[Station], list[str]]:
    made, managers = [], []
    demo_community = User.objects.filter(username="demo_community").first()
    demo_grid = User.objects.filter(username="demo_grid").select_related("area").first()
    for code in COUNTIES:
        county = Area.objects.filter(code=code, kind="county").first()
        if county is None:
            continue
        communities = list(Area.objects.filter(kind="community", path__startswith=county.path).order_by("code"))
        grids = list(Area.objects.filter(kind="grid", path__startswith=county.path).order_by("code"))
        if code == ZOUCHENG:
            for comm in communities:
                manager = demo_community if demo_community and demo_community.area_id == comm.pk else None
                made.append(_create(rng, "xinxin", f"{comm.name}新新驿站", comm, f"{comm.name}党群服务中心一楼",
                                    manager=manager))
            chosen = [g for g in grids if rng.random() < 0.5 or (demo_grid and g.pk == demo_grid.area_id)]
            for grid in chosen:
                manager = None
                if demo_grid and grid.pk == demo_grid.area_id:
                    if not demo_grid.grants.filter(role="station_manager").exists():
                        accounts.grant_role(actor=None, user=demo_grid, role="station_manager", area=grid)
                    manager = demo_grid
                made.append(_create(rng, "hongfan", f"{grid.name}红帆驿站", grid,
                                    f"{grid.name}{rng.choice(HONGFAN_SPOTS)}", manager=manager))
            firms = list(Org.objects.filter(kind="firm", area__path__startswith=county.path,
                                            industry__in=("food_delivery", "express")).select_related("area")
                         .order_by("pk"))
            for firm in rng.sample(firms, min(3, len(firms))):
                made.append(_create(rng, "firm", f"{firm.name}骑手驿站", firm.area, f"{firm.name}门店内", org=firm,
                                    opened_days=200))
        else:
            towns = Area.objects.filter(kind="town", parent=county).order_by("code")
            for town in towns:
                seat = next((c for c in communities if c.parent_id == town.pk), None)
                if seat is None:
                    continue
                made.append(_create(rng, "xinxin", f"{seat.name}新新驿站", seat, f"{seat.name}党群服务中心"))
                town_grids = [g for g in grids if g.path.startswith(town.path)]
                for grid in rng.sample(town_grids, min(rng.randint(1, 2), len(town_grids))):
                    made.append(_create(rng, "hongfan", f"{grid.name}红帆驿站", grid,
                                        f"{grid.name}{rng.choice(HONGFAN_SPOTS)}"))
    for user in (demo_community, demo_grid):
        if user and Station.objects.filter(manager=user).exists():
            managers.append(user.username)
    return made, managers


def _riders() -> dict[str, list[User]]:
    """Rider accounts by county (the demo resident, and the cases' working accounts where they exist)."""
    out: dict[str, list[User]] = {}
    users = (User.objects.filter(person__tags__kind__in=WORKERS, is_active=True).select_related("person__area")
             .distinct().order_by("pk"))
    for user in users:
        out.setdefault(user.person.area.code[:6], []).append(user)
    return out


def _checkins(rng, stations: list[Station]) -> int:
    riders = _riders()
    now = clock.now().astimezone(tz())
    start = (now - timedelta(days=365)).date()
    services_ = list(SERVICE_WEIGHTS)
    weights = list(SERVICE_WEIGHTS.values())
    rows, seen = [], set()
    for station in stations:
        county = station.area.code[:6]
        rate = DAILY[station.kind] if county == ZOUCHENG else ELSEWHERE
        pool = riders.get(county, [])
        for day in range(365):
            date = start + timedelta(days=day)
            # A slow first quarter, busier summer and winter (heat, cold, rain)
            season = 1.3 if date.month in (1, 6, 7, 8, 12) else 1.0
            n = sum(1 for _ in range(4) if rng.random() < rate * season / 4)
            n += 1 if rng.random() < max(0.0, rate * season - 1.0) else 0
            for _ in range(n):
                hour = rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
                at = datetime.combine(date, time(hour, rng.randrange(60)), tzinfo=tz())
                if at > now or not opening.is_open(station.hours, at):
                    continue
                service = rng.choices(services_, weights=weights)[0]
                user = rng.choice(pool) if pool and rng.random() < 0.15 else None
                hour_start = at.replace(minute=0)
                if user is not None:
                    if (station.pk, user.pk, service, hour_start) in seen:
                        continue
                    seen.add((station.pk, user.pk, service, hour_start))
                rows.append(CheckIn(
                    station=station, service=service, at=at, hour=hour_start, user=user,
                    device="" if user else services.digest(f"demo-device-{rng.randrange(4000)}"),
                    address="" if user else services.digest(f"demo-net-{rng.randrange(900)}")))
    CheckIn.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def seed(demo) -> str:
    rng = demo.rng
    stations, managers = _stations(rng)
    # One station under renovation, and one whose poster was replaced (its old code says so).
    zoucheng = [s for s in stations if s.area.code.startswith(ZOUCHENG)]
    if zoucheng:
        services.update_station(zoucheng[-1], actor=None, active=False)
        services.rotate_token(zoucheng[0], actor=None)
    n = _checkins(rng, [s for s in stations if s.active])
    in_zoucheng = CheckIn.objects.filter(station__area__code__startswith=ZOUCHENG).count()
    return (f"stations: {len(stations)} stations ({len(zoucheng)} in Zoucheng), {n} check-ins "
            f"({in_zoucheng} in Zoucheng), managers: {', '.join(managers) or 'none'}")
