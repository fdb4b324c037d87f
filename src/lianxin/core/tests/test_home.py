import pytest
from django.urls import reverse


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["resident", "grid_worker", "community_staff", "town_staff", "county_staff",
                                  "department_handler", "industry_committee_staff", "org_department",
                                  "administrator"])
def test_my_work_page_for_every_role(world, persona_client, role, django_assert_max_num_queries):
    client = persona_client(role)
    with django_assert_max_num_queries(40):
        response = client.get(reverse("core:home"))
    assert response.status_code == 200
    page = response.content.decode()
    if role in ("resident", "grid_worker"):
        assert reverse("cases:report") in page
    if role == "community_staff":
        assert reverse("cases:board") + "?stage=reported" in page
    if role == "grid_worker":
        assert reverse("cases:tasks") in page
