"""A retried create form never duplicates: each create form of workforce posted twice with the key it rendered
(the delivery log keeps its own key: test_campaigns)."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lianxin.cases.models import Case, Category
from lianxin.core.clock import today
from lianxin.testing import tiny_jpeg
from lianxin.workforce.models import Campaign, CommitteeMember, Registration, Worker
from lianxin.workforce.types import SERVICE

from .conftest import HOME

pytestmark = pytest.mark.django_db

ALREADY = "This form was already submitted; here is what it created."


def worker_form(world, member):
    data = {"person": member.phone, "org": world.orgs[f"firm-{HOME}"].name, "branch": "东站"}
    return ("community_staff", "workforce:create", data, Worker.objects.filter(person=member),
            lambda made: reverse("workforce:detail", args=[made.pk]))


def registration_form(world, member):
    data = {"kind": "member", "area": world.areas[HOME].code, "person": member.phone,
            "registered_on": today().isoformat(), "services": "政策宣讲"}
    return ("community_staff", "workforce:registration_create", data, Registration.objects.filter(person=member),
            lambda made: reverse("workforce:registration", args=[made.pk]))


def need_form(world, member):
    data = {"category": Category.objects.get(full_code="3101").pk, "title": "帮忙取药", "area": world.areas[HOME].pk}
    return (world.accounts[HOME], "workforce:need_create", data, Case.objects.filter(type=SERVICE),
            lambda made: reverse("cases:detail", args=[made.pk]))


def committee_form(world, member):
    firm = world.orgs["firm-3708010102"]
    CommitteeMember.objects.filter(org=firm).delete()
    data = {"area": world.areas["3708010102"].code, "org": firm.code or firm.name, "post": "兼职委员",
            "from_on": today().isoformat()}
    return ("town_staff", "workforce:committee_create", data, CommitteeMember.objects.filter(org=firm),
            lambda made: reverse("workforce:committee_member", args=[made.pk]))


def campaign_form(world, member):
    data = {"title": "就业政策宣讲", "theme": "稳就业", "area": "37080101", "starts_on": today().isoformat(),
            "ends_on": (today() + timedelta(days=30)).isoformat(),
            "material": lambda: SimpleUploadedFile("flyer.jpg", tiny_jpeg(), "image/jpeg")}
    return ("town_staff", "workforce:campaign_create", data, Campaign.objects.filter(title="就业政策宣讲"),
            lambda made: reverse("workforce:campaign", args=[made.pk]))


@pytest.mark.parametrize("case", [worker_form, registration_form, need_form, committee_form, campaign_form],
                         ids=lambda f: f.__name__)
def test_a_create_form_posted_twice_creates_once(case, world, member, login):
    who, url_name, data, made, location = case(world, member)
    client = login(world.users[who] if isinstance(who, str) else who)
    url = reverse(url_name)
    key = re.search(r'<input type="hidden" name="key" value="([^"]+)"', client.get(url).content.decode())[1]

    def post():
        return client.post(url, {**{k: v() if callable(v) else v for k, v in data.items()}, "key": key}, follow=True)

    first, second = post(), post()
    obj = made.get()  # exactly one
    assert first.redirect_chain == second.redirect_chain == [(location(obj), 302)]
    assert [str(m) for m in second.context["messages"]] == [ALREADY]
    assert ALREADY not in [str(m) for m in first.context["messages"]]


def test_a_form_without_a_key_still_creates(world, login):
    """Old clients post no key: each post is a new campaign, as before."""
    client = login(world.users["town_staff"])
    data = {"title": "无键活动", "area": "37080101", "starts_on": today().isoformat(), "ends_on": today().isoformat()}
    for _ in range(2):
        assert client.post(reverse("workforce:campaign_create"), data).status_code == 302
    assert Campaign.objects.filter(title="无键活动").count() == 2


@pytest.mark.django_db
def test_a_resubmitted_committee_membership_with_an_end_date_is_saved_once(world, login):
    from datetime import timedelta

    from lianxin.core.clock import today
    from lianxin.workforce.models import CommitteeMember

    firm = world.orgs["firm-3708010102"]
    CommitteeMember.objects.filter(org=firm).delete()
    data = {"area": world.areas["3708010102"].code, "org": firm.code or firm.name, "post": "兼职委员",
            "from_on": today().isoformat(), "to_on": (today() + timedelta(days=365)).isoformat()}
    client = login(world.users["town_staff"])
    assert client.post(reverse("workforce:committee_create"), data).status_code == 302
    client.post(reverse("workforce:committee_create"), data)  # the same form again
    assert CommitteeMember.objects.filter(org=firm).count() == 1
