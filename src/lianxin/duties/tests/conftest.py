import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from lianxin.accounts import services as accounts
from lianxin.people import services as people

SH = ZoneInfo("Asia/Shanghai")


def at(y, m, d, h=9, mi=0, s=0):
    """A moment in Asia/Shanghai."""
    return dt.datetime(y, m, d, h, mi, s, tzinfo=SH)


@pytest.fixture
def travel(time_machine):
    def go(moment):
        time_machine.move_to(moment, tick=False)

    return go


@pytest.fixture
def retiree(world):
    n = iter(range(1, 1000))

    def make(code="3708010101", name=None):
        return people.create_person(actor=None, name=name or f"离退休干部 {code}-{next(n)}",
                                    area=world.areas[f"{code}-G"], kinds=["retired_cadre"])

    return make


@pytest.fixture
def carer(world):
    return world.users["grid_worker"]


@pytest.fixture
def carer_b(world):
    person = people.create_person(actor=None, name="关爱干部 乙", area=world.areas["3708010201"], kinds=["care_cadre"])
    return accounts.create_account(actor=None, username="carer_b", person=person, area=world.areas["3708010201"])


@pytest.fixture
def admin(world):
    return world.users["administrator"]
