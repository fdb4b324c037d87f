"""A rider raises an appeal (诉求) on a 390×844 phone, and it routes through the chain."""

import os

import pytest

from lianxin.cases import services
from lianxin.cases.models import Case, Nature

from .test_quick_report import HERE, no_horizontal_overflow, open_report, sent_number

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_rider_files_an_appeal_on_a_phone_and_it_routes_through_the_chain(phone, sign_in, world):
    page = open_report(phone, sign_in, world, geolocation=HERE)
    assert page.viewport_size == {"width": 390, "height": 844}
    page.wait_for_selector("#qr-loc-status.ok")
    assert page.is_hidden("#qr-step-nature")  # a problem report has no nature
    events_only = page.locator("label.qr-cat:visible").count()
    page.check("input[name=type][value=appeal]")
    page.wait_for_selector("#qr-step-nature:not([hidden])")
    assert page.locator("label.qr-cat:visible").count() != events_only  # the categories offered for appeals
    page.click("label.qr-cat:has-text('新就业群体权益')")  # offered for appeals only
    page.click("label.qr-nature:has-text('求助')")
    page.fill("#qr-desc", "配送超时被罚款，申诉无门 appeal-test")
    page.check("#qr-consent")
    assert no_horizontal_overflow(page)
    assert page.locator("#qr-nearby").is_hidden()  # appeals are personal: no duplicate list
    page.click("#qr-send")
    case = Case.objects.get(number=sent_number(page))
    assert (case.type, case.nature, case.category.full_code) == ("appeal", Nature.HELP, "0902")
    assert case.reporter == world.users["resident"] and case.area == world.areas["3708010101-G"]
    assert page.is_hidden("#qr-step-nature")  # the form is ready for the next report

    u = world.users
    services.accept(case, actor=u["org_department"])  # 两新工委
    services.dispatch(case, actor=u["org_department"], lead=world.orgs["industry-370801"])  # the industry committee
    services.handler_accept(case, actor=u["industry_committee_staff"])
    services.redispatch(case, actor=u["industry_committee_staff"], to=world.orgs["firm-3708010101"])  # the firm
    case.refresh_from_db()
    assert case.lead_org == world.orgs["firm-3708010101"]
    page.goto(page.url.split("/cases/")[0] + "/cases/mine/")
    assert case.number in page.inner_text("body")
