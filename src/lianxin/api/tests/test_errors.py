"""Every REST API answer outside 2xx is JSON in one shape: {detail, code, errors} (api/rest/errors.py)."""

import pytest
from django.test import Client

from lianxin.api.models import ApiKey

pytestmark = pytest.mark.django_db


def shaped(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert set(body) == {"detail", "code", "errors"}, body
    assert body["code"] == code and isinstance(body["detail"], str) and body["detail"], body
    assert isinstance(body["errors"], dict)
    return body


@pytest.fixture
def token(world):
    return ApiKey.issue(owner=world.users["community_staff"], name="errors")[1]


@pytest.fixture
def api(token):
    return Client(HTTP_AUTHORIZATION=f"Token {token}")


@pytest.fixture
def english(api):
    api.cookies["django_language"] = "en"
    return api


def test_401_without_credentials_is_json_with_a_challenge(client, world):
    for path in ("/api/cases/", "/api/cases/stats/", f"/api/cases/{world.cases['3708010101'].pk}/"):
        response = client.get(path)
        shaped(response, 401, "not_authenticated")
        assert response["WWW-Authenticate"] == "Token"
    shaped(client.get("/api/cases/", HTTP_AUTHORIZATION="Token nonsense"), 401, "not_authenticated")


def test_400_field_errors_name_their_fields(english):
    body = shaped(english.post("/api/cases/", {"description": "x"}, content_type="application/json"), 400,
                  "invalid")
    assert "category" in body["errors"] and body["errors"]["category"] == [body["detail"]]
    body = shaped(english.get("/api/cases/", {"stage": "nonsense"}), 400, "invalid")
    assert body["detail"] == "Unknown value for stage." and body["errors"] == {}


def test_a_body_that_is_not_json_is_told_in_the_callers_language(api):
    body = shaped(api.post("/api/cases/", "{not json", content_type="application/json"), 400, "parse_error")
    assert body["detail"] == "请求内容不是有效的 JSON。"
    api.cookies["django_language"] = "en"
    body = shaped(api.post("/api/cases/", "{not json", content_type="application/json"), 400, "parse_error")
    assert body["detail"] == "The request body is not valid JSON."


def test_403_404_405_409_415(english, world):
    sibling = world.cases["3708020101"]  # another county: out of scope
    shaped(english.get(f"/api/cases/{sibling.pk}/"), 404, "not_found")
    shaped(english.get("/api/no-such-endpoint/"), 404, "not_found")
    shaped(english.get("/api/cases/999999999/"), 404, "not_found")
    case = world.cases["3708010101"]
    shaped(english.delete(f"/api/cases/{case.pk}/"), 405, "method_not_allowed")
    shaped(english.post(f"/api/cases/{case.pk}/moves/accept/", {"version": case.version + 7},
                        content_type="application/json"), 409, "conflict")
    shaped(english.post("/api/cases/", b"<x/>", content_type="application/xml"), 415, "unsupported_media_type")
    resident = Client(HTTP_AUTHORIZATION=f"Token {ApiKey.issue(owner=world.users['resident'], name='r')[1]}")
    seen = resident.get("/api/cases/").json()["results"]
    if seen:
        move = resident.post(f"/api/cases/{seen[0]['id']}/moves/accept/", {"version": seen[0]["version"]},
                             content_type="application/json")
        shaped(move, 403 if move.status_code == 403 else 404, "permission_denied" if move.status_code == 403
               else "not_found")


def test_an_unexpected_error_is_a_json_500_and_is_logged(english, monkeypatch, caplog):
    from lianxin.api.rest import views

    def broken(*args, **kwargs):
        raise RuntimeError("the statistics engine fell over")

    monkeypatch.setattr(views, "compute", broken)
    body = shaped(english.get("/api/cases/stats/"), 500, "server_error")
    assert "fell over" not in body["detail"]  # nothing of the internals
    assert any("fell over" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)


def test_a_500_outside_the_views_is_json_under_api_and_a_page_elsewhere(world, monkeypatch, settings):
    from lianxin.api.rest import errors

    settings.DEBUG = False
    request = type("R", (), {"path": "/api/cases/"})()
    response = errors.server_error(request)
    assert response.status_code == 500 and response["Content-Type"] == "application/json"
    from django.test import RequestFactory

    page = errors.server_error(RequestFactory().get("/cases/"))
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")


def test_unknown_fields_are_refused_by_name(english, world):
    body = shaped(english.post("/api/cases/", {"category": "0102", "description": "x", "padding": "y" * 1000,
                                               "titel": "typo"}, content_type="application/json"), 400, "invalid")
    assert set(body["errors"]) == {"padding", "titel"}
    assert body["errors"]["titel"] == ["This field is not part of the request."]
    case = world.cases["3708010101"]
    body = shaped(english.post(f"/api/cases/{case.pk}/moves/accept/", {"version": case.version, "force": True},
                               content_type="application/json"), 400, "invalid")
    assert set(body["errors"]) == {"force"}


def test_a_body_over_the_bound_is_413_before_it_is_read(english, settings):
    settings.API_MAX_BODY_BYTES = 1024
    body = shaped(english.post("/api/cases/", {"category": "0102", "description": "x" * 2000},
                               content_type="application/json"), 413, "too_large")
    assert body["detail"] == "The request body is larger than 1 KB."
