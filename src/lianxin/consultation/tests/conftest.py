import pytest


@pytest.fixture
def resident(world):
    """``resident(name, code="3708010101")``: a resident account of a community of the test world."""
    from lianxin.accounts import services as accounts

    def make(name, code="3708010101"):
        area = world.areas[code]
        return accounts.create_account(actor=None, username=name, person=None, area=area,
                                       grants=[("resident", {"area": area})])

    return make


@pytest.fixture
def council(world):
    return world.samples["consultation.council"]["3708010101"]


@pytest.fixture
def meeting_with(world):
    """``meeting_with(topic, present=n)``: a planned meeting of the topic's council with the topic on its agenda
    and the first ``n`` members present; returns the agenda item."""
    from datetime import timedelta

    from lianxin.consultation import services
    from lianxin.consultation.models import Presence
    from lianxin.core import clock

    def make(topic, present=3, major=False, staff=None):
        staff = staff or world.users["community_staff"]
        council = topic.council
        meeting = services.create_meeting(actor=staff, council=council, title="议事会例会",
                                          starts_at=clock.now() + timedelta(hours=1), place="会议室")
        item = services.schedule(topic, meeting=meeting, actor=staff, major=major)
        for i, att in enumerate(meeting.attendance.select_related("member")):
            if i < present:
                services.set_attendance(meeting, actor=staff, member=att.member, presence=Presence.PRESENT)
        return item

    return make


@pytest.fixture(autouse=True)
def _english():
    """Messages are matched in English (the default language is Simplified Chinese)."""
    from django.utils import translation

    with translation.override("en"):
        yield
