"""Demo cases: a year of Jining's case loop, replayed through the case services with a moving clock.

Every case lives as a small coroutine ("life") that yields the moment of its next move; a scheduler runs
the moves of all cases in time order, each inside ``clock.at(moment)``, so that things that depend on the
state of other cases at a moment (a duplicate merged into its original, a grid worker's open cases handed
over to a successor) see the world as it was then. Moves planned after ``now`` are not made: recent cases
stay open. A few cases are planned to stop at a chosen stage and alert colour so that the dispatch board
always shows blue, yellow, red and parked cases.

The working accounts the services need (community staff, grid workers, department handlers, ...) are made
here, SMS-only (no password), named ``w_<area or org code>_<role>``; the demo_* logins are reused where
they sit, so they see real cases too.
"""

import heapq
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext

from lianxin.accounts import services as accounts
from lianxin.accounts.models import User
from lianxin.areas import geo
from lianxin.areas.models import Area
from lianxin.cases import checker, deadlines, services, targets
from lianxin.cases.models import (
    ACTIVE_ASSIGNMENT,
    CLOCK_OF_STAGE,
    Assignment,
    AssignmentStatus,
    Case,
    Category,
    CloseResult,
    Stage,
)
from lianxin.core import clock
from lianxin.orgs.models import Org
from lianxin.people.models import Person
from lianxin.workdays import calendar as cal

from . import generator as g

COUNTY_WEIGHTS = {g.ZOUCHENG: 30, g.JINXIANG: 12, g.WEISHAN: 11, g.SISHUI: 10, g.LIANGSHAN: 11,
                  g.WENSHANG: 12, g.JIAXIANG: 14}
WORKERS = ("rider", "courier", "ride_hailing_driver", "truck_driver")
CHUNK = 400  # moves per transaction

ROADS = ["建设路", "太平路", "崇义路", "唐王街", "峄山路", "钢山街", "府前街", "兴隆路", "金山大道", "文化路",
         "人民路", "中心街", "东风路", "新华路", "育才路", "解放路", "光明街", "泰山路", "北环路", "南环路",
         "平阳路", "岗山路", "铁山路", "幸福街", "和平路", "政通路", "利民街", "振兴路"]
# Each county seat's own streets (邹城's were once used everywhere); the names are the seats' main roads.
COUNTY_ROADS = {
    g.ZOUCHENG: ROADS,
    g.JINXIANG: ["金山街", "奎星路", "中心街", "文峰路", "西环路", "金曼克大道", "建设路", "莱河路", "北城路",
                 "东环路", "胡集路", "南店子街"],
    g.WEISHAN: ["奎文路", "微山湖大道", "夏阳路", "商业街", "青山路", "建设路", "昭阳路", "戚城街", "湖滨路",
                "文化路", "塔山路", "渔港路"],
    g.SISHUI: ["泗河路", "圣地路", "龙城路", "济河路", "泉林路", "东外环", "建设路", "滨河路", "金庄路", "仲子路"],
    g.LIANGSHAN: ["水泊路", "杏花村路", "青年路", "人民路", "梁山路", "聚义路", "水浒路", "新华路", "西环路",
                  "忠义路"],
    g.WENSHANG: ["宁民路", "圣泽大街", "中都大街", "如意路", "尚书路", "汶宁路", "东门街", "北门街", "西门街",
                 "南站路"],
    g.JIAXIANG: ["呈祥大街", "嘉宾路", "萌山路", "曾子大道", "建设路", "卧龙山街", "万张路", "麒麟路", "新华街",
                 "健康路"],
}
# A village has lanes, not numbered streets.
VILLAGE_LANES = ["东街", "西街", "南街", "北街", "中心街", "村委会前街", "后街", "东头", "西头", "大坑边"]
# What reporters add: when, how long, what they ask (so that the same problem is not told in the same words).
ASIDES = ["", "", "已经好几天了。", "附近居民多次反映。", "早晚高峰尤其明显。", "请尽快派人查看。",
          "晚上看不清，容易出事。", "老人孩子经过很不方便。", "上周反映过一次，还没解决。", "拍了照片，请核实。",
          "下雨后更严重。", "希望尽快处理。"]
PLACES = ["农贸市场", "幼儿园门口", "公交站台", "小学东门", "社区广场", "菜市场北口", "卫生院门前", "商业街",
          "老旧小区", "沿街商铺", "公园南门", "汽车站"]
TASKS = ["老旧小区改造", "背街小巷提升", "农村人居环境整治", "城乡环卫一体化", "文明城市创建", "雨污分流改造",
         "安全生产专项整治", "清洁取暖改造", "新就业群体服务阵地建设", "河湖“清四乱”整治", "燃气管道老化更新",
         "电动自行车充电设施建设"]

# sub-category code -> [(title template, description template)]
TEMPLATES = {
    "0101": [("{comm}{n}号楼楼顶违规加盖彩钢房", "有住户在楼顶私自搭建彩钢房约{m}平方米，存在安全隐患，请核查处理。"),
             ("{road}沿街商户私自搭建雨棚", "{road}{n}号附近商户私搭雨棚占用人行道，影响通行。")],
    "0102": [("{road}与{road2}交叉口垃圾堆积", "路口东南角生活垃圾堆积多日，气味较大，请尽快清运。"),
             ("{comm}{n}号楼东侧建筑垃圾未清运", "装修产生的建筑垃圾堆放在绿化带旁，已有一周左右。")],
    "0103": [("{road}路面泥土油污较多", "渣土车经过后路面泥土较多，雨天湿滑，请安排清扫冲洗。"),
             ("{place}周边路面不洁", "{place}附近路面散落塑料袋、果皮，影响市容。")],
    "0104": [("{comm}后街巷道长期无人清扫", "巷道内积存落叶和垃圾，居民反映长期无人清扫。"),
             ("{comm}{n}号楼地下室入口卫生死角", "地下室入口处垃圾杂物堆积，蚊蝇较多。")],
    "0201": [("{comm}{n}号楼单元门口小广告", "单元门及楼道墙面张贴大量开锁、办证小广告。"),
             ("{road}电线杆喷涂小广告", "{road}沿线多根电线杆被喷涂办证电话，影响市容。")],
    "0301": [("{road}工地夜间施工噪声扰民", "晚上十点后仍有机械施工，噪声很大，影响周边居民休息。")],
    "0302": [("{road}工地渣土未覆盖扬尘严重", "工地裸土未覆盖，出入车辆未冲洗，扬尘较大。")],
    "0401": [("{place}流动摊贩聚集", "上下学时段流动摊贩聚集，堵塞道路，存在食品安全隐患。")],
    "0402": [("{road}沿街商户占道经营", "{road}{n}号附近多家商户将货物摆放至人行道经营。"),
             ("{place}早市占道经营", "早市摊位占用机动车道，早高峰交通拥堵。")],
    "0501": [("{road}与{road2}交叉口自来水管爆裂", "路面大量冒水，已影响车辆通行，请紧急处置。")],
    "0502": [("{road}路面局部塌陷", "{road}{n}号门前路面出现约一米见方的塌陷坑，已有车辆险些掉入。")],
    "0601": [("{comm}门口车辆违停堵塞消防通道", "多辆私家车长期停放在消防通道上，请处理。"),
             ("{road}机动车乱停放", "{road}两侧车辆违停，公交车通行困难。")],
    "0602": [("{road}与{road2}交叉口路面坑洼", "路口处路面坑洼不平，雨后积水，电动车经过易摔倒。"),
             ("{road}人行道地砖破损松动", "{road}{n}号附近人行道地砖破损、松动多处。")],
    "0603": [("{road}与{road2}交叉口信号灯不亮", "路口信号灯故障，车辆通行混乱。"),
             ("{road}交通标志牌倾斜", "标志牌被车辆撞歪，有倒塌风险。")],
    "0701": [("{comm}{n}号楼楼道堆放杂物", "楼道内堆放纸箱、旧家具，堵塞疏散通道，存在消防隐患。")],
    "0702": [("{road}一餐馆液化气罐存放不规范", "后厨多个液化气钢瓶与灶具距离过近，未安装报警器。")],
    "0703": [("{comm}{n}号楼电动车飞线充电", "有住户从窗户拉电线给楼下电动车充电，存在火灾隐患。")],
    "0704": [("{comm}居民使用煤炉取暖未装烟囱", "冬季入户排查发现独居老人使用煤炉取暖，未安装烟囱和报警器。"),
             ("{place}冬季取暖设施存在隐患", "取暖设备线路老化，周边堆放易燃物。"),
             ("{comm}{n}号楼屋顶积雪结冰", "屋檐冰凌较大，下方为人行通道，存在坠落伤人风险。")],
    "0801": [("{comm}{n}号楼邻里漏水纠纷", "楼上卫生间漏水至楼下，双方协商未果，请社区调解。"),
             ("{comm}邻里因停车位发生纠纷", "两户居民因门前停车位多次争吵，请协调。")],
    "0802": [("{firm}拖欠{m}月配送费", "本人在{firm}从事配送工作，{m}月份配送费至今未结清，多次联系站点未果。"),
             ("{firm}无故扣发工资", "站点以超时为由扣发工资，扣款标准未事先告知。")],
    "0803": [("{comm}物业停车收费纠纷", "物业上调停车费未经业主大会同意，业主与物业发生纠纷。"),
             ("{comm}物业不作为", "小区电梯多次故障，物业维修不及时。")],
    "0901": [("{comm}{n}号楼停水未恢复", "已停水两天，未见通知，老人用水困难。"),
             ("{comm}暖气不热", "供暖开始后室温不足十六度，请协调热力公司检查。")],
    "0902": [("{comm}小区禁止外卖电动车进入", "小区门岗不让骑手进入，只能步行送餐，经常超时被罚。"),
             ("骑手驿站充电设施损坏", "{place}附近骑手驿站充电柜损坏一周，无法使用。"),
             ("配送平台超时罚款申诉", "因道路施工绕行导致超时，平台罚款不予申诉。")],
    "0903": [("咨询灵活就业人员社保参保办理", "想了解灵活就业人员如何参加职工养老保险。"),
             ("求助：独居老人家中门锁损坏", "{comm}{n}号楼独居老人家门锁坏了，子女不在身边，请帮忙联系维修。")],
    "1001": [("{road}人行道井盖缺失", "{road}{n}号门前人行道井盖缺失，夜间行人易掉入，请尽快处理。")],
    "1002": [("{road}路灯连续{n}盏不亮", "晚上{road}路段漆黑，行人和车辆通行不便。")],
    "1101": [("举报{road}一商户违规经营", "该商户无证经营，并在夜间违规排放油烟。"),
             ("举报{firm}未缴纳工伤保险", "站点未给骑手缴纳工伤保险，请有关部门核查。")],
    "2001": [("{year}年{task}重点任务（{town}）",
              "县委县政府重点工作任务：{task}，请牵头单位按时间节点推进并报送进度。")],
    "2002": [("{place}安全检查问题整改", "专项检查发现问题{n}项，请于限期内整改到位并上传整改照片。"),
             ("{town}{task}督查问题整改", "县督查发现的问题，需按要求整改销号。")],
}
MERGE_NOTE = "同一问题重复上报，合并办理。"
REFUSE_REASONS = ["反映内容不属于受理范围。", "信息不全，多次联系上报人无法核实。", "经现场核实，问题不存在。"]
RETURN_REASONS = ["该事项不属于本单位职责，建议派至属地网格处理。", "经查看，涉事路段不在本单位管养范围。",
                  "该问题属于物业管理范畴，请重新派遣。"]
PARK_REASONS = ["需待春季气温回升后施工。", "涉及多方产权，需等待上级协调意见。", "资金待审批，暂缓办理。"]
VOID_REASONS = ["上报人误报，现场无此问题。", "测试数据，申请作废。", "重复录入，申请作废。"]
EXT_REASONS = ["需协调施工单位，申请延期。", "材料采购需要时间，申请延期。", "涉及多个部门，需联合处置。"]
PROGRESS = ["已到现场查看，正在协调处理。", "已联系责任单位，约定明日处理。", "已完成初步处置，后续跟进。"]
FEEDBACK = ["已处理完毕，现场已恢复，见处置后照片。", "已督促整改到位。", "已清理完毕。", "已维修完成。"]
REWORK = ["现场核查仍未处理到位，请返工。", "处置照片与现场不符，请重新处理。"]
SUPERVISE = ["请抓紧办理，按期办结。", "该案件已超期，请立即处置并书面说明原因。"]
ESCALATE = ["涉及多个部门，社区无法协调，提请街道处理。", "问题复杂，需街道统筹。"]
CWF = {
    CloseResult.NOT_REMIT: ["经核实属于司法程序范围，已告知当事人通过诉讼途径解决。"],
    CloseResult.NO_ACTION: ["历史遗留问题，现阶段无法解决，已向群众做好解释。"],
    CloseResult.DUPLICATE: ["与已办结案件为同一问题，不再重复办理。"],
}

# How often each event category is reported (2 for the others); what new-economy workers appeal about, and how.
EVENT_WEIGHTS = {"0102": 8, "0601": 7, "0602": 6, "0402": 6, "0201": 5, "0103": 4, "1002": 4, "0801": 4, "0901": 4,
                 "0101": 3, "0803": 3}
APPEAL_WEIGHTS = {"0802": 5, "0902": 5, "0903": 3, "0901": 2, "1101": 1}
APPEAL_NATURES = {"0802": ("complaint",), "0902": ("complaint", "help", "suggestion"), "0903": ("consult", "help"),
                  "0901": ("help",), "1101": ("whistleblow",)}


def event_categories(categories):
    """The categories residents and grid workers report events in: not whistle-blowing, winter hazards or pay."""
    return [c for c in categories if c.parent.code != "11" and c.full_code not in ("0704", "0802")]


# Stops for the cases planned to be open now: (stage, colour), cycled.
STALLS = [("handling", "blue"), ("reported", "blue"), ("handling", "yellow"), ("dispatched", "red"),
          ("accepted", "blue"), ("verifying", "blue"), ("handling", "red"), ("handling", "parked"),
          ("dispatched", "blue"), ("accepted", "yellow"), ("verifying", "yellow"), ("handling", "red"),
          ("reported", "red"), ("dispatched", "yellow"), ("handling", "blue"), ("accepted", "red")]

# Scenario -> weight for ordinary (non-stalled) cases; every one also occurs at least once.
SCENARIOS = {
    "normal": 56, "rework": 6, "return": 5, "extension": 5, "supervise": 5, "escalate": 4, "park": 3,
    "park_refused": 1, "void": 3, "void_refused": 1, "merge": 3, "recategorize": 3, "cwf": 4, "refuse": 4,
    "cohandle": 3,
}


CWF_RESULTS = (CloseResult.NOT_REMIT, CloseResult.NO_ACTION, CloseResult.DUPLICATE)


def case_text(rng, category, county, firm, year, comm, town) -> tuple[str, str, str]:
    """(title, description, address) of a case: the county's own streets; in a village its lanes and no blocks of
    flats. Also the bulk-loaded county's (demo.scale)."""
    village = comm is not None and comm.name.endswith("村")
    templates = TEMPLATES[category.full_code]
    if village:
        templates = [t for t in templates if "楼" not in "".join(t) and "小区" not in "".join(t)] or templates
    tpl = rng.choice(templates)
    if village:
        road, road2 = (f"{comm.name}{lane}" for lane in rng.sample(VILLAGE_LANES, 2))
    else:
        road, road2 = rng.sample(COUNTY_ROADS.get(county, ROADS), 2)
    n = rng.randint(1, 30 if village else 260)
    fill = {"road": road, "road2": road2, "comm": comm.name if comm else "", "n": n,
            "m": rng.randint(1, 12), "place": rng.choice(PLACES), "year": year,
            "task": rng.choice(TASKS), "town": town.name if town else "",
            "firm": firm.name if firm is not None else "某配送站点"}
    where = "".join(a.name for a in (town, comm) if a is not None)
    address = f"{where}{road}{n}号" if not village else f"{where}{road}"
    description = tpl[1].format(**fill) + rng.choice(ASIDES)
    return tpl[0].format(**fill)[:120], description, address


@dataclass
class Plan:
    idx: int
    type: str
    county: str
    area: Area  # grid (or the county, for county key tasks)
    point: tuple
    category: Category
    reporter: User
    source: str
    urgency: str
    t0: datetime
    scenario: str = "normal"
    stall: tuple | None = None  # (stage, colour)
    nature: str = ""
    title: str = ""
    description: str = ""
    address: str = ""
    original: "Plan | None" = None
    case: Case | None = None
    extra: dict = field(default_factory=dict)


class Cast:
    """The working accounts, keyed by the area or org they act for."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.community: dict[int, User] = {}
        self.grid: dict[int, User] = {}
        self.town: dict[int, User] = {}
        self.county: dict[str, User] = {}
        self.orgdept: dict[str, User] = {}
        self.supervisor: dict[str, User] = {}
        self.dispatcher: dict[str, User] = {}
        self.org: dict[int, User] = {}  # department / industry committee -> handler
        self.residents: list[User] = []
        self.riders: dict[str, list[User]] = {}  # county code -> rider accounts
        self.admin: User | None = None
        self.created = 0
        self._people = None
        self._gen = None

    def _staff_person(self, area, kind="staff"):
        """A seeded person of this kind nearby without an account, or a new one."""
        if self._people is None:
            taken = set(User.objects.exclude(person=None).values_list("person_id", flat=True))
            self._people = {}
            for p in Person.objects.filter(tags__kind__in=["staff", "grid_worker"]).select_related("area") \
                    .order_by("pk").prefetch_related("tags").distinct():
                if p.pk in taken:
                    continue
                for k in p.kind_codes:
                    self._people.setdefault(k, []).append(p)
        pool = self._people.get(kind, [])
        near = [p for p in pool if p.area.path.startswith(area.path)]
        if near:
            pool.remove(near[0])
            return near[0]
        if self._gen is None:
            self._gen = g.Generator()
            self._gen.rng = self.rng
            self._gen.phones |= set(Person.objects.exclude(phone=None).values_list("phone", flat=True))
            self._gen.id_numbers |= set(Person.objects.exclude(id_number=None).values_list("id_number", flat=True))
        home = area if area.kind != "city" else Area.objects.get(code=g.ZOUCHENG)
        return self._gen.person([kind], home, years=(1970, 1998), party=0.4)

    def account(self, username, role, *, area=None, org=None, kind="staff"):
        home = area or org.area
        person = self._staff_person(home, kind)
        self.created += 1
        anchor = {"area": area} if area is not None else {"org": org}
        return accounts.create_account(actor=None, username=username, person=person, area=home,
                                       grants=[(role, anchor)])

    def build(self, counties, n_residents: int = 150):
        demo = {u.username: u for u in User.objects.filter(username__startswith="demo_")
                .prefetch_related("grants__area", "grants__org")}
        reuse = {}
        for u in demo.values():
            for gr in u.grants.all():
                reuse[(gr.role, gr.area_id or gr.org_id)] = u
        self.admin = demo.get("demo_admin") or User.objects.filter(is_superuser=True).first()

        def get(role, key, make):
            return reuse.get((role, key)) or make()

        for code in counties:
            county = Area.objects.get(code=code)
            self.county[code] = get("county_staff", county.pk,
                                    lambda c=county: self.account(f"w_{c.code}_county", "county_staff", area=c))
            self.orgdept[code] = get("org_department", county.pk,
                                     lambda c=county: self.account(f"w_{c.code}_orgdept", "org_department", area=c))
            self.supervisor[code] = self.account(f"w_{code}_supervisor", "case_supervisor", area=county)
            self.dispatcher[code] = self.account(f"w_{code}_dispatcher", "case_dispatcher", area=county)
            for town in county.children.filter(kind="town").order_by("code"):
                self.town[town.pk] = get("town_staff", town.pk,
                                         lambda t=town: self.account(f"w_{t.code}_town", "town_staff", area=t))
                for comm in town.children.filter(kind="community").order_by("code"):
                    self.community[comm.pk] = get(
                        "community_staff", comm.pk,
                        lambda c=comm: self.account(f"w_{c.code}_community", "community_staff", area=c))
                    for grid in comm.children.filter(kind="grid").order_by("code"):
                        self.grid[grid.pk] = get(
                            "grid_worker", grid.pk,
                            lambda gr=grid: self.account(f"w_{gr.code}_grid", "grid_worker", area=gr,
                                                         kind="grid_worker"))
            for org in Org.objects.filter(area=county, kind__in=["department", "industry_committee"]).order_by("pk"):
                role = "department_handler" if org.kind == "department" else "industry_committee_staff"
                self.org[org.pk] = get(role, org.pk, lambda o=org, r=role, code=code: self.account(
                    f"w_{code}_{'dept' if o.kind == 'department' else 'ic'}{o.pk}", r, org=o))
        self._residents(counties, n_residents)

    def _residents(self, counties, n):
        taken = set(User.objects.exclude(person=None).values_list("person_id", flat=True))
        candidates = []
        for p in (Person.objects.filter(tags__kind__in=("resident", *WORKERS), area__kind="grid")
                  .select_related("area__parent", "org").prefetch_related("tags").distinct().order_by("pk")):
            county = p.area.code[:6]
            if county in counties and p.pk not in taken:
                candidates.append(p)
        existing = User.objects.filter(username="demo_resident").select_related("person__area").first()
        if existing:
            self._add_resident(existing, existing.person)
        for p in self.rng.sample(candidates, min(n, len(candidates))):
            user = accounts.create_account(actor=None, username=f"w_r{p.pk}", person=p, area=p.area.parent,
                                           grants=[("resident", {"area": p.area.parent})])
            self.created += 1
            self._add_resident(user, p)

    def _add_resident(self, user, person):
        user._home = person.area
        user._firm = person.org
        self.residents.append(user)
        if set(person.kind_codes) & set(WORKERS):
            self.riders.setdefault(person.area.code[:6], []).append(user)


class World:
    """Lookups the lives need: areas by id, orgs by county, the calendar."""

    def __init__(self, counties):
        self.areas = {a.pk: a for a in Area.objects.filter(path__startswith=Area.objects.get(kind="city").path)}
        self.grids = {c: [] for c in counties}
        for a in sorted(self.areas.values(), key=lambda a: a.code):
            if a.kind == "grid" and a.code[:6] in self.grids:
                self.grids[a.code[:6]].append(a)
        self.depts = {}  # (county, short name) -> org
        self.committees = {c: [] for c in counties}
        self.units = {}  # county -> its departments and industry committees, what cases.targets.route chooses from
        self.firms = {}  # committee pk -> firms
        for o in Org.objects.filter(kind__in=["department", "industry_committee", "firm"]).select_related("area") \
                .order_by("pk"):
            county = o.area.code[:6]
            if o.kind in ("department", "industry_committee"):
                self.units.setdefault(county, []).append(o)
            if o.kind == "department":
                self.depts[(county, o.short_name)] = o
            elif o.kind == "industry_committee" and county in self.committees:
                self.committees[county].append(o)
            elif o.kind == "firm":
                self.firms.setdefault(o.parent_id, []).append(o)
        self.orgs = {o.pk: o for o in Org.objects.all()}

    def up(self, area, kind):
        while area is not None and area.kind != kind:
            area = self.areas.get(area.parent_id)
        return area


class Demo:
    def __init__(self, rng: random.Random, now: datetime, progress=None):
        self.rng = rng
        self.now = now
        self.progress = progress
        self.planned = 0
        self.reported = 0
        self.counties = list(COUNTY_WEIGHTS)
        self.cal = cal.Calendar.load()
        self.moves = 0
        self.heap = []
        self.seq = 0
        self.errors = []
        self.users = {}
        self.handovers = []

    # --- time -------------------------------------------------------------------------------------------

    def work(self, t, minutes):
        return cal.add_working_minutes(t, minutes, self.cal)

    def by_deadline(self, t, case, late=0.08, spread=(0.05, 0.8), tail=0.2):
        """When the move that ends the running clock is made: mostly in time, sometimes late."""
        due = case.due_at
        if due is None:
            return self.work(t, self.rng.uniform(30, 600))
        if due <= t or self.rng.random() < late:
            return self.work(max(t, due), self.rng.uniform(20, 3 * cal.MINUTES_PER_WORKDAY))
        f = self.rng.uniform(*spread) if self.rng.random() >= tail else self.rng.uniform(0.75, 0.97)
        if case.limit_working:
            return self.work(t, max(cal.working_minutes_between(t, due, self.cal) * f, 5))
        return t + max((due - t) * f, timedelta(minutes=5))

    # --- actors -----------------------------------------------------------------------------------------

    def owner(self, case):
        """services.owner_area without its query."""
        return self.world.up(self.world.areas[case.area_id], case.level)

    def supervisor(self, case):
        owner = self.owner(case)
        county = case.area.code[:6]
        if case.level == "community":
            return self.cast.orgdept[county] if case.type == "appeal" else self.cast.community[owner.pk]
        if case.level == "town":
            return self.cast.town[owner.pk]
        return self.cast.supervisor[county]

    def dispatcher(self, case):
        county = case.area.code[:6]
        if case.level == "county":
            return self.cast.dispatcher[county]
        return self.supervisor(case)

    def above(self, case):
        owner = self.owner(case)
        if case.level == "community":
            return self.cast.town[owner.parent_id]
        if case.level == "town":
            return self.cast.county[case.area.code[:6]]
        return self.cast.admin

    def handlers(self, case, statuses=ACTIVE_ASSIGNMENT, lead_only=False):
        """(assignment, acting user) for the case's active assignments, lead first."""
        out = []
        for a in Assignment.objects.filter(case=case, status__in=statuses).order_by("-is_lead", "pk"):
            if lead_only and not a.is_lead:
                continue
            if a.user_id:
                user = self.users.get(a.user_id)
                if user is None:
                    user = self.users[a.user_id] = User.objects.get(pk=a.user_id)
            else:
                org = self.world.orgs[a.org_id]
                user = self.cast.org.get(org.pk) or self.cast.org.get(org.parent_id)
            out.append((a, user))
        return out

    def route(self, case, industry=None):
        """The unit the platform's routing rule names for the case (cases.targets.route), or None."""
        if industry is None:
            industry = targets.worker_industry(case.reporter) if case.type == "appeal" else ""
        return targets.route(self.world.units.get(case.area.code[:6], []), case_type=case.type,
                             category=case.category, industry=industry)

    def lead_for(self, case):
        """Whom the case is dispatched to: a worker's appeal to the committee of the worker's industry; otherwise
        the department its category names or, at the community, now and then its own grid worker instead; what no
        unit is named for, the grid worker of its grid. A key task's lead is the county office's choice."""
        county = case.area.code[:6]
        unit = self.route(case)
        if case.type == "task":
            return unit or self.world.depts[(county, self.rng.choice(g.DEPARTMENTS))]
        if unit is not None and unit.kind == "industry_committee":
            return unit
        worker = self.cast.grid.get(case.area_id) if case.area.kind == "grid" else None
        if unit is not None and (worker is None or case.level != "community" or self.rng.random() < 0.55):
            return unit
        return worker or unit or self.world.depts[(county, "城管局")]

    def misroute(self, case, right):
        """The first, wrong dispatch of a case that is returned (退单): another industry's committee for a worker's
        appeal where the county has one, else another department; never the unit the rules name."""
        county = case.area.code[:6]
        named = self.route(case)
        if named is not None and named.kind == "industry_committee":
            others = [c for c in self.world.committees[county] if c != named]
            if others:
                return self.rng.choice(others)
        depts = [d for (c, _n), d in self.world.depts.items() if c == county and d not in (right, named)]
        return self.rng.choice(depts)

    # --- scheduler --------------------------------------------------------------------------------------

    def schedule(self, life, label=""):
        try:
            t = next(life)
        except StopIteration:
            return
        self._push(t, life, label)

    def _push(self, t, life, label):
        if t is None or t > self.now:
            return
        self.seq += 1
        heapq.heappush(self.heap, (t, self.seq, life, label))

    def run(self):
        while self.heap:
            with transaction.atomic():
                for _ in range(CHUNK):
                    if not self.heap:
                        break
                    t, _seq, life, label = heapq.heappop(self.heap)
                    self.moves += 1
                    with clock.at(t):
                        try:
                            nxt = life.send(None)
                        except StopIteration:
                            continue
                        except (ValidationError, ValueError) as e:  # MoveRefused is a PermissionDenied
                            self.errors.append(f"{label} at {t:%Y-%m-%d %H:%M}: {e!r}")
                            continue
                        except PermissionDenied as e:
                            self.errors.append(f"{label} at {t:%Y-%m-%d %H:%M}: {e!r}")
                            continue
                    if nxt is not None and nxt <= t:
                        nxt = t + timedelta(seconds=1)
                    self._push(nxt, life, label)

    # --- planning ---------------------------------------------------------------------------------------

    def text(self, plan, comm, town) -> tuple[str, str, str]:
        return case_text(self.rng, plan.category, plan.county, getattr(plan.reporter, "_firm", None), plan.t0.year,
                         comm, town)

    def report_time(self, day0, kind):
        rng = self.rng
        day = day0.astimezone(cal.tz()).replace(hour=0, minute=0, second=0, microsecond=0)
        if kind in ("patrol", "inspection", "task"):
            return self.work(day + timedelta(hours=8, minutes=30), rng.uniform(0, cal.MINUTES_PER_WORKDAY))
        return day + timedelta(minutes=rng.uniform(7 * 60, 22 * 60))

    def point(self, area):
        return geo.random_point(area.boundary, self.rng, inset=0.05)

    def plans(self, n):
        rng = self.rng
        cats = {c.full_code: c for c in Category.objects.filter(parent__isnull=False, is_active=True)
                .select_related("parent")}
        by_type = {t: [c for c in cats.values() if c.allows_type(t)] for t in ("event", "appeal", "hazard", "task")}
        event_cats = event_categories(by_type["event"])
        event_w = [EVENT_WEIGHTS.get(c.full_code, 2) for c in event_cats]
        appeal_cats = [cats[c] for c in APPEAL_WEIGHTS]
        start = self.now - timedelta(days=365)
        n_stall = max(len(STALLS), round(n * 0.025))
        forced = {n_stall: "hazard", n_stall + 1: "task"}
        plans = []
        counties = self.counties
        weights = [COUNTY_WEIGHTS[c] for c in counties]
        for i in range(n):
            stall = STALLS[i % len(STALLS)] if i < n_stall else None
            if stall:
                county = counties[i % len(counties)] if i < len(counties) else rng.choices(counties, weights)[0]
                typ = "event"
                day = self.now
            elif i in forced:  # at least one hazard and one key task, old enough to have finished
                typ = forced[i]
                county = g.JIAXIANG if typ == "hazard" else g.WENSHANG
                day = start + timedelta(days=rng.uniform(0, 320))
                for _ in range(1000):
                    if typ != "hazard" or day.astimezone(cal.tz()).month in (12, 1, 2):
                        break
                    day = start + timedelta(days=rng.uniform(0, 320))
            else:
                day = start + timedelta(days=rng.uniform(0, 364.9))
                county = rng.choices(counties, weights)[0]
                local = day.astimezone(cal.tz())
                r = rng.random()
                winter = local.month in (12, 1, 2)
                if county == g.JIAXIANG and winter and r < 0.45:
                    typ = "hazard"
                elif county == g.WENSHANG and r < 0.12:
                    typ = "task"
                elif r > 0.86 and self.cast.riders.get(county):
                    typ = "appeal"
                else:
                    typ = "event"
            grid = rng.choice(self.world.grids[county])
            urgency = rng.choices(["normal", "urgent"], [90, 10])[0]
            nature = ""
            if typ == "event":
                cat = rng.choices(event_cats, event_w)[0]
                if cat.parent.code == "05" or cat.full_code in ("1001", "0702"):
                    urgency = rng.choice(["urgent", "emergency"])
                source = rng.choices(["report", "patrol", "hotline", "video", "media", "leader", "visit",
                                      "inspection"], [40, 30, 18, 4, 2, 2, 2, 2])[0]
                if stall:
                    source = "patrol"
                    urgency = "normal"
                    while cat.parent.code == "05" or cat.full_code == "1001":
                        cat = rng.choices(event_cats, event_w)[0]
                if source == "report":
                    local_res = [u for u in self.cast.residents if u._home.code[:6] == county]
                    reporter = rng.choice(local_res or self.cast.residents)
                    if reporter._home.code[:6] == county and rng.random() < 0.7:
                        grid = reporter._home
                    urgency = "normal"  # a resident reports; the urgency is the accepting staff's to set
                elif source == "patrol":
                    reporter = self.cast.grid[grid.pk]
                elif source in ("visit", "leader", "inspection"):
                    reporter = self.cast.town[self.world.up(grid, "town").pk]
                else:
                    reporter = self.cast.community[grid.parent_id]
            elif typ == "appeal":
                reporter = rng.choice(self.cast.riders[county])
                grid = reporter._home
                cat = rng.choices(appeal_cats, list(APPEAL_WEIGHTS.values()))[0]
                source = rng.choice(["report", "report", "hotline"])
                urgency = "normal"
                nature = rng.choice(APPEAL_NATURES[cat.full_code])
            elif typ == "hazard":
                cat = rng.choices([cats["0704"], cats["0701"], cats["0702"], cats["0703"], cats["2002"]],
                                  [10, 3, 3, 3, 2])[0]
                source = rng.choice(["patrol", "inspection"])
                reporter = self.cast.grid[grid.pk] if source == "patrol" else \
                    self.cast.town[self.world.up(grid, "town").pk]
            else:
                cat = rng.choices([cats["2001"], cats["2002"]], [3, 2])[0]
                source = "leader"
                reporter = self.cast.county[county]
                urgency = "normal"
            kind = "task" if typ == "task" else ("patrol" if source in ("patrol", "inspection") else "report")
            t0 = self.report_time(day, kind) if not stall else day
            area = Area.objects.get(code=county) if typ == "task" else grid
            plan = Plan(idx=i, type=typ, county=county, area=area, point=self.point(grid), category=cat,
                        reporter=reporter, source=source, urgency=urgency, t0=t0, stall=stall, nature=nature)
            comm = self.world.areas.get(grid.parent_id)
            plan.title, plan.description, plan.address = self.text(plan, comm, self.world.up(grid, "town"))
            plans.append(plan)
        self.assign_scenarios(plans)
        return plans

    def assign_scenarios(self, plans):
        rng = self.rng
        ordinary = [p for p in plans if not p.stall]
        old = sorted([p for p in ordinary if p.t0 < self.now - timedelta(days=40)], key=lambda p: p.idx)
        rng.shuffle(old)
        names, weights = list(SCENARIOS), list(SCENARIOS.values())
        for p in ordinary:
            p.scenario = rng.choices(names, weights)[0]
        # Every side path at least once, on cases old enough to have finished; closing without a fix once for each
        # of its results (the n-th such case closes with the n-th result, whatever the dates drawn).
        forced = [s for s in names if s != "normal"] + ["cwf"] * (len(CWF_RESULTS) - 1)
        for p, name in zip(old, forced, strict=False):
            p.scenario = name
        for n, p in enumerate(sorted((p for p in ordinary if p.scenario == "cwf"), key=lambda p: p.idx)):
            p.extra["cwf_result"] = CWF_RESULTS[n % len(CWF_RESULTS)]
        events = sorted([p for p in ordinary if p.type == "event"], key=lambda p: p.t0)
        for p in ordinary:
            if p.scenario == "merge":
                earlier = [o for o in events if o.t0 < p.t0 and o.scenario == "normal" and o.county == p.county
                           and p.t0 - o.t0 < timedelta(days=10)]
                if p.type != "event" or not earlier:
                    earlier = [o for o in events if o.t0 < p.t0 - timedelta(hours=2) and o.scenario == "normal"]
                if not earlier:
                    p.scenario = "normal"
                    continue
                o = earlier[-1]
                o.extra["protect"] = True
                p.original = o
                p.type, p.category, p.area, p.county = o.type, o.category, o.area, o.county
                p.nature = o.nature
                p.point = (round(o.point[0] + rng.uniform(-2e-4, 2e-4), 6),
                           round(o.point[1] + rng.uniform(-2e-4, 2e-4), 6))
                if not geo.contains(o.area.boundary, p.point):
                    p.point = o.point
                p.title, p.description, p.address = o.title, o.description, o.address
                p.t0 = max(p.t0, o.t0 + timedelta(hours=rng.uniform(1, 30)))
                if p.source == "patrol":
                    p.reporter = self.cast.grid.get(o.area.pk, p.reporter)
        for p in ordinary:
            if p.extra.get("protect") and p.scenario != "normal":
                p.scenario = "normal"
            if p.type == "task" and p.scenario in ("escalate", "refuse", "merge", "return"):
                p.scenario = "normal"
            if p.type == "appeal" and p.scenario in ("escalate", "merge", "cohandle"):
                p.scenario = "normal"

    # --- lives ------------------------------------------------------------------------------------------

    def report(self, p):
        out = services.report(actor=p.reporter, type=p.type, category=p.category, title=p.title,
                              description=p.description, area=p.area if p.type == "task" else None,
                              lng=p.point[0], lat=p.point[1], address=p.address, urgency=p.urgency, source=p.source,
                              nature=p.nature)
        p.case = out.case
        self.reported += 1
        step = max(self.planned // 10, 1)  # a line every tenth
        if self.progress and (self.reported % step == 0 or self.reported == self.planned):
            self.progress(gettext("cases: %(n)d/%(total)d") % {"n": self.reported, "total": self.planned})
        return out.case

    def life(self, p):
        rng = self.rng
        t = p.t0
        yield t
        case = self.report(p)
        sc = p.scenario
        recategorized = False
        if case.stage == Stage.REPORTED:
            t = self.by_deadline(t, case, late=0.05)
            yield t
            if sc == "refuse":
                services.refuse(case, actor=self.supervisor(case), reason=rng.choice(REFUSE_REASONS))
                return
            if sc == "merge" and p.original and p.original.case and rng.random() < 0.5:
                services.merge(case, into=p.original.case, actor=self.supervisor(case), note=MERGE_NOTE)
                return
            case = services.accept(case, actor=self.supervisor(case)).case
        if sc == "merge" and p.original and p.original.case:
            t = self.work(t, rng.uniform(5, 60))
            yield t
            services.merge(case, into=p.original.case, actor=self.supervisor(case), note=MERGE_NOTE)
            return
        if sc == "cwf":
            t = self.work(t, rng.uniform(30, 900))
            yield t
            result = p.extra["cwf_result"]
            services.close_without_fix(case, actor=self.supervisor(case), result=result,
                                       reason=rng.choice(CWF[result]))
            return
        if sc == "escalate":
            t = self.work(t, rng.uniform(30, 600))
            yield t
            case = services.escalate(case, actor=self.dispatcher(case), reason=rng.choice(ESCALATE)).case
        if sc == "recategorize" and rng.random() < 0.5:
            t = self.work(t, rng.uniform(10, 120))
            yield t
            case = self._recategorize(case)
            recategorized = True
        if sc in ("void", "void_refused"):
            yield from self._void(case, sc == "void")
            if sc == "void":
                return
            t = clock.now()
        # dispatch ... close, repeated after a return or recategorization
        returned = False
        while True:
            t = self.by_deadline(t, case)
            yield t
            lead = self.lead_for(case)
            co = []
            if sc == "cohandle" or (p.type == "task" and rng.random() < 0.35):
                county = case.area.code[:6]
                others = [d for (c, _n), d in self.world.depts.items() if c == county and d != lead]
                co = rng.sample(others, 1 if sc != "cohandle" else 2)
            elif sc == "return" and not returned:
                if self.now - t > timedelta(days=30):
                    lead = self.misroute(case, lead)
                else:  # too recent to be back by now (moves after now are not made): to the right unit at once
                    returned = True
            case = services.dispatch(case, actor=self.dispatcher(case), lead=lead, co_handlers=co).case
            if sc == "recategorize" and not recategorized and case.stage == Stage.DISPATCHED:
                recategorized = True
                t = self.work(t, rng.uniform(10, 240))
                yield t
                case = self._recategorize(case)
                continue
            t = self.by_deadline(t, case, late=0.01, spread=(0.01, 0.15), tail=0)  # the handler takes it
            yield t
            if sc == "return" and not returned:
                returned = True
                (_a, user), = self.handlers(case, lead_only=True)
                case = services.return_case(case, actor=user, reason=rng.choice(RETURN_REASONS)).case
                continue
            for _a, user in self.handlers(case, statuses=(AssignmentStatus.PENDING,)):
                case = services.handler_accept(case, actor=user).case
            break
        # appeals: the industry committee passes it on to the department the category names, or to the worker's own
        # firm; a report of wrongdoing, or a worker of no firm of its own, it keeps
        if p.type == "appeal" and isinstance(lead, Org) and lead.kind == "industry_committee":
            firm = getattr(p.reporter, "_firm", None)
            to = self.route(case, industry="") or (
                firm if firm in self.world.firms.get(lead.pk, []) and case.nature != "whistleblow" else None)
            if to is not None:
                t = self.work(t, rng.uniform(10, 300))
                yield t
                (_a, user), = self.handlers(case, lead_only=True)
                case = services.redispatch(case, actor=user, to=to, note="转交相关单位办理。").case
                t = self.work(t, rng.uniform(10, 300))
                yield t
                for _a, user in self.handlers(case, statuses=(AssignmentStatus.PENDING,)):
                    case = services.handler_accept(case, actor=user).case
        if sc in ("park", "park_refused"):
            t = self.by_deadline(t, case, late=0, spread=(0.05, 0.3))
            yield t
            (_a, user), = self.handlers(case, lead_only=True)
            services.request_park(case, actor=user, reason=rng.choice(PARK_REASONS))
            t = self.work(t, rng.uniform(30, 600))
            yield t
            case = services.decide_park(case, actor=self.supervisor(case), approve=sc == "park",
                                        note="同意挂账。" if sc == "park" else "不同意，请继续办理。").case
            if sc == "park":
                t = t + timedelta(days=rng.uniform(5, 40))
                t = self.work(t, 30)
                yield t
                case = services.unpark(case, actor=self.supervisor(case), note="条件具备，恢复办理。").case
        if sc == "extension":
            t = self.by_deadline(t, case, late=0, spread=(0.2, 0.6))
            yield t
            (_a, user), = self.handlers(case, lead_only=True)
            services.request_extension(case, actor=user, work_days=rng.choice([2, 3, 5, 10]),
                                       reason=rng.choice(EXT_REASONS))
            t = self.by_deadline(t, case, late=0, spread=(0.1, 0.5))
            yield t
            approve = rng.random() < 0.8
            case = services.decide_extension(case, actor=self.supervisor(case), approve=approve,
                                             note="同意延期。" if approve else "不同意延期，请按期办结。").case
        if rng.random() < 0.3 or p.type == "task":
            t = self.by_deadline(t, case, late=0, spread=(0.05, 0.5))
            yield t
            (_a, user), = self.handlers(case, lead_only=True)
            case = services.progress(case, actor=user, note=rng.choice(PROGRESS)).case
        if sc == "supervise":
            t = self.work(max(t, case.due_at or t), rng.uniform(30, 900))
            yield t
            case = services.supervise(case, actor=self.above(case), note=rng.choice(SUPERVISE)).case
            t = self.work(t, rng.uniform(60, 1500))
        else:
            t = self.by_deadline(t, case, late=0.04)
        yield from self._feedback(case, t)
        case = Case.objects.get(pk=case.pk)
        t = clock.now()
        # verification, rework
        reworked = False
        while True:
            t = self.by_deadline(t, case, late=0.02)
            yield t
            fail = sc == "rework" and not reworked
            case = services.verify(case, actor=self.supervisor(case), passed=not fail,
                                   note=rng.choice(REWORK) if fail else "现场核查已处理到位。").case
            if case.stage == Stage.CLOSED:
                break
            reworked = True
            t = self.by_deadline(t, case, late=0.05)
            yield from self._feedback(case, t)
            case = Case.objects.get(pk=case.pk)
            t = clock.now()
        yield from self._after_close(p, case, t)

    def _feedback(self, case, t):
        """Each handler gives feedback in turn (the last one sends the case to verification)."""
        for _ in range(len(self.handlers(case, statuses=(AssignmentStatus.ACCEPTED,)))):
            yield t
            waiting = self.handlers(case, statuses=(AssignmentStatus.ACCEPTED,))  # after any handover
            if not waiting:
                return
            services.feedback(case, actor=waiting[0][1], note=self.rng.choice(FEEDBACK))
            t = self.work(t, self.rng.uniform(5, 300))

    def _recategorize(self, case):
        same = [c for c in Category.objects.filter(parent__isnull=False, is_active=True).order_by("full_code")
                if c.allows_type(case.type) and c.pk != case.category_id
                and (case.type == "task" or c.full_code[:2] not in ("05", "11", "20"))]
        pool = [c for c in same if c.parent_id == case.category.parent_id] or same
        return services.recategorize(case, actor=self.supervisor(case), category=self.rng.choice(pool),
                                     note="分类有误，予以更正。").case

    def _void(self, case, approve):
        rng = self.rng
        t = self.work(clock.now(), rng.uniform(20, 600))
        yield t
        services.request_void(case, actor=self.supervisor(case), reason=rng.choice(VOID_REASONS))
        t = self.work(t, rng.uniform(20, 600))
        yield t
        services.decide_void(case, actor=self.supervisor(case), approve=approve,
                             note="同意作废。" if approve else "不同意作废，请继续办理。")

    def _after_close(self, p, case, t):
        rng = self.rng
        reporter = p.reporter
        if TYPES_RATE.get(case.type) and reporter in self.cast.residents and rng.random() < 0.85:
            t = t + timedelta(hours=rng.uniform(1, 48))
            yield t
            stars = rng.choices([5, 4, 3, 2, 1], [62, 25, 7, 3, 3])[0]
            services.rate(case, actor=reporter, stars=stars, note="" if stars >= 4 else "处理不够及时。")
        if case.type != "task" and rng.random() < 0.35:
            day = (t + timedelta(days=1)).astimezone(cal.tz()).replace(hour=9, minute=0)
            t = self.work(max(day, t), rng.uniform(0, 400))
            yield t
            fixed = rng.random() > 0.1
            case = services.revisit(case, actor=self.supervisor(case), fixed=fixed,
                                    note="回访群众，表示问题已解决。" if fixed else "回访群众反映问题未解决。").case
            if not fixed:
                t = self.work(t, rng.uniform(60, 600))
                yield t
                fed_back = Assignment.objects.filter(case=case, status=AssignmentStatus.FED_BACK).exists()
                if rng.random() < 0.6 and fed_back:
                    case = services.verify(case, actor=self.supervisor(case), passed=False,
                                           note="回访未解决，责任单位返工。").case
                    yield from self._feedback(case, self.by_deadline(t, case, late=0.05))
                    case = Case.objects.get(pk=case.pk)
                    t = self.by_deadline(clock.now(), case)
                    yield t
                    services.verify(case, actor=self.supervisor(case), passed=True, note="返工后核查到位。")
                else:
                    services.close_without_fix(case, actor=self.supervisor(case), result=CloseResult.NO_ACTION,
                                               reason="经核实确无解决条件，已向群众解释说明。")

    # --- cases open now ---------------------------------------------------------------------------------

    def stall_start(self, p, stage, colour):
        """When the clock of ``stage`` must start for the case to show ``colour`` now."""
        level = "community"
        clock_name = CLOCK_OF_STAGE[stage]
        amount, unit, wf = deadlines.find_limit(p.category, p.urgency, clock_name, level)
        found = []
        step = 20
        far = 40 * 24 * 60 if colour == "red" else 20 * 24 * 60
        m = 10
        while m < far:
            ts = self.now - timedelta(minutes=m)
            due, warn = cal.due_and_warn(ts, amount, unit, wf, self.cal)
            ok = {"blue": self.now < warn, "yellow": warn <= self.now <= due, "red": self.now > due}.get(colour, True)
            if ok:
                found.append(ts)
                if colour != "red" and len(found) >= 30:
                    break
            elif found and colour != "red":
                break
            m += step
        if not found:
            return self.now - timedelta(minutes=30)
        if colour == "red":
            first = found[0]
            found = [f for f in found if f > first - timedelta(days=25)]
        return self.rng.choice(found)

    def stall_life(self, p):
        rng = self.rng
        stage, colour = p.stall
        order = ["reported", "accepted", "dispatched", "handling", "verifying"]
        k = order.index(stage)
        clock_idx = 2 if stage == "handling" else k  # handler acceptance does not restart the clock
        ts = self.stall_start(p, order[clock_idx], "blue" if colour == "parked" else colour)
        times = [ts] * (k + 1)
        for i in range(clock_idx - 1, -1, -1):
            times[i] = times[i + 1] - timedelta(minutes=rng.uniform(20, 240))
        if stage == "handling":
            times[3] = ts + min(timedelta(minutes=rng.uniform(5, 60)), (self.now - ts) / 2)
        yield times[0]
        case = self.report(p)
        if k >= 1:
            yield times[1]
            case = services.accept(case, actor=self.supervisor(case)).case
        if k >= 2:
            yield times[2]
            lead = self.cast.grid[p.area.pk] if colour == "red" else (self.route(case) or self.cast.grid[p.area.pk])
            case = services.dispatch(case, actor=self.dispatcher(case), lead=lead).case
        if k >= 3:
            if stage == "verifying":
                times[3] = times[2] + (times[4] - times[2]) * rng.uniform(0.1, 0.5)
            yield times[3]
            for _a, user in self.handlers(case, statuses=(AssignmentStatus.PENDING,)):
                case = services.handler_accept(case, actor=user).case
        if k >= 4:
            yield from self._feedback(case, times[4])
        if colour == "parked":
            yield times[-1] + (self.now - times[-1]) * 0.4
            (_a, user), = self.handlers(case, lead_only=True)
            services.request_park(case, actor=user, reason=rng.choice(PARK_REASONS))
            yield times[-1] + (self.now - times[-1]) * 0.7
            services.decide_park(case, actor=self.supervisor(case), approve=True, note="同意挂账。")
        case = Case.objects.get(pk=case.pk)
        if colour == "red" and case.due_at and case.due_at + timedelta(days=1) < self.now:
            yield max(case.due_at + timedelta(days=1), clock.now() + timedelta(minutes=1))
            services.supervise(case, actor=self.above(case), note=SUPERVISE[1])

    # --- handover ---------------------------------------------------------------------------------------

    def handover_life(self, moments):
        for t in moments:
            yield t
            busy = (Assignment.objects.filter(status__in=ACTIVE_ASSIGNMENT, user__isnull=False,
                                              case__stage__in=("dispatched", "handling", "verifying"),
                                              user__grants__role="grid_worker")
                    .values_list("user_id", flat=True).order_by("user_id"))
            counts = {}
            for uid in busy:
                counts[uid] = counts.get(uid, 0) + 1
            if not counts:
                continue
            uid = max(counts, key=lambda k: (counts[k], -k))
            old = User.objects.get(pk=uid)
            grid_pk = next(pk for pk, u in self.cast.grid.items() if u.pk == uid)
            grid = self.world.areas[grid_pk]
            successor = self.cast.account(f"w_{grid.code}_grid{len(self.handovers) + 2}", "grid_worker", area=grid,
                                          kind="grid_worker")
            self.cast.grid[grid_pk] = successor
            self.handovers.append(services.handover(actor=self.cast.admin, from_user=old, to_user=successor,
                                                    note="网格员岗位调整，在办案件移交新任网格员。"))


TYPES_RATE = {"event": True, "appeal": True, "hazard": True, "task": False}


@dataclass
class Result:
    cases: int
    moves: int
    accounts: int
    handovers: int


def generate_cases(n: int, rng: random.Random, *, now: datetime | None = None, progress=None) -> Result:
    """Generate ``n`` cases over the year before ``now`` (default: the clock's now), through the services;
    ``progress(line)``, if given, hears of the working accounts made and of every tenth of the cases reported."""
    now = now or clock.now()
    demo = Demo(rng, now, progress)
    with transaction.atomic():
        demo.world = World(demo.counties)
        demo.cast = Cast(rng)
        demo.cast.build(demo.counties)
        plans = demo.plans(n)
    demo.planned = len(plans)
    if progress:
        progress(gettext("working accounts: %(n)d") % {"n": demo.cast.created})
    for p in plans:
        label = f"plan {p.idx} ({p.type}/{p.category.full_code}/{p.stall or p.scenario})"
        demo.schedule(demo.stall_life(p) if p.stall else demo.life(p), label)
    demo.schedule(demo.handover_life([now - timedelta(days=d) for d in (200, 120, 45)]
                                     + [now - timedelta(minutes=5)]), "handover")
    demo.run()
    if demo.errors:
        raise RuntimeError(f"{len(demo.errors)} demo moves were refused:\n" + "\n".join(demo.errors[:30]))
    problems = checker.check(Case.objects.all())
    if problems:
        raise RuntimeError("The demo cases do not add up:\n" + "\n".join(problems[:20]))
    return Result(cases=sum(1 for p in plans if p.case is not None), moves=demo.moves, accounts=demo.cast.created,
                  handovers=sum(len(h) for h in demo.handovers))
