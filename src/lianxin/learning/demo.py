"""Demo library for 金乡 (source J2, "码"上家园: 120+ speeches and articles, 80+ policies, 160+ party-history
stories), plus a few city-wide items; every text is composed here from sentences written for the demo, not
copied from any publication. A year is replayed: items published through review on a moving clock, study
assigned by the county to its retirees' branches (fulfilled by reads through the services), and a year of
effective reads by the retired party members of 金乡's towns (bulk-inserted, at most one per person, item and
day). A reviewer login and a reader login are created."""

from datetime import datetime, time, timedelta

from lianxin.accounts import services as accounts
from lianxin.areas.models import Area
from lianxin.core import clock
from lianxin.orgs.models import Org
from lianxin.workdays.calendar import tz

from . import services
from .models import Category, Read

JINXIANG = "370828"
VOLUMES = {"speeches": 122, "policies": 83, "history": 118, "history-local": 44, "regulations": 18, "models": 16,
           "ageing": 12}

TOPICS = {
    "speeches": ["坚持党建引领基层治理", "把群众的小事当作大事来办", "以学铸魂、以学增智", "推进乡村全面振兴",
                 "发扬钉钉子精神", "守好红色根脉", "让老同志老有所为", "把支部建在产业链上"],
    "policies": ["离退休干部医疗保障办法", "城乡居民基本养老保险政策", "农村人居环境整治要点", "高龄津贴发放办法",
                 "老年人助餐服务实施方案", "大蒜产业发展扶持措施", "村级集体经济发展政策", "困难党员帮扶办法"],
    "history": ["一封写在战火中的家书", "乡亲们支前的小推车", "夜校里的识字课", "老支书带头修水渠",
                "羊山战役中的救护队", "一盏马灯照亮的路", "土地改革中的年轻党员", "第一批合作社的故事"],
    "history-local": ["金乡县第一个党小组", "羊山脚下的红色记忆", "金乡老区的支前运输队", "鸡黍镇的抗战交通站"],
    "regulations": ["学习党章的十个问答", "廉洁自律准则学习提要", "党员权利和义务", "组织生活会怎样开"],
    "models": ["种蒜大户带领乡亲致富", "退休教师义务辅导留守儿童", "网格员的一天", "志愿者服务队的十年"],
    "ageing": ["老干部书画作品展", "银龄志愿者在行动", "门前老年大学开课了", "重阳节里的敬老宴"],
}
SENTENCES = [
    "{subject}结合自身经历，讲述了{topic}背后的道理，大家听得认真，记得也牢。",
    "学习{topic}，要联系身边的人和事，把道理讲明白、讲透彻。",
    "在{place}，{subject}把{topic}的要求落实到每一户、每一人。",
    "不少老同志说，{topic}让他们想起了当年的奋斗岁月。",
    "{place}党支部把{topic}列入每月主题党日的学习内容，组织党员交流心得。",
    "{subject}表示，要把学习成果转化为为群众办实事的具体行动。",
    "围绕{topic}，{place}开展了入户宣讲，把政策送到群众家门口。",
    "讲好{topic}，关键在于真情实感，在于接地气、冒热气。",
    "大家一致认为，{topic}是一堂生动的教育课。",
    "{place}的乡亲们对{topic}有了更深的理解，干劲更足了。",
]
SUBJECTS = ["老党员", "退休干部", "第一书记", "社区书记", "网格员", "驻村工作队员", "老教师", "志愿者代表"]
SOURCES = ["金乡县委组织部", "金乡县委老干部局", "金乡县融媒体中心", "济宁市委组织部", "金乡县档案馆"]
TAGS = ["学习", "宣讲", "红色", "乡村振兴", "养老", "政策解读", "主题党日", "老干部"]


def _text(rng, topic: str, places: list[str]) -> str:
    paras = []
    for _ in range(rng.randint(4, 7)):
        paras.append("".join(rng.choice(SENTENCES).format(topic=topic, subject=rng.choice(SUBJECTS),
                                                          place=rng.choice(places))
                             for _ in range(rng.randint(2, 4))))
    return "\n".join(paras)


def _moment(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=tz())


def seed(demo) -> str:
    rng = demo.rng
    county = Area.objects.filter(code=JINXIANG).first()
    city = Area.objects.filter(kind="city").order_by("pk").first()
    if county is None or city is None:
        return "learning: no 金乡 in this demo"
    towns = list(Area.objects.filter(parent=county, kind="town").order_by("code"))
    places = [t.name for t in towns] or [county.name]
    committee = (Org.objects.filter(area=county, kind="working_committee").order_by("pk").first()
                 or Org.objects.filter(area=county).order_by("pk").first())
    cats = {c.code: c for c in Category.objects.all()}
    now = clock.now()
    start = (now - timedelta(days=365)).astimezone(tz()).date()

    # The reviewer of 金乡 (组织部) and the retirees' branches with their readers.
    reviewer_person = demo.person(["staff"], county, years=(1975, 1990), party=1.0)
    reviewer = accounts.create_account(actor=None, username="jinxiang_reviewer", person=reviewer_person, area=county,
                                       password=demo.password, grants=[("learning_reviewer", {"area": county})])
    from lianxin.orgs import services as orgs

    readers, branches = [], []
    for town in towns:
        branch = orgs.create_org(actor=None, parent=committee, kind="branch",
                                 name=f"{town.name}离退休干部党支部", area=town)
        branches.append(branch)
        grids = list(Area.objects.filter(kind="grid", path__startswith=town.path).order_by("code"))
        for _ in range(rng.randint(3, 6)):
            person = demo.person(["retired_cadre"], rng.choice(grids), years=(1942, 1962), party=1.0, org=branch)
            readers.append(person)
    accounts_ = []
    for i, person in enumerate(readers):
        home = person.area.parent if person.area.kind == "grid" else person.area
        username = "jinxiang_reader" if i == 0 else f"jx_reader_{i:03d}"
        accounts_.append(accounts.create_account(
            actor=None, username=username, person=person, area=home,
            password=demo.password if i == 0 else None, grants=[("resident", {"area": home})]))

    # A year of publishing, in time order.
    plan = []
    for code, n in VOLUMES.items():
        for i in range(n):
            plan.append((start + timedelta(days=rng.randrange(355)), code, i))
    plan.sort()
    items = []
    for day, code, i in plan:
        topic = TOPICS[code][i % len(TOPICS[code])]
        title = topic if i < len(TOPICS[code]) else f"{topic}（{rng.choice(places)}篇·之{i // len(TOPICS[code]) + 1}）"
        level_city = rng.random() < 0.08
        kind = "article"
        fields = {}
        if code in ("history", "history-local") and rng.random() < 0.1:
            kind, fields = "audio", {"media_url": f"https://media.example.cn/jinxiang/story-{i}.mp3",
                                     "media_minutes": rng.randint(4, 12)}
        with clock.at(_moment(day, 9, rng.randrange(60))):
            item = services.create_item(
                actor=None, kind=kind, title=title, summary="", body=services.sanitize.from_plain(
                    _text(rng, topic, places)), category=cats[code], source=rng.choice(SOURCES),
                level="city" if level_city else "county", area=city if level_city else county,
                tags=rng.sample(TAGS, 2), **fields)
            services.submit(item, actor=None)
        with clock.at(_moment(day, 15, rng.randrange(60))):
            item = services.publish(item, actor=None if level_city else reviewer)
        items.append(item)
    # Two withdrawn (a policy replaced), one draft and one in review, one scheduled for next week.
    for item in rng.sample([it for it in items if it.category.code == "policies" and it.level == "county"], 2):
        services.withdraw(item, actor=reviewer, note="政策已更新，待修订后重新发布")
    draft = services.create_item(actor=None, title="冬季老年人防跌倒小常识", category=cats["ageing"], level="county",
                                 area=county, body=services.sanitize.from_plain(_text(rng, "冬季防跌倒", places)))
    review = services.create_item(actor=None, title="新修订的高龄津贴发放办法解读", category=cats["policies"],
                                  level="county", area=county,
                                  body=services.sanitize.from_plain(_text(rng, "高龄津贴发放办法", places)))
    services.submit(review, actor=None)
    soon = services.create_item(actor=None, title="重温入党誓词", category=cats["speeches"], level="county",
                                area=county, body=services.sanitize.from_plain(_text(rng, "入党誓词", places)))
    services.submit(soon, actor=None)
    services.publish(soon, actor=reviewer, at=now + timedelta(days=7))
    del draft

    live = [it for it in items if it.status == "published"]
    # Quarterly assigned study: the county assigns a story or a speech to all retirees' branches.
    assigned = 0
    for quarter in range(1, 4):
        day = start + timedelta(days=91 * quarter)
        choice = [it for it in live if it.publish_at.astimezone(tz()).date() <= day]
        if not choice:
            continue
        item = rng.choice(choice[-30:])
        with clock.at(_moment(day, 10)):
            services.assign_study(actor=reviewer, item=item, org=committee, due_on=day + timedelta(days=20))
        assigned += 1
        # Most members read it in time, through the services (the reads fulfil their duties).
        for account in accounts_:
            if rng.random() < 0.8:
                when = _moment(day + timedelta(days=rng.randint(1, 25)), rng.randint(7, 21), rng.randrange(60))
                if when >= now:
                    continue
                with clock.at(when):
                    services.record_read(item, user=account, seconds=rng.randint(120, 600), reached_end=True,
                                         opened_at=when - timedelta(minutes=10))
    # Everyday reading: each reader opens a few items a week.
    seen = set(Read.objects.values_list("item_id", "user_id", "day"))
    rows = []
    for account in accounts_:
        person = account.person
        weekly = rng.choice([1, 2, 2, 3, 4])
        for week in range(52):
            for _ in range(weekly):
                day = start + timedelta(days=week * 7 + rng.randrange(7))
                when = _moment(day, rng.randint(6, 21), rng.randrange(60))
                choice = [it for it in live if it.publish_at < when]
                if when >= now or not choice:
                    continue
                item = rng.choice(choice[-60:])
                key = (item.pk, account.pk, day)
                if key in seen:
                    continue
                seen.add(key)
                rows.append(Read(item=item, user=account, day=day, area=person.area, org=person.org,
                                 seconds=rng.randint(60, 900), at=when))
    Read.objects.bulk_create(rows, batch_size=2000)
    return (f"learning: {len(items)} items in 金乡 ({', '.join(f'{k} {v}' for k, v in VOLUMES.items())}), "
            f"{len(readers)} readers in {len(branches)} branches, {assigned} study assignments, "
            f"{Read.objects.count()} effective reads")
