"""Two-step sign-in: required for county and city roles and administrators, optional for others, recovery codes,
an audited reset by an administrator, and no way around the second step."""

from datetime import timedelta

import pytest
import time_machine
from auditlog.models import LogEntry
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from lianxin.accounts import twofactor
from lianxin.core import clock
from lianxin.testing import PASSWORD, totp_code

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
STEP = reverse("accounts:two_factor")
SETUP = reverse("accounts:two_factor_setup")


def signed_in(client) -> bool:
    return client.get(reverse("core:home")).status_code == 200 and "_auth_user_id" in client.session


def code_for(device) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def test_required_roles(world):
    assert twofactor.required_for(world.users["county_staff"]) and twofactor.required_for(world.users["org_department"])
    assert twofactor.required_for(world.users["administrator"])
    assert not twofactor.required_for(world.users["community_staff"])
    assert not twofactor.required_for(world.users["grid_worker"])


def test_a_password_alone_does_not_sign_in_a_county_account(world, client):
    username = world.users["county_staff"].username
    response = client.post(LOGIN, {"username": username, "password": PASSWORD})
    assert response["Location"] == STEP
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("people:list")).status_code == 302  # still signed out
    assert client.post(STEP, {"token": "000000"}).status_code == 400 and "_auth_user_id" not in client.session
    # django-otp throttles the device after a failure (1 s, doubling): the right code a moment later works
    with time_machine.travel(clock.now() + timedelta(seconds=2)):
        response = client.post(STEP, {"token": totp_code(username)})
        assert response.status_code == 302 and signed_in(client)


def test_a_code_is_accepted_once(world, client):
    username = world.users["county_staff"].username
    code = totp_code(username)
    client.post(LOGIN, {"username": username, "password": PASSWORD})
    assert client.post(STEP, {"token": code}).status_code == 302
    client.post(reverse("accounts:logout"))
    client.post(LOGIN, {"username": username, "password": PASSWORD})
    assert client.post(STEP, {"token": code}).status_code == 400  # replayed


def test_the_second_step_needs_the_password_first(world, client):
    assert client.get(STEP)["Location"] == LOGIN
    assert client.post(STEP, {"token": totp_code(world.users["county_staff"].username)})["Location"] == LOGIN
    assert "_auth_user_id" not in client.session


def test_wrong_codes_are_throttled(world, client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the platform's own counter, not the device's back-off, is tested here
    username = world.users["county_staff"].username
    client.post(LOGIN, {"username": username, "password": PASSWORD})
    for _ in range(11):
        client.post(STEP, {"token": "123456"})
    response = client.post(STEP, {"token": totp_code(username)})
    text = response.content.decode()
    assert "Too many failed sign-in attempts" in text or "失败次数过多" in text
    assert "_auth_user_id" not in client.session


def test_a_required_role_without_an_authenticator_enrols_before_anything_else(world, client):
    user = world.users["county_staff"]
    TOTPDevice.objects.filter(user=user).delete()
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response["Location"] == SETUP
    assert client.get(reverse("people:list"))["Location"] == SETUP  # every page leads to the set-up
    page = client.get(SETUP).content.decode()
    assert "data:image/svg+xml" in page and 'id="totp-secret"' in page
    assert "Lianxin" in twofactor.otpauth_url(twofactor.pending_device(user))
    assert client.post(SETUP, {"token": "000000"}).status_code == 200
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    with time_machine.travel(clock.now() + timedelta(seconds=2)):
        response = client.post(SETUP, {"token": code_for(twofactor.pending_device(user))})
    codes = [c for c in response.content.decode().split("<code>")[1:]]
    assert len(codes) == twofactor.RECOVERY_CODES
    assert client.get(reverse("people:list")).status_code == 200  # free to go on


def test_an_optional_account_signs_in_with_its_password_and_may_turn_the_second_step_on(world, client):
    user = world.users["community_staff"]
    assert client.post(LOGIN, {"username": user.username, "password": PASSWORD})["Location"] == reverse("core:home")
    codes = twofactor.confirm(user, code_for(twofactor.pending_device(user)))
    assert codes and len(set(codes)) == twofactor.RECOVERY_CODES
    client.post(reverse("accounts:logout"))
    assert client.post(LOGIN, {"username": user.username, "password": PASSWORD})["Location"] == STEP


def test_a_recovery_code_signs_in_once(world, client):
    user = world.users["county_staff"]
    codes = twofactor.new_recovery_codes(user)
    client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert client.post(STEP, {"token": codes[0]}).status_code == 302 and signed_in(client)
    client.post(reverse("accounts:logout"))
    client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert client.post(STEP, {"token": codes[0]}).status_code == 400
    with time_machine.travel(clock.now() + timedelta(seconds=2)):  # past the device's back-off after a failure
        assert client.post(STEP, {"token": codes[1]}).status_code == 302


def test_an_administrator_resets_a_lost_phone_and_it_is_audited(world, client):
    owner, admin = world.users["county_staff"], world.users["administrator"]
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("accounts:two_factor_reset", args=[owner.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert not TOTPDevice.objects.filter(user=owner).exists()
    entry = LogEntry.objects.get_for_object(owner).filter(changes__icontains="two_factor").get()
    assert entry.actor == admin
    client.post(reverse("accounts:logout"))
    assert client.post(LOGIN, {"username": owner.username, "password": PASSWORD})["Location"] == SETUP
    # a community staff member may not reset another's second factor
    client.force_login(world.users["community_staff"], backend="django.contrib.auth.backends.ModelBackend")
    assert client.post(reverse("accounts:two_factor_reset", args=[admin.pk])).status_code in (403, 404)
