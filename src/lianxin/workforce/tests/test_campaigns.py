"""Propaganda campaigns: teams of promoters, delivery logs (a retried POST saves once), totals."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lianxin.accounts.models import User
from lianxin.core.clock import today
from lianxin.testing import tiny_jpeg
from lianxin.workforce import services, stats
from lianxin.workforce.models import Campaign, Delivery

from .conftest import HOME


@pytest.mark.django_db
def test_a_retried_delivery_post_is_saved_once(world, login):
    campaign = world.samples["workforce.campaign"][HOME]
    worker = world.samples["workforce.worker"][HOME]
    staff = world.users["community_staff"]
    form = {"worker": worker.pk, "area": world.areas[HOME].pk, "done_on": today().isoformat(), "households": 40,
            "flyers": 55, "notes": "随快递投递", "key": "k-1"}
    url = reverse("workforce:campaign_deliver", args=[campaign.pk])
    assert login(staff).get(url).status_code == 200
    for _ in range(3):
        assert login(staff).post(url, form).status_code == 302
    assert Delivery.objects.count() == 1
    login(staff).post(url, {**form, "key": "k-2", "households": 10, "flyers": 5})
    page = login(staff).get(reverse("workforce:campaigns"), {"q": campaign.title}).content.decode()
    assert ">50<" in page and ">60<" in page  # households and flyers summed once each
    figures = stats.figures(staff, [world.areas[HOME]], today() - timedelta(days=1), today())
    assert figures[world.areas[HOME].pk]["households"] == 50 and figures[world.areas[HOME].pk]["flyers"] == 60


@pytest.mark.django_db
def test_delivery_rules(world):
    from django.core.exceptions import ValidationError

    campaign = world.samples["workforce.campaign"][HOME]
    outsider = world.samples["workforce.worker"]["3708010102"]
    with pytest.raises(ValidationError):
        services.log_delivery(actor=None, campaign=campaign, worker=outsider, area=world.areas[HOME], households=1,
                              flyers=1)
    worker = world.samples["workforce.worker"][HOME]
    with pytest.raises(ValidationError):
        services.log_delivery(actor=None, campaign=campaign, worker=worker, area=world.areas["3708010102"],
                              households=1, flyers=1)
    with pytest.raises(ValidationError):
        services.log_delivery(actor=None, campaign=campaign, worker=worker, area=world.areas[HOME], households=1,
                              flyers=1, done_on=today() + timedelta(days=1))
    assert not Delivery.objects.exists()


@pytest.mark.django_db
def test_a_promoter_logs_from_the_phone(world, login):
    worker = world.samples["workforce.worker"][HOME]
    user = services.ensure_account(worker.person, actor=None)
    campaign = world.samples["workforce.campaign"][HOME]
    assert campaign.title in login(user).get(reverse("workforce:me")).content.decode()
    url = reverse("workforce:campaign_deliver", args=[campaign.pk])
    page = login(user).get(url).content.decode()
    assert f'value="{worker.pk}"' in page
    login(user).post(url, {"worker": worker.pk, "area": world.areas[HOME].pk, "done_on": today().isoformat(),
                           "households": 3, "flyers": 3, "key": "p-1"})
    assert Delivery.objects.get().actor == User.objects.get(pk=user.pk)
    # Other campaigns stay hidden from the promoter.
    other = world.samples["workforce.campaign"]["3708010102"]
    assert login(user).get(reverse("workforce:campaign", args=[other.pk])).status_code == 404


@pytest.mark.django_db
def test_staff_create_a_campaign_with_material_and_team(world, login):
    staff = world.users["town_staff"]
    upload = SimpleUploadedFile("flyer.jpg", tiny_jpeg(), "image/jpeg")
    response = login(staff).post(reverse("workforce:campaign_create"), {
        "title": "就业政策宣讲", "theme": "稳就业", "area": "37080101", "starts_on": today().isoformat(),
        "ends_on": (today() + timedelta(days=30)).isoformat(), "material": upload})
    campaign = Campaign.objects.get(title="就业政策宣讲")
    assert response.status_code == 302 and campaign.materials.count() == 1
    worker = world.samples["workforce.worker"]["3708010102"]
    login(staff).post(reverse("workforce:campaign_team", args=[campaign.pk]), {"add": worker.person.phone})
    assert list(campaign.promoters.all()) == [worker]
    page = login(staff).get(reverse("workforce:campaign", args=[campaign.pk])).content.decode()
    assert worker.person.name in page
