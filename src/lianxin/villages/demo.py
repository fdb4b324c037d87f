"""The demo of the village work: a term of 嘉祥's first secretaries (X1/X2) at the source's order of volume.

Each village of 嘉祥县 gets its profile, its first secretary's term (the village's first_secretary person,
dispatched by the county or the city, with a work team), a household registry with the must-visit categories,
a term's 大走访 (about 14,400 households visited, the must-visit ones several times), answers of which some
became cases on the case engine, the village survey with a revised answer here and there (history), and the
county's 170 plans, 98 industry projects and 177 research reports. Households, visits and answers of the past
months are written in bulk (the history before the duty plans start today); everything that starts now — the
terms, the must-visit duties, the cases, survey answers, plans, projects and reports — goes through the services.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from lianxin.accounts import services as accounts
from lianxin.areas.models import Area, AreaKind
from lianxin.cases.models import Category
from lianxin.core import clock
from lianxin.people.models import Person
from lianxin.workdays.calendar import tz

from . import services
from .models import (
    AssistancePlan,
    Household,
    IndustryProject,
    MustAskQuestion,
    MustVisitCategory,
    ResearchReport,
    SurveyItem,
    Visit,
    VisitAnswer,
)

JIAXIANG = "370829"
HOUSEHOLDS_VISITED = 14_400
PLANS, PROJECTS, REPORTS = 170, 98, 177
CASES = 60
TERM_DAYS = 330
UNITS = ["县委组织部", "县财政局", "县农业农村局", "县住建局", "县教体局", "县卫健局", "县市场监管局", "县供电公司",
         "市直机关工委", "市农业农村局"]
# Share of households in each must-visit category (五必访), by code.
# (About one household in eleven; the demo keeps the must-visit duties to what seeds in a few seconds.)
SHARES = {"party_cadre": 0.035, "representative": 0.015, "capable": 0.01, "lifted": 0.03, "petition": 0.004}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = "德福贵春秋明华建国庆玉兰秀英桂芳金凤海军平安长山广东振兴立新永刚红梅"
ANSWERS = {
    "livelihood": ["家里种了十亩小麦，收成还行", "老两口在家，儿子在外打工", "家庭收入主要靠务工", "今年养了两头牛"],
    "opinion": ["希望村里路灯再多装几盏", "对村里的环境整治很满意", "希望多开展文化活动", "盼着自来水改造早点完成"],
    "development": ["想发展大棚蔬菜，缺技术", "希望村里成立合作社带着干", "想学电商卖大蒜", "有意流转土地搞养殖"],
    "hardship": ["老人腿脚不便，看病不方便", "孩子上学路远", "房屋年久漏雨", "家中有残疾人需要照护"],
    "dispute": ["无", "与邻居因宅基地边界有争议", "浇地用水时间有矛盾", "无矛盾纠纷"],
}
CASE_TEXTS = ["房屋年久漏雨", "与邻居因宅基地边界有争议", "浇地用水时间有矛盾", "老人腿脚不便，看病不方便"]
PLAN_TITLES = ["{v}三年发展规划", "{v}{y}年度帮扶计划", "{v}乡村振兴帮扶规划", "{v}集体经济发展计划"]
PROJECT_TITLES = ["{v}大棚蔬菜基地", "{v}光伏发电项目", "{v}肉牛养殖场", "{v}共富工坊", "{v}大蒜冷库",
                  "{v}土地股份合作社", "{v}农产品电商服务站"]
REPORT_TITLES = ["关于{v}集体经济发展的调研报告", "{v}大走访情况调研报告", "关于{v}土地流转的调研",
                 "{v}党群服务中心提升调研", "关于{v}后备力量建设的调研"]


def _name(rng) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _villages():
    county = Area.objects.get(code=JIAXIANG)
    return list(Area.objects.filter(path__startswith=county.path, kind=AreaKind.COMMUNITY, name__endswith="村")
                .select_related("parent").order_by("code"))


def seed(demo) -> str | None:
    rng = demo.rng
    villages = _villages()
    if not villages:
        return None
    today = clock.today()
    term_start = today - timedelta(days=TERM_DAYS)
    secretaries = {p.area_id: p for p in Person.objects.filter(tags__kind="first_secretary", area__in=villages)
                   .order_by("pk")}
    categories = {c.code: c for c in MustVisitCategory.objects.all()}
    questions = list(MustAskQuestion.objects.filter(active=True).order_by("order"))
    login = None
    for i, village in enumerate(villages):
        person = secretaries.get(village.pk) or demo.person(["first_secretary"], village, years=(1975, 1995),
                                                              party=1.0, male=0.7)
        if i == 0:
            login = getattr(person, "account", None) or accounts.create_account(
                actor=None, username="jx_first_secretary", person=person, area=village, password=demo.password,
                grants=[("first_secretary", {"area": village})])
        team = [demo.person(["staff"], village, years=(1980, 1998), party=0.8) for _ in range(2)]
        services.start_term(actor=None, area=village, secretary=person, level="city" if rng.random() < 0.3
                            else "county", unit=rng.choice(UNITS), start_on=term_start, team=team)

    per_village = -(-HOUSEHOLDS_VISITED // len(villages))
    all_households = []
    for village in villages:
        households = per_village + rng.randint(0, 40)
        party = int(households * 0.05) + rng.randint(0, 20)
        income = Decimal(rng.randrange(40, 260)) * 1000
        services.update_profile(
            services.profile_of(village), actor=None, households=households,
            population=int(households * rng.uniform(3.0, 3.6)), party_members=party,
            committee_members=rng.randint(5, 9), income_year=today.year - 1, collective_income=income,
            committee_note=f"党支部书记兼村委会主任：{_name(rng)}；支部委员：{_name(rng)}、{_name(rng)}",
            income_sources="、".join(rng.sample(["土地流转服务费", "光伏发电收益", "集体厂房出租", "合作社分红",
                                                "坑塘承包费", "农产品代销"], 3)))
        rows = [Household(area=village, name=_name(rng), members=rng.randint(1, 6),
                          phone=demo.phone() if rng.random() < 0.3 else "",
                          address=f"{village.name}{rng.randint(1, 12)}组") for _ in range(households)]
        all_households.extend(Household.objects.bulk_create(rows, batch_size=1000))
    through = Household.categories.through
    links, must = [], []
    for h in all_households:
        mine = [categories[c] for c, share in SHARES.items() if rng.random() < share]
        links.extend(through(household_id=h.pk, mustvisitcategory_id=c.pk) for c in mine)
        if mine:
            must.append(h)
    through.objects.bulk_create(links, batch_size=2000)

    # The term's 大走访 so far: every household visited once; must-visit households also every quarter.
    users = {login.person.area_id: login} if login else {}
    staff = {v.pk: _visitor(v, users) for v in villages}
    must_ids = {h.pk for h in must}
    visits, texts = [], []
    for h in all_households:
        days = [rng.randrange(1, TERM_DAYS)]
        if h.pk in must_ids:
            days += [d for d in range(rng.randrange(10, 80), TERM_DAYS, 91)]
        for d in days:
            on = today - timedelta(days=d)
            at = datetime.combine(on, time(rng.randint(8, 17), rng.randrange(60)), tzinfo=tz())
            visits.append(Visit(area_id=h.area_id, household=h, visitor=staff[h.area_id], method=(
                Visit.Method.PHONE if rng.random() < 0.15 else Visit.Method.VISIT), visited_on=on,
                device_time=at, submitted_at=at + timedelta(minutes=rng.randint(0, 30))))
            texts.append(rng.sample(questions, rng.randint(1, 3)))
    visits = Visit.objects.bulk_create(visits, batch_size=2000)
    answers = [VisitAnswer(visit=v, question=q, text=rng.choice(ANSWERS.get(q.code, ["—"])))
               for v, qs in zip(visits, texts, strict=True) for q in qs]
    VisitAnswer.objects.bulk_create(answers, batch_size=5000)

    # Must-visit duties start today (through the services: one plan per must-visit household).
    services.start_visit_plans(Household.objects.filter(pk__in=must_ids).prefetch_related("categories")
                               .select_related("area").order_by("pk"), actor=None)

    _cases(rng, villages, staff)
    _survey(rng, villages, today)
    _dossiers(rng, villages, staff, today)
    return (f"Villages: {len(villages)} villages of 嘉祥, {len(all_households)} households ({len(must)} must-visit), "
            f"{len(visits)} visits, {PLANS} plans, {PROJECTS} projects, {REPORTS} reports")


def _visitor(village, users):
    """Who logged the bulk visits: the village's login if it has one, else a working account of the secretary."""
    if village.pk in users:
        return users[village.pk]
    term = services.current_term(village)
    person = term.secretary
    account = getattr(person, "account", None)
    if account is None:
        account = accounts.create_account(actor=None, username=f"fs_{village.code}", person=person, area=village,
                                          grants=[("first_secretary", {"area": village})])
    return account


def _cases(rng, villages, staff):
    """Some answers of recent visits filed as cases (source: first secretary's visit)."""
    category = (Category.objects.filter(parent__isnull=False, is_active=True, case_types__contains="event")
                .order_by("full_code"))
    categories = list(category[:20])
    if not categories:
        return
    recent = clock.today() - timedelta(days=25)
    found = list(VisitAnswer.objects.filter(visit__area__in=villages, visit__visited_on__gte=recent,
                                            text__in=CASE_TEXTS).select_related("visit").order_by("pk")[:2000])
    for answer in rng.sample(found, min(CASES, len(found))):
        services.answer_to_case(answer, actor=staff[answer.visit.area_id], category=rng.choice(categories))


def _survey(rng, villages, today):
    items = list(SurveyItem.objects.filter(active=True))
    first = clock.now() - timedelta(days=200)
    for village in villages:
        profile = services.profile_of(village)
        for item in items:
            value = _survey_value(rng, item, profile)
            services.answer_survey(actor=None, area=village, item=item, at=first, **value)
            if rng.random() < 0.3 and item.kind != SurveyItem.Kind.TEXT:  # revised since: the history
                services.answer_survey(actor=None, area=village, item=item, at=first + timedelta(days=120),
                                       **_survey_value(rng, item, profile))


def _survey_value(rng, item, profile) -> dict:
    if item.kind == SurveyItem.Kind.YES_NO:
        return {"yes": rng.random() < 0.6, "measures": "" if rng.random() < 0.5 else "列入年度帮扶计划，限期整改"}
    if item.kind == SurveyItem.Kind.AMOUNT:
        return {"number": profile.collective_income}
    if item.kind == SurveyItem.Kind.COUNT:
        return {"number": Decimal(rng.randint(0, 4))}
    if item.code == "income_sources":
        return {"text": profile.income_sources}
    return {"text": "对照标准化建设要求，完善便民服务功能，增设老年活动室"}


def _dossiers(rng, villages, staff, today):
    reviewer = None
    for kind, count, titles in (("plan", PLANS, PLAN_TITLES), ("project", PROJECTS, PROJECT_TITLES),
                                ("report", REPORTS, REPORT_TITLES)):
        for n in range(count):
            village = villages[n % len(villages)]
            start = today - timedelta(days=rng.randrange(5, TERM_DAYS))
            title = rng.choice(titles).format(v=village.name, y=start.year) + f"（{n // len(villages) + 1}）"
            owner = staff[village.pk]
            if kind == "plan":
                services.create_dossier(AssistancePlan, actor=owner, area=village, title=title, start_on=start,
                                        kind=rng.choice(AssistancePlan.Kind.values),
                                        end_on=start + timedelta(days=365),
                                        summary="围绕党建引领、产业发展、民生改善制定帮扶措施。")
            elif kind == "project":
                investment = Decimal(rng.randrange(5, 300)) * 10000
                services.create_dossier(IndustryProject, actor=owner, area=village, title=title, start_on=start,
                                        stage=rng.choice(IndustryProject.Stage.values), investment=investment,
                                        expected_income=(investment * Decimal(rng.randint(6, 15)) / 100)
                                        .quantize(Decimal("1")))
            else:
                report = services.create_dossier(ResearchReport, actor=owner, area=village, title=title,
                                                 start_on=start, summary="走访农户，梳理问题，提出对策建议。")
                if rng.random() < 0.7:
                    reviewer = reviewer or _reviewer(village)
                    services.review_report(report, actor=reviewer, approve=rng.random() < 0.85,
                                           note="请补充村集体收入数据" if rng.random() < 0.5 else "同意")


def _reviewer(village):
    """The town's staff account that reviews the reports (the demo's, else the first town staff login)."""
    from lianxin.accounts.models import User

    return (User.objects.filter(grants__role__in=("town_staff", "county_staff", "org_department"),
                                grants__area__code__startswith=JIAXIANG).order_by("pk").first())
