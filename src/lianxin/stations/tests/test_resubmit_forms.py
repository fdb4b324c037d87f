"""A retried create form never duplicates: the station form and the photo upload, posted twice with one key."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lianxin.stations.models import Station
from lianxin.testing import tiny_jpeg

from .test_views import form

pytestmark = pytest.mark.django_db

ALREADY = "This form was already submitted; here is what it created."


def rendered_key(response) -> str:
    return re.search(r'<input type="hidden" name="key" value="([^"]+)"', response.content.decode())[1]


@pytest.fixture
def staff(persona_client):
    def login(role):
        client = persona_client(role)
        client.cookies["django_language"] = "en"
        return client

    return login


def shown(response) -> list[str]:
    """The messages on the page the redirect leads to."""
    return [str(m) for m in response.context["messages"]]


def test_a_station_form_posted_twice_creates_one_station(staff):
    client = staff("community_staff")
    key = rendered_key(client.get(reverse("stations:create")))
    first = client.post(reverse("stations:create"), form(key=key), follow=True)
    second = client.post(reverse("stations:create"), form(key=key), follow=True)
    station = Station.objects.get(name="红帆驿站一号")
    assert first.redirect_chain == second.redirect_chain == [(reverse("stations:detail", args=[station.pk]), 302)]
    assert shown(first) == ["Station saved."] and shown(second) == [ALREADY]
    client.post(reverse("stations:create"), form(key=rendered_key(client.get(reverse("stations:create")))))
    assert Station.objects.filter(name="红帆驿站一号").count() == 2  # a fresh form is a new station


def test_a_photo_posted_twice_is_added_once(staff, world):
    station = world.samples["stations.station"]["3708010101"]
    client = staff("station_manager")
    key = rendered_key(client.get(reverse("stations:detail", args=[station.pk])))
    url = reverse("stations:photo_add", args=[station.pk])
    answers = [client.post(url, {"photo": SimpleUploadedFile("p.jpg", tiny_jpeg(), "image/jpeg"), "key": key},
                           follow=True) for _ in range(2)]
    assert [a.redirect_chain for a in answers] == [[(reverse("stations:detail", args=[station.pk]), 302)]] * 2
    assert station.photos.count() == 1
    assert shown(answers[0]) == ["Photo added."] and shown(answers[1]) == [ALREADY]
