"""Pages: raising on the phone form, the public list with support, triage, the clerk's meeting entries, the
decision's task and rating, the public results page (no personal data), figures and export."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lianxin.consultation import services
from lianxin.consultation.models import Decision, ItemOutcome, Topic, TopicStatus
from lianxin.core.testkit import tiny_jpeg

pytestmark = pytest.mark.django_db

HOME = "3708010101"


def test_resident_raises_with_photo_and_neighbour_supports(persona_client, world, resident, client):
    c = persona_client("resident")
    page = c.get(reverse("consultation:raise"))
    assert page.status_code == 200 and b'name="for_resident"' not in page.content
    photo = SimpleUploadedFile("p.jpg", tiny_jpeg(), "image/jpeg")
    r = c.post(reverse("consultation:raise"), {"area": world.areas[HOME].pk, "title": "垃圾桶太少", "text": "每天溢出",
                                               "place": "5号楼", "photo": photo, "key": "k1"})
    topic = Topic.objects.get(title="垃圾桶太少")
    assert r.status_code == 302 and topic.photo_id and topic.author == world.users["resident"]
    again = c.post(reverse("consultation:raise"), {"area": world.areas[HOME].pk, "title": "垃圾桶太少",
                                                   "text": "每天溢出", "key": "k1"})
    assert again.status_code == 302 and Topic.objects.filter(title="垃圾桶太少").count() == 1
    neighbour = resident("neighbour")
    client.force_login(neighbour, backend="django.contrib.auth.backends.ModelBackend")
    board = client.get(reverse("consultation:topics")).content.decode()
    assert "垃圾桶太少" in board and reverse("consultation:support", args=[topic.pk]) in board
    client.post(reverse("consultation:support", args=[topic.pk]))
    client.post(reverse("consultation:support", args=[topic.pk]))
    topic.refresh_from_db()
    assert topic.supports == 1
    detail = client.get(reverse("consultation:topic", args=[topic.pk])).content.decode()
    assert "You support it" in detail or "已附议" in detail or "您已附议" in detail
    assert reverse("core:file", args=[topic.photo_id]) not in detail  # neighbours see no photo


def test_topic_list_query_count_is_flat(persona_client, world, resident, django_assert_max_num_queries):
    c = persona_client("resident")
    for i in range(12):
        services.raise_topic(actor=resident(f"r{i}"), area=world.areas[HOME], title=f"话题{i}", text="x")
    with django_assert_max_num_queries(12):
        assert c.get(reverse("consultation:topics")).status_code == 200


def test_staff_schedule_record_and_decide_through_pages(persona_client, world, resident):
    staff = persona_client("community_staff")
    council = world.samples["consultation.council"][HOME]
    topic = services.raise_topic(actor=resident("a1"), area=world.areas[HOME], title="增设充电桩", text="电动车")
    r = staff.post(reverse("consultation:meeting_create", args=[council.pk]),
                   {"title": "十二月议事会", "starts_at": "2030-01-05T09:00", "place": "会议室", "key": "m1"})
    meeting = council.meetings.get(title="十二月议事会")
    assert r["Location"] == reverse("consultation:meeting", args=[meeting.pk]) and meeting.attendance.count() == 3
    staff.post(reverse("consultation:triage", args=[topic.pk]), {"action": "schedule", "meeting": meeting.pk})
    item = meeting.items.get()
    post = {"what": "attendance"}
    for i, a in enumerate(meeting.attendance.all()):
        post[f"presence_{a.member_id}"] = "present" if i < 2 else "proxy"
        post[f"proxy_{a.member_id}"] = "李四" if i == 2 else ""
    staff.post(reverse("consultation:meeting_record", args=[meeting.pk]), post)
    url = reverse("consultation:meeting_record", args=[meeting.pk])
    staff.post(url, {"what": "record", "item": item.pk, "discussion": "同意在北侧增设", "options": "北侧/南侧"})
    staff.post(url, {"what": "tally", "item": item.pk, "votes_for": "3", "votes_against": "0", "votes_abstain": "0"})
    staff.post(url, {"what": "close", "item": item.pk, "text": "北侧增设10个充电桩"})
    item.refresh_from_db()
    assert item.outcome == ItemOutcome.PASSED and item.discussion == "同意在北侧增设"
    decision = Decision.objects.get(topic=topic)
    page = staff.get(reverse("consultation:meeting", args=[meeting.pk]))
    assert page.status_code == 200 and "北侧/南侧" in page.content.decode()
    r = staff.post(reverse("consultation:task", args=[decision.pk]), {
        "category": services_category().pk, "title": "安装充电桩", "lead": world.orgs[f"firm-{HOME}"].pk,
        "co_units": [world.orgs["dept-370801"].pk]})
    task = decision.tasks.get().case
    assert task.lead_org == world.orgs[f"firm-{HOME}"] and task.assignments.count() == 2
    assert "安装充电桩" in staff.get(reverse("consultation:decision", args=[decision.pk])).content.decode()


def services_category():
    from lianxin.cases.models import Category

    return Category.objects.get(full_code="3202")


def test_decline_reason_shown_to_author(persona_client, world):
    c = persona_client("resident")
    topic = services.raise_topic(actor=world.users["resident"], area=world.areas[HOME], title="装电梯", text="老楼")
    persona_client("community_staff").post(reverse("consultation:triage", args=[topic.pk]),
                                           {"action": "decline", "reason": "需业主共同申请"})
    topic.refresh_from_db()
    assert topic.status == TopicStatus.DECLINED
    assert "需业主共同申请" in c.get(reverse("consultation:topic", args=[topic.pk])).content.decode()


def test_public_results_page_without_personal_data(client, world):
    decision = world.samples["consultation.decision"][HOME]
    topic = decision.topic
    topic.for_resident = "王秘密"
    topic.save()
    page = client.get(reverse("consultation:public", kwargs={"code": HOME}))
    text = page.content.decode()
    assert page.status_code == 200 and topic.title in text and "更换楼道灯" in text
    for secret in ("王秘密", topic.author.username, "委员1", world.users["community_staff"].username):
        assert secret not in text
    # Free text that carries personal data is masked in whatever form it was typed.
    Topic.objects.filter(pk=topic.pk).update(title="楼道灯坏了，联系人张三 13812345678")
    Decision.objects.filter(pk=decision.pk).update(text="请物业联系 １３９ ８７６５ ４３２１ 更换")
    text = client.get(reverse("consultation:public", kwargs={"code": HOME})).content.decode()
    for secret in ("13812345678", "1234", "张三", "８７６５"):  # masked as phones are: 138****5678
        assert secret not in text
    assert "楼道灯坏了" in text and "更换" in text
    assert client.get(reverse("consultation:public", kwargs={"code": "3708999999"})).status_code == 404
    index = client.get(reverse("consultation:public")).content.decode()
    assert reverse("consultation:public", kwargs={"code": HOME}) in index


def test_figures_and_export(persona_client, world):
    c = persona_client("county_staff")
    page = c.get(reverse("consultation:stats"))
    assert page.status_code == 200
    from lianxin.consultation.stats import FIGURES

    values = FIGURES.compute(world.users["county_staff"], [world.areas["370801"]], *_this_year())
    county = values[world.areas["370801"].pk]
    assert county["raised"] == 3 and county["decided"] == 3 and county["discussed"] == 3
    assert county["participation"] == 1.0
    x = c.get(reverse("consultation:export"))
    assert x.status_code == 200 and x["Content-Type"].startswith("application/vnd.openxmlformats")


def _this_year():
    from datetime import timedelta

    from lianxin.core import clock

    today = clock.today()
    return today - timedelta(days=30), today


def test_meeting_record_pdf(persona_client, world):
    from lianxin.stations.tests.pdf import texts

    meeting = world.samples["consultation.meeting"][HOME]
    r = persona_client("community_staff").get(reverse("consultation:meeting_pdf", args=[meeting.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    pages = texts(r.content)
    assert any("更换楼道灯" in t for t in pages) and any("委员1" in t for t in pages)
