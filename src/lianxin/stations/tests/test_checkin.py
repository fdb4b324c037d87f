"""QR check-ins: identified once per station, service and hour; anonymous limits per device and address;
token rotation; CSRF for anonymous posts."""

from datetime import datetime, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from lianxin.core import clock
from lianxin.stations import services
from lianxin.stations.models import CheckIn
from lianxin.workdays.calendar import tz

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 11, 24, 10, 5, tzinfo=tz())


def url(station):
    return reverse("stations:checkin", kwargs={"token": station.token})


def test_identified_once_per_station_service_and_hour(make_station, world):
    station = make_station()
    rider = world.accounts["3708010101"]
    first = services.record_checkin(station, "rest", user=rider, at=T0)
    again = services.record_checkin(station, "rest", user=rider, at=T0 + timedelta(minutes=40))
    assert first.created and not again.created and again.checkin == first.checkin
    assert services.record_checkin(station, "water", user=rider, at=T0).created  # another service
    assert services.record_checkin(station, "rest", user=rider, at=T0 + timedelta(hours=1)).created  # next hour
    assert CheckIn.objects.filter(user=rider).count() == 3
    # The database itself refuses a second row for the same hour.
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckIn.objects.create(station=station, service="rest", at=T0, hour=T0.replace(minute=0), user=rider)


def test_identified_retry_over_http_does_not_duplicate(make_station, world, client):
    station = make_station()
    client.force_login(world.accounts["3708010101"], backend="django.contrib.auth.backends.ModelBackend")
    client.cookies["django_language"] = "en"
    form = {"service": "charge", "key": "k-1"}
    with clock.at(T0):
        first = client.post(url(station), form)
        retry = client.post(url(station), form)
        other_key = client.post(url(station), {"service": "charge", "key": "k-2"})
    assert first.status_code == retry.status_code == other_key.status_code == 200
    assert b"Recorded: Charge" in first.content
    assert b"Already recorded" in retry.content and b"Already recorded" in other_key.content
    assert CheckIn.objects.filter(station=station).count() == 1
    assert CheckIn.objects.get(station=station).user == world.accounts["3708010101"]


def test_anonymous_limit_per_device(make_station, client):
    station = make_station()
    client.cookies["django_language"] = "en"
    client.get(url(station))  # sets the device cookie
    with clock.at(T0):
        for i in range(services.ANON_PER_DEVICE):
            assert client.post(url(station), {"service": "water", "key": f"d{i}"}).status_code == 200
        refused = client.post(url(station), {"service": "water", "key": "d-over"})
    assert refused.status_code == 429 and b"This phone has recorded" in refused.content
    assert CheckIn.objects.filter(station=station).count() == services.ANON_PER_DEVICE
    # Another phone on the same network may still record; so may this one after the window.
    other = Client()
    assert other.post(url(station), {"service": "water", "key": "o1"}).status_code == 200
    with clock.at(T0 + services.ANON_WINDOW + timedelta(minutes=1)):
        assert client.post(url(station), {"service": "water", "key": "d-later"}).status_code == 200
    # The limit is per station.
    elsewhere = make_station(name="另一站")
    with clock.at(T0):
        assert client.post(url(elsewhere), {"service": "water", "key": "e1"}).status_code == 200


def test_anonymous_limit_per_address(make_station):
    station = make_station()
    with clock.at(T0):
        for i in range(services.ANON_PER_ADDRESS):
            assert Client(REMOTE_ADDR="10.0.0.9").post(url(station), {"service": "rest", "key": f"a{i}"}
                                                       ).status_code == 200
        over = Client(REMOTE_ADDR="10.0.0.9", HTTP_COOKIE="django_language=en").post(
            url(station), {"service": "rest", "key": "a-over"})
        elsewhere = Client(REMOTE_ADDR="10.0.0.10").post(url(station), {"service": "rest", "key": "b1"})
    assert over.status_code == 429 and b"from this network" in over.content
    assert elsewhere.status_code == 200
    assert CheckIn.objects.filter(station=station).count() == services.ANON_PER_ADDRESS + 1
    # Neither the address nor the device is stored in clear.
    assert not CheckIn.objects.filter(address="10.0.0.9").exists()


def test_identified_and_anonymous_are_counted_apart(make_station, world):
    station = make_station()
    services.record_checkin(station, "rest", user=world.accounts["3708010101"], at=T0)
    services.record_checkin(station, "rest", device="x", at=T0)
    services.record_checkin(station, "water", device="y", at=T0)
    c = services.counts(CheckIn.objects.filter(station=station))
    assert (c["total"], c["identified"], c["anonymous"]) == (3, 1, 2)
    assert c["by_service"] == {"rest": 2, "water": 1}


def test_csrf_is_required_and_works_for_anonymous_posts(make_station):
    station = make_station()
    browser = Client(enforce_csrf_checks=True)
    assert browser.post(url(station), {"service": "rest"}).status_code == 403
    page = browser.get(url(station))
    token = page.context["csrf_token"]
    done = browser.post(url(station), {"service": "rest", "csrfmiddlewaretoken": str(token), "key": "c1"})
    assert done.status_code == 200
    assert CheckIn.objects.filter(station=station).count() == 1


def test_rotated_token_stops_working_with_a_clear_message(make_station, persona_client):
    station = make_station()
    old = url(station)
    client = persona_client("community_staff")
    client.cookies["django_language"] = "en"
    assert client.post(reverse("stations:token_rotate", args=[station.pk])).status_code == 302
    station.refresh_from_db()
    response = Client(HTTP_COOKIE="django_language=en").get(old)
    assert response.status_code == 410 and b"was replaced" in response.content
    assert Client().post(old, {"service": "rest"}).status_code == 410
    assert Client().get(url(station)).status_code == 200
    assert not CheckIn.objects.filter(station=station).exists()
    unknown = Client(HTTP_COOKIE="django_language=en").get(reverse("stations:checkin", kwargs={"token": "nope"}))
    assert unknown.status_code == 404 and b"does not belong to any station" in unknown.content
    assert Client().get(reverse("stations:checkin")).status_code == 400


def test_rotation_needs_the_change_right(make_station, persona_client):
    station = make_station()
    assert persona_client("resident").post(reverse("stations:token_rotate", args=[station.pk])).status_code == 404
    station.refresh_from_db()
    before = station.token
    sibling = make_station("3708010102")
    assert persona_client("station_manager").post(
        reverse("stations:token_rotate", args=[sibling.pk])).status_code == 404
    sibling.refresh_from_db()
    assert station.token == before and not sibling.retired_tokens.exists()


def test_bad_service_and_inactive_station(make_station):
    station = make_station()
    client = Client(HTTP_COOKIE="django_language=en")
    assert client.post(url(station), {"service": "massage"}).status_code == 400
    services.update_station(station, actor=None, active=False)
    response = client.post(url(station), {"service": "rest"})
    assert response.status_code == 400 and b"not in service" in response.content
    assert not CheckIn.objects.filter(station=station).exists()
