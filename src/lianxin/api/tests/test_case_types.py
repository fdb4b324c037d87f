"""Appeals and hazards through REST, appeals through Open311: the same intake as the web."""

import json

import pytest
import yaml
from django.core.management import call_command

from lianxin.api.models import ApiKey
from lianxin.cases.models import Case, HazardLevel, Nature

pytestmark = pytest.mark.django_db
OPEN311 = "/open311/v2/"


@pytest.fixture
def api(client):
    def as_user(user):
        _key, raw = ApiKey.issue(owner=user, name="t")
        client.defaults["HTTP_AUTHORIZATION"] = f"Token {raw}"
        return client

    return as_user


def create(client, **body):
    client.cookies["django_language"] = "en"
    return client.post("/api/cases/", {"lng": 116.05, "lat": 35.2, **body}, content_type="application/json")


def test_rest_files_an_appeal_with_its_nature(api, world):
    client = api(world.users["resident"])
    response = create(client, type="appeal", category="0902", nature="help", description="电动车被扣，求助")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["type"], body["nature"], body["title"]) == ("appeal", "help", "电动车被扣，求助")
    refused = create(client, type="appeal", category="0902")
    assert refused.status_code == 400 and refused.json()["field"] == "nature"
    assert create(client, type="event", category="0902").status_code == 400  # appeal-only category
    assert create(client, category="0102", nature="help").json()["field"] == "nature"  # events have none


def test_rest_files_hazards_for_staff_and_grid_workers_only(api, world):
    resident = create(api(world.users["resident"]), type="hazard", category="0704")
    assert resident.status_code == 400 and resident.json()["field"] == "type"
    worker = create(api(world.users["grid_worker"]), type="hazard", category="0704", hazard_level="major",
                    title="锅炉房无人值守")
    assert worker.status_code == 201, worker.content
    case = Case.objects.get(number=worker.json()["number"])
    assert (case.type, case.hazard_level) == ("hazard", HazardLevel.MAJOR)
    # Non-public categories used for hazards are open to staff through REST.
    rectify = create(api(world.users["community_staff"]), type="hazard", category="2002", title="整改")
    assert rectify.status_code == 201 and rectify.json()["hazard_level"] == "general"


def test_rest_one_limit_for_descriptions(api, world):
    client = api(world.users["resident"])
    too_long = create(client, category="0102", description="x" * 2001)
    assert too_long.status_code == 400 and too_long.json()["field"] == "description"
    assert create(client, category="0102", description="x" * 2000).status_code == 201


def test_openapi_describes_the_types(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(out), "--validate")
    schema = yaml.safe_load(out.read_text())
    create_schema = schema["components"]["schemas"]["CaseCreate"]["properties"]
    assert {"type", "nature", "hazard_level"} <= set(create_schema)
    enums = json.dumps(schema["components"]["schemas"])
    for value in ("appeal", "hazard", "whistleblow", "major"):
        assert value in enums


def open311_post(client, **data):
    client.cookies["django_language"] = "en"
    return client.post(OPEN311 + "requests.json", data)


def test_open311_files_an_appeal_but_never_publishes_it(client, world, api_key):
    response = open311_post(client, api_key=api_key, service_code="0902", case_type="appeal", nature="complaint",
                            lat="35.2", long="116.05", description="站点拖欠配送费")
    assert response.status_code == 201, response.content
    number = json.loads(response.content)[0]["service_request_id"]
    case = Case.objects.get(number=number)
    assert (case.type, case.nature) == ("appeal", Nature.COMPLAINT)
    services = {s["service_code"] for s in json.loads(client.get(OPEN311 + "services.json").content)}
    assert "0902" in services  # offered for appeals
    assert client.get(f"{OPEN311}requests/{number}.json").status_code == 404  # appeals concern their reporter


def test_open311_appeal_and_type_errors(client, world, api_key):
    def error(**data):
        response = open311_post(client, api_key=api_key, lat="35.2", long="116.05", **data)
        assert response.status_code == 400, response.content
        return json.loads(response.content)[0]["description"]

    assert "nature" in error(service_code="0902", case_type="appeal")
    assert "case_type" in error(service_code="0704", case_type="hazard")  # hazards are not filed by the public
    error(service_code="0902")  # an appeal-only service filed as an event
    assert "2000" in error(service_code="0102", description="x" * 2001)
