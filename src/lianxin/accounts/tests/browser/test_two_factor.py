"""Two-step sign-in in the browser: a county official sets up an authenticator on a phone, keeps the recovery
codes, and signs in again with a code."""

from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from lianxin.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code_from(secret: str, step_offset: int = 0) -> str:
    key = b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    totp = TOTP(key, drift=step_offset)
    return f"{totp.token():06d}"


def password_step(page, url, username):
    page.goto(url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("form[action$='/accounts/login/'] button[type=submit]")


def test_county_official_enrols_then_signs_in_with_a_code(page_of, world, live_server):
    user = world.users["county_staff"]
    TOTPDevice.objects.filter(user=user).delete()
    page = page_of("phone")
    password_step(page, live_server.url, user.username)
    assert page.url.endswith("/accounts/two-factor/setup/")
    page.goto(live_server.url + "/people/")  # nothing else opens before the set-up is done
    assert page.url.endswith("/accounts/two-factor/setup/")
    assert page.locator("img.qr").evaluate("i => i.naturalWidth") > 0
    secret = page.inner_text("#totp-secret")
    page.fill("#id_token", code_from(secret))
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.locator("#recovery-codes li").count() == 10
    with page.expect_navigation():
        page.click("main .actions a.btn")  # Continue
    page.goto(live_server.url + "/people/")
    assert page.url.endswith("/people/")
    page.click("form[action$='/accounts/logout/'] button")
    password_step(page, live_server.url, user.username)
    assert page.url.endswith("/accounts/two-factor/")
    page.fill("#id_token", code_from(secret, step_offset=1))  # the next step's code: the first one is spent
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "/accounts/" not in page.url
    page.goto(live_server.url + "/people/")
    assert page.url.endswith("/people/")
