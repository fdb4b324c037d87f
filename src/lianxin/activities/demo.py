"""Demo data of activities (the app config's seed_demo), replayed over the year before "now" through the
services on a moving clock (``core.clock.at``):

- 邹城 (Z5): the county's monthly themes for new-economy workers (一月一主题) and 150+ care activities held by its
  towns and communities, open sign-up with seats, 6,300+ person-times;
- 泗水 (S1): the rotation training of branch secretaries and monthly work meetings;
- 嘉祥 (X1): 304 study sessions (大学习) of the first secretaries, by town;
- 金乡 (J1): the county's monthly themes; the firms' own party branches hold their 主题党日 on the theme and their
  三会一课 (this month's too, up to today), most on time, some late or skipped, so that compliance shows more than
  one colour even on a month's last day; every branch of the city owes its routine meetings from a year ago (the duty
  engine);
- a few activities of the coming days (and today's) for the organiser's and participants' pages.

Attendance is written in bulk (one row per person and activity, as the sign-in service writes); every other step
goes through the services, without the field-level audit log. No people, organisations or accounts are added.
"""

import io
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from PIL import Image

from lianxin.areas.models import Area
from lianxin.core import clock
from lianxin.orgs.models import Org
from lianxin.people.models import Person
from lianxin.workdays.calendar import tz

from . import compliance, services
from .models import Activity, Participant, Participation

ZOUCHENG, JINXIANG, SISHUI, JIAXIANG = "370883", "370828", "370831", "370829"
ZC_THEMES = ["新春送温暖·骑手团圆饭", "学雷锋志愿服务月", "安全骑行进社区", "劳动最光荣·快递小哥风采展",
             "青春心向党", "健康体检进驿站", "党的生日·红色骑手行", "清凉一夏送关爱", "子女托管暑期班",
             "金秋助学", "网格共治我参与", "冬日暖心行"]
ZC_TITLES = ["{t}主题活动", "{t}·驿站开放日", "{t}志愿服务", "{t}座谈会"]
JX_THEMES = ["学习贯彻全会精神", "弘扬雷锋精神", "清明祭英烈", "乡村振兴党员先行", "爱国卫生月",
             "七一重温入党誓词", "党员联系服务群众", "防汛救灾党旗红", "金秋助学", "国庆颂党恩",
             "冬季安全生产", "年终述职评议"]
TRAININGS = ["村党组织书记轮训班（第{n}期）", "社区党组织书记履职能力培训（第{n}期）", "发展党员工作业务培训",
             "两新组织党建指导员培训"]
MEETING_NAMES = {"committee": "支委会", "group": "党小组会", "theme_day": "主题党日", "lecture": "党课",
                 "assembly": "党员大会", "life_meeting": "组织生活会", "appraisal": "民主评议党员"}
PLACES = ["党群服务中心", "新时代文明实践站", "红帆驿站", "社区会议室", "党员活动室"]
MINUTES = ["传达学习上级会议精神，结合实际研究贯彻措施。", "通报上月工作完成情况，部署本月重点任务。",
           "围绕本月主题开展学习讨论，党员逐一发言。", "听取群众意见建议，明确整改责任人和时限。"]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=tz())


def _photo(rng):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lianxin.core.uploads import store_upload

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (rng.randint(150, 250), rng.randint(60, 120), rng.randint(60, 120))).save(
        out, format="JPEG")
    return store_upload(SimpleUploadedFile("activity.jpg", out.getvalue(), "image/jpeg"))


def _months(today: date) -> list[date]:
    """The first days of the twelve months before this one, oldest first."""
    first = today.replace(day=1)
    out = []
    for _ in range(12):
        first = (first - timedelta(days=1)).replace(day=1)
        out.append(first)
    return out[::-1]


def _attend(activity, persons, rng, at) -> int:
    rows = [Participant(activity=activity, person=p, status=Participation.ATTENDED, voting=p.is_party_member,
                        joined_at=at - timedelta(days=rng.randint(1, 6)),
                        signed_in_at=at + timedelta(minutes=rng.randint(-10, 15)),
                        signin_method="qr" if rng.random() < 0.8 else "roster") for p in persons]
    Participant.objects.bulk_create(rows)
    return len(rows)


def _run(rng, photo, *, kind, title, at, minutes_long, attend, area=None, org=None, theme=None,
         seat_limit=None, audience="open", audience_org=None, notice=True, held=True) -> tuple[Activity, int]:
    """One activity through its life: planned a week before, notice, attendance, minutes, held."""
    with clock.at(at - timedelta(days=7)):
        a = services.create_activity(actor=None, kind=kind, title=title, org=org, area=area, starts_at=at,
                                     ends_at=at + timedelta(minutes=minutes_long), place=rng.choice(PLACES),
                                     audience=audience, audience_org=audience_org, seat_limit=seat_limit,
                                     theme=theme)
        if notice:
            services.send_notice(a, actor=None, channels=("inapp",))
    n = 0
    with clock.at(at + timedelta(minutes=minutes_long)):
        if audience == "members":  # the roster ticked: the notice listed the members
            n = a.participants.filter(person__in=attend).update(
                status=Participation.ATTENDED, signed_in_at=at, signin_method="roster")
        else:
            n = _attend(a, attend, rng, at)
        if held:
            services.write_minutes(a, actor=None, text=rng.choice(MINUTES), photos=[photo])
            try:
                services.mark_held(a, actor=None)
            except ValidationError as e:  # a meeting below its quorum stays unrecorded, as in life
                if e.code != "quorum":
                    raise
    return a, n


def _zoucheng(rng, photo, months) -> tuple[int, int]:
    county = Area.objects.get(code=ZOUCHENG)
    places = list(Area.objects.filter(path__startswith=county.path, kind__in=("town", "community")).order_by("path"))
    pool = list(Person.objects.filter(area__path__startswith=county.path).order_by("pk"))
    if not places or not pool:
        return 0, 0
    activities = times = 0
    for m, month in enumerate(months):
        theme = services.publish_theme(actor=None, area=county, month=month, title=ZC_THEMES[m % 12],
                                       materials="活动方案、宣传海报、服务清单")
        for _ in range(13):
            day = month + timedelta(days=rng.randint(0, 26))
            area = rng.choice(places)
            size = min(len(pool), rng.randint(34, 52))
            _a, n = _run(rng, photo, kind="care", title=rng.choice(ZC_TITLES).format(t=theme.title),
                         at=_at(day, rng.choice((9, 10, 14, 15))), minutes_long=120, attend=rng.sample(pool, size),
                         area=area, theme=theme, seat_limit=60, notice=False)
            activities += 1
            times += n
    return activities, times


def _sishui(rng, photo, months) -> int:
    county = Area.objects.get(code=SISHUI)
    pool = list(Person.objects.filter(area__path__startswith=county.path).order_by("pk"))
    if not pool:
        return 0
    made = 0
    for i, month in enumerate(months):
        if i % 3 == 0:  # a rotation training each quarter, two or three sessions
            for n in range(rng.randint(2, 3)):
                title = rng.choice(TRAININGS).format(n=i // 3 * 3 + n + 1)
                _run(rng, photo, kind="training", title=title, at=_at(month + timedelta(days=8 + 3 * n), 9),
                     minutes_long=240, attend=rng.sample(pool, min(len(pool), rng.randint(25, 45))), area=county,
                     seat_limit=50)
                made += 1
        _run(rng, photo, kind="work_meeting", title=f"{month.month}月党建工作例会",
             at=_at(month + timedelta(days=rng.randint(0, 4)), 15), minutes_long=90,
             attend=rng.sample(pool, min(len(pool), rng.randint(12, 20))), area=county)
        made += 1
    return made


def _jiaxiang(rng, photo, months) -> int:
    county = Area.objects.get(code=JIAXIANG)
    towns = list(Area.objects.filter(parent=county, kind="town").order_by("path"))
    if not towns:
        return 0
    secretaries = {t.pk: list(Person.objects.filter(area__path__startswith=t.path, tags__kind="first_secretary")
                              .order_by("pk")) for t in towns}
    staff = list(Person.objects.filter(area__path__startswith=county.path).order_by("pk"))
    made = 0
    while made < 304:
        town = towns[made % len(towns)]
        month = months[(made // len(towns)) % len(months)]
        people = secretaries[town.pk] or staff
        attend = rng.sample(people, min(len(people), rng.randint(4, 9))) if people else []
        topic = rng.choice(["乡村振兴政策", "基层治理", "集体经济发展", "党建引领", "惠民政策"])
        _run(rng, photo, kind="study", title=f"第一书记大学习·{topic}",
             at=_at(month + timedelta(days=rng.randint(0, 26)), rng.choice((9, 14, 19))), minutes_long=90,
             attend=attend, area=town, notice=False)
        made += 1
    return made


def _branches(rng, photo, months, today) -> tuple[int, int]:
    """Plans for every branch of the city; 金乡's and 邹城's firm branches hold their meetings."""
    start = months[0]
    branches = list(Org.objects.filter(kind__in=compliance.BRANCH_KINDS, is_active=True).select_related(
        "parent", "area").order_by("path"))
    with clock.at(_at(start, 8)):
        for b in branches:
            compliance.ensure_branch_plans(b, start_date=start)
    jinxiang = Area.objects.get(code=JINXIANG)
    for m, month in enumerate(months):
        services.publish_theme(actor=None, area=jinxiang, month=month, title=JX_THEMES[m % 12],
                               materials="学习资料、党日活动方案、讨论题目")
    held = 0
    for b in branches:
        if b.parent is None or b.parent.kind != "firm" or not (
                b.area.code.startswith(JINXIANG) or b.area.code.startswith(ZOUCHENG)):
            continue
        members = list(Person.objects.filter(org=b.parent).order_by("pk"))
        if not members:
            continue
        diligence = rng.choice((0.95, 0.85, 0.7))
        for month in [*months, today.replace(day=1)]:  # this month too, up to now
            owed = [("committee", 5), ("group", 12), ("theme_day", 18)]
            if month.month % 3 == 0:
                owed += [("lecture", 20), ("assembly", 24)]
            if month.month == 12:
                owed += [("life_meeting", 22), ("appraisal", 26)]
            for kind, day in owed:
                if rng.random() > diligence:
                    continue
                at = _at(month + timedelta(days=day + rng.randint(-3, 2)), 15)
                if at + timedelta(hours=1) > clock.now():  # not held yet
                    continue
                present = [p for p in members if rng.random() < 0.85] or members[:1]
                _run(rng, photo, kind=kind, title=f"{month.month}月{MEETING_NAMES[kind]}", at=at, minutes_long=60,
                     attend=present, org=b, audience="members", audience_org=b.parent)
                held += 1
    return len(branches), held


def _upcoming(rng, today: date) -> int:
    """Today's and the coming days' activities in 邹城, for the phone pages."""
    county = Area.objects.get(code=ZOUCHENG)
    communities = list(Area.objects.filter(path__startswith=county.path, kind="community").order_by("path"))[:3]
    made = 0
    for i, area in enumerate(communities):
        at = _at(today + timedelta(days=i), 15 if i == 0 else 10)
        services.create_activity(actor=None, kind="care", title="关爱骑手·驿站开放日", area=area, audience="open",
                                 seat_limit=30, starts_at=at, ends_at=at + timedelta(hours=2),
                                 place=rng.choice(PLACES))
        made += 1
    # A branch committee meeting this afternoon, organised by the demo's community staff member, who is also
    # the secretary of a firm's branch in Zoucheng.
    from lianxin.accounts import services as accounts
    from lianxin.accounts.models import User

    user = User.objects.filter(username="demo_community").first()
    branch = (Org.objects.filter(kind="branch", parent__kind="firm", area__path__startswith=county.path)
              .select_related("parent").order_by("path").first())
    if user is not None and branch is not None:
        accounts.grant_role(actor=None, user=user, role="branch_secretary", org=branch)
        at = _at(today, 15)
        meeting = services.create_activity(actor=None, kind="committee", title=f"{today.month}月支委会", org=branch,
                                           audience_org=branch.parent, starts_at=at,
                                           ends_at=at + timedelta(hours=1), place="党员活动室")
        services.send_notice(meeting, actor=None, channels=("inapp",))
        made += 1
    return made


def seed(demo) -> str:
    from auditlog.context import disable_auditlog

    # The activities' own history (Event rows) is written; the field-level audit log of thousands of demo
    # records is not (it would double the seed's time).
    with disable_auditlog():
        return _seed(demo)


def _seed(demo) -> str:
    rng = demo.rng
    today = clock.today()
    months = _months(today)
    photo = _photo(rng)
    zc, zc_times = _zoucheng(rng, photo, months)
    ss = _sishui(rng, photo, months)
    jx = _jiaxiang(rng, photo, months)
    n_branches, meetings = _branches(rng, photo, months, today)
    up = _upcoming(rng, today)
    from lianxin.duties import services as duties

    duties.generate_obligations()  # up to today, as the daily task does
    return (f"activities: Zoucheng {zc} care activities ({zc_times} person-times), Sishui {ss} trainings and "
            f"work meetings, Jiaxiang {jx} study sessions, {meetings} branch meetings, {n_branches} branches "
            f"owing their meetings, {up} upcoming")
