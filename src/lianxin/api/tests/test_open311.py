"""Open311 GeoReport v2, written from the published specification (wiki.open311.org/GeoReport_v2)."""

import json
from datetime import timedelta
from xml.etree import ElementTree as ET  # noqa: S405  (parses our own responses)

import pytest
from django.urls import reverse

from lianxin.api.models import ApiKey
from lianxin.cases import services
from lianxin.cases.models import Case, Category
from lianxin.core import clock

from .conftest import SECRET_NAME, SECRET_PHONE

pytestmark = pytest.mark.django_db
BASE = "/open311/v2/"


def get_json(client, path, **params):
    response = client.get(BASE + path + ".json", params)
    assert response["Content-Type"].startswith("application/json"), response.content
    return response, json.loads(response.content)


def get_xml(client, path, **params):
    response = client.get(BASE + path + ".xml", params)
    assert response["Content-Type"].startswith("text/xml"), response.content
    root = ET.fromstring(response.content)  # noqa: S314
    assert "}" not in root.tag and not any("}" in e.tag for e in root.iter()), "XML must have no namespace"
    return response, root


def post(client, fmt="json", query="", **data):
    return client.post(f"{BASE}requests.{fmt}{query}", data)


def no_personal_data(content: bytes):
    text = content.decode()
    assert SECRET_NAME not in text and SECRET_PHONE not in text and "client@example.com" not in text
    assert "open311-client" not in text


# ---------------------------------------------------------------- discovery and services


def test_discovery_both_formats(client, world):
    response, body = get_json(client, "discovery")
    assert response.status_code == 200 and isinstance(body, dict)
    assert set(body) == {"changeset", "contact", "key_service", "endpoints"}
    endpoint = body["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2/") and endpoint["formats"] == ["text/xml", "application/json"]
    assert "+08:00" in body["changeset"]
    _response, root = get_xml(client, "discovery")
    assert root.tag == "discovery"
    assert [f.text for f in root.find("endpoints/endpoint/formats")] == ["text/xml", "application/json"]


def test_services_publish_public_subcategories_but_never_confidential(client, world):
    lamp = Category.objects.get(full_code="1002")
    lamp.confidential = True  # even a public category, once confidential, is not published
    lamp.save()
    _response, body = get_json(client, "services")
    codes = {s["service_code"] for s in body}
    assert "0102" in codes
    assert "1101" not in codes and "1002" not in codes  # whistle-blowing; the confidential lamp
    assert "2001" not in codes  # not public
    assert all(isinstance(s["service_code"], str) for s in body)
    service = next(s for s in body if s["service_code"] == "0102")
    assert set(service) == {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
    assert service["metadata"] is False and service["type"] == "realtime"
    _response, root = get_xml(client, "services")
    assert root.tag == "services" and all(child.tag == "service" for child in root)
    assert "0102" in [s.findtext("service_code") for s in root]
    assert root.find("service/metadata").text == "false"


def test_service_definition_and_unknown_service(client, world):
    response, body = get_json(client, "services/0102")
    assert response.status_code == 200 and body == {"service_code": "0102", "attributes": []}
    _response, root = get_xml(client, "services/0102")
    assert root.tag == "service_definition" and root.findtext("service_code") == "0102"
    for path in ("services/9999", "services/1101"):
        response, body = get_json(client, path)
        assert response.status_code == 404 and body[0]["code"] == 404 and body[0]["description"]
    response, root = get_xml(client, "services/9999")
    assert response.status_code == 404 and root.tag == "errors" and root.find("error/code").text == "404"


def test_jurisdiction(client, world):
    assert get_json(client, "services", jurisdiction_id="jining.gov.cn")[0].status_code == 200
    assert get_json(client, "services", jurisdiction_id="")[0].status_code == 200  # empty = absent
    response, body = get_json(client, "services", jurisdiction_id="elsewhere.example")
    assert response.status_code == 404 and body[0]["code"] == 404
    response, root = get_xml(client, "requests", jurisdiction_id="elsewhere.example")
    assert response.status_code == 404 and root.tag == "errors"


def test_jurisdiction_setting(client, world, settings):
    settings.OPEN311_JURISDICTION = "example.org"
    assert get_json(client, "services", jurisdiction_id="example.org")[0].status_code == 200
    assert get_json(client, "services", jurisdiction_id="jining.gov.cn")[0].status_code == 404


# ---------------------------------------------------------------- reading requests


def test_requests_list_both_formats(client, world, photo_case):
    response, body = get_json(client, "requests")
    assert response.status_code == 200 and isinstance(body, list)
    row = next(r for r in body if r["service_request_id"] == photo_case.number)
    assert row["status"] == "open" and row["service_code"] == "0102"
    assert row["lat"] == 35.2 and row["long"] == 116.05
    assert row["requested_datetime"].endswith("+08:00") and row["updated_datetime"].endswith("+08:00")
    assert row["expected_datetime"].endswith("+08:00")
    assert row["media_url"].startswith("http://testserver/open311/v2/media/")
    assert "139****5678" in row["description"]
    for key in ("status_notes", "service_name", "agency_responsible", "service_notice", "address", "address_id",
                "zipcode"):
        assert key in row
    no_personal_data(response.content)
    response, root = get_xml(client, "requests")
    assert root.tag == "service_requests" and all(child.tag == "request" for child in root)
    assert photo_case.number in [r.findtext("service_request_id") for r in root]
    no_personal_data(response.content)


def test_request_by_id_is_a_one_element_list(client, world, photo_case):
    response, body = get_json(client, f"requests/{photo_case.number}")
    assert response.status_code == 200 and len(body) == 1 and body[0]["service_request_id"] == photo_case.number
    response, root = get_xml(client, f"requests/{photo_case.number}")
    assert root.tag == "service_requests" and len(root) == 1
    assert root.find("request/service_request_id").text == photo_case.number
    no_personal_data(response.content)
    response, body = get_json(client, "requests/999999")
    assert response.status_code == 404 and body[0]["code"] == 404


def test_confidential_requests_never_appear(client, world, filer):
    secret = Category.objects.get(full_code="1101")
    case = services.report(actor=filer, category=secret, title="举报", lng=116.05, lat=35.2).case
    _response, body = get_json(client, "requests")
    assert case.number not in {r["service_request_id"] for r in body}
    assert get_json(client, f"requests/{case.number}")[0].status_code == 404
    assert get_json(client, "requests", service_request_id=case.number)[1] == []


def test_request_filters(client, world, photo_case):
    other = world.cases["3708020101"]
    ids = f"{photo_case.number},{other.number}"
    _response, body = get_json(client, "requests", service_request_id=ids)
    assert {r["service_request_id"] for r in body} == {photo_case.number, other.number}
    _response, body = get_json(client, "requests", service_code="0102", status="open")
    assert photo_case.number in {r["service_request_id"] for r in body}
    _response, body = get_json(client, "requests", status="closed")
    assert photo_case.number not in {r["service_request_id"] for r in body}
    assert get_json(client, "requests", status="sideways")[0].status_code == 400
    assert get_json(client, "requests", service_code="9999")[0].status_code == 404
    # Empty optional parameters count as absent.
    _response, body = get_json(client, "requests", service_code="", status="", start_date="", end_date="",
                               service_request_id="", jurisdiction_id="", page="", page_size="")
    assert photo_case.number in {r["service_request_id"] for r in body}
    # Dates: W3C; a period that ended before the case was filed finds nothing.
    before = (clock.now() - timedelta(days=5)).isoformat()
    _response, body = get_json(client, "requests", end_date=before)
    assert body == []
    _response, body = get_json(client, "requests", start_date=before)
    assert photo_case.number in {r["service_request_id"] for r in body}
    assert get_json(client, "requests", start_date="yesterday")[0].status_code == 400


def test_default_window_is_ninety_days(client, world, photo_case):
    Case.objects.filter(pk=photo_case.pk).update(created_at=clock.now() - timedelta(days=91))
    _response, body = get_json(client, "requests")
    assert photo_case.number not in {r["service_request_id"] for r in body}


def test_paging_extension(client, world):
    _response, everything = get_json(client, "requests")
    assert len(everything) == 4
    _response, first = get_json(client, "requests", page=1, page_size=3)
    _response, second = get_json(client, "requests", page=2, page_size=3)
    assert len(first) == 3 and len(second) == 1
    assert [r["service_request_id"] for r in first + second] == [r["service_request_id"] for r in everything]
    assert get_json(client, "requests", page_size=5000)[0].status_code == 400
    assert get_json(client, "requests", page=0)[0].status_code == 400


def test_status_notes_agency_and_extensions(client, world):
    staff = world.users["community_staff"]
    case = world.cases["3708010101"]
    services.refuse(case, actor=staff, reason="不属于受理范围，电话13900001111")
    response, body = get_json(client, f"requests/{case.number}")
    row = body[0]
    assert row["status"] == "closed" and row["status_notes"].startswith("不属于受理范围")
    assert "13900001111" not in response.content.decode()
    assert "notes" not in row
    _response, body = get_json(client, f"requests/{case.number}", extensions="true")
    assert body[0]["notes"][0]["type"] == "refuse" and body[0]["notes"][0]["datetime"].endswith("+08:00")
    _response, root = get_xml(client, "requests", extensions="true", service_request_id=case.number)
    assert root.find("request/notes/note/type").text == "refuse"


def test_media_serves_only_report_photos_of_published_cases(client, world, photo_case):
    _response, body = get_json(client, f"requests/{photo_case.number}")
    response = client.get(body[0]["media_url"])
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    # Any other stored file (a person's document, a photo not attached to a published report) is 404.
    other = world.files["3708010101"]
    assert client.get(reverse("open311:media", kwargs={"file_id": other.pk})).status_code == 404


def test_updates_feed(client, world):
    staff = world.users["community_staff"]
    case = world.cases["3708010101"]
    services.accept(case, actor=staff)
    response, body = get_json(client, "servicerequestupdates")
    assert response.status_code == 200
    update = next(u for u in body if u["service_request_id"] == case.number)
    assert update["status"] == "ACTION_SCHEDULED" and update["updated_datetime"].endswith("+08:00")
    _response, root = get_xml(client, "servicerequestupdates")
    assert root.tag == "service_request_updates" and root[0].tag == "request_update"
    later = (clock.now() + timedelta(days=1)).isoformat()
    assert get_json(client, "servicerequestupdates", start_date=later)[1] == []


# ---------------------------------------------------------------- filing requests


def test_post_needs_a_valid_key(client, world, api_key):
    for data in ({}, {"api_key": ""}, {"api_key": "wrong"}):
        response = post(client, service_code="0102", lat="35.2", long="116.05", **data)
        assert response.status_code == 403 and json.loads(response.content)[0]["code"] == 403
    response = post(client, "xml", service_code="0102", lat="35.2", long="116.05")
    assert response.status_code == 403
    assert ET.fromstring(response.content).tag == "errors"  # noqa: S314
    ApiKey.objects.get().revoke()
    assert post(client, api_key=api_key, service_code="0102", lat="35.2", long="116.05").status_code == 403


def test_post_files_a_case_as_the_key_owner(client, world, api_key, filer):
    response = post(client, api_key=api_key, jurisdiction_id="jining.gov.cn", service_code="0102", lat="35.2",
                    long="116.05", description="路口垃圾没人收", email="client@example.com",
                    first_name=SECRET_NAME, last_name="X", phone=SECRET_PHONE, device_id="dev1", account_id="a1",
                    media_url="http://example.com/p.jpg")
    assert response.status_code == 201
    body = json.loads(response.content)
    assert len(body) == 1 and set(body[0]) >= {"service_request_id"}
    no_personal_data(response.content)
    case = Case.objects.get(number=body[0]["service_request_id"])
    assert case.reporter == filer and case.source == "report" and case.area == world.areas["3708010101-G"]
    # Personal fields are not stored either.
    assert SECRET_PHONE not in case.description and "client@example.com" not in case.description
    response, listed = get_json(client, f"requests/{case.number}")
    assert listed[0]["description"] == "路口垃圾没人收"
    no_personal_data(response.content)


def test_post_xml_and_key_in_query_string(client, world, api_key):
    response = post(client, "xml", query=f"?api_key={api_key}&jurisdiction_id=jining.gov.cn", service_code="0102",
                    lat="35.2", long="116.05")
    assert response.status_code == 201
    root = ET.fromstring(response.content)  # noqa: S314
    assert root.tag == "service_requests" and root.find("request/service_request_id").text


def test_post_errors(client, world, api_key):
    client.cookies["django_language"] = "en"
    def error(status, **data):
        response = post(client, api_key=api_key, **data)
        assert response.status_code == status, response.content
        return json.loads(response.content)[0]["description"]

    error(400, lat="35.2", long="116.05")  # no service_code
    error(404, service_code="9999", lat="35.2", long="116.05")
    error(404, service_code="1101", lat="35.2", long="116.05")  # confidential: not a published service
    assert "outside the city" in error(400, service_code="0102", lat="39.9", long="116.4")  # Beijing
    error(400, service_code="0102", lat="abc", long="116.05")
    error(400, service_code="0102", lat="35.2")  # half a point
    error(400, service_code="0102")  # no location at all
    error(400, service_code="0102", lat="35.2", long="116.05", description="x" * 4001)
    error(404, service_code="0102", lat="35.2", long="116.05", jurisdiction_id="elsewhere")


def test_post_with_address_only_files_at_the_keys_area(client, world, api_key):
    response = post(client, api_key=api_key, service_code="0102", address_string="任城区某路 12 号",
                    lat="", long="")  # empty coordinates count as absent
    assert response.status_code == 201
    case = Case.objects.get(number=json.loads(response.content)[0]["service_request_id"])
    assert case.area == world.areas["370800"] and case.address == "任城区某路 12 号"


def test_token_makes_retries_idempotent_and_is_looked_up(client, world, api_key):
    data = {"api_key": api_key, "service_code": "0102", "lat": "35.2", "long": "116.05", "token": "abc-123"}
    first = post(client, **data)
    again = post(client, **data)
    assert first.status_code == 201 and again.status_code == 200
    number = json.loads(first.content)[0]["service_request_id"]
    assert json.loads(again.content)[0]["service_request_id"] == number
    assert Case.objects.filter(number=number).count() == 1
    reused = post(client, **{**data, "description": "another body"})
    assert reused.status_code == 400
    response, body = get_json(client, "tokens/abc-123")
    assert response.status_code == 200 and body == [{"service_request_id": number, "token": "abc-123"}]
    _response, root = get_xml(client, "tokens/abc-123")
    assert root.tag == "service_requests" and root.find("request/token").text == "abc-123"
    response, body = get_json(client, "tokens/unknown")
    assert response.status_code == 404 and body[0]["code"] == 404


def test_methods(client, world):
    response = client.post(BASE + "services.json")
    assert response.status_code == 405 and json.loads(response.content)[0]["code"] == 405
