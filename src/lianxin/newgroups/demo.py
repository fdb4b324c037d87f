"""Demo data of the coverage ledger (the app config's seed_demo), generated after the base demo and the cases.

Every demo firm (the seven counties with towns) gets a profile with member counts that give the rule a mix of
outcomes, and about 15 months of coverage history replayed through the services on a moving clock
(``core.clock.at``): none → joint → own for some, the town's fallback for firms without members, close-out
items opened and closed with the firm's branch or the joint branch as evidence, others still open (some
overdue). Instructors (accounts with the instructor role at the industry committees) are assigned, with their
quarterly visit duties and visits (mostly on time, some late, some missed); measures documents are filed for
the city, each industry committee and the first town of each county. Deterministic given ``rng`` and the day.
"""

import re
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from lianxin.accounts import services as accounts
from lianxin.accounts.models import User
from lianxin.areas.models import Area
from lianxin.core import clock
from lianxin.core.clock import today
from lianxin.core.uploads import store_upload
from lianxin.duties import services as duties
from lianxin.orgs.models import Org, OrgKind
from lianxin.people.models import Person
from lianxin.workdays.calendar import tz

from . import services
from .models import Coverage, FirmProfile

INDUSTRY_PREFIX = {"express": "kd", "food_delivery": "wm", "ride_hailing": "wy", "freight": "hy", "other": "qt"}
VISIT_NOTES = ["了解党员流动情况，指导组织生活", "宣讲新就业群体关爱政策", "指导开展主题党日",
               "摸排骑手诉求，已转行业党委", "检查党建阵地建设", "指导发展入党积极分子", ""]
CITY_MEASURES = [("关于加强新经济组织和新就业群体党建工作的若干措施", "济两新发〔2025〕3号"),
                 ("新就业群体“暖新”行动实施方案", "济两新发〔2025〕7号")]
INDUSTRY_MEASURE = "{label}行业党建“应建尽建”工作措施"
TOWN_MEASURE = "{town}新就业群体党建兜底管理办法"
TINY_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=tz())


ZOUCHENG = "370883"  # GB/T 2260: the county of the source's new-economy work (Z1-Z9)
# The base demo names firms "<county><brand><industry>...": the brand is the two characters before the industry.
BRAND = re.compile(r"(..)(?:快递|外卖|出行|物流)")


class Seeder:
    def __init__(self, demo):
        self.demo = demo
        self.rng = demo.rng
        self.today = today()
        self.start = (self.today.replace(day=1) - timedelta(days=460)).replace(day=1)
        self.counts = {"firms": 0, "changes": 0, "closed": 0, "open": 0, "instructors": 0, "visits": 0,
                       "measures": 0}

    def day_between(self, a: date, b: date) -> date:
        if b <= a:
            return a
        return a + timedelta(days=self.rng.randint(0, (b - a).days))

    # ------------------------------------------------------------------ instructors

    def instructors(self, committee: Org, county: Area) -> list[User]:
        taken = set(User.objects.exclude(person=None).values_list("person_id", flat=True))
        people = [p for p in Person.objects.filter(tags__kind="staff", area__path__startswith=county.path)
                  .order_by("pk") if p.pk not in taken]
        out = []
        for i in range(2 if county.code == ZOUCHENG else 1):
            username = f"i_{county.code}_{INDUSTRY_PREFIX.get(committee.industry, 'qt')}_{i + 1}"
            login = county.code == ZOUCHENG and committee.industry == "express" and i == 0
            if login:
                username = "demo_instructor"
            # Every instructor is a person with a name (lists show names, not logins): a staff member of the county
            # where one is free, else a new one.
            person = people[i] if i < len(people) else None
            user = User.objects.filter(username=username).first()
            if user is None and person is None:
                person = self.demo.person(["staff"], committee.area or county, years=(1972, 1998), party=1.0)
            user = user or accounts.create_account(
                actor=None, username=username, person=person, area=committee.area,
                password=self.demo.password if login else None, grants=[("instructor", {"org": committee})])
            out.append(user)
            self.counts["instructors"] += 1
        return out

    # ------------------------------------------------------------------ firms

    def profile(self, firm: Org, own_branch: Org | None) -> FirmProfile:
        rng = self.rng
        if own_branch is not None:
            members = rng.randint(3, 9)
        else:
            members = rng.choices([0, rng.randint(1, 2), rng.randint(3, 6)], weights=[35, 30, 35])[0]
        brand = BRAND.search(firm.name)
        brand = brand.group(1) if brand else ""
        phone = self.demo.phone()
        name = self.demo.name("m")
        return services.create_profile(
            actor=None, org=firm, brand=brand, is_headquarters=firm.name.endswith("有限公司"),
            workers=rng.randint(8, 120), formal_members=members, probationary_members=rng.choice([0, 0, 0, 1, 2]),
            contact_name=name, contact_phone=phone,
            address=f"{firm.area.parent.name}{firm.area.name}{rng.randint(1, 300)}号",
            registered_on=self.day_between(self.start, self.start + timedelta(days=60)))

    def change(self, firm, after, org, day, note=""):
        with clock.at(at(day)):
            services.change_coverage(firm, actor=None, after=after, covering_org=org, on=day, note=note)
        self.counts["changes"] += 1

    def close_out(self, firm, evidence: Org, opened: date, closed: date) -> None:
        with clock.at(at(max(opened, firm.registered_on), 9)):
            item = services.open_closeout(firm, actor=None)
        with clock.at(at(closed, 15)):
            services.close_with_evidence(item, actor=None, evidence_org=evidence, note="按期销号")
        self.counts["closed"] += 1

    def history(self, firm: FirmProfile, own_branch: Org | None, joint: Org | None) -> date:
        """Replay the firm's coverage; returns the day of its last change."""
        rng, since, end = self.rng, firm.registered_on, self.today - timedelta(days=20)
        members = firm.formal_members
        d1 = self.day_between(since + timedelta(days=20), since + timedelta(days=200))
        d2 = self.day_between(d1 + timedelta(days=30), end)
        if own_branch is not None:
            if joint is not None and rng.random() < 0.5:  # none → joint → own
                self.change(firm, Coverage.JOINT, joint, d1, "先行联合组建")
                firm.refresh_from_db()
            if rng.random() < 0.6:
                self.close_out(firm, own_branch, d2 - timedelta(days=rng.randint(15, 60)), d2)
            else:
                self.change(firm, Coverage.OWN, own_branch, d2, "单独组建党支部")
            return d2
        if members == 0:
            if rng.random() < 0.65:
                self.change(firm, Coverage.TOWN, None, d1, "纳入镇街兜底管理")
                return d1
            return since
        if joint is not None and rng.random() < 0.7:
            if members <= 2 and rng.random() < 0.5:
                self.close_out(firm, joint, d1 - timedelta(days=rng.randint(15, 60)), d1)
            else:
                self.change(firm, Coverage.JOINT, joint, d1, "加入行业联合党支部")
            return d1
        return since

    # ------------------------------------------------------------------ instructors' duties

    def assign_and_visit(self, firm: FirmProfile, pool: list[User]) -> None:
        rng = self.rng
        first = self.day_between(firm.registered_on, firm.registered_on + timedelta(days=90))
        instructor = pool[rng.randrange(len(pool))]
        with clock.at(at(first, 9)):
            services.assign_instructor(firm, instructor=instructor, actor=None, on=first)
        switch = None
        if len(pool) > 1 and rng.random() < 0.2:
            switch = self.day_between(first + timedelta(days=120), self.today - timedelta(days=30))
        quarter = date(first.year, (first.month - 1) // 3 * 3 + 1, 1)
        while quarter <= self.today:
            nxt = date(quarter.year + (quarter.month == 10), (quarter.month + 2) % 12 + 1, 1)
            if switch and quarter <= switch < nxt:
                instructor = next(u for u in pool if u != instructor)
                with clock.at(at(switch, 9)):
                    services.assign_instructor(firm, instructor=instructor, actor=None, on=switch, note="工作调整")
            lo = max(quarter, first)
            hi = min(nxt - timedelta(days=1), self.today)
            roll = rng.random()
            if hi < lo or roll < 0.12:  # missed
                quarter = nxt
                continue
            done = self.day_between(lo, hi)
            if roll < 0.2 and nxt <= self.today:
                entered = nxt + timedelta(days=rng.randint(1, 4))  # late, inside the grace window
            elif roll < 0.25 and nxt + timedelta(days=10) <= self.today:
                entered = nxt + timedelta(days=rng.randint(8, 20))  # too late: kept, counts for none
            else:
                entered = done
            notes, method = rng.choice(VISIT_NOTES), rng.choice(["visit", "visit", "visit", "phone"])
            if entered <= self.today:
                try:
                    with clock.at(at(entered, 16)):
                        services.log_visit(firm, actor=instructor, done_on=done, notes=notes, method=method)
                    self.counts["visits"] += 1
                except PermissionDenied:
                    pass  # entered after the firm went to another instructor
            quarter = nxt

    # ------------------------------------------------------------------ measures

    def measures(self, city_wc: Org, committees: list[Org]) -> None:
        rng = self.rng

        def pdf(area):
            return store_upload(SimpleUploadedFile("measures.pdf", TINY_PDF, "application/pdf"), area=area,
                                accept=("pdf",))

        for title, number in CITY_MEASURES:
            services.add_measure(actor=None, level="city", org=city_wc, title=title, number=number,
                                 issued_on=self.day_between(self.start, self.start + timedelta(days=90)),
                                 summary="明确“两新工委牵头抓总、行业主管部门指导、街道社区兜底”的工作格局。",
                                 file=pdf(city_wc.area))
            self.counts["measures"] += 1
        for committee in committees:
            label = committee.short_name.replace("行业党委", "") or committee.name
            services.add_measure(actor=None, level="industry", org=committee,
                                 title=INDUSTRY_MEASURE.format(label=label),
                                 number=f"{committee.area.name[:2]}{label}党委发〔{self.start.year}〕"
                                        f"{rng.randint(1, 9)}号",
                                 issued_on=self.day_between(self.start, self.start + timedelta(days=150)),
                                 summary="对未建立党组织的企业逐一建立台账，限期销号。", file=pdf(committee.area))
            self.counts["measures"] += 1
        for county in Area.objects.filter(kind="county", children__kind="town").distinct().order_by("code"):
            town = Area.objects.filter(parent=county, kind="town").order_by("code").first()
            services.add_measure(actor=None, level="town", area=town, title=TOWN_MEASURE.format(town=town.name),
                                 issued_on=self.day_between(self.start, self.today - timedelta(days=30)),
                                 summary="无党员企业由街道党工委兜底，选派党建工作指导员每季度走访。", file=pdf(town))
            self.counts["measures"] += 1

    # ------------------------------------------------------------------ all

    def run(self) -> str:
        committees = list(Org.objects.filter(kind=OrgKind.INDUSTRY_COMMITTEE, is_active=True)
                          .select_related("area").order_by("pk"))
        if not committees:
            return "newgroups: no industry party committees (base demo missing), nothing seeded"
        for committee in committees:
            pool = self.instructors(committee, committee.area)
            joints = list(Org.objects.filter(parent=committee, kind=OrgKind.BRANCH).order_by("pk"))
            firms = list(Org.objects.filter(parent=committee, kind=OrgKind.FIRM).select_related("area__parent")
                         .order_by("pk"))
            for firm_org in firms:
                if FirmProfile.objects.filter(org=firm_org).exists():
                    continue
                own = Org.objects.filter(parent=firm_org, kind=OrgKind.BRANCH).order_by("pk").first()
                joint = next((j for j in joints if firm_org.area.path.startswith(j.area.path)), None) or \
                    (joints[0] if joints else None)
                firm = self.profile(firm_org, own)
                self.counts["firms"] += 1
                last = self.history(firm, own, joint)
                firm.refresh_from_db()
                if firm.formal_members < 3 or self.rng.random() < 0.4:
                    self.assign_and_visit(firm, pool)
                firm.refresh_from_db()
                if not services.firm_meets_rule(firm) and self.rng.random() < 0.5:
                    # Opened some months ago and still open: some are overdue by now.
                    opened = self.day_between(max(last, self.today - timedelta(days=150)), self.today)
                    with clock.at(at(opened, 9)):
                        try:
                            services.open_closeout(firm, actor=None)
                            self.counts["open"] += 1
                        except ValidationError:
                            pass  # the instructor assigned since made it meet the rule
        opened_now = services.scan_closeouts(FirmProfile.objects.all(), actor=None)
        self.counts["open"] += len(opened_now)
        duties.generate_obligations()
        city_wc = Org.objects.filter(kind=OrgKind.WORKING_COMMITTEE, area__kind="city").order_by("pk").first()
        if city_wc is not None:
            self.measures(city_wc, committees)
        c = self.counts
        return (f"newgroups: {c['firms']} firm profiles, {c['changes']} coverage changes, {c['closed']} close-out "
                f"items closed and {c['open']} open, {c['instructors']} instructors, {c['visits']} visits, "
                f"{c['measures']} measures documents")


def seed(demo) -> str:
    return Seeder(demo).run()
