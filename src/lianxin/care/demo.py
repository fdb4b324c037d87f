"""Demo data of retired-cadre care and micro-wishes (the app config's seed_demo), generated after the base
demo and the cases, for Jinxiang (金乡, "2+1" and "六个一") and Weishan (微山, retiree care and micro-wishes), with a
few retirees elsewhere.

A year is replayed through the services on a moving clock (``core.clock.at``), in time order: the monthly
generation of obligations, calls and visits (mostly on time, some late inside the grace window, a few too
late, some missed), re-assignments, hospital stays, moves, deaths with their condolence visits, a change of
circumstances, festival visits, per-person plan entries, the "六个一" steps, health events and wishes.
Deterministic given ``rng`` and the day it runs; works with or without the demo cases.
"""

import heapq
import io
import itertools
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from PIL import Image

from lianxin.accounts import services as accounts
from lianxin.accounts.models import User
from lianxin.areas.models import Area
from lianxin.cases import services as cases
from lianxin.cases.models import Category
from lianxin.core import clock
from lianxin.duties import services as duties
from lianxin.duties.models import Obligation
from lianxin.duties.periods import local_date, midnight
from lianxin.orgs import services as orgs
from lianxin.orgs.models import Org
from lianxin.people import services as people
from lianxin.people.models import Person
from lianxin.wishes import services as wishes
from lianxin.wishes.seed import CLASS_CODE

from . import services
from .models import AssignmentRole, Occasion, Retiree, RetirementItem, Status

# GB/T 2260 codes of the counties the source names for retiree care (J3-J6, W1-W2), and the base demo's.
ZOUCHENG, JINXIANG, WEISHAN = "370883", "370828", "370826"
COUNTIES = (JINXIANG, WEISHAN)
EXTRA_RETIREES = {JINXIANG: 6, WEISHAN: 4}
POSTS = ["局长", "副局长", "科长", "副科长", "主任科员", "站长", "办公室主任", "科员"]
LEVELS = ["正处级", "副处级", "正科级", "副科级", "一级主任科员", "科员"]
NEEDS = [
    ("高血压需定期测量", "协调家庭医生每月上门测血压", "血压控制平稳", "继续每月随访"),
    ("独居，担心突发状况", "安装一键呼叫设备，邻居结对", "设备已安装", "每周电话问候"),
    ("想参加老年大学书法班", "联系老年大学报名", "已入班学习", "年底作品展"),
    ("行动不便，取药困难", "家庭医生代开药品并送药上门", "按月送药", "评估是否需要康复训练"),
    ("子女在外地，过节孤单", "节日上门慰问，组织社区活动", "参加重阳节活动", "春节再走访"),
    ("愿意发挥余热，参与社区治理", "推荐担任网格议事员", "已参加三次议事会", "参与矛盾调解"),
    ("老房子线路老化", "联系志愿者检修线路", "已更换插座和线路", "入冬前再检查"),
    ("智能手机不会用", "志愿者上门教学", "已会视频通话和扫码", "教会网上缴费"),
]
WISHES = [
    ("02", "陪同到县医院复查"), ("01", "一台收音机"), ("03", "更换家中灯泡和水龙头"), ("01", "一副老花镜"),
    ("04", "有人陪着聊聊天"), ("05", "一套书法字帖"), ("01", "一辆轮椅"), ("01", "冬天的棉被"),
    ("04", "教会使用智能手机"), ("03", "打扫房间、擦窗户"), ("02", "陪同去医院配药"), ("05", "订一份老年报"),
]
NOTES = ["身体状况良好", "血压偏高，已提醒按时服药", "精神很好，聊了家常", "反映小区路灯不亮，已转社区",
         "子女在家，情况稳定", "需要再次上门", "已送去慰问品", ""]
# Lunar festivals by year (Spring Festival; Double Ninth): the ones inside the replayed year are visited.
SPRING_FESTIVAL = {2025: date(2025, 1, 29), 2026: date(2026, 2, 17), 2027: date(2027, 2, 6), 2028: date(2028, 1, 26)}
DOUBLE_NINTH = {2025: date(2025, 10, 29), 2026: date(2026, 10, 18), 2027: date(2027, 10, 8), 2028: date(2028, 10, 26)}

# One login per care role (the demo's password). Not "demo_*": those are the base demo's, in Zoucheng.
LOGINS = {"care_cadre": "care_jx", "family_doctor": "doctor_jx", "liaison": "liaison_jx", "volunteer": "volunteer_ws"}


def _moment(day: date, hour: float = 9.0) -> datetime:
    return midnight(day) + timedelta(hours=hour)


def _jpeg(rng) -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (rng.randint(100, 250), rng.randint(100, 250), rng.randint(100, 250))).save(
        out, format="JPEG")
    out.seek(0)
    out.name = "wish.jpg"
    return out


class CareDemo:
    def __init__(self, demo):
        rng = demo.rng
        self.rng = rng
        self.now = clock.now()
        self.today = local_date(self.now)
        first = self.today.replace(day=1)
        self.start = date(first.year - (first.month <= 11), (first.month - 12) % 12 + 1, 1)  # 11 months back
        self.gen = demo
        self.events: list = []
        self.seq = 0
        self.last_obligation = 0
        self.counts = {"logs": 0, "late": 0}
        self.by_pk: dict[int, Retiree] = {}
        self.logins: list[str] = []
        self.carers: dict[str, list[User]] = {}
        self.doctors: dict[str, list[User]] = {}
        self.units: dict[str, list[Org]] = {}
        self.retirees: dict[str, list[Retiree]] = {}

    # ------------------------------------------------------------------ accounts

    def _account(self, username, role, person, anchor, *, login=False):
        kind = "org" if isinstance(anchor, Org) else "area"
        return self._account_with(username, person, [(role, {kind: anchor})], login=login)

    def _account_with(self, username, person, grants, *, login=False):
        """The person's account with ``grants``: the demo cases may have given the person a working account."""
        existing = User.objects.filter(username=username).first()
        if existing is not None:
            return existing
        home = next(a.get("area") or a["org"].area for _role, a in grants)
        user = User.objects.filter(person=person).first()
        if user is not None:
            for role, anchor in grants:
                accounts.grant_role(actor=None, user=user, role=role, **anchor)
            if login:  # the printed demo login must open this account
                user.username = username
                user.set_password(self.gen.password)
                user.save(update_fields=["username", "password"])
                self.logins.append(username)
            return user
        user = accounts.create_account(actor=None, username=username, person=person, area=home,
                                       password=self.gen.password if login else None, grants=grants)
        if login:
            self.logins.append(username)
        return user

    def build_accounts(self):
        for code in (*COUNTIES, ZOUCHENG):
            for kind, store in (("care_cadre", self.carers), ("family_doctor", self.doctors)):
                people = list(Person.objects.filter(tags__kind=kind, area__path__startswith=self._path(code))
                              .select_related("area").order_by("pk"))
                for i, person in enumerate(people):
                    community = person.area if person.area.kind == "community" else person.area.parent
                    first = code == JINXIANG and i == 0
                    username = LOGINS[kind] if first else \
                        f"w_{code}_{'care' if kind == 'care_cadre' else 'doctor'}{i + 1}"
                    store.setdefault(code, []).append(self._account(username, kind, person, community, login=first))

    def _free_person(self, code, within=None) -> Person:
        """A person of the county (of ``within`` if given, else anywhere in it) with no account, no retiree
        record and no role here yet: the demo's liaisons and community staff come from the registry."""
        if not hasattr(self, "_free"):
            self._free = {}
        if code not in self._free:
            taken = set(User.objects.exclude(person=None).values_list("person_id", flat=True))
            self._free[code] = [
                p for p in Person.objects.filter(area__path__startswith=self._path(code),
                                                 tags__kind__in=["staff", "resident"])
                .exclude(tags__kind__in=["retired_cadre", "care_cadre", "family_doctor", "volunteer"])
                .select_related("area").distinct().order_by("pk") if p.pk not in taken]
        pool = self._free[code]
        near = [p for p in pool if within is None or p.area.path.startswith(within.path)] or pool
        if not near:
            # The demo cases gave the county's registry people working accounts: register one more person.
            area = within or Area.objects.get(code=code)
            return people.create_person(actor=None, name=self.gen.name(self.rng.choice("mf")), area=area,
                                        kinds=["staff"], is_party_member=True)
        person = near[0]
        pool.remove(person)
        return person

    def _path(self, code) -> str:
        return Area.objects.get(code=code).path

    # ------------------------------------------------------------------ retirees

    def build_retirees(self):
        rng = self.rng
        for code in COUNTIES:
            county = Area.objects.get(code=code)
            self.units[code] = list(Org.objects.filter(area=county, kind="department").order_by("pk"))
            grids = list(Area.objects.filter(path__startswith=county.path, kind="grid").order_by("code"))
            people = list(Person.objects.filter(tags__kind="retired_cadre", area__path__startswith=county.path)
                          .order_by("pk"))
            for _ in range(EXTRA_RETIREES[code]):
                people.append(self.gen.person(["retired_cadre"], rng.choice(grids), years=(1938, 1966), party=0.5,
                                              male=0.6))
            branches = list(Org.objects.filter(area=county, kind="temporary_branch").order_by("pk"))
            recent = set(rng.sample(range(len(people)), 5 if code == JINXIANG else 3))
            for i, person in enumerate(people):
                retired = (self.start + timedelta(days=rng.randint(-40, (self.today - self.start).days - 30))
                           if i in recent else date(rng.randint(1996, self.start.year - 1), rng.choice([3, 6, 9, 12]),
                                                    rng.choice([1, 15, 28])))
                flags = {"empty_nest": rng.random() < 0.3, "living_alone": rng.random() < 0.12,
                         "limited_mobility": rng.random() < 0.1, "chronic_illness": rng.random() < 0.35}
                profile = {
                    "unit": rng.choice(self.units[code]), "former_post": rng.choice(POSTS), "level": rng.choice(LEVELS),
                    "retirement_date": retired, "contact_preference": rng.choice(["", "phone", "visit", "online"]),
                    "branch": rng.choice(branches) if branches and rng.random() < 0.4 else None, **flags,
                }
                carer, doctor = self._carer_for(code, person), rng.choice(self.doctors[code])
                created = max(self.start, retired + timedelta(days=3))
                self._at(_moment(created, 8.5), self._create, code, person, profile, carer, doctor)
        # Elsewhere: the other counties' retired cadres are registered; Zoucheng's have family doctors.
        for county in Area.objects.filter(kind="county").exclude(code__in=COUNTIES).order_by("code"):
            doctors = self.doctors.get(county.code, [])
            for person in Person.objects.filter(tags__kind="retired_cadre", area__path__startswith=county.path) \
                    .order_by("pk"):
                profile = {"former_post": rng.choice(POSTS), "level": rng.choice(LEVELS),
                           "retirement_date": date(rng.randint(1998, 2020), 6, 30),
                           "chronic_illness": rng.random() < 0.4}
                self._at(_moment(self.start, 8.5), self._create, county.code, person, profile, None,
                         rng.choice(doctors) if doctors else None)

    def _carer_for(self, code, person):
        """A care cadre of the retiree's town if there is one, else of the county."""
        town = person.area.path.split("/")[:4]
        near = [c for c in self.carers[code] if c.area.path.split("/")[:4] == town]
        if code == JINXIANG and self.rng.random() < 0.3:
            return self.carers[code][0]  # the demo login looks after retirees across the county
        return self.rng.choice(near or self.carers[code])

    def _create(self, code, person, profile, carer, doctor):
        retiree = services.create_retiree(actor=None, person=person, care_cadre=carer, family_doctor=doctor,
                                          **profile)
        self.retirees.setdefault(code, []).append(retiree)

    # ------------------------------------------------------------------ the timeline

    def _at(self, moment, fn, *args):
        self.seq += 1
        heapq.heappush(self.events, (moment, self.seq, fn, args))

    def run(self, *, scan: bool):
        """Play the scheduled events in time order; with ``scan``, each new obligation gets its outcome (a log
        on time, late, too late, or none) scheduled."""
        if scan:
            self._schedule_new_obligations()
        while self.events:
            moment, _seq, fn, args = heapq.heappop(self.events)
            if moment > self.now:
                continue
            with clock.at(moment):
                fn(*args)
                if scan and fn is not self._log:
                    self._schedule_new_obligations()

    def monthly_generation(self):
        day = self.start
        while day <= self.today:
            self._at(_moment(day, 0.5), duties.generate_obligations)
            day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)

    def _schedule_new_obligations(self):
        for o in (Obligation.objects.filter(pk__gt=self.last_obligation).select_related("plan")
                  .order_by("pk")):
            self.last_obligation = o.pk
            self._plan_outcome(o)

    def _plan_outcome(self, o):
        rng = self.rng
        last = o.period_end - timedelta(days=1)
        span = (last - o.period_start).days
        if o.period_end > self.today:
            # The running period: the further into it, the more is done; the rest is on the phone lists.
            elapsed = (self.today - o.period_start).days / max(span, 1)
            if rng.random() > 0.6 * elapsed:
                return
        r = rng.random()
        if o.plan.frequency == "once":
            r *= 0.8  # festival and condolence visits are rarely missed
        if r < 0.74:
            done = o.period_start + timedelta(days=rng.randint(0, span))
            entered = _moment(done, rng.uniform(9, 19))
        elif r < 0.84 and o.plan.grace_days:
            done = last - timedelta(days=rng.randint(0, min(3, span)))
            entered = o.due_at + timedelta(days=rng.uniform(0.2, o.plan.grace_days - 0.2))
        elif r < 0.88:
            done = o.period_start + timedelta(days=rng.randint(0, span))
            entered = o.grace_until + timedelta(days=rng.uniform(1, 6))
        else:
            return  # missed
        if done > self.today or entered > self.now:
            return
        self._at(entered, self._log, o.pk, done)

    def _log(self, obligation_id, done):
        rng = self.rng
        o = Obligation.objects.select_related("plan", "owner").get(pk=obligation_id)
        if o.fulfilled_by_id or o.cancelled_at or o.paused or o.owner is None:
            return  # done by another log, ended, in hospital, or owed by a role nobody in the demo holds
        plan = o.plan
        retiree = self.by_pk.get(plan.subject_id)
        if retiree is None:
            retiree = self.by_pk[plan.subject_id] = Retiree.objects.select_related("person__area").get(
                pk=plan.subject_id)
        kind = plan.kind
        if kind == "contact":
            method = "online" if rng.random() < 0.15 else "phone"
        elif kind == "visit":
            method = "visit"
        else:
            method = "visit" if rng.random() < 0.6 else "phone"
        where = retiree.person.area.center if method == "visit" else None
        lng, lat = ((where[0] + rng.uniform(-0.002, 0.002), where[1] + rng.uniform(-0.002, 0.002))
                    if where else (None, None))
        notes = rng.choice(NOTES)
        try:
            out = duties.log_duty(actor=o.owner, plan=None if kind == "visit" and plan.frequency != "once" else plan,
                                  subject=retiree, kind=kind, method=method, done_on=done, notes=notes,
                                  device_time=clock.now() - timedelta(minutes=rng.randint(1, 30)), lng=lng, lat=lat)
        except (ValidationError, PermissionDenied):  # no longer loggable by then (e.g. moved away): skipped
            return
        self.counts["logs"] += 1
        self.counts["late"] += out.log.late

    # ------------------------------------------------------------------ changes of circumstance

    def circumstances(self):
        rng = self.rng
        months = (self.today - self.start).days // 30
        for code in COUNTIES:
            pool = [r for r in self.retirees[code] if r.retirement_date and r.retirement_date < self.start]
            rng.shuffle(pool)
            carers = self.carers[code]

            def day(month, d=None):
                m = min(month, months)
                base = date(self.start.year + (self.start.month - 1 + m) // 12, (self.start.month - 1 + m) % 12 + 1, 1)
                return base + timedelta(days=d if d is not None else rng.randint(2, 25))

            take = itertools.cycle(pool).__next__  # a small county's retirees may see more than one change
            # A death: duties end and the care cadre owes the family a condolence visit.
            self._at(_moment(day(8, 14), 16), self._status, take(), Status.DECEASED)
            if code == WEISHAN:
                self._at(_moment(self.today - timedelta(days=3), 16), self._status, take(), Status.DECEASED)
            # A move to another town of the county, with a care cadre there.
            self._at(_moment(day(6), 10), self._move, take(), code)
            # In hospital and back; in hospital now.
            r = take()
            self._at(_moment(day(3, 12), 15), self._status, r, Status.HOSPITALISED)
            self._at(_moment(day(5, 3), 11), self._status, r, Status.ACTIVE)
            self._at(_moment(day(months - 1, 20), 15), self._status, take(), Status.HOSPITALISED)
            # A spouse died: now living alone, so visits become monthly.
            self._at(_moment(day(4), 11), self._flag, take())
            # Re-assignments mid-period (open obligations follow the retiree to the new care cadre or doctor).
            for month in (2, 3, 7):
                self._at(_moment(day(month), 10), self._reassign, take(), AssignmentRole.CARE_CADRE, carers)
            self._at(_moment(day(5), 10), self._reassign, take(), AssignmentRole.FAMILY_DOCTOR, self.doctors[code])

    def _reassign(self, retiree, role, users):
        retiree.refresh_from_db()
        if retiree.status == Status.DECEASED:
            return
        current = services.current(retiree, role)
        others = [u for u in users if current is None or u.pk != current.user_id]
        if others:
            services.assign(retiree, role=role, user=self.rng.choice(others), actor=None, note="工作调整")

    def _status(self, retiree, status):
        retiree.refresh_from_db()
        if retiree.status != Status.DECEASED:
            services.change_status(retiree, status, actor=None,
                                   note={Status.HOSPITALISED: "住院治疗", Status.DECEASED: "因病去世"}.get(status, ""))

    def _move(self, retiree, code):
        retiree.refresh_from_db()
        town = retiree.person.area.path.split("/")[:4]
        grids = [a for a in Area.objects.filter(path__startswith=self._path(code), kind="grid").order_by("code")
                 if a.path.split("/")[:4] != town]
        if retiree.status == Status.DECEASED or not grids:
            return
        target = self.rng.choice(grids)
        self.by_pk.pop(retiree.pk, None)
        near = [c for c in self.carers[code] if c.area.path.split("/")[:4] == target.path.split("/")[:4]]
        services.change_status(retiree, Status.MOVED, actor=None, area=target,
                               care_cadre=self.rng.choice(near) if near else None, note="随子女搬迁")

    def _flag(self, retiree):
        retiree.refresh_from_db()
        if retiree.status != Status.DECEASED:
            services.update_profile(retiree, actor=None, living_alone=True, empty_nest=True)

    # ------------------------------------------------------------------ festival visits

    def festivals(self):
        for year in (self.start.year, self.today.year):
            for occasion, table, name in ((Occasion.SPRING_FESTIVAL, SPRING_FESTIVAL, "春节走访慰问"),
                                          (Occasion.DOUBLE_NINTH, DOUBLE_NINTH, "重阳节走访慰问")):
                festival = table.get(year)
                if festival is None or not (self.start < festival - timedelta(days=14) <= self.today):
                    continue
                for code in COUNTIES:
                    county = Area.objects.get(code=code)
                    # Jinxiang visits every retiree at Spring Festival and the empty-nest ones at Double Ninth.
                    flags = ("empty_nest",) if code == JINXIANG and occasion == Occasion.DOUBLE_NINTH else ()
                    self._at(_moment(festival - timedelta(days=14), 9), self._group, occasion,
                             f"{year}年{county.name}{name}", county, None, flags, festival - timedelta(days=14),
                             festival - timedelta(days=1))
        # One running now: Weishan's year-end visits to retirees with a chronic illness.
        ws = Area.objects.get(code=WEISHAN)
        self._at(_moment(self.today - timedelta(days=6), 9), self._group, Occasion.OTHER,
                 f"{self.today.year}年{ws.name}岁末走访（慢性病）", ws, None, ("chronic_illness",),
                 self.today - timedelta(days=6), self.today + timedelta(days=14))

    def _group(self, occasion, title, area, unit, flags, start_on, due_on):
        try:
            services.create_group_visit(actor=None, occasion=occasion, title=title, area=area, unit=unit,
                                        flags=flags, start_on=start_on, due_on=due_on)
        except ValidationError:  # an empty group: nothing to visit
            return

    # ------------------------------------------------------------------ plan entries, checklists, liaisons

    def plan_entries(self):
        rng = self.rng
        days = (self.today - self.start).days
        for code in COUNTIES:
            for r in self.retirees[code]:
                first = max(self.start, (r.retirement_date or self.start) + timedelta(days=3))
                for _ in range(rng.randint(1, 4)):
                    on = first + timedelta(days=rng.randint(0, max(days - (first - self.start).days, 0)))
                    self._at(_moment(on, 17), self._entry, r, on)

    def _entry(self, retiree, on):
        retiree.refresh_from_db()
        if retiree.status == Status.DECEASED:
            return
        need, measure, result, next_step = self.rng.choice(NEEDS)
        done = self.rng.random() < 0.7
        services.add_plan_entry(retiree, actor=services.carer_of(retiree), on=on, need=need, measure=measure,
                                result=result if done else "", next_step=next_step)

    def liaisons_and_steps(self):
        rng = self.rng
        self.liaison_users = {}
        for code in COUNTIES:
            for i, unit in enumerate(self.units[code]):
                person = self._free_person(code)
                if i < 2:  # a liaison handed over during the year
                    before = self._free_person(code)
                    with clock.at(_moment(self.start, 9)):
                        old = services.add_liaison(unit, person=before, actor=None, started_on=self.start,
                                                   note="老干部联络员")
                    handover = self.start + timedelta(days=rng.randint(90, 200))
                    with clock.at(_moment(handover, 9)):
                        services.end_liaison(old, actor=None, on=handover)
                        services.add_liaison(unit, person=person, actor=None, started_on=handover, note="工作交接")
                else:
                    with clock.at(_moment(self.start, 9)):
                        services.add_liaison(unit, person=person, actor=None, started_on=self.start)
                first = code == JINXIANG and i == 0
                username = LOGINS["liaison"] if first else f"w_{code}_liaison{i + 1}"
                self.liaison_users[unit.pk] = self._account(username, "liaison", person, unit, login=first)
        for code in COUNTIES:
            for r in self.retirees[code]:
                if not r.retirement_date or r.retirement_date < self.start - timedelta(days=60):
                    continue
                offsets = {"notice": (-20, -5), "ceremony": (3, 20), "service": (5, 40), "venue": (10, 60),
                           "role": (30, 120), "talk": (0, 30)}
                for item, _label in RetirementItem.choices:
                    lo, hi = offsets[item]
                    on = r.retirement_date + timedelta(days=rng.randint(lo, hi))
                    if on <= self.today and rng.random() < 0.85:
                        self._at(_moment(on, 11), self._step, r, item, on)

    def _step(self, retiree, item, on):
        services.mark_step(retiree, item=item, actor=self.liaison_users.get(retiree.unit_id), done_on=on)

    # ------------------------------------------------------------------ health events

    def health_events(self):
        rng = self.rng
        for code in COUNTIES:
            county = Area.objects.get(code=code)
            towns = list(county.children.filter(kind="town").order_by("code"))
            year = self.today.year
            for town in towns:
                for month, title in ((4, "春季老干部健康体检"), (10, "秋季老干部健康体检")):
                    held = date(year, month, rng.randint(8, 26))
                    if held > self.today:
                        held = date(year - 1, month, held.day)
                    if held >= self.start:
                        self._at(_moment(held, 18), self._health, "checkup", f"{town.name}{title}", town, held, 0.8,
                                 "县人民医院（医保支付）")
            held = self.start + timedelta(days=rng.randint(20, (self.today - self.start).days - 5))
            self._at(_moment(held, 18), self._health, "clinic", f"{county.name}老干部义诊", county, held, 0.35,
                     "县中医院")
            # A winter talk is held in winter: the January, or else the December, inside the replayed year.
            day = rng.randint(8, 26)
            winter = [d for d in (date(year, 1, day), date(year - 1, 12, day), date(year, 12, day))
                      if self.start <= d <= self.today - timedelta(days=2)]
            if winter:
                self._at(_moment(winter[0], 18), self._health, "talk", "冬季养生健康讲座", rng.choice(towns),
                         winter[0], 0.3, "家庭医生团队")

    def _health(self, kind, title, area, held, share, organiser):
        event = services.create_health_event(actor=None, area=area, kind=kind, title=title, held_on=held,
                                             organiser=organiser)
        living = Retiree.objects.filter(person__area__path__startswith=area.path).exclude(
            status=Status.DECEASED).order_by("pk")
        services.cover(event, [r for r in living if self.rng.random() < share], actor=None)

    # ------------------------------------------------------------------ micro-wishes

    def wishes(self):
        rng = self.rng
        cats = {c.code: c for c in Category.objects.filter(parent__code=CLASS_CODE, parent__parent=None)}
        self.wish_count = 0
        for code in COUNTIES:
            county = Area.objects.get(code=code)
            studio = Org.objects.filter(area=county, kind="social_org", name__contains="志愿").order_by("pk").first()
            if studio is None:
                wc = Org.objects.filter(area=county, kind="working_committee").order_by("pk").first()
                studio = orgs.create_org(actor=None, parent=wc, kind="social_org",
                                         name=f"{county.name}银龄志愿服务工作室", area=county)
            vols = []
            for i, person in enumerate(Person.objects.filter(tags__kind="volunteer", area__path__startswith=county.path)
                                       .select_related("area__parent__parent").order_by("pk")[:4]):
                town = person.area.parent.parent if person.area.kind == "grid" else person.area.parent
                first = code == WEISHAN and i == 0
                username = LOGINS["volunteer"] if first else f"w_{code}_volunteer{i + 1}"
                user = self._account_with(username, person, [("volunteer", {"area": town}),
                                                              ("volunteer", {"org": studio})], login=first)
                vols.append((user, town))
            if not vols:
                continue
            days = (self.today - self.start).days
            for n, (sub, title) in enumerate(WISHES):
                vol, town = vols[n % len(vols)]
                beneficiaries = [r for r in self.retirees[code] if r.person.area.path.startswith(town.path)]
                retiree = rng.choice(beneficiaries) if beneficiaries else None
                area = retiree.person.area if retiree else rng.choice(
                    list(Area.objects.filter(path__startswith=town.path, kind="grid").order_by("code")))
                # The last wishes are recent, so every stage is on the board: posted, accepted, claimed,
                # fulfilled and waiting for verification, closed.
                stage = ["closed"] * 7 + ["verifying", "handling", "handling", "accepted", "reported"]
                posted = self.today - timedelta(days=(days - 20) * (len(WISHES) - n) // len(WISHES) + 2)
                self._wish(cats[sub], title, area, retiree, vol, stage[n], _moment(posted, 10))
            if code == WEISHAN:
                # The demo volunteer's login finds wishes of its own town to claim: three posted this week.
                vol, town = vols[0]
                beneficiaries = [r for r in self.retirees[code] if r.person.area.path.startswith(town.path)]
                for n, (sub, title) in enumerate(WISHES[-3:]):
                    retiree = beneficiaries[n % len(beneficiaries)] if beneficiaries else None
                    area = retiree.person.area if retiree else Area.objects.filter(
                        path__startswith=town.path, kind="grid").order_by("code")[n]
                    self._wish(cats[sub], title, area, retiree, vol, "accepted",
                               _moment(self.today - timedelta(days=n + 1), 9))

    def _poster(self, area, retiree):
        carer = services.carer_of(retiree) if retiree else None
        if carer is not None and area.path.startswith(carer.area.path):
            return carer
        community = area if area.kind == "community" else area.parent
        staff = User.objects.filter(grants__role="community_staff", grants__area=community).order_by("pk").first()
        if staff is None:
            # Not "w_<code>_community": the demo cases, when generated later (tests), name their accounts so.
            person = self._free_person(community.code[:6], within=community)
            staff = accounts.create_account(actor=None, username=f"c_{community.code}_community", person=person,
                                            area=community, grants=[("community_staff", {"area": community})])
        return staff

    def _wish(self, category, title, area, retiree, volunteer, stage, t):
        rng = self.rng
        poster = self._poster(area, retiree)
        community = area if area.kind == "community" else area.parent
        staff = User.objects.filter(grants__role="community_staff", grants__area=community).order_by("pk").first() \
            or self._poster(area, None)
        name = retiree.name if retiree else "社区困难群众"
        with clock.at(t):
            case = wishes.post_wish(actor=poster, category=category, title=title, area=area,
                                    description=f"受益人：{name}").case
        self.wish_count += 1
        steps = ["accepted", "handling", "verifying", "closed"]
        if stage == "reported":
            return
        t += timedelta(hours=rng.uniform(2, 30))
        with clock.at(t):
            cases.accept(case, actor=staff)
        if stage == "accepted":
            return
        t += timedelta(hours=rng.uniform(4, 72))
        with clock.at(t):
            case.refresh_from_db()
            wishes.claim_wish(case, volunteer=volunteer)
        if steps.index(stage) < 2:
            return
        t += timedelta(days=rng.uniform(1, 10))
        with clock.at(t):
            from lianxin.core.uploads import store_upload

            photo = store_upload(_jpeg(rng), owner=volunteer, area=area)
            case.refresh_from_db()
            cases.feedback(case, actor=volunteer, note="心愿已送达，老人很满意", photos=[photo])
        if stage == "verifying":
            return
        t += timedelta(hours=rng.uniform(3, 48))
        with clock.at(t):
            case.refresh_from_db()
            cases.verify(case, actor=staff, passed=True, note="电话回访确认")
            if rng.random() < 0.7:
                case.refresh_from_db()
                cases.rate(case, actor=poster, stars=rng.choice([5, 5, 5, 4]))


def seed(context) -> str:
    demo = CareDemo(context)
    demo.build_accounts()
    demo.build_retirees()
    demo.run(scan=False)  # every retiree registered (with their first obligations) before the year is replayed
    demo.monthly_generation()
    demo.circumstances()
    demo.festivals()
    demo.plan_entries()
    demo.liaisons_and_steps()
    demo.health_events()
    demo.run(scan=True)
    demo.wishes()
    retirees = sum(len(v) for v in demo.retirees.values())
    return (f"care: {retirees} retirees, {Obligation.objects.count()} obligations, {demo.counts['logs']} logs "
            f"({demo.counts['late']} too late), {demo.wish_count} micro-wishes; logins "
            f"{', '.join(demo.logins) or '-'} (password as the other demo logins)")
