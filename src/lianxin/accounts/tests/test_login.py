"""Signing in through the real views: passwords with django-axes lockout, and phone + SMS code."""

import html
import logging
import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lianxin.accounts.models import RoleGrant, SmsCode, User
from lianxin.people.models import Person
from lianxin.testing import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
SMS = reverse("accounts:sms_login")
PHONE = "13700001234"


@pytest.fixture
def en_client(client):
    client.cookies["django_language"] = "en"
    return client


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def logged_in_user(client):
    from django.contrib.auth import get_user

    user = get_user(client)
    return user if user.is_authenticated else None


# --- password -----------------------------------------------------------------------------------

def test_password_login(world, en_client):
    response = en_client.post(LOGIN, {"username": "p_community", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert logged_in_user(en_client) == world.users["community_staff"]
    assert en_client.get(reverse("core:home")).status_code == 200


def test_password_login_keeps_a_safe_next_only(world, en_client):
    response = en_client.post(LOGIN, {"username": "p_community", "password": PASSWORD, "next": "/inbox/"})
    assert response["Location"] == "/inbox/"
    en_client.logout()
    response = en_client.post(LOGIN, {"username": "p_community", "password": PASSWORD,
                                      "next": "https://evil.example/"})
    assert response["Location"] == reverse("core:home")


def test_wrong_password_is_refused(world, en_client):
    response = en_client.post(LOGIN, {"username": "p_community", "password": "wrong-password-1"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in page_text(response)
    assert logged_in_user(en_client) is None


def test_five_wrong_passwords_lock_the_account_out(world, en_client):
    for i in range(5):
        response = en_client.post(LOGIN, {"username": "p_community", "password": f"wrong-password-{i}"})
        assert logged_in_user(en_client) is None
        if i < 4:
            assert response.status_code == 200
    response = en_client.post(LOGIN, {"username": "p_community", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed sign-in attempts. Please wait 15 minutes and try again." in page_text(response)
    assert logged_in_user(en_client) is None
    # another account from the same address is not locked (lockout is per username and address)
    response = en_client.post(LOGIN, {"username": "p_town", "password": PASSWORD})
    assert response.status_code == 302


def test_lockout_ends_after_the_cool_off(world, en_client):
    for i in range(5):
        en_client.post(LOGIN, {"username": "p_community", "password": f"wrong-password-{i}"})
    assert en_client.post(LOGIN, {"username": "p_community", "password": PASSWORD}).status_code == 429
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        response = en_client.post(LOGIN, {"username": "p_community", "password": PASSWORD})
        assert response.status_code == 302
        assert logged_in_user(en_client) == world.users["community_staff"]


def test_success_resets_the_failure_count(world, en_client):
    for i in range(4):
        en_client.post(LOGIN, {"username": "p_community", "password": f"wrong-password-{i}"})
    assert en_client.post(LOGIN, {"username": "p_community", "password": PASSWORD}).status_code == 302
    en_client.post(reverse("accounts:logout"))
    for i in range(4):
        en_client.post(LOGIN, {"username": "p_community", "password": f"wrong-password-{i}"})
    assert en_client.post(LOGIN, {"username": "p_community", "password": PASSWORD}).status_code == 302


# --- SMS code -----------------------------------------------------------------------------------

@pytest.fixture
def sms(en_client, caplog, django_capture_on_commit_callbacks):
    """Send a code through the view; return the code read from the SMS channel's log."""

    def send(phone=PHONE):
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="lianxin.notify"):
            with django_capture_on_commit_callbacks(execute=True):
                response = en_client.post(SMS, {"send": "1", "phone": phone})
        lines = [r.getMessage() for r in caplog.records if r.name == "lianxin.notify"]
        codes = [m.group(1) for line in lines if (m := re.search(r"(?<!\d)(\d{6})(?!\d)", line))]
        return response, lines, (codes[0] if codes else None)

    return send


def sms_login(client, code, phone=PHONE, consent=True):
    data = {"login": "1", "phone": phone, "code": code}
    if consent:
        data["consent"] = "on"
    return client.post(SMS, data)


def test_sms_login_registers_a_resident_then_reuses_the_account(world, en_client, sms, caplog):
    response, lines, code = sms()
    assert response.status_code == 200
    assert "A code has been sent by SMS. It is valid for 5 minutes." in page_text(response)
    assert len(lines) == 2 and code
    assert "137****1234" in lines[0]
    # The development backend writes the code once more on a marked line of its own.
    assert lines[1] == f"==== DEV SMS CODE for 137****1234: {code} ===="
    assert PHONE not in caplog.text  # the number is never logged
    assert code not in response.content.decode()  # the page never shows the code
    assert SmsCode.objects.count() == 1
    stored = SmsCode.objects.get()
    assert PHONE not in stored.phone_digest and code not in stored.code_digest

    response = sms_login(en_client, code)
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    user = logged_in_user(en_client)
    assert user is not None
    person = Person.objects.get(phone=PHONE)
    assert user.person == person
    assert person.kind_codes == ["resident"]
    assert list(RoleGrant.objects.filter(user=user).values_list("role", flat=True)) == ["resident"]
    assert not user.has_usable_password()
    assert SmsCode.objects.get().used_at is not None
    # the code is single-use
    en_client.post(reverse("accounts:logout"))
    response = sms_login(en_client, code)
    assert response.status_code == 200
    assert "The code is wrong or has expired" in page_text(response)

    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        _, _, code2 = sms("+86 137 0000 1234")  # the same number, written differently
        assert code2
        response = sms_login(en_client, code2, phone="137-0000-1234")
        assert response.status_code == 302
        assert logged_in_user(en_client) == user
    assert User.objects.filter(person__phone=PHONE).count() == 1
    assert Person.objects.filter(phone=PHONE).count() == 1


def test_sms_login_of_a_known_person_uses_their_registry_entry(world, en_client, sms):
    person = world.people["3708010101"]
    _, _, code = sms(person.phone)
    assert sms_login(en_client, code, phone=person.phone).status_code == 302
    user = logged_in_user(en_client)
    assert user.person == person
    assert RoleGrant.objects.get(user=user).area == person.area


def test_five_wrong_codes_invalidate_the_code(world, en_client, sms):
    _, _, code = sms()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        response = sms_login(en_client, wrong)
        assert response.status_code == 200
        assert "The code is wrong or has expired" in page_text(response)
    assert SmsCode.objects.get().attempts == 5
    response = sms_login(en_client, code)
    assert response.status_code == 200
    assert logged_in_user(en_client) is None
    assert not Person.objects.filter(phone=PHONE).exists()


def test_expired_code_is_refused(world, en_client, sms):
    _, _, code = sms()
    with time_machine.travel(timezone.now() + timedelta(minutes=5, seconds=1)):
        response = sms_login(en_client, code)
    assert response.status_code == 200
    assert "The code is wrong or has expired" in page_text(response)
    assert logged_in_user(en_client) is None


def test_code_within_its_lifetime_works(world, en_client, sms):
    _, _, code = sms()
    with time_machine.travel(timezone.now() + timedelta(minutes=4, seconds=50)):
        assert sms_login(en_client, code).status_code == 302


def test_resend_within_a_minute_is_refused(world, en_client, sms):
    _, _, first = sms()
    response, lines, second = sms()
    assert "A code was just sent to this number; please wait a minute before asking again." in page_text(response)
    assert lines == [] and second is None
    assert SmsCode.objects.count() == 1
    assert sms_login(en_client, first).status_code == 302  # the first code still works


@pytest.mark.parametrize("phone", ["12345678901", "1370000123", "abc", ""])
def test_invalid_phone_sends_nothing(world, en_client, sms, phone):
    response, lines, code = sms(phone)
    assert response.status_code == 200
    text = page_text(response)
    if phone:
        assert "is not a mainland mobile number (11 digits starting with 13–19)." in text
    else:
        assert "This field is required." in text
    assert lines == [] and code is None
    assert not SmsCode.objects.exists()


def test_consent_is_required(world, en_client, sms):
    _, _, code = sms()
    response = sms_login(en_client, code, consent=False)
    assert response.status_code == 200
    assert "This field is required." in page_text(response)
    assert logged_in_user(en_client) is None
    assert not Person.objects.filter(phone=PHONE).exists()
    assert SmsCode.objects.get().used_at is None
    assert sms_login(en_client, code).status_code == 302  # with consent the same code works


def test_sms_login_page_renders(en_client, db):
    response = en_client.get(SMS)
    assert response.status_code == 200
    assert 'name="consent"' in response.content.decode()


class GatewaySms:
    """A real gateway's adapter: it only sends the text."""

    sent = []

    def send_text(self, phone, text):
        self.sent.append((phone, text))


DEV_NOTICE_EN = "Development environment: the code is written to the server log."
DEV_NOTICE_ZH = "开发环境：验证码写在服务器日志中。"


def test_sms_login_page_says_where_the_development_code_is(en_client, db):
    assert DEV_NOTICE_EN in page_text(en_client.get(SMS))
    assert DEV_NOTICE_ZH in page_text(Client().get(SMS))  # Simplified Chinese by default


def test_with_a_gateway_no_notice_and_no_code_in_the_log(world, settings, en_client, sms, caplog):
    settings.NOTIFY_CHANNELS = {**settings.NOTIFY_CHANNELS, "sms": f"{__name__}.GatewaySms"}
    GatewaySms.sent.clear()
    assert DEV_NOTICE_EN not in page_text(en_client.get(SMS))
    response, lines, code = sms()
    assert "A code has been sent by SMS." in page_text(response)
    assert lines == [] and code is None and "DEV SMS CODE" not in caplog.text
    assert [phone for phone, _text in GatewaySms.sent] == [PHONE]


def test_wrong_codes_do_not_lock_out_other_people_behind_the_same_address(world, en_client, sms):
    """Many residents share a carrier's address: one person's wrong codes must not lock the others out."""
    for i in range(6):
        phone = f"1370000{i:04d}"
        with time_machine.travel(timezone.now() + timedelta(seconds=61 * i)):
            _, _, code = sms(phone)
            assert sms_login(en_client, "000000" if code != "000000" else "111111", phone=phone).status_code == 200
    _, _, code = sms("13800005678")
    response = sms_login(en_client, code, phone="13800005678")
    assert response.status_code == 302
    assert logged_in_user(en_client).person.phone == "13800005678"


def test_guessing_one_account_from_many_addresses_is_slowed(world, en_client):
    """30 wrong passwords from 6 addresses once let the 31st, right one in: now the account holds after 10."""
    for i in range(11):
        en_client.post(LOGIN, {"username": "p_community", "password": f"wrong-{i}"}, REMOTE_ADDR=f"10.0.0.{i % 6}")
    response = en_client.post(LOGIN, {"username": "P_Community", "password": PASSWORD}, REMOTE_ADDR="10.0.0.99")
    assert response.status_code == 429 and logged_in_user(en_client) is None
    assert "for this account or from this network" in page_text(response)
    # another account is untouched, and the window passes
    assert en_client.post(LOGIN, {"username": "p_town", "password": PASSWORD},
                          REMOTE_ADDR="10.0.0.99").status_code == 302
    en_client.post(reverse("accounts:logout"))
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert en_client.post(LOGIN, {"username": "p_community", "password": PASSWORD},
                              REMOTE_ADDR="10.0.0.99").status_code == 302


def test_guessing_many_accounts_from_one_address_is_slowed(world, en_client):
    for i in range(31):
        en_client.post(LOGIN, {"username": f"nobody{i}", "password": "wrong"}, REMOTE_ADDR="10.9.9.9")
    response = en_client.post(LOGIN, {"username": "p_community", "password": PASSWORD}, REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 429 and logged_in_user(en_client) is None
    assert en_client.post(LOGIN, {"username": "p_community", "password": PASSWORD},
                          REMOTE_ADDR="10.9.9.10").status_code == 302  # the owner, from elsewhere
