"""Staff pages: create (area found from the point), edit, photos, list search, and who may do what."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lianxin.stations.models import Station
from lianxin.testing import tiny_jpeg

pytestmark = pytest.mark.django_db

HOURS = {f"hours_{d}": "08:00-20:00" for d in range(5)} | {"hours_5": "20:00-02:00", "hours_6": "closed"}


def form(**extra):
    return {"kind": "hongfan", "name": "红帆驿站一号", "lng": "116.05", "lat": "35.4", "address": "一网格",
            "amenities": ["water", "first_aid"], "active": "on", **HOURS, **extra}


def test_create_finds_the_area_from_the_point(persona_client, world):
    client = persona_client("community_staff")
    response = client.post(reverse("stations:create"), form())
    station = Station.objects.get(name="红帆驿站一号")
    assert response.status_code == 302 and response["Location"] == reverse("stations:detail", args=[station.pk])
    assert station.area == world.areas["3708010101-G"]  # a red-sail station belongs to its grid
    assert station.water and station.first_aid and not station.charging
    assert station.hours[5] == "20:00-02:00" and station.hours[6] == "closed"
    client.post(reverse("stations:create"), form(kind="xinxin", name="新新驿站"))
    assert Station.objects.get(name="新新驿站").area == world.areas["3708010101"]


def test_create_outside_scope_or_bad_input_changes_nothing(persona_client, world):
    client = persona_client("community_staff")
    client.cookies["django_language"] = "en"
    before = Station.objects.count()
    outside = client.post(reverse("stations:create"), form(lng="117.0"))  # in county B
    assert outside.status_code == 403
    bad = client.post(reverse("stations:create"), form(hours_2="whenever"))
    assert bad.status_code == 200 and b"is not understood" in bad.content
    far = client.post(reverse("stations:create"), form(lng="120.5"))
    assert far.status_code == 200 and b"outside the city" in far.content
    assert persona_client("resident").get(reverse("stations:create")).status_code == 403
    assert Station.objects.count() == before


def test_manager_must_hold_a_role_there(persona_client, world):
    client = persona_client("community_staff")
    client.cookies["django_language"] = "en"
    refused = client.post(reverse("stations:create"), form(manager=world.accounts["3708010101"].username))
    assert b"is not a station manager" in refused.content
    client.post(reverse("stations:create"), form(manager="p_station"))
    assert Station.objects.get(name="红帆驿站一号").manager == world.users["station_manager"]


def test_edit_and_photo(persona_client, world):
    station = world.samples["stations.station"]["3708010101"]
    client = persona_client("station_manager")
    page = client.get(reverse("stations:edit", args=[station.pk]))
    assert page.status_code == 200
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    data.update(name="改名驿站", amenities=["toilet"], hours_0="07:00-23:00", area=station.area_id,
                org=station.org_id, active="on")
    r = client.post(reverse("stations:edit", args=[station.pk]), data)
    assert r.status_code == 302, r.context["form"].errors
    station.refresh_from_db()
    assert station.name == "改名驿站" and station.toilet and not station.water and station.hours[0] == "07:00-23:00"
    photo = SimpleUploadedFile("p.jpg", tiny_jpeg(exif_gps=True), "image/jpeg")
    assert client.post(reverse("stations:photo_add", args=[station.pk]), {"photo": photo}).status_code == 302
    stored = station.photos.get()
    shown = client.get(reverse("stations:photo", args=[station.pk, stored.pk]))
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    not_a_photo = SimpleUploadedFile("x.jpg", b"not an image", "image/jpeg")
    client.post(reverse("stations:photo_add", args=[station.pk]), {"photo": not_a_photo})
    assert station.photos.count() == 1


def test_permission_samples(world, client):
    """A few rows of the matrix, spelled out: who sees and who changes which community's station."""
    s = world.samples["stations.station"]
    expect = {
        # role: (communities whose station page opens, communities whose station may be edited)
        "station_manager": ({"3708010101"}, {"3708010101"}),
        "community_staff": ({"3708010101"}, {"3708010101"}),
        "town_staff": ({"3708010101", "3708010102"}, {"3708010101", "3708010102"}),
        "county_staff": ({"3708010101", "3708010102", "3708010201"},) * 2,
        "org_department": ({"3708010101", "3708010102", "3708010201"},) * 2,
        "administrator": (set(s), set(s)),
        "resident": (set(), set()),
        "grid_worker": (set(), set()),
        "instructor": (set(), set()),
    }
    for role, (seen, edited) in expect.items():
        client.force_login(world.users[role], backend="django.contrib.auth.backends.ModelBackend")
        for code, station in s.items():
            detail = client.get(reverse(world.details["stations.station"], args=[station.pk])).status_code
            edit = client.get(reverse("stations:edit", args=[station.pk])).status_code
            assert detail == (200 if code in seen else 404), (role, code)
            assert edit == (200 if code in edited else 404 if code not in seen else 403), (role, code)
        listing = client.get(reverse("stations:list")).content.decode()
        assert {c for c, st in s.items() if f'href="{reverse("stations:detail", args=[st.pk])}"' in listing} == seen
        client.logout()


def test_named_manager_keeps_a_station_outside_its_grant(world, client):
    from lianxin.stations import services

    station = world.samples["stations.station"]["3708010102"]
    services.update_station(station, actor=None, manager=world.users["station_manager"])
    client.force_login(world.users["station_manager"], backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("stations:detail", args=[station.pk])).status_code == 200
    assert client.get(reverse("stations:edit", args=[station.pk])).status_code == 200


def test_list_search_and_filters(persona_client, world):
    client = persona_client("administrator")
    s = world.samples["stations.station"]
    page = client.get(reverse("stations:list"), {"q": world.marker("station-3708010102")}).content.decode()
    assert reverse("stations:detail", args=[s["3708010102"].pk]) in page
    assert reverse("stations:detail", args=[s["3708010101"].pk]) not in page
    none = client.get(reverse("stations:list"), {"amenity": "microwave"}).content.decode()
    assert reverse("stations:detail", args=[s["3708010101"].pk]) not in none


def test_list_and_detail_name_the_place_from_the_county_down_in_flat_queries(persona_client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lianxin.areas.models import place_labels
    from lianxin.stations import services

    client = persona_client("administrator")
    station = world.samples["stations.station"]["3708010101"]
    label = place_labels([station.area])[station.area_id]
    assert label.count(" · ") >= 2  # county · town · community
    assert label in client.get(reverse("stations:list")).content.decode()
    assert label in client.get(reverse("stations:detail", args=[station.pk])).content.decode()

    def count():
        with CaptureQueriesContext(connection) as q:
            assert client.get(reverse("stations:list")).status_code == 200
        return len(q)

    few = count()
    for i, code in enumerate(("3708010102", "3708010201", "3708020101")):
        area = world.areas[code]
        services.create_station(actor=None, name=f"又一驿站{i}", area=area, lng=area.center[0], lat=area.center[1],
                                kind="xinxin", hours=["24h"] * 7)
    assert count() == few


def test_home_widget_counts_what_the_manager_keeps(persona_client, world):
    client = persona_client("station_manager")
    client.cookies["django_language"] = "en"
    page = client.get(reverse("core:home")).content.decode()
    assert "Stations in service" in page
    assert f'<a href="{reverse("stations:list")}?active=1">1</a>' in page  # its community's station only
