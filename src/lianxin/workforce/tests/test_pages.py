"""Every page of the module renders for the roles that use it, in both languages."""

import pytest
from django.urls import reverse

from lianxin.core.tests.test_permission_matrix import home_url, routes

from .conftest import HOME


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_workforce_page_renders(world, client, language):
    client.cookies["django_language"] = language
    for role in ("administrator", "community_staff", "industry_committee_staff", "resident"):
        client.force_login(world.users[role], backend="django.contrib.auth.backends.ModelBackend")
        for name, (pattern, scope) in routes().items():
            if not name.startswith("workforce:"):
                continue
            response = client.get(home_url(world, name, pattern, scope))
            assert response.status_code in (200, 302, 403, 404, 405), f"{role} {name}: {response.status_code}"
            if role == "administrator":
                assert response.status_code in (200, 302, 405), f"{name}: {response.status_code}"


@pytest.mark.django_db
def test_list_query_count_does_not_grow_with_rows(world, client, django_assert_max_num_queries):
    client.force_login(world.users["administrator"], backend="django.contrib.auth.backends.ModelBackend")
    with django_assert_max_num_queries(20):
        assert client.get(reverse("workforce:list")).status_code == 200
    assert world.samples["workforce.worker"][HOME].name in client.get(reverse("workforce:list")).content.decode()
