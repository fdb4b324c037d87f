"""Demo data of this app (the app config's seed_demo): a year of consultation in 梁山's communities and villages.

Each community or village of 梁山县 gets its council (议事会: party members' and residents' representatives, the
两委, a co-building unit, the owners' committee and the property company; villages without the last two), a
couple of dozen resident accounts, and a year replayed month by month through the services (``clock.at``): topics
raised on phones or written down by the grid worker, supports, triage (some declined with a reason, some merged),
a monthly council meeting deciding the most supported ones (named votes or a show of hands), the follow-up tasks on
the case engine handled by the county's departments, and the residents' ratings. Villages take two major matters
a year through 四议两公开. Two demo logins: ``liangshan_consult`` (community staff) and ``liangshan_resident``.
"""

from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError

from lianxin.accounts import services as accounts
from lianxin.accounts.models import RoleGrant, User
from lianxin.areas.models import Area
from lianxin.cases import services as cases
from lianxin.cases.models import Category
from lianxin.core import clock
from lianxin.orgs.models import Org
from lianxin.workdays.calendar import tz

from . import seed as categories
from . import services
from .models import Choice, CouncilKind, ItemOutcome, Presence, Seat, Step

LIANGSHAN = "370832"
RESIDENTS_PER_COMMUNITY = 24

# (title, text, place, category sub code)
TOPICS = [
    ("小区东门路灯不亮", "东门两盏路灯坏了很久，晚上老人孩子出行不安全。", "东门", "02"),
    ("楼道堆放杂物", "3号楼楼道堆满纸箱和旧家具，有消防隐患。", "3号楼", "01"),
    ("增设电动车充电桩", "电动车只能拉飞线充电，希望在车棚增设充电桩。", "北侧车棚", "02"),
    ("垃圾分类亭位置不合理", "分类亭紧挨住户窗户，夏天气味大，建议挪到路口。", "5号楼西侧", "01"),
    ("广场舞音响扰民", "晚上九点后还在放音乐，影响学生学习和老人休息。", "中心广场", "06"),
    ("老旧小区加装电梯", "六层老楼没有电梯，腿脚不便的老人上下楼困难。", "2号楼", "02"),
    ("停车位紧张乱停车", "道路两侧乱停车，消防车进不来，建议规划停车位。", "主干道", "04"),
    ("小区绿化带改造", "绿化带杂草丛生，建议改成小游园供居民休闲。", "南区绿化带", "01"),
    ("物业费收支不透明", "希望物业公司每季度公示物业费收支情况。", "物业服务中心", "03"),
    ("雨后积水严重", "每次下雨路口积水没过脚踝，排水管道需要疏通。", "南门路口", "02"),
    ("健身器材损坏", "广场健身器材螺丝松动，有安全隐患。", "中心广场", "02"),
    ("建设老年食堂", "独居老人吃饭不方便，希望开办社区老年食堂。", "党群服务中心", "06"),
    ("学生放学路口拥堵", "学校门口放学时段拥堵，希望增设护学岗和减速带。", "学校路口", "04"),
    ("流浪犬伤人隐患", "小区内流浪犬较多，晚上追人，希望联系收容。", "西区", "06"),
    ("外墙瓷砖脱落", "4号楼外墙瓷砖掉落，砸到过停放的车辆。", "4号楼", "02"),
    ("快递柜不够用", "快递经常堆在门岗，希望增设快递柜。", "北门", "03"),
    ("二次供水水压低", "高层住户用水水压不足，洗澡困难。", "7号楼", "03"),
    ("无障碍通道缺失", "单元门口台阶没有坡道，轮椅进出不便。", "各单元门口", "02"),
]
VILLAGE_TOPICS = [
    ("村内道路硬化", "村北生产路雨天泥泞，农机和村民出行困难。", "村北生产路", "05"),
    ("村集体土地流转", "村集体机动地对外流转，收益用于村内公益事业。", "村西机动地", "05"),
    ("修建村文化广场", "村里没有活动场地，建议利用闲置宅基地建文化广场。", "村中闲置宅基地", "05"),
    ("坑塘整治", "村东坑塘淤积发臭，建议清淤并修护坡。", "村东坑塘", "01"),
    ("安装太阳能路灯", "主街没有路灯，晚上出行不便。", "村主街", "02"),
]
DECLINE_REASONS = [
    "属于物业服务合同约定范围，已转物业公司处理。",
    "涉及邻里个人纠纷，已转“和为贵”调解室调解。",
    "不属于社区议事范围，已转12345热线办理。",
    "该事项已列入街道年度改造计划，无需再次议事。",
]
COMMENTS = ["办得很快，感谢社区！", "问题解决了，满意。", "效果不错，希望长期保持。", "比以前好多了。",
            "还有点小问题，希望再跟进。", "", "", ""]
STARS = [5] * 55 + [4] * 30 + [3] * 10 + [2] * 3 + [1] * 2


def _at(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=tz())


def _staff(area) -> User:
    """The community's staff account of the demo cases, or one of this app's when the cases were left out."""
    grant = (RoleGrant.objects.filter(role="community_staff", area=area).select_related("user").order_by("pk")
             .first())
    if grant:
        return grant.user
    return accounts.create_account(actor=None, username=f"ls_{area.code}_staff", person=None, area=area,
                                   grants=[("community_staff", {"area": area})])


def _grid_worker(area) -> User | None:
    """A grid worker of the community (the demo cases'), or one of this app's at its first grid."""
    grant = (RoleGrant.objects.filter(role="grid_worker", area__parent=area).select_related("user")
             .order_by("pk").first())
    if grant:
        return grant.user
    grid = Area.objects.filter(parent=area, kind="grid").order_by("code").first()
    if grid is None:
        return None
    return accounts.create_account(actor=None, username=f"ls_{grid.code}_grid", person=None, area=grid,
                                   grants=[("grid_worker", {"area": grid})])


def _handlers(county) -> list[tuple[Org, User]]:
    out = []
    for org in Org.objects.filter(kind="department", area=county, is_active=True).order_by("pk")[:6]:
        grant = RoleGrant.objects.filter(role="department_handler", org=org).select_related("user").first()
        user = grant.user if grant else accounts.create_account(
            actor=None, username=f"ls_dept{org.pk}", person=None,
            area=county, grants=[("department_handler", {"org": org})])
        out.append((org, user))
    return out


class Year:
    """One community's year, replayed in time order through the services."""

    def __init__(self, demo, area, staff, handlers, residents, grid_worker):
        self.demo, self.rng, self.area, self.staff = demo, demo.rng, area, staff
        self.handlers, self.residents, self.grid_worker = handlers, residents, grid_worker
        self.now = clock.now()
        self.village = area.name.endswith("村")
        self.council = None
        self.counts = {"topics": 0, "supports": 0, "meetings": 0, "decisions": 0, "tasks": 0, "done": 0,
                       "ratings": 0, "major": 0}
        self.open = []  # topics waiting for a meeting
        self.subs = {}  # topic pk -> task category sub code
        self.grid = grid_worker.grants.get(role="grid_worker").area if grid_worker else None

    def run(self, start) -> dict:
        with clock.at(_at(start - timedelta(days=20), 10)):
            self.council = services.create_council(
                actor=self.staff, area=self.area, name=f"{self.area.name}{'村民' if self.village else '居民'}议事会",
                kind=CouncilKind.VILLAGE if self.village else CouncilKind.COMMUNITY, quorum_percent=50,
                majority_percent=50)
            self._members(start)
        pool = VILLAGE_TOPICS + TOPICS[:8] if self.village else TOPICS
        self.pool = list(pool)
        self.rng.shuffle(self.pool)
        for month in range(12):
            first = start + timedelta(days=30 * month)
            meeting_day = first + timedelta(days=22 + self.rng.randrange(5))
            self._raise(first, meeting_day)
            self._triage(meeting_day - timedelta(days=6))
            if _at(meeting_day, 12) < self.now:
                self._meet(meeting_day, major=self.village and month in (2, 7))
        return self.counts

    def _members(self, start):
        seats = [(Seat.PARTY, 2), (Seat.RESIDENT, 3), (Seat.COMMITTEES, 2), (Seat.UNIT, 1)]
        if not self.village:
            seats += [(Seat.OWNERS, 1), (Seat.PROPERTY, 1)]
        term_start = start.replace(day=1) - timedelta(days=400)
        for seat, n in seats:
            for _ in range(n):
                services.add_member(self.council, actor=self.staff, seat=seat,
                                    name=self.demo.name(self.rng.choice("mf")), term_start=term_start,
                                    term_end=term_start.replace(year=term_start.year + 3))

    def _raise(self, first, meeting_day):
        for _ in range(self.rng.randint(2, 4)):
            title, text, place, sub = self.pool[self.rng.randrange(len(self.pool))]
            day = first + timedelta(days=self.rng.randrange(18))
            by_grid = self.grid_worker is not None and self.rng.random() < 0.35
            author = self.grid_worker if by_grid else self.rng.choice(self.residents)
            with clock.at(_at(day, self.rng.randint(8, 20), self.rng.randrange(60))):
                topic = services.raise_topic(
                    actor=author, area=self.grid if by_grid else self.area,
                    title=title, text=text, place=place, for_resident=self.demo.name(self.rng.choice("mf"))
                    if by_grid else "")
            self.subs[topic.pk] = sub
            self.counts["topics"] += 1
            supporters = self.rng.sample(self.residents, self.rng.randint(0, min(12, len(self.residents))))
            for user in supporters:
                if user.pk == author.pk:
                    continue
                when = day + timedelta(days=self.rng.randrange(max(1, (meeting_day - day).days)))
                with clock.at(_at(when, self.rng.randint(7, 22), self.rng.randrange(60))):
                    services.support(topic, actor=user)
                self.counts["supports"] += 1
            self.open.append(topic)

    def _triage(self, day):
        with clock.at(_at(day, 15)):
            for topic in list(self.open):
                roll = self.rng.random()
                if roll < 0.08:
                    services.decline(topic, actor=self.staff, reason=self.rng.choice(DECLINE_REASONS))
                    self.open.remove(topic)
                elif roll < 0.14:
                    twin = next((t for t in self.open if t.title == topic.title and t.pk != topic.pk), None)
                    if twin is not None:
                        services.merge(topic, into=twin, actor=self.staff)
                        self.open.remove(topic)

    def _meet(self, day, major=False):
        rng = self.rng
        with clock.at(_at(day - timedelta(days=5), 9)):
            meeting = services.create_meeting(actor=self.staff, council=self.council,
                                              title=f"{day.month}月{'村民代表' if self.village else '居民'}议事会",
                                              starts_at=_at(day, 9, 30), place=f"{self.area.name}党群服务中心")
        self.counts["meetings"] += 1
        for t in self.open:
            t.refresh_from_db(fields=["supports", "status"])
        chosen = sorted(self.open, key=lambda t: (-t.supports, t.pk))[:rng.randint(1, 3)]
        early = _at(day - timedelta(days=26), 8)
        matter = next((t for t in sorted(self.open, key=lambda t: (-t.supports, t.pk)) if t.created_at < early),
                      None) if major else None
        if matter is not None:
            chosen = [matter, *[t for t in chosen if t.pk != matter.pk]][:3]
            self._sihyi(matter, day)
        items = []
        with clock.at(_at(day - timedelta(days=4), 10)):
            for topic in chosen:
                is_major = topic is matter
                items.append(services.schedule(topic, meeting=meeting, actor=self.staff, major=is_major))
                self.open.remove(topic)
        with clock.at(_at(day, 9, 30)):
            for att in meeting.attendance.select_related("member"):
                roll = rng.random()
                presence = Presence.PRESENT if roll < 0.86 else Presence.PROXY if roll < 0.92 else Presence.ABSENT
                services.set_attendance(meeting, actor=self.staff, member=att.member, presence=presence,
                                        proxy_name=self.demo.name("m") if presence == Presence.PROXY else "")
        present = [a.member for a in meeting.attendance.select_related("member") if a.counts]
        for n, item in enumerate(items):
            with clock.at(_at(day, 10 + n)):
                services.record_item(item, actor=self.staff, discussion=self._discussion(item.topic),
                                     options="方案一：按提议实施；方案二：暂缓，进一步征求意见")
                passing = rng.random() < 0.88 or item.major
                voters = len(present)
                yes = voters - rng.randint(0, max(0, voters // 4)) if passing else rng.randint(0, voters // 2)
                if rng.random() < 0.3:
                    for k, member in enumerate(present):
                        choice = Choice.FOR if k < yes else rng.choice([Choice.AGAINST, Choice.ABSTAIN])
                        services.cast_vote(item, actor=self.staff, member=member, choice=choice)
                else:
                    rest = voters - yes
                    against = rng.randint(0, rest)
                    services.record_tally(item, actor=self.staff, votes_for=yes, votes_against=against,
                                          votes_abstain=rest - against)
                try:
                    item = services.close_vote(item, actor=self.staff, text=self._decision_text(item.topic))
                except ValidationError:  # a meeting short of its quorum decides nothing
                    continue
            if item.outcome == ItemOutcome.PASSED:
                self.counts["decisions"] += 1
                self._follow_up(item, day)

    def _sihyi(self, topic, day):
        with clock.at(_at(day - timedelta(days=25), 9)):
            decision = services.propose(topic, actor=self.staff, record="村党支部会议研究提议，形成初步方案。")
        with clock.at(_at(day - timedelta(days=18), 9)):
            services.record_step(decision, actor=self.staff, step=Step.CONSULTATION,
                                 record="村“两委”联席会议商议，完善方案并征求驻村第一书记意见。")
        with clock.at(_at(day - timedelta(days=11), 9)):
            services.record_step(decision, actor=self.staff, step=Step.REVIEW, record="村党员大会审议通过方案。")
        self.counts["major"] += 1

    @staticmethod
    def _discussion(topic) -> str:
        return f"与会人员围绕“{topic.title}”逐一发言，听取提议居民、物业和共建单位意见，形成处理方案。"

    @staticmethod
    def _decision_text(topic) -> str:
        return f"同意对“{topic.title}”按方案一实施，由牵头单位30日内办结，社区跟踪督办并公示结果。"

    def _follow_up(self, item, day):
        from .models import Decision

        rng, now = self.rng, self.now
        decision = Decision.objects.get(topic=item.topic)
        start = day + timedelta(days=1)
        if decision.major:
            with clock.at(_at(start, 9)):
                decision = services.record_step(decision, actor=self.staff, step=Step.RESOLUTION_PUBLIC,
                                                record="决议在村务公开栏和微信群公示7天，无异议。")
            start += timedelta(days=8)
        if rng.random() > 0.9 or not self.handlers or _at(start, 9) > now:
            return
        org, handler = rng.choice(self.handlers)
        sub = self.subs.get(item.topic_id, "06")
        category = Category.objects.get(full_code=categories.CLASS_CODE + sub)
        with clock.at(_at(start, 9)):
            case = services.create_task(decision, actor=self.staff, category=category, title=item.topic.title,
                                        lead=org)
        self.counts["tasks"] += 1
        moments = [_at(start + timedelta(days=1), 10)]
        moments.append(moments[0] + timedelta(days=rng.randint(3, 28), hours=rng.randint(0, 6)))
        moments.append(moments[1] + timedelta(days=rng.randint(1, 3)))
        if moments[0] > now:
            return
        with clock.at(moments[0]):
            case = cases.handler_accept(case, actor=handler).case
        if moments[1] > now:
            return
        with clock.at(moments[1]):
            case = cases.feedback(case, actor=handler, note="已按议事决议办结，附现场照片。").case
        if moments[2] > now:
            return
        with clock.at(moments[2]):
            cases.verify(case, actor=self.staff, passed=True, note="社区现场核查，已办结。")
        self.counts["done"] += 1
        if decision.major:
            with clock.at(moments[2] + timedelta(days=1)):
                services.record_step(decision, actor=self.staff, step=Step.RESULT_PUBLIC,
                                     record="实施结果在村务公开栏公示，接受村民监督。")
        for user in rng.sample(self.residents, rng.randint(2, 8)):
            when = moments[2] + timedelta(days=rng.randint(1, 20), hours=rng.randint(0, 8))
            if when > now:
                continue
            with clock.at(when):
                services.rate(decision, actor=user, stars=rng.choice(STARS), comment=rng.choice(COMMENTS))
            self.counts["ratings"] += 1


def seed(demo) -> str:
    county = Area.objects.filter(code=LIANGSHAN, kind="county").first()
    if county is None:
        return "consultation: no 梁山 county in the demo"
    communities = list(Area.objects.filter(kind="community", path__startswith=county.path).order_by("code"))
    handlers = _handlers(county)
    start = (clock.now().astimezone(tz()) - timedelta(days=365)).date()
    totals: dict[str, int] = {}
    for n, comm in enumerate(communities):
        staff = _staff(comm)
        residents = [accounts.create_account(actor=None, username=f"ls_{comm.code}_r{i:02d}", person=None,
                                             area=comm, grants=[("resident", {"area": comm})])
                     for i in range(RESIDENTS_PER_COMMUNITY)]
        if n == 0:
            residents.append(accounts.create_account(
                actor=None, username="liangshan_resident", person=None, area=comm, password=demo.password,
                grants=[("resident", {"area": comm})]))
            accounts.create_account(actor=None, username="liangshan_consult", person=None, area=comm,
                                    password=demo.password, grants=[("community_staff", {"area": comm})])
        counts = Year(demo, comm, staff, handlers, residents, _grid_worker(comm)).run(start)
        for key, value in counts.items():
            totals[key] = totals.get(key, 0) + value
    return f"consultation: {len(communities)} councils in 梁山, " + ", ".join(f"{v} {k}" for k, v in totals.items())
