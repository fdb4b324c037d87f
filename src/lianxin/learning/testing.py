"""Records of this app in the shared test world (LearningConfig.extend_world).

One draft item per community (published by the community's firm party side: the org level, anchored in the
community), one city-wide published item that everyone may read, one effective read of it by each community's
resident, and one study assignment per community (to the community's firm)."""

from datetime import timedelta


def extend(world) -> None:
    from lianxin.core import clock

    from . import categories, services
    from .models import Category

    categories.seed(Category)
    history = Category.objects.get(code="history")
    city = world.areas["370800"]
    shared = services.create_item(actor=None, kind="article", title="全市共学 红色故事", category=history,
                                  level="city", area=city, body="<p>沂蒙山区的红色故事代代相传。</p>")
    services.submit(shared, actor=None)
    shared = services.publish(shared, actor=None, at=clock.now() - timedelta(days=3))
    items, reads, assignments = {}, {}, {}
    for code in ("3708010101", "3708010102", "3708010201", "3708020101"):
        area = world.areas[code]
        items[code] = services.create_item(
            actor=None, kind="article", title=f"学习材料 {world.marker('learning-' + code)}", category=history,
            level="org", area=area, org=world.orgs[f"firm-{code}"], body=f"<p>{area.name}的学习材料。</p>")
        reads[code] = services.record_read(shared, user=world.accounts[code], seconds=30, reached_end=True,
                                           opened_at=clock.now() - timedelta(minutes=1)).read
        assignments[code] = services.assign_study(actor=None, item=shared, org=world.orgs[f"firm-{code}"],
                                                  due_on=clock.today() + timedelta(days=7))
    world.samples["learning.item"] = items
    world.samples["learning.read"] = reads
    world.samples["learning.studyassignment"] = assignments
    world.details["learning.item"] = "learning:detail"
