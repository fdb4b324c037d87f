"""The case engine's own part of the demo (CasesConfig.seed_demo), through the services: 汶上's key-task
ledger (重点任务, 蓝黄红), 泗水's inspection rounds (互学互检) and 嘉祥's winter hazard sweep
(冬季安全风险排查). Runs after the demo cases, whose working accounts it uses."""

from datetime import timedelta

from lianxin.core import clock

WENSHANG = "370830"
SISHUI = "370831"
JIAXIANG = "370829"
ZOUCHENG = "370883"
APPEALS = [
    # (category, nature, title, how far it goes: accepted / routed / handled)
    ("0902", "complaint", "配送超时罚款标准不合理，申诉无人处理", "handled"),
    ("0903", "consult", "骑手社保如何缴纳，想咨询具体办法", "routed"),
    ("0902", "help", "电动车在小区门口被扣，请求协调", "routed"),
    ("0802", "whistleblow", "某站点长期克扣骑手押金", "accepted"),
    ("0902", "suggestion", "建议在商圈增设骑手临时停车点", "accepted"),
    ("0902", "thanks", "感谢爱心驿站冬天提供热水和充电", "reported"),
]
PLACES = {"fire": ["农贸市场", "小区地下车库", "沿街商铺"], "heating": ["独居老人家", "平房院落", "村卫生室"],
          "electricity": ["电动车集中停放点", "出租屋", "小作坊"], "road": ["学校门前路段", "村口弯道"],
          "production": ["石材加工厂", "面粉加工点"]}
FINDINGS = [
    ("住建局", "党建工作台账记录不完整", "三季度支部会议记录缺失，需补齐并规范归档。"),
    ("住建局", "便民服务事项公示未更新", "服务大厅公示栏仍为去年版本。"),
    ("城管局", "网格员巡查记录填写不规范", "部分巡查记录无时间和位置。"),
    ("应急管理局", "安全生产隐患整改未闭环", "两处隐患整改后未组织复查。"),
    ("交警大队", "群众诉求回访不及时", "抽查十件诉求有三件超过回访期限。"),
    ("环卫中心", "环卫作业质量考核流于形式", "考核表未附现场照片。"),
]
KEY_TASKS = [
    # (title, lead, co-units, [(milestone, days after the start)], started days ago, milestones reached)
    ("老旧小区改造提升", "住建局", ["城管局"], [("完成改造方案", 12), ("完成主体施工", 40), ("竣工验收", 60)], 45, 1),
    ("城区背街小巷环境整治", "城管局", ["环卫中心"], [("摸排建立问题清单", 7), ("集中整治", 21)], 30, 1),
    ("冬季清洁取暖安全检查", "应急管理局", ["住建局"], [("制定检查方案", 5), ("完成入户检查", 25)], 22, 1),
    ("快递外卖骑手服务驿站建设", "住建局", [], [("选址确定", 10), ("建成投用", 35)], 8, 0),
    ("道路交通安全隐患排查", "交警大队", ["住建局"], [("排查建档", 6), ("完成整改", 20)], 25, 0),
    ("农贸市场周边秩序整治", "城管局", ["交警大队"], [("制定方案", 3), ("专项整治", 14)], 2, 0),
]


def _wenshang():
    from lianxin.accounts.models import User
    from lianxin.areas.models import Area
    from lianxin.orgs.models import Org

    county = Area.objects.filter(code=WENSHANG).first()
    if county is None:
        return None, None, {}
    # The county's command centre of the demo cases (without them there is no one to run the ledger).
    office = User.objects.filter(grants__role="case_dispatcher", grants__area=county, is_active=True).first()
    depts = {o.name.removeprefix(county.name): o for o in Org.objects.filter(kind="department", area=county)}
    return county, office, depts


def seed_key_tasks(demo) -> int:
    from lianxin.accounts.models import User

    from . import keytasks, services
    from .models import HANDLER_ROLES

    county, office, depts = _wenshang()
    if office is None or not depts:
        return 0
    now = clock.now()
    made = 0
    for title, lead, co, plan, ago, reached in KEY_TASKS:
        if lead not in depts:
            continue
        start = now - timedelta(days=ago, hours=demo.rng.uniform(0, 6))
        with clock.at(start):
            case = keytasks.create_key_task(
                actor=office, area=county, title=title, description=f"县委县政府确定的重点任务：{title}。",
                lead=depts[lead], co_units=[depts[c] for c in co if c in depts],
                milestones=[(m, (start + timedelta(days=d)).date()) for m, d in plan])
        handler = User.objects.filter(grants__org=depts[lead], grants__role__in=HANDLER_ROLES).first()
        if handler is None:
            continue
        with clock.at(start + timedelta(hours=demo.rng.uniform(1, 20))):
            case = services.handler_accept(case, actor=handler).case
        for m in list(case.milestones.all())[:reached]:
            # Reached a little before (or, now and then, after) its deadline.
            at = m.due_at - timedelta(days=demo.rng.uniform(-1.5, 3))
            with clock.at(min(at, now - timedelta(hours=1))):
                keytasks.reach_milestone(case, m, actor=handler, evidence=f"{m.title}已完成，资料已归档。")
        made += 1
    return made


def seed_inspections(demo) -> int:
    from lianxin.accounts.models import User
    from lianxin.areas.models import Area
    from lianxin.orgs.models import Org

    from . import inspections, services
    from .models import HANDLER_ROLES

    county = Area.objects.filter(code=SISHUI).first()
    office = county and User.objects.filter(grants__role="county_staff", grants__area=county, is_active=True).first()
    if office is None:
        return 0
    depts = {o.name.removeprefix(county.name): o for o in Org.objects.filter(kind="department", area=county)}
    if not depts:
        return 0
    now = clock.now()
    start = now - timedelta(days=35)
    with clock.at(start):
        r = inspections.create_round(actor=office, name=f"{start.year}年度县直部门互学互检", area=county,
                                     tasks="明任务、查问题、抓整改、促提升：党建阵地、台账资料、服务群众、安全生产。",
                                     starts_on=start.date(), ends_on=(start + timedelta(days=14)).date(),
                                     units=list(depts.values()))
    found = 0
    for i, (unit, title, description) in enumerate(FINDINGS):
        if unit not in depts:
            continue
        at = start + timedelta(days=1 + i * 2, hours=demo.rng.uniform(1, 6))
        with clock.at(at):
            case = inspections.record_finding(r, actor=office, unit=depts[unit], title=title, description=description)
        found += 1
        handler = User.objects.filter(grants__org=depts[unit], grants__role__in=HANDLER_ROLES).first()
        if handler is None or i % 3 == 2:  # some are still waiting to be taken on
            continue
        at += timedelta(hours=demo.rng.uniform(2, 30))
        with clock.at(at):
            case = services.handler_accept(case, actor=handler).case
        if i % 3 == 1:  # being rectified
            continue
        at += timedelta(days=demo.rng.uniform(2, 8))
        with clock.at(at):
            case = services.feedback(case, actor=handler, note="已按要求完成整改，相关资料已补齐。").case
        at += timedelta(days=demo.rng.uniform(0.5, 2))
        with clock.at(min(at, now - timedelta(hours=1))):
            services.verify(case, actor=office, passed=True, note="复查合格。")
    return found


def seed_sweep(demo) -> int:
    from lianxin.accounts.models import User
    from lianxin.areas.models import Area
    from lianxin.orgs.models import Org

    from . import services, sweeps, targets
    from .models import HANDLER_ROLES

    rng = demo.rng
    county = Area.objects.filter(code=JIAXIANG).first()
    office = county and User.objects.filter(grants__role="county_staff", grants__area=county, is_active=True).first()
    if office is None:
        return 0
    now = clock.now()
    start = now - timedelta(days=20)
    with clock.at(start):
        sweep = sweeps.create_sweep(actor=office, name="冬季安全风险排查", area=county, starts_on=start.date(),
                                    ends_on=(now + timedelta(days=70)).date())
    workers = list(User.objects.filter(grants__role="grid_worker", grants__area__path__startswith=county.path,
                                       is_active=True).distinct().order_by("pk")[:10])
    units = list(Org.objects.filter(kind__in=("department", "industry_committee"), area=county).order_by("pk"))
    handlers = {o.pk: User.objects.filter(grants__org=o, grants__role__in=HANDLER_ROLES).order_by("pk").first()
                for o in units}
    found = 0
    for n, worker in enumerate(workers):
        grid = next(g.area for g in worker.grants.all() if g.role == "grid_worker" and g.area_id)
        for _i in range(2):
            kind = rng.choice(list(sweeps.WINTER_CHECKLIST))
            items = sweeps.WINTER_CHECKLIST[kind]
            failed = [i for i in items if rng.random() < 0.3]
            at = start + timedelta(days=rng.uniform(0.5, 18), hours=rng.uniform(0, 6))
            with clock.at(at):
                check = sweeps.record_check(sweep, actor=worker, area=grid, place=rng.choice(PLACES[kind]),
                                            place_kind=kind, failed=failed, level="major" if rng.random() < 0.1
                                            else "general", note="冬季排查发现，已告知责任人。")
            found += len(failed)
            staff = User.objects.filter(grants__role="community_staff", grants__area_id=grid.parent_id).first()
            if staff is None or n % 2:
                continue
            for case in check.hazards.all():  # every other worker's hazards go round the loop; some get fixed
                # To the department the category names (a fire hazard to 应急管理局, a road one to 交警大队), or,
                # where it names none (a production-safety rectification), to the grid worker who found it.
                dept = targets.route(units, case_type=case.type, category=case.category)
                handler = handlers.get(dept.pk) if dept is not None else worker
                if handler is None:
                    continue
                at += timedelta(hours=rng.uniform(1, 6))
                with clock.at(at):
                    case = services.accept(case, actor=staff).case
                    case = services.dispatch(case, actor=staff, lead=dept or worker).case
                at += timedelta(hours=rng.uniform(1, 12))
                with clock.at(at):
                    case = services.handler_accept(case, actor=handler).case
                if rng.random() < 0.5:
                    continue
                at += timedelta(days=rng.uniform(0.5, 2))
                with clock.at(min(at, now - timedelta(hours=2))):
                    case = services.feedback(case, actor=handler, note="隐患已整改。").case
                with clock.at(min(at + timedelta(hours=3), now - timedelta(hours=1))):
                    services.verify(case, actor=staff, passed=True, note="现场复查已整改。")
    return found


def seed_appeals(demo) -> int:
    """Riders' appeals in 邹城 through the intake and the chain 两新工委 → industry committee → firm."""
    from lianxin.accounts.models import User
    from lianxin.areas.models import Area
    from lianxin.orgs.models import Org

    from . import services, targets
    from .models import Category

    county = Area.objects.filter(code=ZOUCHENG).first()
    orgdept = county and User.objects.filter(grants__role="org_department", grants__area=county).first()
    riders = county and list(User.objects.filter(grants__role="resident", grants__area__path__startswith=county.path,
                                                 person__org__kind="firm").distinct().order_by("pk")[:20])
    committees = county and list(Org.objects.filter(kind="industry_committee", area=county).order_by("pk"))
    if not (orgdept and riders and committees):
        return 0
    now = clock.now()
    made = 0
    for i, (code, nature, title, reach) in enumerate(APPEALS):
        rider = riders[i % len(riders)]
        firm = rider.person.org
        # Through the committee of the rider's industry (cases.targets.route), as the dispatch form suggests.
        committee = targets.route(committees, case_type="appeal", category=Category.objects.get(full_code=code),
                                  industry=targets.worker_industry(rider)) or committees[0]
        ic_user = User.objects.filter(grants__org=committee, grants__role="industry_committee_staff").first()
        at = now - timedelta(days=demo.rng.uniform(3, 25))
        home = next(g.area for g in rider.grants.all() if g.area_id)
        with clock.at(at):
            case = services.report(actor=rider, door="web", type="appeal", category=Category.objects.get(
                full_code=code), description=title, area=home, nature=nature).case
        made += 1
        if reach == "reported":
            continue
        at += timedelta(hours=demo.rng.uniform(1, 20))
        with clock.at(at):
            case = services.accept(case, actor=orgdept).case
        if reach == "accepted" or ic_user is None:
            continue
        with clock.at(at + timedelta(hours=1)):
            case = services.dispatch(case, actor=orgdept, lead=committee).case
        with clock.at(at + timedelta(hours=3)):
            case = services.handler_accept(case, actor=ic_user).case
        if firm.parent_id == committee.pk:
            with clock.at(at + timedelta(hours=5)):
                case = services.redispatch(case, actor=ic_user, to=firm, note="转交网点办理。").case
            with clock.at(at + timedelta(hours=6)):
                case = services.handler_accept(case, actor=ic_user).case
        if reach != "handled":
            continue
        with clock.at(at + timedelta(days=1)):
            case = services.feedback(case, actor=ic_user, note="已与网点沟通，调整罚款规则并退还多扣款项。").case
        with clock.at(at + timedelta(days=2)):
            services.verify(case, actor=orgdept, passed=True, note="电话回访骑手，已解决。")
    return made


def seed(demo) -> str:
    a = seed_appeals(demo)
    n = seed_key_tasks(demo)
    f = seed_inspections(demo)
    h = seed_sweep(demo)
    parts = [text for count, text in ((a, f"{a} appeals in 邹城"), (n, f"{n} key tasks in 汶上"),
                                      (f, f"{f} inspection findings in 泗水"),
                                      (h, f"{h} hazards from the winter sweep in 嘉祥")) if count]
    return "Cases: " + ", ".join(parts) if parts else ""
