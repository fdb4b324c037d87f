"""Pages: the organiser's flow through the views (notice, roster ticks, minutes with a photo, held), the
participant's sign-up and QR sign-in, the calendar, compliance, themes and the ledger export."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lianxin.activities import qr, services
from lianxin.activities.models import Activity, Participation, Status
from lianxin.core import clock
from lianxin.core.testkit import tiny_jpeg

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_client(client, world, members):
    from lianxin.accounts import services as accounts

    area = world.areas["3708010101"]
    user = accounts.create_account(actor=None, username="member-1", person=members[0], area=area,
                                   grants=[("resident", {"area": area})])
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_organiser_flow_through_the_pages(persona_client, world, members, branch):
    c = persona_client("community_staff")
    now = clock.now().astimezone()
    response = c.post(reverse("activities:create"), {
        "kind": "theme_day", "title": "主题党日", "org": branch.pk, "audience": "members",
        "starts_at": (now - timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (now + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M"), "place": "党群服务中心", "key": "k1"})
    activity = Activity.objects.get(title="主题党日")
    assert response.status_code == 302 and activity.theme == world.samples["activities.theme"]["3708010101"]
    assert c.post(reverse("activities:notice", args=[activity.pk])).status_code == 302
    for p in members[:2]:
        c.post(reverse("activities:tick", args=[activity.pk]), {"person": p.pk})
    c.post(reverse("activities:tick", args=[activity.pk]), {"person": members[2].pk, "op": "excuse",
                                                            "reason": "住院"})
    page = c.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert "住院" in page and 'data-attended>2<' in page
    c.post(reverse("activities:held", args=[activity.pk]))
    activity.refresh_from_db()
    assert activity.status == Status.NOTIFIED  # no minutes yet
    photo = SimpleUploadedFile("p.jpg", tiny_jpeg(), "image/jpeg")
    c.post(reverse("activities:minutes", args=[activity.pk]), {"text": "学习党章", "photos": [photo], "key": "m"})
    c.post(reverse("activities:held", args=[activity.pk]))
    activity.refresh_from_db()
    assert activity.status == Status.HELD
    page = c.get(reverse("activities:compliance")).content.decode()
    assert f'data-branch="{branch.pk}"' in page
    theme = c.get(reverse("activities:theme", args=[activity.theme_id])).content.decode()
    assert "主题党日" in theme


def test_member_signs_up_and_signs_in_by_qr(member_client, world, members, branch):
    now = clock.now()
    open_one = services.create_activity(actor=None, kind="care", title="关爱活动", area=world.areas["3708010101"],
                                        audience="open", seat_limit=5, starts_at=now + timedelta(days=1),
                                        ends_at=now + timedelta(days=1, hours=1), place="驿站")
    page = member_client.get(reverse("activities:mine")).content.decode()
    assert "关爱活动" in page and "支委会" in page  # offered, and listed by the branch's notice
    member_client.post(reverse("activities:respond"), {"activity": open_one.pk})
    assert open_one.participants.get().status == Participation.REGISTERED
    meeting = world.samples["activities.activity"]["3708010101"]
    services.open_signin(meeting, actor=None)
    url = reverse("activities:scan", kwargs={"activity": meeting.pk, "token": qr.token(meeting)})
    assert "sign-in" in member_client.get(url).content.decode()
    assert not meeting.participants.filter(status=Participation.ATTENDED).exists()  # GET changes nothing
    member_client.post(url)
    assert meeting.participants.get(person=members[0]).status == Participation.ATTENDED
    other = world.samples["activities.activity"]["3708020101"]
    response = member_client.get(reverse("activities:scan", kwargs={"activity": other.pk, "token": "ab"}))
    assert response.status_code == 404


def test_calendar_ledger_and_queries_flat(persona_client, world, django_assert_max_num_queries):
    c = persona_client("county_staff")
    page = c.get(reverse("activities:calendar")).content.decode()
    for code in ("3708010101", "3708010102", "3708010201"):
        assert world.marker("activity-" + code) in page
    assert world.marker("activity-3708020101") not in page
    branch = world.orgs["branch-3708010101"]
    for i in range(5):
        services.create_activity(actor=None, kind="group", title=f"小组会{i}", org=branch,
                                 starts_at=clock.now(), ends_at=clock.now() + timedelta(hours=1), place="x")
    with django_assert_max_num_queries(12):
        c.get(reverse("activities:calendar"))
    response = c.get(reverse("activities:ledger"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_theme_published_by_a_county_is_taken_below(persona_client, world):
    c = persona_client("county_staff")
    month = (clock.today().replace(day=1) + timedelta(days=40)).replace(day=1)
    c.post(reverse("activities:theme_create"), {"month": f"{month:%Y-%m}", "area": world.areas["370801"].pk,
                                                "title": "乡村振兴", "key": "t1"})
    from lianxin.activities.models import Theme

    theme = Theme.objects.get(title="乡村振兴")
    assert services.theme_for(world.areas["3708010102"], month) == theme
    assert services.theme_for(world.areas["3708020101"], month) is None


def test_printable_sign_in_sheet(persona_client, world, members):
    from lianxin.stations.tests.pdf import texts

    activity = world.samples["activities.activity"]["3708010101"]
    services.sign_in(activity, members[0], actor=None)
    services.write_minutes(activity, actor=None, text="研究发展党员")
    response = persona_client("community_staff").get(reverse("activities:sheet", args=[activity.pk]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    text = max(texts(response.content), key=lambda t: t.count("\ufffd") * -1)
    assert members[0].name in text and "研究发展党员" in text and "应到" in text
