"""Micro-wishes on the case engine: the loop with its permissions, the board's scoping, the counts."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lianxin.accounts import services as accounts
from lianxin.cases import services as cases
from lianxin.cases.models import Case, CaseEvent, Category, CloseResult, Stage
from lianxin.cases.services import MoveRefused
from lianxin.cases.types import TYPES, Move
from lianxin.core import clock
from lianxin.orgs import services as orgs
from lianxin.wishes import services
from lianxin.wishes.seed import CLASS_CODE

pytestmark = pytest.mark.django_db

HOME, FAR = "3708010101", "3708020101"
SECRET = "张奶奶 13912345678"  # the beneficiary: on the case page for staff, never on the board


@pytest.fixture
def vol(world):
    """Volunteers: one of a studio in the home community, one with no studio there, one in the other county."""
    out = {}
    for key, code in (("studio", HOME), ("far_studio", FAR)):
        out[key] = orgs.create_org(actor=None, parent=None, kind="social_org", name=f"志愿服务工作室 {code}",
                                   area=world.areas[code])
    out["home"] = accounts.create_account(actor=None, username="v_home", person=None, area=world.areas[HOME],
                                          grants=[("volunteer", {"area": world.areas[HOME]}),
                                                  ("volunteer", {"org": out["studio"]})])
    out["mate"] = accounts.create_account(actor=None, username="v_mate", person=None, area=world.areas[HOME],
                                          grants=[("volunteer", {"org": out["studio"]})])
    out["solo"] = accounts.create_account(actor=None, username="v_solo", person=None, area=world.areas[HOME],
                                          grants=[("volunteer", {"area": world.areas[HOME]})])
    out["far"] = accounts.create_account(actor=None, username="v_far", person=None, area=world.areas[FAR],
                                         grants=[("volunteer", {"area": world.areas[FAR]}),
                                                 ("volunteer", {"org": out["far_studio"]})])
    return out


@pytest.fixture
def posted(world):
    def make(title="想要一台收音机", accept=True):
        cat = Category.objects.get(full_code=f"{CLASS_CODE}01")
        case = services.post_wish(actor=world.users["community_staff"], category=cat, title=title,
                                  description=SECRET, area=world.areas[HOME]).case
        if accept:
            cases.accept(case, actor=world.users["community_staff"])
        case.refresh_from_db()
        return case

    return make


def test_type_and_categories_are_configured(world):
    assert "wish" in TYPES and TYPES["wish"].reporter_rates
    subs = Category.objects.filter(parent__full_code=CLASS_CODE)
    assert subs.count() == 5 and all(c.case_types == "wish" and not c.is_public for c in subs)
    with pytest.raises(ValidationError):  # a wish category is not for events
        cases.report(actor=world.accounts[HOME], type="event", category=subs[0], title="x", area=world.areas[HOME])


def test_whole_loop(world, vol, posted, django_capture_on_commit_callbacks):
    u = world.users
    cat = Category.objects.get(full_code=f"{CLASS_CODE}02")
    with pytest.raises(MoveRefused):  # residents do not post wishes
        services.post_wish(actor=u["resident"], category=cat, title="陪同就医", area=world.areas[HOME])
    with pytest.raises(MoveRefused):  # nor staff of another place
        services.post_wish(actor=u["community_staff"], category=cat, title="陪同就医", area=world.areas[FAR])
    case = posted(accept=False)
    assert case.type == "wish" and case.stage == Stage.REPORTED and case.number[6:8] == CLASS_CODE
    with pytest.raises(MoveRefused):  # nothing to claim before the community accepts it
        services.claim_wish(case, volunteer=vol["home"])
    cases.accept(case, actor=u["community_staff"])
    case.refresh_from_db()

    with pytest.raises(MoveRefused):  # outside their area
        services.claim_wish(case, volunteer=vol["far"])
    with pytest.raises(MoveRefused):  # a studio member without an area grant does not claim
        services.claim_wish(case, volunteer=vol["mate"])
    with pytest.raises(MoveRefused):  # volunteers hold no dispatching rights of their own
        cases.dispatch(case, actor=vol["home"], lead=vol["far_studio"])
    assert Move.DISPATCH not in cases.available_moves(vol["home"], case)

    with django_capture_on_commit_callbacks(execute=True):
        services.claim_wish(case, volunteer=vol["home"], version=case.version)
    case.refresh_from_db()
    assert case.stage == Stage.HANDLING and case.lead_org == vol["studio"]
    claim_events = list(case.events.filter(kind__in=["dispatch", "handler_accept"]).values_list("kind", "actor"))
    assert claim_events == [("dispatch", vol["home"].pk), ("handler_accept", vol["home"].pk)]
    with pytest.raises(MoveRefused):  # taken already
        services.claim_wish(case, volunteer=vol["solo"])
    assert Case.objects.visible_to(vol["mate"]).filter(pk=case.pk).exists()  # the studio sees its wish

    with pytest.raises(MoveRefused):  # only the studio's people fulfil it
        cases.feedback(case, actor=vol["far"], note="已送达", photos=[world.files[HOME]])
    cases.feedback(case, actor=vol["mate"], note="收音机已送到", photos=[world.files[HOME]])
    case.refresh_from_db()
    assert case.stage == Stage.VERIFYING
    assert list(case.events.get(kind="feedback").attachments.all()) == [world.files[HOME]]

    with pytest.raises(MoveRefused):
        cases.verify(case, actor=vol["home"], passed=True)
    cases.verify(case, actor=u["community_staff"], passed=True)
    case.refresh_from_db()
    assert case.stage == Stage.CLOSED and case.close_result == CloseResult.FIXED

    with pytest.raises(MoveRefused):  # the poster rates on the beneficiary's behalf, not the volunteer
        cases.rate(case, actor=vol["home"], stars=5)
    cases.rate(case, actor=u["community_staff"], stars=5)
    case.refresh_from_db()
    assert case.rating == 5


def test_volunteer_without_studio_claims_in_person(world, vol, posted):
    case = posted()
    services.claim_wish(case, volunteer=vol["solo"])
    case.refresh_from_db()
    assert case.stage == Stage.HANDLING and case.lead_org is None
    assert case.assignments.get().user == vol["solo"]


def test_claim_needs_the_current_version(world, vol, posted):
    case = posted()
    with pytest.raises(ValidationError):
        services.claim_wish(case, volunteer=vol["home"], version=case.version - 1)
    case.refresh_from_db()
    assert case.stage == Stage.ACCEPTED and not case.assignments.exists()


def test_board_scoping_and_claim(world, vol, posted, client):
    case = posted()
    unaccepted = posted(title="想要一副老花镜", accept=False)
    client.force_login(vol["home"], backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("wishes:board")).content.decode()
    assert case.title in page and "甲一社区" in page and SECRET not in page
    assert unaccepted.title not in page  # not accepted yet
    assert world.cases[HOME].title not in page  # events are not wishes
    assert f'href="{reverse("cases:detail", args=[case.pk])}"' not in page  # no case page before claiming
    client.logout()

    client.force_login(vol["far"], backend="django.contrib.auth.backends.ModelBackend")
    assert case.title not in client.get(reverse("wishes:board")).content.decode()
    response = client.post(reverse("wishes:claim"), {"case": case.pk, "version": case.version})
    assert response.status_code == 404
    client.logout()

    client.force_login(vol["home"], backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(reverse("wishes:claim"), {"case": case.pk, "version": case.version})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.HANDLING and case.lead_org == vol["studio"]
    page = client.get(reverse("wishes:board")).content.decode()
    assert f'href="{reverse("cases:detail", args=[case.pk])}"' in page  # now theirs: on "open wishes"
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    assert client.get(reverse("wishes:claim")).status_code == 405
    client.logout()

    client.force_login(world.users["community_staff"], backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("wishes:board")).content.decode()
    assert f'href="{reverse("cases:detail", args=[unaccepted.pk])}"' in page
    response = client.post(reverse("wishes:claim"), {"case": unaccepted.pk})
    assert response.status_code == 404  # staff hold no claim right
    client.logout()


def test_counts(world, vol, posted, client):
    first, second = posted(), posted(title="想要上门理发")
    posted(title="想要一副老花镜", accept=False)
    services.claim_wish(first, volunteer=vol["home"])
    services.claim_wish(second, volunteer=vol["solo"])
    cases.feedback(first, actor=vol["home"], note="已完成", photos=[world.files[HOME]])
    cases.verify(first, actor=world.users["community_staff"], passed=True)
    now = clock.now()
    start, end = now - timedelta(days=1), now + timedelta(days=1)
    assert services.counts(world.areas["37080101"].path, start, end) == {"posted": 3, "claimed": 2, "fulfilled": 1}
    assert services.counts(world.areas["370802"].path, start, end) == {"posted": 0, "claimed": 0, "fulfilled": 0}
    assert services.counts(world.areas[HOME].path, now + timedelta(hours=1), end)["posted"] == 0
    assert CaseEvent.objects.filter(case__type="wish", kind="report").count() == 3

    client.force_login(world.users["town_staff"], backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("wishes:board"), {"end": (now + timedelta(days=1)).date().isoformat()})
    assert page.status_code == 200
    assert page.context["counts"]["total"] == {"posted": 3, "claimed": 2, "fulfilled": 1}
    rows = {a.code: c for a, c in page.context["counts"]["rows"]}
    assert rows[HOME]["posted"] == 3 and rows["3708010102"]["posted"] == 0
