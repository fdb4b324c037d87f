"""The village pages: the visit form (a retried submission stores one visit), an answer filed as a case,
the pages of a first secretary and of staff, and flat query counts of the lists."""

import pytest
from django.urls import reverse

from lianxin.cases.models import Case
from lianxin.duties.models import DutyLog
from lianxin.villages import services
from lianxin.villages.models import Visit

from .conftest import HOME, login

pytestmark = pytest.mark.django_db


def test_a_retried_visit_is_stored_once(world, client, secretary, village, categories):
    household = services.create_household(actor=None, area=village, name="郑大哥", categories=[categories["lifted"]])
    login(client, secretary)
    url = reverse("villages:visit_create", args=[household.pk])
    assert client.get(url).status_code == 200
    data = {"key": "visit-key-1", "method": "visit", "visited_on": "", "q_hardship": "孩子上学路远",
            "device_time": "2026-12-02T05:00:00.000Z", "lng": "", "lat": ""}
    from lianxin.core import clock

    data["visited_on"] = clock.today().isoformat()
    first = client.post(url, data)
    assert first.status_code == 302, first.context["form"].errors
    second = client.post(url, data)
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert Visit.objects.filter(household=household).count() == 1
    assert DutyLog.objects.filter(kind=services.MUST_VISIT, notes="").count() >= 1
    visit = Visit.objects.get(household=household)
    answer = visit.answers.get()
    page = client.get(first["Location"])
    category = page.context["case_form"].fields["category"].queryset.first()
    response = client.post(reverse("villages:answer_case", args=[visit.pk]),
                           {"answer": answer.pk, "category": category.pk})
    assert response.status_code == 302
    case = Case.objects.get(source="visit", area=village)
    assert case.number in client.get(first["Location"]).content.decode()


@pytest.mark.parametrize("role", ["first_secretary", "county_staff"])
def test_pages_render(world, client, secretary, role):
    user = secretary if role == "first_secretary" else world.users[role]
    login(client, user)
    profile = world.samples["villages.villageprofile"][HOME]
    pages = [reverse("villages:list"), reverse("villages:detail", args=[profile.pk]),
             reverse("villages:coverage", args=[profile.pk]), reverse("villages:survey", args=[profile.pk]),
             reverse("villages:survey_history", args=[profile.pk]), reverse("villages:gaps"),
             reverse("villages:households") + f"?village={profile.area_id}", reverse("villages:dossiers"),
             reverse("villages:plans"), reverse("villages:projects"), reverse("villages:reports")]
    if role == "first_secretary":
        pages.append(reverse("villages:mine"))
    else:
        pages += [reverse("villages:terms"), reverse("villages:stats")]
    for url in pages:
        assert client.get(url).status_code == 200, url
    if role == "county_staff":
        export = client.get(reverse("villages:export"))
        assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_lists_have_flat_query_counts(world, client, village, categories, django_assert_max_num_queries):
    login(client, world.users["county_staff"])
    for i in range(5):
        services.create_household(actor=None, area=village, name=f"户{i}", categories=[categories["capable"]])
    for url in (reverse("villages:list"), reverse("villages:households"), reverse("villages:terms")):
        with django_assert_max_num_queries(25):
            assert client.get(url).status_code == 200


def test_configuration_changes_the_must_visit_duties(world, client, village, categories):
    household = services.create_household(actor=None, area=village, name="冯代表",
                                          categories=[categories["representative"]])
    assert services.running_plans(household).get().frequency == "quarterly"
    login(client, world.users["community_staff"])
    assert client.get(reverse("villages:config")).status_code == 403
    login(client, world.users["org_department"])
    page = client.get(reverse("villages:config"))
    assert page.status_code == 200
    data = {}
    for _title, formset in page.context["formsets"]:
        prefix = formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": str(formset.initial_form_count()),
                     f"{prefix}-INITIAL_FORMS": str(formset.initial_form_count()),
                     f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
        for i, form in enumerate(formset.forms):
            if form.instance.pk is None:
                continue
            data[f"{prefix}-{i}-id"] = str(form.instance.pk)
            for name in form.fields:
                if name == "id":
                    continue
                value = getattr(form.instance, name)
                if name == "active":
                    if value:
                        data[f"{prefix}-{i}-{name}"] = "on"
                    continue
                data[f"{prefix}-{i}-{name}"] = "" if value is None else str(value)
            if prefix == "c" and form.instance.code == "representative":
                data[f"{prefix}-{i}-frequency"] = "monthly"
    response = client.post(reverse("villages:config"), data)
    assert response.status_code == 302, [fs.errors for _t, fs in response.context["formsets"]]
    assert services.running_plans(household).get().frequency == "monthly"
