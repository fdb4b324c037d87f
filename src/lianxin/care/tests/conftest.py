import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from lianxin.accounts import services as accounts
from lianxin.care import services as care
from lianxin.people import services as people
from lianxin.testing import PASSWORD

SH = ZoneInfo("Asia/Shanghai")


def at(y, m, d, h=9, mi=0):
    return dt.datetime(y, m, d, h, mi, tzinfo=SH)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def travel(time_machine):
    def go(moment):
        time_machine.move_to(moment, tick=False)

    return go


def make_user(world, username, role, code):
    person = people.create_person(actor=None, name=f"{role} {username}", area=world.areas[code], kinds=[role])
    return accounts.create_account(actor=None, username=username, person=person, area=world.areas[code],
                                   password=PASSWORD, grants=[(role, {"area": world.areas[code]})])


@pytest.fixture
def cadre(world):
    return make_user(world, "cadre_a", "care_cadre", "3708010101")


@pytest.fixture
def cadre_b(world):
    return make_user(world, "cadre_b", "care_cadre", "3708010201")


@pytest.fixture
def doctor(world):
    return make_user(world, "doctor_a", "family_doctor", "3708010101")


@pytest.fixture
def retiree(world, cadre, doctor):
    n = iter(range(1, 1000))

    def make(code="3708010101", carer=None, **flags):
        person = people.create_person(actor=None, name=f"离退休干部 {code}-{next(n)}", area=world.areas[f"{code}-G"])
        return care.create_retiree(actor=world.users["administrator"], person=person, care_cadre=carer or cadre,
                                   family_doctor=doctor, former_post="处长", **flags)

    return make
