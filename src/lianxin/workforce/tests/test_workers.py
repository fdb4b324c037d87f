"""Worker profiles and part-time grid workers: linking grants the grid role, unlinking ends it, history kept."""

import pytest
from django.urls import reverse

from lianxin.accounts.models import RoleGrant, User
from lianxin.cases import services as cases
from lianxin.cases.models import Case
from lianxin.cases.targets import dispatch_people
from lianxin.workforce import services
from lianxin.workforce.models import GridLink, Worker

from .conftest import HOME, SIBLING


@pytest.mark.django_db
def test_linking_a_part_time_grid_worker_grants_the_grid_and_its_tasks(world, login):
    worker = world.samples["workforce.worker"][HOME]
    grid, case = world.areas[f"{HOME}-G"], world.cases[HOME]
    staff = world.users["community_staff"]
    response = login(staff).post(reverse("workforce:grid", args=[worker.pk]), {"grid": grid.code, "note": "兼职"})
    assert response.status_code == 302
    user = User.objects.get(person=worker.person)  # an account was made for the rider's mobile number
    assert RoleGrant.objects.filter(user=user, role="grid_worker", area=grid).exists()
    assert Case.objects.visible_to(user).filter(pk=case.pk).exists()
    assert user in dispatch_people(case)
    case = cases.accept(case, actor=staff).case
    cases.dispatch(case, actor=staff, lead=user)
    page = login(user).get(reverse("cases:tasks")).content.decode()
    assert case.number in page
    # Unlinking ends the grant; the link stays as history.
    response = login(staff).post(reverse("workforce:grid", args=[worker.pk]), {"grid": ""})
    assert response.status_code == 302
    assert not RoleGrant.objects.filter(user=user, role="grid_worker").exists()
    link = GridLink.objects.get(worker=worker)
    assert link.ended_at is not None and link.grid == grid and link.grant is None
    user = User.objects.get(pk=user.pk)
    assert user not in dispatch_people(case)
    detail = login(staff).get(reverse("workforce:detail", args=[worker.pk])).content.decode()
    assert grid.name in detail


@pytest.mark.django_db
def test_an_existing_grid_grant_survives_the_link_ending(world):
    worker = world.samples["workforce.worker"][HOME]
    grid = world.areas[f"{HOME}-G"]
    user = services.ensure_account(worker.person, actor=None)
    from lianxin.accounts.services import grant_role

    grant_role(actor=None, user=user, role="grid_worker", area=grid)
    link = services.link_grid(worker, actor=None, grid=grid)
    assert link.grant is None
    services.unlink_grid(worker, actor=None)
    assert RoleGrant.objects.filter(user=user, role="grid_worker", area=grid).exists()


@pytest.mark.django_db
def test_linking_needs_a_grid_and_a_mobile_number(world):
    from django.core.exceptions import ValidationError

    worker = world.samples["workforce.worker"][HOME]
    with pytest.raises(ValidationError):
        services.link_grid(worker, actor=None, grid=world.areas[HOME])
    worker.person.phone = None
    worker.person.save()
    with pytest.raises(ValidationError):
        services.link_grid(worker, actor=None, grid=world.areas[f"{HOME}-G"])
    assert not GridLink.objects.exists()


@pytest.mark.django_db
def test_staff_create_a_profile_and_the_list_filters(world, login, member):
    client = login(world.users["community_staff"])
    response = client.post(reverse("workforce:create"), {
        "person": member.phone, "org": world.orgs[f"firm-{HOME}"].name, "branch": "东站",
        "is_collector": "on"})
    worker = Worker.objects.get(person=member)
    assert response.status_code == 302 and worker.area == world.areas[HOME] and worker.branch_name == "东站"
    page = client.get(reverse("workforce:list"), {"party": "1"}).content.decode()
    assert reverse("workforce:detail", args=[worker.pk]) in page
    assert reverse("workforce:detail", args=[world.samples["workforce.worker"][HOME].pk]) not in page
    page = client.get(reverse("workforce:list"), {"role": "collector", "q": "党员"}).content.decode()
    assert reverse("workforce:detail", args=[worker.pk]) in page
    # A second profile for the same person is refused and nothing changes.
    response = client.post(reverse("workforce:create"), {"person": member.phone,
                                                         "org": world.orgs[f"firm-{HOME}"].name})
    assert response.status_code == 200 and Worker.objects.filter(person=member).count() == 1
    assert "already has a worker profile" in response.content.decode()


@pytest.mark.django_db
def test_industry_committee_sees_the_workers_of_its_firms_only(world):
    industry = world.users["industry_committee_staff"]
    seen = set(Worker.objects.visible_to(industry).values_list("area__code", flat=True))
    assert seen == {HOME, SIBLING, "3708010201"}
    community = world.users["community_staff"]
    assert set(Worker.objects.visible_to(community).values_list("area__code", flat=True)) == {HOME}
    assert not Worker.objects.visible_to(world.users["station_manager"]).exists()


@pytest.mark.django_db
def test_a_rider_sees_their_own_page(world, login, member):
    worker = services.create_worker(actor=None, person=member, org=world.orgs[f"firm-{HOME}"], is_promoter=True)
    user = User.objects.get(person=member)
    page = login(user).get(reverse("workforce:me")).content.decode()
    assert world.orgs[f"firm-{HOME}"].name in page
    assert login(user).get(reverse("workforce:detail", args=[worker.pk])).status_code == 200
    other = world.samples["workforce.worker"][HOME]
    assert login(user).get(reverse("workforce:detail", args=[other.pk])).status_code == 404


@pytest.mark.django_db
def test_industry_committee_registers_a_rider_of_its_firm(world, login, member):
    client = login(world.users["industry_committee_staff"])
    response = client.post(reverse("workforce:create"), {
        "person": member.phone, "org": world.orgs[f"firm-{HOME}"].name, "area": SIBLING})
    assert response.status_code == 302
    assert Worker.objects.get(person=member).area == world.areas[SIBLING]
    # A firm of another county's committee is not found, and nothing is written.
    other = world.orgs["firm-3708020101"].name
    response = client.post(reverse("workforce:create"), {"person": world.people[HOME].phone, "org": other})
    assert response.status_code == 200 and "No such organisation" in response.content.decode()
