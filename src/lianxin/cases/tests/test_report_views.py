"""The quick report, the duplicate check and "my reports", through the views (and the reporter's services)."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lianxin.cases import queries, services
from lianxin.cases.models import Case, Category, Follower, Stage
from lianxin.cases.services import MoveRefused
from lianxin.core.models import StoredFile
from lianxin.testing import tiny_jpeg

pytestmark = pytest.mark.django_db

HERE = (116.05, 35.2)  # inside grid 3708010101-G
JSON = {"HTTP_ACCEPT": "application/json"}


def payload(cat, key="k-1", photo=True, **kw):
    data = {"idempotency_key": key, "category": str(cat.pk), "lng": str(HERE[0]), "lat": str(HERE[1]),
            "address": "", "area": "", "description": "路边垃圾堆积\n在公交站旁边", "consent": "1"}
    if photo:
        data["photo"] = SimpleUploadedFile("p.jpg", tiny_jpeg(), "image/jpeg")
    data.update(kw)
    return {k: v for k, v in data.items() if v is not None}


def post(client, data, **extra):
    client.cookies["django_language"] = "en"  # the messages are asserted in the source language
    return client.post(reverse("cases:report"), data, **{**JSON, **extra})


def offset(lng, lat, east_m=0.0, north_m=0.0):
    import math

    return lng + east_m / (111320 * math.cos(math.radians(lat))), lat + north_m / 111320


# ---------------------------------------------------------------- the page


def test_report_page(persona_client, world):
    page = persona_client("resident").get(reverse("cases:report")).content.decode()
    assert 'capture="environment"' in page and 'accept="image/*"' in page
    assert re.search(r'name="idempotency_key"[^>]*value="[A-Za-z0-9_-]{43}"', page)
    assert "暴露垃圾" in page and "违法违规举报" not in page  # public sub-categories only
    assert "重点工作任务" not in page  # key tasks are not reported by the public
    assert world.areas["3708010101-G"].name in page  # the no-JS area picker: the resident's own grids
    assert world.areas["3708020101-G"].name not in page


def test_report_page_in_english_uses_english_category_names(persona_client):
    client = persona_client("resident")
    client.cookies["django_language"] = "en"
    page = client.get(reverse("cases:report")).content.decode()
    assert "Exposed rubbish" in page and "Report a problem" in page


def test_who_may_report(persona_client):
    assert persona_client("grid_worker").get(reverse("cases:report")).status_code == 200
    assert persona_client("department_handler").get(reverse("cases:report")).status_code == 403


# ---------------------------------------------------------------- filing


def test_report_with_photo_and_location(persona_client, world, cat):
    client = persona_client("resident")
    response = post(client, payload(cat))
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get(number=body["number"])
    assert body["url"] and body["created"] is True
    assert case.area == world.areas["3708010101-G"] and case.reporter == world.users["resident"]
    assert (case.lng, case.lat) == HERE and case.category == cat and case.stage == Stage.REPORTED
    assert case.title == "路边垃圾堆积" and "公交站" in case.description
    photo = case.events.get(kind="report").attachments.get()
    assert photo.owner == world.users["resident"] and photo.area == world.areas["3708010101-G"]
    assert photo.content_type == "image/jpeg"


def test_replay_with_same_key_returns_the_first_case(persona_client, cat):
    client = persona_client("resident")
    first = post(client, payload(cat, key="same"))
    assert first.status_code == 201
    cases, files = Case.objects.count(), StoredFile.objects.count()
    again = post(client, payload(cat, key="same"))
    assert again.status_code == 200
    assert again.json()["number"] == first.json()["number"] and again.json()["created"] is False
    assert Case.objects.count() == cases and StoredFile.objects.count() == files


def test_same_key_with_another_body_changes_nothing(persona_client, cat):
    client = persona_client("resident")
    number = post(client, payload(cat, key="k")).json()["number"]
    case = Case.objects.get(number=number)
    cases, files = Case.objects.count(), StoredFile.objects.count()
    response = post(client, payload(cat, key="k", description="另一件事"))
    assert response.status_code == 400
    assert "already used" in response.json()["error"]
    assert Case.objects.count() == cases and StoredFile.objects.count() == files
    case.refresh_from_db()
    assert case.description.startswith("路边垃圾") and case.version == 1


def test_fake_image_is_refused(persona_client, cat):
    client = persona_client("resident")
    cases, files = Case.objects.count(), StoredFile.objects.count()
    fake = SimpleUploadedFile("p.jpg", b"\xff\xd8\xff\xe0 not really a jpeg" * 20, "image/jpeg")
    response = post(client, payload(cat, photo=False) | {"photo": fake})
    assert response.status_code == 400
    assert "picture" in response.json()["error"]
    assert Case.objects.count() == cases and StoredFile.objects.count() == files


def test_error_messages_follow_the_language(persona_client, cat):
    client = persona_client("resident")
    response = post(client, payload(cat, consent=None))
    assert response.status_code == 400 and "agree" in response.json()["error"]
    client.cookies["django_language"] = "zh-hans"
    response = client.post(reverse("cases:report"), payload(cat, consent=None), **JSON)
    assert response.status_code == 400 and re.search(r"[\u4e00-\u9fff]", response.json()["error"])


@pytest.mark.parametrize("lng,lat,words", [(120.0, 30.0, "outside the city"), (115.5, 35.0, "not inside any grid")])
def test_point_outside_is_refused(persona_client, cat, lng, lat, words):
    client = persona_client("resident")
    cases = Case.objects.count()
    response = post(client, payload(cat, lng=str(lng), lat=str(lat)))
    assert response.status_code == 400 and words in response.json()["error"]
    assert Case.objects.count() == cases


@pytest.mark.parametrize("change,words", [
    ({"consent": None}, "agree"),
    ({"category": ""}, "what kind"),
    ({"category": "whistle"}, "what kind"),
    ({"lng": "", "lat": ""}, "Tell us where"),
    ({"lng": "abc", "lat": "35"}, "numbers"),
    ({"idempotency_key": ""}, "key"),
])
def test_bad_input_is_refused(persona_client, cat, change, words):
    client = persona_client("resident")
    client.cookies["django_language"] = "en"
    if change.get("category") == "whistle":
        change = {"category": str(Category.objects.get(full_code="1101").pk)}
    cases, files = Case.objects.count(), StoredFile.objects.count()
    response = post(client, payload(cat, **change))
    assert response.status_code == 400
    assert words.lower() in response.json()["error"].lower()
    assert Case.objects.count() == cases and StoredFile.objects.count() == files


def test_address_and_area_without_location(persona_client, world, cat):
    client = persona_client("resident")
    grid = world.areas["3708020101-G"]  # anywhere in the city, found by the grid search
    response = post(client, payload(cat, photo=False, lng="", lat="", address="解放路 12 号", area=str(grid.pk)))
    assert response.status_code == 201
    case = Case.objects.get(number=response.json()["number"])
    assert case.area == grid and case.lng is None and case.address == "解放路 12 号"


def test_without_javascript_the_form_redirects_to_my_reports(persona_client, cat):
    client = persona_client("resident")
    response = client.post(reverse("cases:report"), payload(cat, key="nojs"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("cases:my_reports"))
    page = client.get(response["Location"]).content.decode()
    number = Case.objects.get(description__startswith="路边垃圾").number
    assert number in page
    error = client.post(reverse("cases:report"), payload(cat, key="nojs2", consent=None, description="井盖没了"))
    assert error.status_code == 400 and b"qr-error" in error.content
    assert "井盖没了" in error.content.decode() and 'value="nojs2"' in error.content.decode()


# ---------------------------------------------------------------- duplicates nearby


def test_nearby_lists_open_cases_of_the_category_within_the_radius(world, persona_client, reported, cat):
    other_cat = Category.objects.get(full_code="0103")
    near = reported(title="近处垃圾", lng=offset(*HERE, east_m=60)[0], lat=HERE[1], description="张三 13900000000")
    far = reported(title="远处垃圾", lng=offset(*HERE, east_m=160)[0], lat=HERE[1])
    elsewhere = reported(title="另一类", category=other_cat, lng=HERE[0], lat=offset(*HERE, north_m=10)[1])
    gone = reported(title="已撤回", lng=HERE[0], lat=offset(*HERE, north_m=20)[1])
    services.withdraw(gone, actor=world.users["resident"])
    # Asked by a resident of county B, who could not otherwise see any of them.
    client = persona_client("resident")
    client.force_login(world.accounts["3708020101"], backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("cases:nearby"), {"lng": HERE[0], "lat": HERE[1], "category": cat.pk})
    assert response.status_code == 200
    body = response.json()
    assert [c["number"] for c in body["cases"]] == [near.number]
    assert body["cases"][0]["distance_m"] == 60 and body["radius_m"] == 100
    assert set(body["cases"][0]) == {"pk", "number", "title", "category", "stage_label", "distance_m"}
    assert body["cases"][0]["title"] == "近处垃圾" and body["cases"][0]["category"] == cat.label
    text = response.content.decode()
    for private in ("p_resident", "resident persona", "13900000000", "张三", far.number, elsewhere.number):
        assert private not in text


def test_nearby_never_shows_appeals_or_confidential_categories_and_masks_titles(world, persona_client, reported,
                                                                                  cat):
    masked = reported(title="张三家门口 13900000000", lng=HERE[0], lat=HERE[1])
    appeal = reported(title="独居老人求助", lng=HERE[0], lat=HERE[1])
    Case.objects.filter(pk=appeal.pk).update(type="appeal")
    client = persona_client("resident")
    rows = client.get(reverse("cases:nearby"), {"lng": HERE[0], "lat": HERE[1], "category": cat.pk}).json()["cases"]
    assert [r["number"] for r in rows] == [masked.number]
    assert "13900000000" not in rows[0]["title"] and "139****0000" in rows[0]["title"]
    Category.objects.filter(pk=cat.pk).update(confidential=True)
    from lianxin.core import configcache

    configcache.clear()
    body = client.get(reverse("cases:nearby"), {"lng": HERE[0], "lat": HERE[1], "category": cat.pk}).json()
    assert body["cases"] == []


def test_nearby_is_rate_limited_per_account(persona_client, settings, cat):
    settings.NEARBY_RATE = "3/m"
    client = persona_client("resident")
    codes = [client.get(reverse("cases:nearby"), {"lng": HERE[0], "lat": HERE[1], "category": cat.pk}).status_code
             for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    response = client.get(reverse("cases:nearby"), {"lng": HERE[0], "lat": HERE[1], "category": cat.pk})
    assert "wait" in response.json()["error"] or "稍" in response.json()["error"]
    other = persona_client("grid_worker")
    assert other.get(reverse("cases:nearby"), {"lng": HERE[0], "lat": HERE[1]}).status_code == 200


def test_nearby_without_a_point_is_empty(persona_client):
    response = persona_client("resident").get(reverse("cases:nearby"))
    assert response.status_code == 200 and response.json()["cases"] == []


def test_nearby_query_uses_the_bounding_box(world, reported, cat, django_assert_max_num_queries):
    reported(lng=HERE[0], lat=HERE[1])
    with django_assert_max_num_queries(1):
        found = queries.nearby_open_cases(HERE[0], HERE[1], cat)
    assert len(found) == 1


def test_follow_instead_of_reporting(world, persona_client, reported):
    case = reported(title="近处垃圾", lng=offset(*HERE, east_m=50)[0], lat=HERE[1])
    follower = world.accounts["3708020101"]
    client = persona_client("resident")
    client.force_login(follower, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("cases:nearby_follow")
    far_point = offset(*HERE, east_m=400)
    assert client.post(url, {"case": case.pk, "lng": far_point[0], "lat": HERE[1]}, **JSON).status_code == 400
    response = client.post(url, {"case": case.pk, "lng": HERE[0], "lat": HERE[1]}, **JSON)
    assert response.status_code == 200 and response.json()["number"] == case.number
    assert Follower.objects.filter(case=case, user=follower).exists()
    assert case.number in client.get(reverse("cases:my_reports")).content.decode()
    services.withdraw(case, actor=world.users["resident"])
    other = world.accounts["3708010102"]
    client.force_login(other, backend="django.contrib.auth.backends.ModelBackend")
    assert client.post(url, {"case": case.pk, "lng": HERE[0], "lat": HERE[1]}, **JSON).status_code == 400
    assert client.get(url).status_code == 405


def test_grid_search_and_locate(persona_client, world):
    client = persona_client("resident")
    grids = client.get(reverse("cases:report_grids"), {"q": "乙一"}).json()["grids"]
    assert [g["name"] for g in grids] == [world.areas["3708020101-G"].name]
    assert set(grids[0]) == {"pk", "name", "place"}
    # County · town · community: two communities of one name in different counties are told apart.
    county, town, community = (world.areas["3708020101-G"].ancestors()[i] for i in (-3, -2, -1))
    assert grids[0]["place"] == f"{county.name} · {town.name} · {community.name}"
    assert client.get(reverse("cases:report_grids")).json()["grids"] == []
    located = client.get(reverse("cases:locate"), {"lng": HERE[0], "lat": HERE[1]}).json()
    assert located["grid"]["name"] == world.areas["3708010101-G"].name
    assert any(p["here"] for p in located["view"]["paths"])
    assert client.get(reverse("cases:locate"), {"lng": 120, "lat": 30}).status_code == 400


# ---------------------------------------------------------------- my reports


def test_my_reports_lists_own_and_followed_cases_only(world, persona_client, reported):
    own = reported(title="我报的")
    followed = world.cases["3708010102"]
    services.follow(followed, user=world.users["resident"])
    not_mine = world.cases["3708020101"]
    page = persona_client("resident").get(reverse("cases:my_reports")).content.decode()
    assert own.number in page and followed.number in page and not_mine.number not in page
    assert world.cases["3708010101"].number not in page
    english = persona_client("resident")
    english.cookies["django_language"] = "en"
    page = english.get(reverse("cases:my_reports")).content.decode()
    assert page.count("Following") == 1


def test_my_reports_shows_own_photo(persona_client, cat):
    client = persona_client("resident")
    number = post(client, payload(cat)).json()["number"]
    photo = Case.objects.get(number=number).events.get(kind="report").attachments.get()
    page = client.get(reverse("cases:my_reports")).content.decode()
    assert reverse("core:file", args=[photo.pk]) in page
    assert client.get(reverse("core:file", args=[photo.pk])).status_code == 200


def test_edit_only_by_the_reporter_while_reported(world, persona_client, reported, u):
    case = reported(title="旧标题")
    other_cat = Category.objects.get(full_code="0103")
    staff = persona_client("community_staff")
    url = reverse("cases:my_edit", args=[case.pk])
    assert staff.post(url, {"title": "别人改"}).status_code == 403
    client = persona_client("resident")
    response = client.post(url, {"title": "新标题", "description": "补充说明", "category": other_cat.pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.title, case.description, case.category) == ("新标题", "补充说明", other_cat)
    event = case.events.get(kind="edit")
    assert event.from_stage == event.to_stage == Stage.REPORTED
    assert event.data["changes"]["title"] == ["旧标题", "新标题"]
    services.accept(case, actor=u["community_staff"])
    client.post(url, {"title": "再改"})
    case.refresh_from_db()
    assert case.title == "新标题"
    assert client.get(url).status_code == 405


def test_withdraw_only_by_the_reporter_while_reported(world, persona_client, reported, u):
    case = reported()
    url = reverse("cases:my_withdraw", args=[case.pk])
    assert persona_client("community_staff").post(url, {"reason": "x"}).status_code == 403
    # Someone who cannot see the case at all gets 404.
    client = persona_client("resident")
    client.force_login(world.accounts["3708020101"], backend="django.contrib.auth.backends.ModelBackend")
    assert client.post(url).status_code == 404
    client = persona_client("resident")
    assert client.post(url, {"reason": "已自行解决"}).status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.VOIDED and case.closed_at and case.due_at is None
    assert case.events.get(kind="withdraw").note == "已自行解决"
    accepted = reported()
    services.accept(accepted, actor=u["community_staff"])
    client.post(reverse("cases:my_withdraw", args=[accepted.pk]))
    accepted.refresh_from_db()
    assert accepted.stage == Stage.ACCEPTED


def test_rating_through_the_page(world, persona_client, reported, u):
    case = reported()
    client = persona_client("resident")
    url = reverse("cases:my_rate", args=[case.pk])
    client.post(url, {"fixed": "yes", "stars": "5"})
    case.refresh_from_db()
    assert case.rating is None  # not closed yet
    services.accept(case, actor=u["community_staff"])
    services.dispatch(case, actor=u["community_staff"], lead=u["grid_worker"])
    services.handler_accept(case, actor=u["grid_worker"])
    services.feedback(case, actor=u["grid_worker"], note="已清理")
    services.verify(case, actor=u["community_staff"], passed=True)
    page = client.get(reverse("cases:my_reports")).content.decode()
    assert url in page
    assert persona_client("community_staff").post(url, {"fixed": "yes", "stars": "5"}).status_code == 403
    client = persona_client("resident")
    assert client.post(url, {"stars": "2"}).status_code == 302  # "is it fixed?" must be answered
    case.refresh_from_db()
    assert case.rating is None
    client.post(url, {"fixed": "no", "stars": "2", "comment": "垃圾又堆起来了"})
    case.refresh_from_db()
    assert case.rating == 2
    note = case.events.get(kind="rate").note
    assert "垃圾又堆起来了" in note and note != "垃圾又堆起来了"
    assert url not in client.get(reverse("cases:my_reports")).content.decode()


# ---------------------------------------------------------------- the reporter's services


def test_edit_and_withdraw_services(world, reported, u, cat):
    case = reported()
    with pytest.raises(MoveRefused):
        services.edit_report(case, actor=u["community_staff"], title="x")
    with pytest.raises(ValidationError):
        services.edit_report(case, actor=u["resident"], title=case.title)  # nothing changed
    with pytest.raises(ValidationError):
        services.edit_report(case, actor=u["resident"], category=cat.parent)  # a class, not a sub-category
    services.edit_report(case, actor=u["resident"], description="更详细")
    with pytest.raises(MoveRefused):
        services.withdraw(case, actor=u["community_staff"])
    out = services.withdraw(case, actor=u["resident"], reason="")
    assert out.case.stage == Stage.VOIDED and out.event.from_stage == Stage.REPORTED
    with pytest.raises(MoveRefused):
        services.withdraw(case, actor=u["resident"])
    with pytest.raises(MoveRefused):
        services.edit_report(case, actor=u["resident"], title="晚了")


def test_report_views_read_through_visible_to_only():
    """The guard test scans modules named views.py; hold report_views.py to the same rule."""
    from lianxin.cases import report_views

    unscoped = re.compile(r"\b([A-Z]\w+)\.objects\.(?!visible_to\b)(\w+)")
    text = Path(report_views.__file__).read_text()
    assert not unscoped.findall(text)
