"""The demo world: Jining's real counties, towns, communities and villages, orgs, people and one login per role.

Everything is written through the services (as an importer would), from one fixed random seed, so every
run produces the same data. Towns, communities and villages are Jining's own (registry names and codes,
``areas.divisions``); grid codes are made up and flagged ``is_demo_code``. Counties have their real outlines; the
outlines of towns, communities and grids, which no registry ships, are generated inside them and flagged
``is_demo_boundary``.
"""

import random
from dataclasses import dataclass, field
from datetime import date

import shapely
from django.db import transaction
from django.utils.translation import gettext
from shapely.geometry import shape

from lianxin.accounts import services as accounts
from lianxin.accounts.models import User
from lianxin.areas import divisions, geo
from lianxin.areas import services as areas
from lianxin.areas.models import Area
from lianxin.core import pii
from lianxin.core.modules import demo_logins
from lianxin.orgs import services as orgs
from lianxin.people import services as people
from lianxin.people.models import Person

SEED = 20261127
DEMO_PASSWORD = "Lianxin-demo-2026"  # noqa: S105 (published with the demo, printed by --logins)
RESIDENT_PHONE = "13800000001"

CITY = ("370800", "济宁市")
# code, name; outlines from the registry (areas.divisions.county_outlines)
COUNTIES = [
    ("370811", "任城区"),
    ("370812", "兖州区"),
    ("370826", "微山县"),
    ("370827", "鱼台县"),
    ("370828", "金乡县"),
    ("370829", "嘉祥县"),
    ("370830", "汶上县"),
    ("370831", "泗水县"),
    ("370832", "梁山县"),
    ("370881", "曲阜市"),
    ("370883", "邹城市"),
]
ZOUCHENG, JINXIANG, WEISHAN, SISHUI, LIANGSHAN, WENSHANG, JIAXIANG = (
    "370883", "370828", "370826", "370831", "370832", "370830", "370829")
# The seven counties of the source text get towns, departments and new-economy orgs.
TOWNS = {
    ZOUCHENG: ["钢山街道", "千泉街道", "凫山街道"],
    JINXIANG: ["金乡街道", "高河街道", "鸡黍镇"],
    WEISHAN: ["夏镇街道", "韩庄镇"],
    SISHUI: ["泗河街道", "济河街道"],
    LIANGSHAN: ["梁山街道", "小安山镇"],
    WENSHANG: ["汶上街道", "南旺镇"],
    JIAXIANG: ["嘉祥街道", "纸坊镇", "梁宝寺镇"],
}
ORDINALS = "一二三四五"

INDUSTRIES = ["express", "food_delivery", "ride_hailing", "freight"]
INDUSTRY_LABEL = {"express": "快递", "food_delivery": "外卖", "ride_hailing": "网约车", "freight": "货运"}
WORKER_KIND = {"express": "courier", "food_delivery": "rider", "ride_hailing": "ride_hailing_driver",
               "freight": "truck_driver"}
# Made-up trade names; none is (or resembles) a real delivery or ride-hailing brand.
BRANDS = [
    "顺达", "通远", "捷安", "速联", "鸿运", "飞骑", "安途", "畅行", "驰远", "泰和", "润通", "恒达", "宏运",
    "金驰", "众联", "兴邦", "路顺", "达安", "佳运", "聚力", "迅捷", "远航", "亿程", "瑞驰", "祥泰", "广联",
]
DEPARTMENTS = ["城管局", "住建局", "交警大队", "环卫中心", "应急管理局"]
SOCIAL_ORGS = {
    ZOUCHENG: ["邹城市快递物流协会"],
    JINXIANG: ["金乡县老年大学"],
    WEISHAN: ["微山县老年大学", "微山县微心愿志愿服务队"],
    SISHUI: ["泗水县社会工作协会"],
    LIANGSHAN: ["梁山县和为贵调解协会"],
    WENSHANG: ["汶上县人才发展促进会"],
    JIAXIANG: ["嘉祥县志愿者协会"],
}
# Temporary party branches of senior-college classes and clubs (Weishan's "1+4+1+N").
COLLEGE_BRANCHES = ["书画班临时党支部", "太极拳队临时党支部", "合唱团临时党支部"]

SURNAMES = (
    "王王王李李李张张张刘刘陈杨杨赵孙孙周吴徐马朱胡郭何高林罗郑梁孔孔孟孟颜曾曹田宋韩冯董于袁"
    "邵魏吕丁任姜崔谢范薛程"
)
GIVEN_MALE = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林阳建国志新庆东海峰兴德文"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞秀英华慧巧美娅玲桂兰红梅琳燕彩春菊晶倩婷雪颖洁琴云莉萍欣悦佳"
MOBILE_PREFIXES = [
    "130", "131", "132", "133", "135", "136", "137", "139", "150", "151", "152", "155", "156", "157", "158",
    "159", "166", "176", "177", "178", "180", "181", "182", "183", "185", "186", "187", "188", "189", "199",
]

# Demo logins, all in Zoucheng so that they fit together.
# username, role, anchor: which node of the demo the grant is made at
DEMO_LOGINS = [
    ("demo_resident", "resident", "community"),
    ("demo_grid", "grid_worker", "grid"),
    ("demo_community", "community_staff", "community"),
    ("demo_community2", "community_staff", "community2"),
    ("demo_town", "town_staff", "town"),
    ("demo_county", "county_staff", "county"),
    ("demo_department", "department_handler", "department"),
    ("demo_industry", "industry_committee_staff", "industry"),
    ("demo_orgdept", "org_department", "county"),
    ("demo_admin", "administrator", "city"),
]


@dataclass
class Summary:
    areas: int = 0
    orgs: int = 0
    people: int = 0
    accounts: int = 0
    anchors: dict = field(default_factory=dict)


def short(name: str) -> str:
    """邹城市 -> 邹城, 钢山街道 -> 钢山, 韩庄镇 -> 韩庄."""
    for suffix in ("街道", "镇", "市", "县", "区"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


class Generator:
    """Builds the base demo; the same object is the ``DemoContext`` handed to each module's seed_demo."""

    password = DEMO_PASSWORD

    def __init__(self, seed: int = SEED):
        self.rng = random.Random(seed)
        self.phones: set[str] = {RESIDENT_PHONE}
        self.id_numbers: set[str] = set()
        self.summary = Summary()
        self.city: Area | None = None
        self.counties: dict[str, Area] = {}
        self.towns: dict[str, list[Area]] = {}  # county code -> towns
        self.communities: dict[str, list[Area]] = {}  # town/county code -> communities
        self.grids: dict[str, list[Area]] = {}  # community/town/county code -> grids
        self.orgs: dict[str, object] = {}
        self.firms: list = []  # (firm, industry)

    # --- areas -------------------------------------------------------------------------------------------

    def _area(self, kind, code, name, parent, boundary, demo=True, generated=True) -> Area:
        self.summary.areas += 1
        return areas.create_area(actor=None, kind=kind, code=code, name=name, parent=parent, boundary=boundary,
                                 is_demo_code=demo, is_demo_boundary=generated)

    def build_areas(self) -> None:
        """The city and its counties with their real outlines (``areas.divisions.county_outlines``); the demo's
        towns tile their county, communities their town and grids their community, with generated outlines
        (``areas.geo.tile``) marked as demo."""
        outlines = divisions.county_outlines()
        city_outline = geo.mapping_of(shapely.union_all([shape(outlines[code]) for code, _name in COUNTIES]))
        self.city = self._area("city", CITY[0], CITY[1], None, city_outline, demo=False, generated=False)
        for code, name in COUNTIES:
            county = self._area("county", code, name, self.city, outlines[code], demo=False, generated=False)
            self.counties[code] = county
            self.towns[code], self.communities[code], self.grids[code] = [], [], []
            town_names = TOWNS.get(code, [])
            if not town_names:
                continue
            # Towns, communities and villages are Jining's own, with their registry codes (areas.divisions).
            registry = divisions.towns(code)
            for town_name, town_outline in zip(town_names, geo.tile(county.boundary, len(town_names), self.rng),
                                               strict=True):
                town = self._area("town", registry[town_name], town_name, county, town_outline, demo=False)
                self.towns[code].append(town)
                self.communities[town.code], self.grids[town.code] = [], []
                picked = self._pick_communities(town, self.rng.randint(2, 4))
                for comm_outline, (comm_code, comm_name) in zip(geo.tile(town.boundary, len(picked), self.rng),
                                                                picked, strict=True):
                    comm = self._area("community", comm_code, comm_name, town, comm_outline, demo=False)
                    for key in (code, town.code):
                        self.communities[key].append(comm)
                    self.grids[comm.code] = []
                    n_grid = self.rng.randint(2, 3)
                    for g, grid_outline in enumerate(geo.tile(comm.boundary, n_grid, self.rng)):
                        grid_name = f"{comm_name}第{ORDINALS[g]}网格"
                        grid = self._area("grid", f"{comm.code}{g + 1:03d}", grid_name, comm, grid_outline)
                        for key in (code, town.code, comm.code):
                            self.grids[key].append(grid)

    def _pick_communities(self, town: Area, n: int) -> list[tuple[str, str]]:
        """``n`` of the town's registry communities, in code order: a street's communities; for a town the
        community at its seat (if it has one), then villages."""
        known = divisions.communities(town.code)
        urban = [c for c in known if c[1].endswith("社区")]
        rural = [c for c in known if c[1].endswith("村")]
        if town.name.endswith("街道"):
            chosen = self.rng.sample(urban or known, min(n, len(urban or known)))
        else:
            seat = urban[:1]
            chosen = seat + self.rng.sample(rural, min(n - len(seat), len(rural)))
        return sorted(chosen)

    # --- orgs --------------------------------------------------------------------------------------------

    def _org(self, parent, kind, name, area, **extra):
        self.summary.orgs += 1
        return orgs.create_org(actor=None, parent=parent, kind=kind, name=name, area=area, **extra)

    def build_orgs(self) -> None:
        rng = self.rng
        city_committee = self._org(None, "party_committee", "中共济宁市委", self.city, short_name="济宁市委")
        city_wc = self._org(city_committee, "working_committee", "市委两新工委", self.city)
        self.orgs["city_wc"] = city_wc
        for code, county in self.counties.items():
            if code not in TOWNS:
                continue
            cname, cshort = county.name, short(county.name)
            wc_name = f"{cshort}{'市' if cname.endswith('市') else '县'}委两新工委"
            wc = self._org(city_wc, "working_committee", wc_name, county)
            for dept in DEPARTMENTS:
                self.orgs[f"{code}:{dept}"] = self._org(None, "department", f"{cname}{dept}", county,
                                                        short_name=dept)
            for so_name in SOCIAL_ORGS[code]:
                social = self._org(wc, "social_org", so_name, county)
                if so_name.endswith("老年大学"):
                    for branch in COLLEGE_BRANCHES:
                        self._org(social, "temporary_branch", f"{so_name}{branch}", county)
            if code == ZOUCHENG:  # the "4" of Zoucheng's "1+4+N"
                industries = INDUSTRIES
            else:
                industries = sorted(rng.sample(INDUSTRIES, rng.randint(1, 2)), key=INDUSTRIES.index)
            brands = rng.sample(BRANDS, len(BRANDS))
            communities = self.communities[code]
            for industry in industries:
                label = INDUSTRY_LABEL[industry]
                committee = self._org(wc, "industry_committee", f"{cname}{label}行业党委", county,
                                      short_name=f"{label}行业党委", industry=industry)
                self.orgs[f"{code}:{industry}"] = committee
                n_firms = rng.randint(3, 5) if code == ZOUCHENG else rng.randint(2, 4)
                for _ in range(n_firms):
                    comm = rng.choice(communities)
                    town_short = short(comm.parent.name)
                    brand = brands.pop()
                    name = {
                        "express": f"{cshort}{brand}快递{town_short}网点",
                        "food_delivery": f"{cshort}{brand}外卖{town_short}配送站",
                        "ride_hailing": f"{cshort}{brand}出行服务有限公司",
                        "freight": f"{cshort}{brand}物流有限公司",
                    }[industry]
                    firm = self._org(committee, "firm", name, comm, industry=industry)
                    self.firms.append((firm, industry))
                    if rng.random() < 0.3:  # 单独组建: the firm's own branch
                        self._org(firm, "branch", f"{name}党支部", comm)
                if rng.random() < 0.6:  # 联合组建: small firms of one town share a branch
                    town = rng.choice(self.towns[code])
                    place = short(town.name) if short(town.name).startswith(cshort) else f"{cshort}{short(town.name)}"
                    self._org(committee, "branch", f"{place}{label}行业联合党支部", town,
                              industry=industry)
            if code == ZOUCHENG:
                express = self.orgs[f"{code}:express"]
                self._org(express, "temporary_branch", f"{cshort}新就业群体流动党员临时党支部", county)

    # --- people ------------------------------------------------------------------------------------------

    def name(self, gender: str) -> str:
        pool = GIVEN_MALE if gender == "m" else GIVEN_FEMALE
        given = self.rng.choice(pool) + (self.rng.choice(pool) if self.rng.random() < 0.7 else "")
        return self.rng.choice(SURNAMES) + given

    def phone(self) -> str:
        while True:
            phone = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if phone not in self.phones:
                self.phones.add(phone)
                return phone

    def _id_number(self, county_code: str, born: date, gender: str) -> str:
        while True:
            seq = self.rng.randrange(500) * 2 + (1 if gender == "m" else 0)  # odd sequence = male
            first17 = f"{county_code}{born:%Y%m%d}{seq:03d}"
            number = first17 + pii.id_check_char(first17)
            if number not in self.id_numbers:
                self.id_numbers.add(number)
                return number

    def person(self, kinds, area, *, years, party=0.05, male=0.5, org=None, phone=None, name=None):
        rng = self.rng
        gender = "m" if rng.random() < male else "f"
        born = date(rng.randint(*years), rng.randint(1, 12), rng.randint(1, 28))
        fields = {"gender": gender, "birth_date": born, "org": org, "is_party_member": rng.random() < party}
        fields["phone"] = phone or (self.phone() if rng.random() < 0.7 else None)
        if rng.random() < 0.4:
            fields["id_number"] = self._id_number(area.code[:6], born, gender)
        self.summary.people += 1
        return people.create_person(actor=None, name=name or self.name(gender), area=area, kinds=kinds,
                                    **fields)

    def build_people(self) -> None:
        rng = self.rng
        for firm, industry in self.firms:
            town_grids = self.grids[firm.area.parent.code]
            male = 0.75 if industry in ("express", "food_delivery") else 0.95
            for _ in range(rng.randint(2, 4)):
                kinds = [WORKER_KIND[industry]] + (["volunteer"] if rng.random() < 0.1 else [])
                self.person(kinds, rng.choice(town_grids), years=(1975, 2003), party=0.06, male=male,
                            org=firm)
        for code in TOWNS:
            for town in self.towns[code]:
                self.person(["staff"], rng.choice(self.communities[town.code]), years=(1968, 1998), party=0.5)
                for comm in self.communities[town.code]:
                    for _ in range(rng.randint(1, 3)):
                        kinds = ["resident"] + (["volunteer"] if rng.random() < 0.1 else [])
                        self.person(kinds, rng.choice(self.grids[comm.code]), years=(1945, 2004))
                    for grid in self.grids[comm.code]:
                        self.person(["grid_worker"], grid, years=(1970, 1998), party=0.1)
                    # First secretaries are sent to villages; Jiaxiang has one in every village (X1).
                    if comm.name.endswith("村") and (code == JIAXIANG or rng.random() < 0.5):
                        self.person(["first_secretary"], comm, years=(1975, 1995), party=1.0, male=0.7)
            # Jinxiang's "2+1" and Weishan's retiree care need more retired cadres, carers and doctors.
            retired, carers, doctors, volunteers = {
                JINXIANG: (10, 5, 4, 2), WEISHAN: (8, 3, 2, 8), ZOUCHENG: (2, 0, 2, 2),
            }.get(code, (2, 0, 0, 2))
            experts = {WENSHANG: 8, ZOUCHENG: 2}.get(code, 0)
            grids, comms = self.grids[code], self.communities[code]
            for _ in range(retired):
                self.person(["retired_cadre"], rng.choice(grids), years=(1940, 1962), party=0.5, male=0.65)
            for _ in range(carers):
                self.person(["care_cadre"], rng.choice(comms), years=(1970, 1992), party=0.6)
            for _ in range(doctors):
                self.person(["family_doctor"], rng.choice(comms), years=(1965, 1995), party=0.3)
            for _ in range(experts):
                self.person(["expert"], rng.choice(comms), years=(1960, 1990), party=0.3, male=0.6)
            for _ in range(volunteers):
                self.person(["volunteer"], rng.choice(grids), years=(1950, 2004), party=0.2)

    # --- logins ------------------------------------------------------------------------------------------

    def build_logins(self) -> None:
        town = self.towns[ZOUCHENG][0]
        community, community2 = self.communities[town.code][:2]
        anchors = {
            "city": ("area", self.city),
            "county": ("area", self.counties[ZOUCHENG]),
            "town": ("area", town),
            "community": ("area", community),
            "community2": ("area", community2),
            "grid": ("area", self.grids[community.code][0]),
            "department": ("org", self.orgs[f"{ZOUCHENG}:城管局"]),
            "industry": ("org", self.orgs[f"{ZOUCHENG}:express"]),
        }
        # The rider works for a food-delivery firm as close to home as the demo has one.
        riders_firms = [f for f, industry in self.firms if industry == "food_delivery"]
        rider_firm = min(riders_firms, key=lambda f: (not f.area.code.startswith(community.code),
                                                      not f.area.code.startswith(town.code),
                                                      not f.area.code.startswith(ZOUCHENG)))
        for username, role, key in DEMO_LOGINS:
            anchor_kind, anchor = anchors[key]
            home = anchor if anchor_kind == "area" else anchor.area
            if role == "resident":
                person = self.person(["rider"], self.grids[community.code][0], years=(1990, 2000), male=1.0,
                                     org=rider_firm, phone=RESIDENT_PHONE)
            else:
                kinds = ["grid_worker"] if role == "grid_worker" else ["staff"]
                # Even the administrator lives in a county: ID numbers carry a county's code.
                lives = self.counties[ZOUCHENG] if home.kind == "city" else home
                person = self.person(kinds, lives, years=(1975, 1995), party=0.5)
            accounts.create_account(actor=None, username=username, person=person, area=home,
                                    password=DEMO_PASSWORD, grants=[(role, {anchor_kind: anchor})])
            self.summary.accounts += 1


def module_context(seed: int = SEED + 2) -> Generator:
    """What a module's seed_demo gets (core.modules.DemoContext): a random source of its own and people who
    do not repeat anyone's phone or ID number already in the database."""
    context = Generator(seed)
    context.phones |= set(Person.objects.exclude(phone=None).values_list("phone", flat=True))
    context.id_numbers |= set(Person.objects.exclude(id_number=None).values_list("id_number", flat=True))
    return context


def seed_demo(progress=None) -> Summary:
    """The base demo; ``progress(line)``, if given, hears of each phase done."""
    say = progress or (lambda line: None)
    gen = Generator()
    with transaction.atomic():
        gen.build_areas()
        say(gettext("areas: %(n)d") % {"n": gen.summary.areas})
        gen.build_orgs()
        say(gettext("organisations: %(n)d") % {"n": gen.summary.orgs})
        gen.build_people()
        say(gettext("people: %(n)d") % {"n": gen.summary.people})
        gen.build_logins()
        say(gettext("logins: %(n)d") % {"n": gen.summary.accounts})
    return gen.summary


def anchor_label(grant) -> str:
    if grant.area_id:
        return " / ".join(a.name for a in [*grant.area.ancestors(), grant.area])
    return f"{grant.org.name} ({grant.org.area.name})"


def login_rows() -> list[dict]:
    """The demo logins as they are in the database now (missing ones are reported, not invented)."""
    logins = [(u, r) for u, r, _k in DEMO_LOGINS] + demo_logins()
    users = {u.username: u for u in User.objects.filter(username__in=[u for u, _r in logins])
             .select_related("person").prefetch_related("grants__area", "grants__org__area")}
    rows = []
    for username, role in logins:
        user = users.get(username)
        grant = next((g for g in user.grants.all() if g.role == role), None) if user else None
        rows.append({
            "role": role, "username": username, "exists": user is not None,
            "where": anchor_label(grant) if grant else "-",
            "phone": (user.person.phone or "") if user and user.person and role == "resident" else "",
        })
    return rows
