"""Records of this app in the shared test world (ConsultationConfig.extend_world)."""

from datetime import timedelta


def extend(world) -> None:
    """Per community: a council with three members, a topic raised by the community's resident, a meeting that
    decided it (a show of hands), hence one decision. Names carry the community's marker."""
    from lianxin.cases.models import Category, TimeLimit
    from lianxin.core import clock

    from . import seed, services
    from .models import Presence, Seat

    if not Category.objects.filter(full_code=seed.CLASS_CODE).exists():  # a transactional test flushed it
        seed.seed(Category, TimeLimit)

    councils, topics, meetings, decisions = {}, {}, {}, {}
    start = clock.today() - timedelta(days=400)
    for code in ("3708010101", "3708010102", "3708010201", "3708020101"):
        area = world.areas[code]
        kind = "village" if code == "3708010102" else "community"
        council = services.create_council(actor=None, area=area, name=f"议事会 {world.marker('council-' + code)}",
                                          kind=kind)
        members = [services.add_member(council, actor=None, seat=seat, name=f"委员{i}", term_start=start)
                   for i, seat in enumerate((Seat.PARTY, Seat.RESIDENT, Seat.PROPERTY), 1)]
        topic = services.raise_topic(actor=world.accounts[code], area=area,
                                     title=f"说事 {world.marker('topic-' + code)}", text="楼道灯坏了", place="3号楼")
        meeting = services.create_meeting(actor=None, council=council, title=f"议事 {world.marker('meeting-' + code)}",
                                          starts_at=clock.now() - timedelta(days=3), place="党群服务中心")
        item = services.schedule(topic, meeting=meeting, actor=None)
        for m in members:
            services.set_attendance(meeting, actor=None, member=m, presence=Presence.PRESENT)
        services.record_tally(item, actor=None, votes_for=3, votes_against=0, votes_abstain=0)
        services.close_vote(item, actor=None, text="更换楼道灯")
        councils[code], topics[code], meetings[code] = council, topic, meeting
    from .models import Decision

    for code, topic in topics.items():
        decisions[code] = Decision.objects.get(topic=topic)
    world.samples["consultation.council"] = councils
    world.samples["consultation.topic"] = topics
    world.samples["consultation.meeting"] = meetings
    world.samples["consultation.decision"] = decisions
    world.details["consultation.council"] = "consultation:council"
    world.details["consultation.topic"] = "consultation:topic"
    world.details["consultation.decision"] = "consultation:decision"
