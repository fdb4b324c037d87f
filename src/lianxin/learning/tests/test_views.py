"""The pages: staff list, create, item page with QR and moves; the reader's library, search, reading page and
its beacon; figures and Excel."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from lianxin.core import clock
from lianxin.learning.models import Item, Read, Status

pytestmark = pytest.mark.django_db


def test_create_submit_and_publish_through_pages(world, client, reviewer):
    from lianxin.learning.models import Category

    staff = world.users["county_staff"]
    client.force_login(staff)
    page = client.get(reverse("learning:create"))
    key = re.search(r'name="key" value="([^"]+)"', page.content.decode()).group(1)
    data = {"kind": "article", "title": "学习新思想", "body": "第一段。\n\n第二段<b>加粗</b>",
            "category": Category.objects.get(code="speeches").pk, "tags": "理论, 学习", "source": "县委组织部",
            "level": "county", "area": world.areas["370801"].pk, "key": key}
    response = client.post(reverse("learning:create"), data)
    item = Item.objects.get(title="学习新思想")
    assert response.status_code == 302
    assert client.post(reverse("learning:create"), data).status_code == 302  # a retry creates nothing new
    assert Item.objects.filter(title="学习新思想").count() == 1
    assert sorted(t.name for t in item.tags.all()) == ["学习", "理论"]
    client.post(reverse("learning:move", args=[item.pk]), {"move": "submit"})
    assert Item.objects.get(pk=item.pk).status == Status.REVIEW
    # Staff may not publish: the service refuses (403).
    assert client.post(reverse("learning:move", args=[item.pk]), {"move": "publish"}).status_code == 403
    client.force_login(reviewer)
    detail = client.get(reverse("learning:detail", args=[item.pk])).content.decode()
    assert 'data-move="publish"' in detail and "data:image/svg+xml" in detail
    client.post(reverse("learning:move", args=[item.pk]), {"move": "publish"})
    assert Item.objects.get(pk=item.pk).status == Status.PUBLISHED
    qr = client.get(reverse("learning:qr", args=[item.pk]))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    client.post(reverse("learning:move", args=[item.pk]), {"move": "withdraw"})
    response = client.post(reverse("learning:move", args=[item.pk]), {"move": "publish"}, follow=True)
    assert Item.objects.get(pk=item.pk).status == Status.WITHDRAWN
    assert "draft" in response.content.decode() or "草稿" in response.content.decode()


def test_reader_pages_and_beacon(world, client, published, reader):
    item = published(title="红色家书", body="<p>一封家书，寄托着革命先辈的理想信念。</p>")
    client.force_login(reader)
    library = client.get(reverse("learning:library")).content.decode()
    assert "红色家书" in library
    found = client.get(reverse("learning:search"), {"q": "家书"}).content.decode()
    assert "<mark>家书</mark>" in found
    page = client.get(reverse("learning:read", args=[item.pk]))
    html = page.content.decode()
    assert len(page.content) < 60_000 and "<script>" not in html and "style=" not in html
    token = re.search(r'data-token="([^"]+)"', html).group(1)
    url = reverse("learning:beacon", args=[item.pk])
    assert client.post(url, {"token": token, "seconds": "20", "end": "1"}).json()["reason"] == "too_short"
    with _later(seconds=30):
        first = client.post(url, {"token": token, "seconds": "20", "end": "1"}).json()
        again = client.post(url, {"token": token, "seconds": "25", "end": "1"}).json()
    assert first == {"counted": True, "created": True, "reason": ""}
    assert again["counted"] and not again["created"]
    assert Read.objects.filter(item=item, user=reader).count() == 1
    assert client.post(url, {"token": token + "x", "seconds": "20", "end": "1"}).status_code == 400
    # A token of another item is refused.
    other = published(title="另一篇")
    assert client.post(reverse("learning:beacon", args=[other.pk]),
                       {"token": token, "seconds": "20", "end": "1"}).status_code == 400


def test_reader_does_not_see_drafts_or_other_audiences(world, client, make_item, published, reader):
    draft = make_item(title="草稿一篇")
    elsewhere = published(title="乙县专供", audience_area=world.areas["370802"])
    client.force_login(reader)
    assert client.get(reverse("learning:read", args=[draft.pk])).status_code == 404
    assert client.get(reverse("learning:read", args=[elsewhere.pk])).status_code == 404
    assert client.get(reverse("learning:detail", args=[draft.pk])).status_code == 404
    assert "乙县专供" not in client.get(reverse("learning:library")).content.decode()


def test_assign_page_and_completion_page(world, client, published, reader):
    item = published()
    staff = world.users["org_department"]
    client.force_login(staff)
    page = client.get(reverse("learning:assign"), {"item": item.pk}).content.decode()
    key = re.search(r'name="key" value="([^"]+)"', page).group(1)
    due = (clock.today() + timedelta(days=7)).isoformat()
    response = client.post(reverse("learning:assign"), {"item": item.pk, "org": reader.branch.pk,
                                                        "due_on": due, "key": key})
    assert response.status_code == 302, response.content.decode()[:2000]
    body = client.get(response["Location"]).content.decode()
    total = re.search(r'id="total">([^<]*)<', body).group(1)
    assert reader.branch.name in body and re.findall(r"\d+", total) in (["0", "1"], ["1", "0"])


def test_stats_and_export(world, client, published, reader):
    from lianxin.learning import services

    item = published()
    services.record_read(item, user=reader, seconds=20, reached_end=True,
                         opened_at=clock.now() - timedelta(seconds=30))
    client.force_login(world.users["community_staff"])
    page = client.get(reverse("learning:stats")).content.decode()
    assert reader.branch.name in page and "王秀英" not in page
    xlsx = client.get(reverse("learning:export"))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_categories_admin_only(world, client):
    client.force_login(world.users["county_staff"])
    assert client.get(reverse("learning:categories")).status_code == 403
    client.force_login(world.users["administrator"])
    assert "党史故事" in client.get(reverse("learning:categories")).content.decode()
    response = client.post(reverse("learning:category_create"), {"name": "红色诗词", "code": "poems",
                                                                 "position": 9, "active": "on"})
    assert response.status_code == 302
    from lianxin.learning.models import Category

    assert Category.objects.get(code="poems").path.endswith(f"/{Category.objects.get(code='poems').pk}/")


def test_item_list_query_count(world, client, published, django_assert_max_num_queries):
    for i in range(5):
        published(title=f"条目{i}")
    client.force_login(world.users["county_staff"])
    with django_assert_max_num_queries(14):
        assert client.get(reverse("learning:list")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("learning:library")).status_code == 200


def _later(seconds):
    from lianxin.testclock import at

    return at(clock.now() + timedelta(seconds=seconds))


def test_staff_list_search_highlights(world, client, published):
    published(title="学习党史的体会", body="<p>心得。</p>")
    published(title="健康知识", body="<p>冬季保暖。</p>")
    client.force_login(world.users["county_staff"])
    page = client.get(reverse("learning:list"), {"q": "党史"}).content.decode()
    assert "<mark>党史</mark>" in page and "健康知识" not in page
