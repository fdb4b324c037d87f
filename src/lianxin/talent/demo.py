"""Demo data of talent work in 汶上县 (the app config's seed_demo), at the volumes the source reports: 23 county
leaders in touch with 28 experts (a yearly contact each, replayed over two years), a registry of about 270
talents by tier, 32 employers with their demand pool, 20 job fairs (live-streamed and on site) with 127 hires
followed up after three and twelve months, 252 talent apartments let in two published rounds, 4.876 million yuan
of subsidies and 310 million yuan of policy loans. The past is replayed through the services on a moving clock
(core.clock.at), so every duty, case and tenancy has the dates it would have had.
"""

from datetime import date, datetime, time, timedelta

from lianxin.accounts import services as accounts
from lianxin.areas.models import Area
from lianxin.cases import services as cases
from lianxin.core import clock
from lianxin.duties import queries as duty_queries
from lianxin.duties import services as duties
from lianxin.orgs import services as orgs
from lianxin.orgs.models import Org
from lianxin.people.models import Person
from lianxin.workdays.calendar import tz

from . import services
from .models import Apartment, Tier

WENSHANG = "370830"
LEADER_POSTS = ["县委书记", "县长", "县委副书记", "常务副县长", "县委常委、组织部部长", "县委常委、宣传部部长",
                "县委常委、统战部部长", "县委常委、政法委书记", "县委常委、纪委书记", "县委常委、副县长", "副县长",
                "副县长", "副县长", "副县长", "县人大常委会主任", "县人大常委会副主任", "县人大常委会副主任",
                "县政协主席", "县政协副主席", "县政协副主席", "县法院院长", "县检察院检察长", "县委常委、办公室主任"]
FIRM_STEMS = ["恒信", "如意", "圣源", "宏泰", "金鼎", "鲁润", "汶河", "佛都", "中都", "昌盛", "海达", "华联",
              "瑞丰", "新奥", "鑫磊", "泰和", "宝相", "众诚", "天成", "永固", "德润", "东源", "嘉和", "博远",
              "万通", "康宁", "鲁泰", "星辰", "兴旺", "富源", "聚鑫", "康达"]
# (industry, firm-name suffix, positions needed, fields of its talents)
TRADES = [
    ("equipment", "机械制造有限公司", ["机电一体化工程师", "数控技师", "焊接技师", "工艺工程师"],
     ["机械设计", "智能制造"]),
    ("materials", "新材料科技有限公司", ["高分子材料研发员", "化验分析员", "生产主管"], ["高分子材料", "复合材料"]),
    ("textiles", "纺织有限公司", ["纺织工艺工程师", "设备维修工", "质检员"], ["纺织工程", "服装设计"]),
    ("biomedicine", "生物科技有限公司", ["药物研发员", "质量受权人", "微生物检验员"], ["药物化学", "生物工程"]),
    ("agriculture", "农业发展有限公司", ["农技推广员", "种植技术员", "电商运营"], ["作物育种", "设施农业"]),
    ("electronics", "电子科技有限公司", ["嵌入式软件工程师", "电子工艺员", "测试工程师"], ["软件工程", "集成电路"]),
]
HONOURS = ["泰山产业领军人才", "山东省有突出贡献的中青年专家", "齐鲁首席技师", "济宁市有突出贡献的中青年专家",
           "全国五一劳动奖章", "山东省劳动模范", "济宁市优秀青年人才"]
MEASURES = [("一事一议：研发平台建设经费支持", "县科技局"), ("子女入学协调", "县教育和体育局"),
            ("人才公寓优先配租", "县住建局"), ("配偶就业安置", "县人社局"), ("项目用地保障", "县自然资源局"),
            ("设立专家工作站", "县委人才办"), ("人才贷贴息", "县地方金融监管局")]
NEW_DEPARTMENTS = ["教育和体育局", "行政审批服务局", "地方金融监管局"]
REQUESTS = [("住房保障", "申请人才公寓两居室"), ("子女入学", "子女转入县实验小学"),
            ("证照办理", "企业新增经营范围许可"),
            ("金融服务", "申请人才贷300万元"), ("子女入学", "子女入读汶上一中"), ("住房保障", "购房补贴申请"),
            ("证照办理", "外籍专家工作许可"), ("金融服务", "知识产权质押融资咨询")]
BANKS = ["汶上农商银行", "中国农业银行汶上支行", "中国建设银行汶上支行", "济宁银行汶上支行",
         "中国邮政储蓄银行汶上县支行"]
SUBSIDY_TOTAL_FEN = 487_600_000  # 487.6 万元
LOAN_TOTAL_FEN = 31_000_000_000  # 3.1 亿元
HIRES = 127
EXPERTS = 28
NUMBERS = {"A": "88号", "B": "90号", "C": "92号"}
SIZES, ROOMS = (45, 60, 60, 90, 90, 120), (1, 2, 2, 3, 3, 3)


def _at(day: date, hour: float = 9.5):
    return clock.at(datetime.combine(day, time(0), tzinfo=tz()) + timedelta(hours=hour))


def _split(rng, total: int, n: int, low: float = 0.4, high: float = 1.6) -> list[int]:
    """``n`` positive integers adding up to ``total`` exactly."""
    weights = [rng.uniform(low, high) for _ in range(n)]
    parts = [int(total * w / sum(weights)) for w in weights]
    parts[-1] += total - sum(parts)
    return parts


class Seeder:
    def __init__(self, demo):
        self.demo, self.rng = demo, demo.rng
        self.county = Area.objects.get(code=WENSHANG)
        self.today = clock.today()
        areas = Area.objects.filter(path__startswith=self.county.path)
        self.communities = list(areas.filter(kind="community").order_by("code"))
        self.villages = [c for c in self.communities if c.name.endswith("村")] or self.communities
        self.towns = list(areas.filter(kind="town").order_by("code"))

    def day_ago(self, lo: int, hi: int) -> date:
        return self.today - timedelta(days=self.rng.randint(lo, hi))

    # ------------------------------------------------------------------ people and orgs

    def _account(self, username, grants, *, password=None):
        """A working account named after a made-up person: no Person record (the base demo's people, checked by
        demo/tests/test_seed.py, stay as they are); the name is the account's full name."""
        user = accounts.create_account(actor=None, username=username, person=None, area=self.county,
                                       password=password, grants=grants)
        user.first_name = self.demo.name("m" if self.rng.random() < 0.7 else "f")
        user.save(update_fields=["first_name"])
        return user

    def accounts(self):
        self.officer = self._account("wenshang_talent", [("talent_officer", {"area": self.county})],
                                     password=self.demo.password)
        self.leaders = [(self._account(f"ws_leader{i:02d}", []), post)
                        for i, post in enumerate(LEADER_POSTS, start=1)]
        depts = {o.short_name or o.name: o for o in Org.objects.filter(kind="department", area=self.county)}
        # The departments the green channel needs that the base demo lacks sit in the county seat (汶上街道); the
        # base demo's county-level departments stay as they are (demo/tests/test_seed.py checks them).
        seat = self.towns[0]
        for name in NEW_DEPARTMENTS:
            depts[name] = orgs.create_org(actor=None, parent=None, kind="department", name=f"汶上县{name}",
                                          short_name=name, area=seat)
        depts["县委人才工作领导小组办公室"] = orgs.create_org(
            actor=None, parent=None, kind="department", name="中共汶上县委人才工作领导小组办公室",
            short_name="县委人才办", area=seat)
        self.handlers = {}
        for i, (_name, dept) in enumerate(sorted(depts.items()), start=1):
            self.handlers[dept.pk] = self._account(f"ws_dept{i:02d}", [("department_handler", {"org": dept})])

    def employers(self):
        self.firms = []
        for i, stem in enumerate(FIRM_STEMS):
            industry, suffix, positions, fields = TRADES[i % len(TRADES)]
            area = self.rng.choice(self.communities)
            firm = orgs.create_org(actor=None, parent=None, kind="firm", name=f"汶上县{stem}{suffix}", area=area,
                                   short_name=stem)
            self.firms.append((firm, industry, positions, fields))

    def registry(self):
        """The experts: the base demo's experts of the county and new ones (living in grids, like most people of
        the demo); the younger tiers are people of the county already in the demo (residents, workers, village
        people), registered as talents."""
        tiers = {t.code: t for t in Tier.objects.all()}
        rng = self.rng
        people = list(Person.objects.filter(area__path__startswith=self.county.path).prefetch_related("tags")
                      .order_by("pk"))
        grids = list(Area.objects.filter(path__startswith=self.county.path, kind="grid").order_by("code"))
        experts = [p for p in people if "expert" in p.kind_codes]
        while len(experts) < EXPERTS:
            experts.append(self.demo.person(["expert"], rng.choice(grids), years=(1962, 1988), party=0.4, male=0.65))
        others = [p for p in people if not {"expert", "staff", "grid_worker", "retired_cadre", "care_cadre",
                                            "family_doctor"} & set(p.kind_codes) and p.birth_date
                  and p.birth_date.year >= 1968]
        rng.shuffle(others)
        rural = [p for p in others if p.area.parent and p.area.parent.name.endswith("村")
                 or p.area.name.endswith("村") or "first_secretary" in p.kind_codes][:14]
        rest = [p for p in others if p not in rural]
        plan = [(experts[:3], "national"), (experts[3:12], "taishan"), (experts[12:EXPERTS], "high_level"),
                (rest[: len(rest) * 3 // 5], "young"), (rest[len(rest) * 3 // 5:], "skilled"), (rural, "rural")]
        self.talents, self.experts = [], []
        for persons, code in plan:
            for person in persons:
                firm, industry, _positions, fields = rng.choice(self.firms)
                is_rural = code == "rural"
                way = rng.choice(["returned", "local"]) if is_rural else rng.choices(
                    ["full_time", "flexible", "returned", "local"], [5, 2, 2, 3])[0]
                talent = services.create_talent(
                    actor=None, person=person, tier=tiers[code], industry="agriculture" if is_rural else industry,
                    field="乡村产业带头人" if is_rural else rng.choice(fields), employer=None if is_rural else firm,
                    intake_date=self.day_ago(30, 5 * 365), intake_way=way,
                    honours=rng.choice(HONOURS) if code in ("national", "taishan", "high_level") else "")
                self.talents.append(talent)
                if code in ("national", "taishan", "high_level"):
                    self.experts.append(talent)

    # ------------------------------------------------------------------ liaison, measures, requests

    def liaison(self):
        rng = self.rng
        year = self.today.year
        pairs = [(self.leaders[i % len(self.leaders)], expert) for i, expert in enumerate(self.experts)]
        for (leader, post), expert in pairs:
            since = date(year - 1, rng.randint(2, 4), rng.randint(1, 28))
            with _at(since):
                services.link_leader(expert, actor=self.officer, leader=leader, post=post, since=since)
        plans = list(duty_queries.plans_of(self.experts, kind=services.CONTACT))
        by_carer = {(p.carer_id, p.subject_id): p for p in plans}
        for (leader, _post), expert in pairs:
            for y, chance in ((year - 1, 0.93), (year, 0.72)):
                if rng.random() > chance:
                    continue
                last_day = min(date(y, 12, 20), self.today - timedelta(days=1))
                first_day = max(date(y, 5, 1), date(y, 1, 1))
                if last_day <= first_day:
                    continue
                done = first_day + timedelta(days=rng.randrange((last_day - first_day).days))
                with _at(done, 16):
                    duties.generate_obligations(plans=[by_carer[(leader.pk, expert.pk)]])
                    services.log_contact(expert, actor=leader, method=rng.choice(["visit", "visit", "phone"]),
                                         done_on=done, notes=rng.choice(["走访企业研发中心，了解项目进展",
                                                                         "电话问候，协调解决子女入学",
                                                                         "座谈交流，听取对人才政策的意见"]))
        duties.generate_obligations(plans=plans)

    def measures(self):
        rng = self.rng
        for expert in self.experts:
            for title, responsible in rng.sample(MEASURES, rng.randint(1, 3)):
                decided = self.day_ago(60, 600)
                measure = services.add_measure(expert, actor=self.officer, title=title, decided_on=decided,
                                               responsible=responsible, due_on=decided + timedelta(days=180))
                for k in range(rng.randint(0, 2)):
                    on = decided + timedelta(days=30 * (k + 1) + rng.randrange(20))
                    if on < self.today:
                        services.follow_up(measure, actor=self.officer, on=on,
                                           note=rng.choice(["已落实首期资金", "已对接相关部门", "专家反馈满意"]),
                                           status="done" if k == 1 else "under_way")

    def requests(self):
        rng = self.rng
        categories = {c.name: c for c in services.request_categories()}
        for i, (kind, title) in enumerate(REQUESTS * 2):
            expert = self.experts[i % len(self.experts)]
            day = self.day_ago(3, 330)
            while day.weekday() >= 5:
                day -= timedelta(days=1)
            with _at(day, 9.5):
                request = services.file_request(expert, actor=self.officer, category=categories[kind], title=title)
            with _at(day, 10.5):
                out = services.route_request(request, actor=self.officer)
            handler = self.handlers.get(out.case.lead_org_id)
            if handler is None or day > self.today - timedelta(days=5) or rng.random() < 0.15:
                continue  # still with the department
            with _at(day + timedelta(days=1), 9):
                cases.handler_accept(out.case, actor=handler)
            with _at(day + timedelta(days=rng.randint(1, 4)), 15):
                cases.feedback(out.case, actor=handler, note="已按绿色通道办结，专家确认")
                cases.verify(out.case, actor=self.officer, passed=True, note="回访专家，满意")

    # ------------------------------------------------------------------ pool and events

    def pool(self):
        rng = self.rng
        self.demands = []
        for firm, industry, positions, _fields in self.firms:
            for position in rng.sample(positions, rng.randint(1, min(3, len(positions)))):
                posted = self.day_ago(200, 420)
                level = rng.choice(["senior", "intermediate", "graduate", "graduate", "skilled", "skilled"])
                self.demands.append(services.create_demand(
                    actor=self.officer, employer=firm, position=position, count=rng.randint(2, 6), industry=industry,
                    level=level, posted_on=posted))
        titles = ["春风行动专场招聘会", "高校毕业生就业直播带岗", "“汶才回乡”返乡人才招聘会", "民营企业招聘月专场",
                  "重点企业用工直播招聘", "技能人才专场招聘会", "金秋招聘月", "“就选汶上”云招聘"]
        days = sorted(self.day_ago(20, 360) for _ in range(20))
        hires_per_event = _split(rng, HIRES, 20, 0.3, 1.7)
        firms = [f for f, *_rest in self.firms]
        for n, (day, hires) in enumerate(zip(days, hires_per_event, strict=True)):
            mode = "live" if n % 5 in (1, 3) else "onsite"
            with _at(day, 9):
                present = rng.sample(firms, rng.randint(8, 16))
                event = services.create_event(
                    actor=self.officer, area=self.county, name=f"{day.year}年{titles[n % len(titles)]}（第{n + 1}场）",
                    held_on=day, mode=mode, firms=present, applicants=rng.randint(90, 650),
                    venue="汶上县融媒体中心直播间" if mode == "live" else "汶上县人力资源市场")
                for _ in range(hires):
                    employer = rng.choice(present)
                    open_lines = [d for d in self.demands if d.employer_id == employer.pk and d.status == "open"]
                    demand = rng.choice(open_lines) if open_lines and rng.random() < 0.85 else None
                    hire = services.record_hire(actor=self.officer, employer=employer, event=event, demand=demand,
                                                name=self.demo.name("m" if rng.random() < 0.6 else "f"),
                                                position="" if demand else "储备人才", hired_on=day)
                    if demand is not None:
                        demand.status = hire.demand.status
        # Matches from the registry: young and skilled talents placed in open lines of their trade.
        juniors = [t for t in self.talents if t.tier.code in ("young", "skilled")]
        for talent in rng.sample(juniors, 12):
            lines = [d for d in self.demands if d.status == "open" and d.industry == talent.industry]
            if lines:
                demand = rng.choice(lines)
                with _at(self.day_ago(15, 300), 10):
                    hire = services.match_talent(demand, talent, actor=self.officer)
                demand.status = hire.demand.status
        # Follow-ups made: most of those due by now, on time.
        from lianxin.talent.models import Hire

        hires = list(Hire.objects.filter(event__area=self.county))
        for ob in duty_queries.obligations_of(hires, kind=services.HIRE_FOLLOWUP).select_related("plan"):
            day = ob.due_at.astimezone(tz()).date() - timedelta(days=rng.randint(0, 10))
            if day < self.today and rng.random() < 0.88:
                with _at(day, 14):
                    duties.log_duty(actor=self.officer, plan=ob.plan, method="phone", done_on=day,
                                    notes=rng.choice(["在岗稳定", "已转正", "岗位调整，仍在企业"]))

    # ------------------------------------------------------------------ apartments and money

    def apartments(self):
        rng = self.rng
        units = []
        for building in ("汶上县人才公寓A座", "汶上县人才公寓B座", "汶上县人才公寓C座"):
            for floor in range(2, 16):
                for door in range(1, 7):
                    units.append(Apartment(area=self.county, building=building, unit=f"{floor}{door:02d}",
                                           address="汶上县中都大街" + NUMBERS[building[-2]],
                                           size_m2=SIZES[door - 1], rooms=ROOMS[door - 1]))
        Apartment.objects.bulk_create(units)
        units = list(Apartment.objects.filter(area=self.county).order_by("building", "unit"))
        tiers = list(Tier.objects.filter(code__in=("national", "taishan", "high_level", "young", "skilled")))
        first_day, second_day = self.today - timedelta(days=700), self.today - timedelta(days=80)
        eligible = [t for t in self.talents if t.employer_id and t.tier.code != "rural"]
        tenants: set[int] = set()
        for n, (day, method, seed, offered, wanted, term) in enumerate((
                (first_day, "points", 20250101 + rng.randrange(1000), units[:140], 120, 24),
                (second_day, "lottery", 20260901 + rng.randrange(1000), units[140:], 80, 36))):
            with _at(day, 9):
                rnd = services.create_round(
                    actor=self.officer, area=self.county, name=f"汶上县人才公寓第{n + 1}批配租", method=method,
                    tiers=tiers, units=offered, seed=seed, max_years_since_intake=5, term_months=term)
                applicants = [t for t in eligible if t.pk not in tenants and t.intake_date <= day
                              and services.add_months(t.intake_date, 60) >= day]
                for talent in rng.sample(applicants, min(len(applicants), wanted)):
                    services.apply(rnd, talent, actor=self.officer, points=rng.randint(40, 98))
            with _at(day + timedelta(days=14), 10):
                services.allocate(rnd, actor=self.officer)
            with _at(day + timedelta(days=15), 10):
                services.publish(rnd, actor=self.officer)
            for app in rnd.applications.filter(apartment__isnull=False).select_related("tenancy__apartment",
                                                                                    "tenancy__talent__person"):
                tenants.add(app.talent_id)
                if rng.random() < 0.92:
                    with _at(day + timedelta(days=rng.randint(16, 40)), 11):
                        services.move_in(app.tenancy, actor=self.officer)

    def money(self):
        rng = self.rng
        grants = _split(rng, SUBSIDY_TOTAL_FEN // 100, 160, 0.2, 2.0)  # whole yuan
        policies = ["settling", "housing", "living", "project", "recruitment"]
        for yuan in grants:
            policy = rng.choices(policies, [3, 3, 4, 1, 2])[0]
            day = self.day_ago(10, 700)
            if policy == "recruitment":
                who = {"employer": rng.choice(self.firms)[0]}
            else:
                who = {"talent": rng.choice(self.experts if policy == "project" else self.talents)}
            fen = yuan * 100
            paid = fen if rng.random() < 0.82 else (fen // 2 if rng.random() < 0.5 else 0)
            services.grant_subsidy(actor=self.officer, policy=policy, granted_fen=fen, granted_on=day, area=self.county,
                                   paid_fen=paid, paid_on=day + timedelta(days=rng.randint(5, 40)) if paid else None,
                                   **who)
        # Loans in whole ten-thousands of yuan (万元), adding up to 3.1 亿元.
        parts = _split(rng, LOAN_TOTAL_FEN // 1_000_000, 46, 0.3, 2.0)
        for wan in parts:
            product = rng.choices(["talent", "transfer", "ip_pledge"], [5, 3, 2])[0]
            firm = rng.choice(self.firms)[0]
            expert = rng.choice(self.experts) if product == "talent" and rng.random() < 0.5 else None
            services.arrange_loan(actor=self.officer, product=product, bank=rng.choice(BANKS),
                                  amount_fen=wan * 1_000_000, arranged_on=self.day_ago(10, 700), employer=firm,
                                  talent=expert, area=self.county, term_months=rng.choice([12, 24, 36]))


def seed(demo) -> str | None:
    if not Area.objects.filter(code=WENSHANG).exists():
        return None
    s = Seeder(demo)
    s.accounts()
    s.employers()
    s.registry()
    s.liaison()
    s.measures()
    s.requests()
    s.pool()
    s.apartments()
    s.money()
    return (f"Talent work in 汶上: {len(s.talents)} talents, {len(s.leaders)} leaders ↔ {len(s.experts)} experts, "
            f"{len(s.demands)} demands, 20 job fairs, {HIRES} hires, {Apartment.objects.count()} apartments")
