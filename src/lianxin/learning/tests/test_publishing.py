"""The publishing workflow: draft → review → published → withdrawn, its refusals and its history."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lianxin.core import clock
from lianxin.learning import services
from lianxin.learning.models import Item, ItemEvent, Status

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


def test_sanitised_text_and_index(make_item):
    item = make_item(body='<p onclick="x()">党史<script>alert(1)</script><a href="javascript:x">链</a>'
                          '<img src="http://evil/p.gif"></p>')
    assert "script" not in item.body and "onclick" not in item.body and "javascript" not in item.body
    assert "evil" not in item.body
    assert "党史" in item.search_body.split()
    assert item.body_chars == len("党史链")


def test_full_workflow_with_history(make_item, reviewer):
    item = make_item()
    services.submit(item, actor=None)
    item = services.publish(item, actor=reviewer)
    assert item.status == Status.PUBLISHED and item.publish_at <= clock.now()
    item = services.withdraw(item, actor=reviewer, note="内容更新")
    assert item.status == Status.WITHDRAWN and item.withdrawn_at
    item = services.reopen(item, actor=None)
    assert item.status == Status.DRAFT
    kinds = list(item.events.values_list("kind", "from_status", "to_status"))
    assert kinds == [("created", "", "draft"), ("submitted", "draft", "review"),
                     ("published", "review", "published"), ("withdrawn", "published", "withdrawn"),
                     ("reopened", "withdrawn", "draft")]


def test_only_a_reviewer_publishes(make_item, world, reviewer):
    item = services.submit(make_item(), actor=None)
    for role in ("county_staff", "org_department", "community_staff"):
        with pytest.raises(PermissionDenied):
            services.publish(item, actor=world.users[role])
    assert Item.objects.get(pk=item.pk).status == Status.REVIEW
    # A reviewer of the other county cannot either.
    from lianxin.accounts import services as accounts

    other = accounts.create_account(actor=None, username="t_rev_b", person=None, area=world.areas["370802"],
                                    grants=[("learning_reviewer", {"area": world.areas["370802"]})])
    with pytest.raises(PermissionDenied):
        services.publish(item, actor=other)
    services.publish(item, actor=reviewer)


def test_refusals(make_item, reviewer):
    item = make_item()
    with pytest.raises(ValidationError, match="Submit the draft"):
        services.publish(item, actor=reviewer)
    services.submit(item, actor=None)
    services.publish(item, actor=reviewer)
    item = services.withdraw(item, actor=reviewer)
    with pytest.raises(ValidationError, match="withdrawn item cannot be published"):
        services.publish(item, actor=reviewer)
    with pytest.raises(ValidationError):
        services.update_item(item, actor=None, title="改")
    assert Item.objects.get(pk=item.pk).status == Status.WITHDRAWN
    # Back through draft and review, it can be published again.
    services.reopen(item, actor=None)
    services.submit(item, actor=None)
    assert services.publish(item, actor=reviewer).status == Status.PUBLISHED


def test_return_to_draft_needs_reviewer(make_item, world, reviewer):
    item = services.submit(make_item(), actor=None)
    with pytest.raises(PermissionDenied):
        services.return_to_draft(item, actor=world.users["county_staff"])
    item = services.return_to_draft(item, actor=reviewer, note="请补充来源")
    assert item.status == Status.DRAFT
    assert item.events.last().note == "请补充来源"


def test_scheduled_publishing_reaches_readers_at_its_time(make_item, reviewer, reader):
    item = services.submit(make_item(), actor=None)
    at = clock.now() + timedelta(days=1)
    item = services.publish(item, actor=reviewer, at=at)
    assert item.events.last().kind == ItemEvent.Kind.SCHEDULED
    assert not Item.objects.visible_to(reader).filter(pk=item.pk).exists()
    with clock_at(at + timedelta(minutes=1)):
        reader._learning_audience_q = None
        assert Item.objects.visible_to(reader).filter(pk=item.pk).exists()


def test_checks(make_item, world):
    with pytest.raises(ValidationError):
        make_item(level="org")  # no organisation
    with pytest.raises(ValidationError):
        make_item(level="city")  # a county's area
    with pytest.raises(ValidationError):
        make_item(body="")
    with pytest.raises(ValidationError):
        make_item(kind="video", body="")


def clock_at(moment):
    from lianxin.testclock import at

    return at(moment)
