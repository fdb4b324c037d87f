import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_render_for_county_staff(world, persona_client):
    client = persona_client("county_staff")
    talent = world.samples["talent.talent"]["3708010101"]
    for name, args in [("talent:list", []), ("talent:detail", [talent.pk]), ("talent:demands", []),
                       ("talent:events", []), ("talent:apartments", []), ("talent:rounds", []),
                       ("talent:money", []), ("talent:stats", []), ("talent:create", []), ("talent:import", [])]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
