"""Demo data of this app (the app config's seed_demo), generated after the base demo and the cases.

Worker profiles for the demo's riders, couriers and drivers of the seven counties with towns; part-time grid
workers among those who have an account; 双报到 of firms' party organisations and party members with a year of
quarterly feedback; service requests at every stage on the case engine; 大党委 members; 2–3 campaigns per
county with delivery logs. It creates no people and no accounts (the base demo's digest stays the same).
"""

from datetime import date, datetime, time, timedelta

from django.db.models import Q

from lianxin.accounts.models import User
from lianxin.areas.models import Area
from lianxin.cases import services as cases
from lianxin.cases.models import Category
from lianxin.core import clock
from lianxin.core.clock import today
from lianxin.duties.models import Obligation
from lianxin.orgs.models import Org
from lianxin.people.models import Person
from lianxin.workdays.calendar import tz

from . import seed as service_seed
from . import services
from .models import WORKER_KINDS, Delivery, RegKind, Worker

SERVICES = ["政策宣讲", "助老助残", "环境整治", "法律咨询", "文明交通劝导", "爱心送餐", "义务维修", "防诈宣传"]
NEEDS = {
    "3101": ["陪老人去医院复查", "帮独居老人买米面油", "轮椅老人下楼晒太阳"],
    "3102": ["咨询灵活就业社保缴纳", "咨询医保异地备案", "咨询新业态职业伤害保障"],
    "3103": ["楼道杂物清理", "小区绿化带垃圾捡拾"],
    "3104": ["社区广场舞比赛志愿服务", "暑期少儿托管活动"],
    "3105": ["帮忙修理电动车充电桩", "代收代寄快递", "帮老人设置手机健康码"],
    "3106": ["协助张贴防汛通知"],
}
CAMPAIGNS = [
    ("新就业形态劳动者权益保障宣讲", "劳动权益"), ("防范电信网络诈骗", "平安建设"), ("医保政策进万家", "医疗保障"),
    ("文明城市创建随件送", "文明创建"), ("安全生产月宣传", "安全生产"), ("灵活就业社保政策宣讲", "社会保障"),
]
POSTS = ["兼职委员", "兼职委员", "兼职委员", "委员"]


def _moment(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=tz())


class Seeder:
    def __init__(self, rng):
        self.rng = rng
        self.today = today()
        self.counts = {"workers": 0, "grid": 0, "registrations": 0, "feedback": 0, "services": 0,
                       "committee": 0, "campaigns": 0, "deliveries": 0}
        self.staff = {}  # community pk -> a community staff account
        self.residents = {}  # community pk -> resident accounts

    # ------------------------------------------------------------ accounts that exist
    def load_accounts(self):
        for u in (User.objects.filter(is_active=True, grants__role__in=("community_staff", "resident"),
                                      grants__area__kind="community")
                  .values_list("pk", "grants__role", "grants__area").order_by("pk")):
            pk, role, area = u
            if role == "community_staff":
                self.staff.setdefault(area, pk)
            else:
                self.residents.setdefault(area, []).append(pk)
        users = {u.pk: u for u in User.objects.filter(pk__in=[*self.staff.values(),
                                                              *(p for v in self.residents.values() for p in v)])}
        self.staff = {a: users[pk] for a, pk in self.staff.items()}
        self.residents = {a: [users[pk] for pk in pks] for a, pks in self.residents.items()}

    # ------------------------------------------------------------ workers
    def workers(self) -> list[Worker]:
        rng = self.rng
        people = (Person.objects.filter(tags__kind__in=WORKER_KINDS, area__kind="grid", org__kind="firm")
                  .select_related("area__parent__parent", "org").distinct().order_by("pk"))
        rows = []
        for p in people:
            town = p.area.parent.parent
            rows.append(Worker(
                person=p, org=p.org, area=p.area.parent, branch_name=f"{town.name[:2]}站" if rng.random() < 0.7 else "",
                is_collector=rng.random() < 0.45, is_promoter=rng.random() < 0.35,
                joined_on=self.today - timedelta(days=rng.randint(30, 900))))
        Worker.objects.bulk_create(rows, batch_size=500)
        self.counts["workers"] = len(rows)
        return list(Worker.objects.select_related("person", "person__area", "area", "org").order_by("pk"))

    def grid_links(self, workers):
        with_account = dict(User.objects.filter(person__worker__isnull=False).values_list("person_id", "username"))
        for w in workers:
            if w.person_id not in with_account or w.person.area.kind != "grid":
                continue
            # The demo's rider login stays a plain resident: the SMS login refuses accounts holding other roles.
            if with_account[w.person_id] != "demo_resident" and self.rng.random() < 0.6:
                services.link_grid(w, actor=self.staff.get(w.area_id), grid=w.person.area, note="骑手兼职网格员")
                self.counts["grid"] += 1

    # ------------------------------------------------------------ 双报到
    def registrations(self, workers):
        rng = self.rng
        regs = []
        firms = Org.objects.filter(kind="firm", area__kind="community").select_related("area").order_by("pk")
        branches = {o.parent_id: o for o in Org.objects.filter(kind="branch", parent__kind="firm").order_by("pk")}
        for firm in firms:
            unit = branches.get(firm.pk) or (firm if rng.random() < 0.5 else None)
            if unit is None:
                continue
            regs.append(services.register(
                actor=self.staff.get(firm.area_id), kind=RegKind.ORG, area=firm.area, org=unit,
                registered_on=self.today - timedelta(days=rng.randint(60, 540)),
                services="\n".join(rng.sample(SERVICES, 2))))
        members = [w.person for w in workers if w.person.is_party_member]
        members += list(Person.objects.filter(is_party_member=True, account__isnull=False, worker__isnull=True,
                                              area__kind__in=("grid", "community"))
                        .filter(Q(account__grants__role="resident")).select_related("area", "org").distinct()
                        .order_by("pk"))
        for person in members:
            community = services.community_of(person.area)
            if community is None:
                continue
            regs.append(services.register(
                actor=self.staff.get(community.pk), kind=RegKind.MEMBER, area=community, person=person,
                registered_on=self.today - timedelta(days=rng.randint(100, 500)),
                services="\n".join(rng.sample(SERVICES, rng.randint(1, 2)))))
        self.counts["registrations"] = len(regs)
        return regs

    def feedback(self, regs):
        rng = self.rng
        for reg in regs:
            if reg.kind != RegKind.MEMBER:
                continue
            plan = services.feedback_plan(reg)
            actor = self.staff.get(reg.area_id)
            for ob in Obligation.objects.filter(plan=plan, period_end__lte=self.today).order_by("period_start"):
                if rng.random() > 0.75:
                    continue  # missed: shows in compliance
                done = ob.period_end - timedelta(days=rng.randint(1, 20))
                done = max(done, ob.period_start)
                notes = f"{reg.name}本季度参与{rng.choice(SERVICES)}{rng.randint(1, 5)}次，表现良好。"
                with clock.at(_moment(done, 16)):
                    services.log_feedback(reg, actor=actor, done_on=done, notes=notes)
                self.counts["feedback"] += 1

    def service_requests(self, regs):
        rng = self.rng
        categories = {c.full_code: c for c in Category.objects.filter(full_code__in=NEEDS)}
        by_area = {}
        for reg in regs:
            by_area.setdefault(reg.area_id, []).append(reg)
        for area_id in sorted(by_area):
            staff = self.staff.get(area_id)
            reporters = self.residents.get(area_id) or ([staff] if staff else [])
            if not reporters:
                continue
            area = Area.objects.get(pk=area_id)
            for _ in range(rng.randint(1, 4)):
                code = rng.choice(sorted(NEEDS))
                out = services.post_need(actor=rng.choice(reporters), category=categories[code],
                                         title=rng.choice(NEEDS[code]), area=area)
                self.counts["services"] += 1
                self._advance(out.case, staff, by_area[area_id])

    def _advance(self, case, staff, regs):
        rng = self.rng
        if staff is None or rng.random() < 0.25:
            return  # 点单 only: waits for the community
        takers = [r for r in regs if r.kind == RegKind.ORG or User.objects.filter(person=r.person).exists()]
        if not takers:
            cases.accept(case, actor=staff)
            return
        reg = rng.choice(takers)
        case = services.assign_service(case, actor=staff, registration=reg).case
        if reg.kind != RegKind.MEMBER or rng.random() < 0.3:
            return  # 下单: waits for the member (or the unit's handler) to take it
        member = User.objects.get(person=reg.person)
        case = services.take_service(case, actor=member).case
        if rng.random() < 0.3:
            return
        case = services.complete_service(case, actor=member, note="已上门服务，居民满意。").case
        if member.pk != staff.pk and rng.random() < 0.8:
            cases.verify(case, actor=staff, passed=True, note="回访确认")

    # ------------------------------------------------------------ 大党委
    def committee(self):
        rng = self.rng
        for comm in Area.objects.filter(kind="community", orgs__isnull=False).distinct().order_by("pk"):
            if rng.random() < 0.4:
                continue
            town_orgs = list(Org.objects.filter(area__parent=comm.parent, kind__in=("firm", "branch", "social_org"))
                             .order_by("pk"))
            for org in rng.sample(town_orgs, min(len(town_orgs), rng.randint(1, 3))):
                services.add_committee_member(actor=self.staff.get(comm.pk), area=comm, org=org,
                                              post=rng.choice(POSTS),
                                              from_on=self.today - timedelta(days=rng.randint(90, 700)))
                self.counts["committee"] += 1

    # ------------------------------------------------------------ campaigns
    def campaigns(self, workers):
        rng = self.rng
        promoters = [w for w in workers if w.is_promoter]
        rows = []
        for county in Area.objects.filter(kind="county", children__kind="town").distinct().order_by("code"):
            towns = list(county.children.filter(kind="town").order_by("code"))
            for title, theme in rng.sample(CAMPAIGNS, rng.randint(2, 3)):
                area = rng.choice([county, *towns])
                starts = self.today - timedelta(days=rng.randint(20, 300))
                ends = starts + timedelta(days=rng.randint(30, 90))
                team = [w for w in promoters if w.area.path.startswith(area.path)]
                team = rng.sample(team, min(len(team), rng.randint(3, 8)))
                campaign = services.create_campaign(
                    actor=None, title=f"{title}（{area.name}）", theme=theme, area=area, starts_on=starts,
                    ends_on=ends, description="骑手、快递员送件时随件投递宣传单，顺道入户讲解。", promoters=team)
                self.counts["campaigns"] += 1
                last = min(ends, self.today)
                span = (last - starts).days
                for w in team:
                    for _ in range(rng.randint(2, 6)):
                        rows.append(Delivery(
                            campaign=campaign, worker=w, area=w.area, done_on=starts + timedelta(
                                days=rng.randint(0, span)), households=rng.randint(10, 80),
                            flyers=rng.randint(10, 120), notes=rng.choice(["", "随件投递", "入户讲解", "驿站集中宣讲"]),
                            entered_at=clock.now()))
        Delivery.objects.bulk_create(rows, batch_size=500)
        self.counts["deliveries"] = len(rows)

    def run(self) -> str:
        service_seed.ensure()
        self.load_accounts()
        workers = self.workers()
        self.grid_links(workers)
        regs = self.registrations(workers)
        self.feedback(regs)
        self.service_requests(regs)
        self.committee()
        self.campaigns(workers)
        c = self.counts
        return (f"workforce: {c['workers']} workers ({c['grid']} part-time grid workers), {c['registrations']} "
                f"double registrations with {c['feedback']} quarterly feedback logs, {c['services']} service "
                f"requests, {c['committee']} big party committee members, {c['campaigns']} campaigns with "
                f"{c['deliveries']} delivery logs")


def seed(demo) -> str:
    return Seeder(demo.rng).run()
