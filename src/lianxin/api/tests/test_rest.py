"""The case REST API: the same visibility as the web, idempotent create, moves, cursor pagination, schema."""

import json
from datetime import timedelta

import pytest
import yaml
from django.core.management import call_command

from lianxin.api.models import ApiKey
from lianxin.cases.models import Case
from lianxin.core import clock

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    """A client calling as ``user``, through an API key (``token=True``) or a web session."""

    def as_user(user, token=True):
        client.logout()
        client.defaults.pop("HTTP_AUTHORIZATION", None)
        if token:
            _key, raw = ApiKey.issue(owner=user, name="t")
            client.defaults["HTTP_AUTHORIZATION"] = f"Token {raw}"
        else:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return as_user


def ids(response):
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("token", [True, False])
def test_visibility_is_the_webs(api, world, token):
    for role in ("resident", "community_staff", "county_staff", "department_handler"):
        user = world.users[role]
        client = api(user, token)
        visible = set(Case.objects.visible_to(user).values_list("pk", flat=True))
        assert ids(client.get("/api/cases/")) == visible, role
        sibling = world.cases["3708020101"]
        assert client.get(f"/api/cases/{sibling.pk}/").status_code == 404
        assert client.post(f"/api/cases/{sibling.pk}/moves/accept/", {"version": sibling.version},
                           content_type="application/json").status_code == 404


def test_detail_has_timeline_and_moves(api, world):
    case = world.cases["3708010101"]
    body = api(world.users["community_staff"]).get(f"/api/cases/{case.pk}/").json()
    assert body["number"] == case.number and body["stage"] == "reported"
    assert body["events"][0]["kind"] == "report"
    assert "accept" in body["available_moves"] and body["colour"] in ("blue", "yellow", "red")
    assert "phone" not in json.dumps(body)


def test_unauthenticated(client, world):
    assert client.get("/api/cases/").status_code == 401  # a browser too: JSON, never the HTML login page
    assert client.get("/api/cases/", HTTP_ACCEPT="application/json").status_code == 401
    assert client.get("/api/cases/", HTTP_AUTHORIZATION="Token nonsense").status_code == 401
    key, raw = ApiKey.issue(owner=world.users["county_staff"], name="t")
    key.revoke()
    assert client.get("/api/cases/", HTTP_AUTHORIZATION=f"Token {raw}").status_code == 401


def test_filters_and_cursor_pagination(api, world):
    client = api(world.users["administrator"])
    seen, url = [], "/api/cases/?page_size=3"
    while url:
        body = client.get(url).json()
        seen += [r["number"] for r in body["results"]]
        url = body["next"]
    assert len(seen) == 4 == len(set(seen))
    assert seen == list(Case.objects.order_by("-created_at", "-pk").values_list("number", flat=True))
    home = world.cases["3708010101"]
    assert ids(client.get("/api/cases/", {"q": home.number})) == {home.pk}
    assert ids(client.get("/api/cases/", {"area": world.areas["370802"].pk})) == {world.cases["3708020101"].pk}
    assert len(ids(client.get("/api/cases/", {"stage": "reported", "category": "01", "open": "true"}))) == 4
    assert client.get("/api/cases/", {"stage": "nonsense"}).status_code == 400
    staff = api(world.users["community_staff"])
    assert staff.get("/api/cases/", {"area": world.areas["370802"].pk}).status_code == 400  # not visible


def test_idempotent_create(api, world):
    client = api(world.users["resident"])
    body = {"category": "0102", "description": "垃圾桶满了", "lng": 116.05, "lat": 35.2}
    first = client.post("/api/cases/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1")
    assert first.status_code == 201, first.content
    again = client.post("/api/cases/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1")
    assert again.status_code == 200 and again.json()["number"] == first.json()["number"]
    other = client.post("/api/cases/", {**body, "description": "别的"}, content_type="application/json",
                        HTTP_IDEMPOTENCY_KEY="k1")
    assert other.status_code == 400
    assert Case.objects.filter(number=first.json()["number"]).count() == 1
    assert client.post("/api/cases/", {**body, "category": "1101"}, content_type="application/json").status_code == 400
    assert client.post("/api/cases/", {**body, "lng": 100.0}, content_type="application/json").status_code == 400
    assert client.post("/api/cases/", {"description": "x"}, content_type="application/json").status_code == 400


def test_create_needs_the_add_right(api, world):
    client = api(world.users["department_handler"])
    response = client.post("/api/cases/", {"category": "0102", "lng": 116.05, "lat": 35.2},
                           content_type="application/json")
    assert response.status_code in (201, 403)  # whatever the role registry says, as on the web
    from lianxin.core.visibility import may_anywhere

    assert (response.status_code == 201) == may_anywhere(world.users["department_handler"], Case, "add")


def test_moves(api, world):
    case = world.cases["3708010101"]
    url = f"/api/cases/{case.pk}/moves/accept/"
    reporter = api(world.accounts["3708010101"])  # sees the case, may not accept it
    assert reporter.get(f"/api/cases/{case.pk}/").status_code == 200
    assert reporter.post(url, {"version": case.version}, content_type="application/json").status_code == 403
    staff = api(world.users["community_staff"])
    assert staff.get(url).status_code == 405
    assert staff.post(url, {}, content_type="application/json").status_code == 400  # no version
    assert staff.post(url, {"version": case.version + 5}, content_type="application/json").status_code == 409
    response = staff.post(url, {"version": case.version, "note": "收到"}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["case"]["stage"] == "accepted" and response.json()["event"] == "accept"
    again = staff.post(url, {"version": response.json()["case"]["version"]}, content_type="application/json")
    assert again.status_code == 403 and again.json()["detail"]
    refuse = staff.post(f"/api/cases/{case.pk}/moves/nonsense/", {"version": 1}, content_type="application/json")
    assert refuse.status_code == 404
    # A move with its own fields: close without a fix needs a result and a reason.
    version = response.json()["case"]["version"]
    close = f"/api/cases/{case.pk}/moves/close_without_fix/"
    assert staff.post(close, {"version": version, "note": "重复"}, content_type="application/json").status_code == 400
    done = staff.post(close, {"version": version, "note": "重复", "result": "duplicate"},
                      content_type="application/json")
    assert done.status_code == 200 and done.json()["case"]["stage"] == "closed"


def test_stats(api, world):
    client = api(world.users["county_staff"])
    today = clock.today()
    response = client.get("/api/cases/stats/", {"area": world.areas["370801"].pk,
                                                "start": (today - timedelta(days=30)).isoformat(),
                                                "end": (today + timedelta(days=1)).isoformat()})
    assert response.status_code == 200 and response.json()["figures"]["reported"] == 3
    assert client.get("/api/cases/stats/", {"area": world.areas["370802"].pk}).status_code == 404
    assert client.get("/api/cases/stats/", {"start": "junk"}).status_code == 400


def test_schema_validates(client, world, tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    assert {"/api/cases/", "/api/cases/{id}/", "/api/cases/{id}/moves/{name}/", "/api/cases/stats/"} <= set(
        schema["paths"])
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert yaml.safe_load(response.content)["openapi"].startswith("3.")


def test_api_key_command(world, capsys):
    call_command("api_key", "create", "--user", world.users["county_staff"].username, "--name", "gis")
    raw = capsys.readouterr().out.strip()
    key = ApiKey.find(raw)
    assert key.owner == world.users["county_staff"] and key.key_digest != raw and raw not in key.prefix * 2
    call_command("api_key", "revoke", "--name", "gis")
    assert ApiKey.find(raw) is None


def test_a_resident_may_not_set_the_urgency(api, world):
    """The web form offers residents no urgency; the API refuses it too, naming the field, and files nothing."""
    client = api(world.users["resident"])
    body = {"category": "0102", "description": "垃圾桶满了", "lng": 116.05, "lat": 35.2, "urgency": "urgent"}
    before = Case.objects.count()
    response = client.post("/api/cases/", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and response.json()["field"] == "urgency", response.content
    assert "urgency" in response.json()["errors"]
    assert Case.objects.count() == before
    staff = api(world.users["community_staff"])
    assert staff.post("/api/cases/", body, content_type="application/json").status_code == 201
