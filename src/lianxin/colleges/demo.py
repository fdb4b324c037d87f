"""Demo data of the senior colleges (J6, W1, W2): 金乡's 46 doorstep colleges (家门口老年大学) and 24 shared
venues with 21 courses; 微山's service centre, four branch campuses and lake campus; a lecturer pool of 37
(retired cadres among them); classes of this term with enrolment (returning students, the lottery with a
published seed, waitlists) and 131 lessons held, each an activity whose list is the class's students.

Lecturers and students are people of the base demo (no people, organisations or accounts are added);
attendance is written in bulk, as in the activities' demo; the field-level audit log is off."""

from datetime import date, datetime, time, timedelta

from lianxin.activities import services as activities
from lianxin.activities.models import Participation
from lianxin.areas.models import Area
from lianxin.core import clock
from lianxin.people.models import Person
from lianxin.workdays.calendar import tz

from . import services
from .models import Campus

JINXIANG, WEISHAN = "370828", "370826"
COURSES = ["书法", "国画", "声乐", "太极拳", "广场舞", "智能手机应用", "摄影", "中医养生", "京剧", "葫芦丝",
           "剪纸", "手工编织", "诗词鉴赏", "健康管理", "模特走秀", "电子琴", "八段锦", "茶艺", "花卉种植",
           "防诈骗知识", "党史学习"]
WEISHAN_CAMPUSES = [("centre", "微山县老年大学（服务中心）"), ("branch", "夏镇分校"), ("branch", "韩庄分校"),
                    ("branch", "欢城分校"), ("branch", "留庄分校"), ("branch", "微山湖湖上分校")]
TIMES = ["周一上午", "周二下午", "周三上午", "周四下午", "周五上午"]


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=tz())


def _campuses(rng) -> list[Campus]:
    made = []
    jinxiang = Area.objects.filter(code=JINXIANG).first()
    if jinxiang is not None:
        communities = list(Area.objects.filter(path__startswith=jinxiang.path, kind="community").order_by("path"))
        for i in range(46):
            area = communities[i % len(communities)]
            made.append(services.create_campus(actor=None, kind="doorstep", name=f"{area.name}家门口老年大学"
                                               + (f"（{i // len(communities) + 1}）" if i >= len(communities) else ""),
                                               area=area, capacity=rng.choice((30, 40, 50)),
                                               hours="周一至周五 8:30-11:30"))
        for i in range(24):
            area = communities[(i * 5) % len(communities)]
            made.append(services.create_campus(actor=None, kind="shared", name=f"{area.name}共享教室{i + 1}",
                                               area=area, capacity=rng.choice((20, 30)), hours="预约使用"))
    weishan = Area.objects.filter(code=WEISHAN).first()
    if weishan is not None:
        for kind, name in WEISHAN_CAMPUSES:
            made.append(services.create_campus(actor=None, kind=kind, name=name, area=weishan,
                                               capacity=rng.choice((80, 120, 200)), hours="周一至周六 8:00-17:00"))
    return made


def _lecturers(rng, county_areas) -> list:
    made = []
    for county in county_areas:
        pool = list(Person.objects.filter(area__path__startswith=county.path, birth_date__lt=date(1975, 1, 1))
                    .order_by("pk"))
        for person in rng.sample(pool, min(len(pool), 19 if county.code == JINXIANG else 18)):
            retired = person.tags.filter(kind="retired_cadre").exists()
            made.append(services.add_lecturer(actor=None, person=person, area=county,
                                              speciality=rng.choice(COURSES), retired_cadre=retired))
    return made


def seed(demo) -> str:
    from auditlog.context import disable_auditlog

    with disable_auditlog():
        return _seed(demo)


def _seed(demo) -> str:
    rng = demo.rng
    counties = list(Area.objects.filter(code__in=(JINXIANG, WEISHAN)).order_by("code"))
    if not counties:
        return "colleges: no Jinxiang or Weishan in this demo"
    campuses = _campuses(rng)
    lecturers = _lecturers(rng, counties)
    today = clock.today()
    term = f"{today.year}{'春' if today.month < 7 else '秋'}"
    term_start = date(today.year, 3 if today.month < 7 else 9, 1)
    if term_start > today - timedelta(days=60):
        term_start = today - timedelta(days=60)
    courses = {c.code: [services.create_course(actor=None, name=name, area=c) for name in COURSES]
               for c in counties}
    students_of = {c.code: [p for p in Person.objects.filter(area__path__startswith=c.path,
                                                               birth_date__lte=date(today.year - 50, 1, 1),
                                                               birth_date__gte=date(today.year - 80, 1, 1))
                            .order_by("pk")] for c in counties}
    classes, lessons = [], 0
    with clock.at(_at(term_start - timedelta(days=20), 9)):
        for campus in campuses[:30] + campuses[-6:]:
            code = campus.area.path
            county = next(c for c in counties if code.startswith(c.path))
            course = rng.choice(courses[county.code])
            pool = students_of[county.code]
            teacher = rng.choice([t for t in lecturers if t.area_id == county.pk] or [None])
            klass = services.create_class(actor=None, course=course, campus=campus, term=term,
                                          seats=rng.randint(8, 15), timetable=rng.choice(TIMES), lecturer=teacher,
                                          min_age=50, max_age=80)
            for p in rng.sample(pool, min(len(pool), rng.randint(10, 20))):
                services.apply(klass, p, actor=None, on_behalf=rng.random() < 0.2)
            services.draw(klass, actor=None, seed=f"{term_start:%Y%m%d}-{rng.randrange(10000):04d}")
            classes.append(klass)
    for i in range(131):
        klass = classes[i % len(classes)]
        start = _at(term_start + timedelta(days=7 * (i // len(classes)) + rng.randint(0, 4)), 9)
        with clock.at(start - timedelta(days=2)):
            lesson = services.schedule_lesson(klass, actor=None, starts_at=start,
                                              ends_at=start + timedelta(minutes=90),
                                              topic=f"第{i // len(classes) + 1}课")
        with clock.at(start + timedelta(minutes=90)):
            rows = list(lesson.activity.participants.values_list("person_id", flat=True))
            present = [pk for pk in rows if rng.random() < 0.85] or rows[:1]
            lesson.activity.participants.filter(person_id__in=present).update(
                status=Participation.ATTENDED, signed_in_at=start, signin_method="qr")
            if present:
                activities.mark_held(lesson.activity, actor=None)
                lessons += 1
    return (f"colleges: {len(campuses)} campuses and venues, {sum(len(v) for v in courses.values())} courses, "
            f"{len(lecturers)} lecturers, {len(classes)} classes, {lessons} lessons held")
