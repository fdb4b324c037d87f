import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_refusals_are_pages_in_the_users_language(world, persona_client, settings):
    settings.DEBUG = False
    client = persona_client("community_staff")
    response = client.get(reverse("workdays:calendar"))
    assert response.status_code == 403 and "无权访问" in response.content.decode()
    response = client.get(reverse("people:detail", args=[world.people["3708020101"].pk]))
    assert response.status_code == 404 and "页面不存在" in response.content.decode()
    client.cookies["django_language"] = "en"
    assert "Not allowed" in client.get(reverse("workdays:calendar")).content.decode()
