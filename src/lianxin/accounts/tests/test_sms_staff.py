import pytest
from django.db import transaction

from lianxin.accounts.backends import SmsCodeBackend
from lianxin.accounts.models import SmsCode
from lianxin.accounts.sms import _digest
from lianxin.people.services import update_person


def _code(settings, phone):
    from django.utils import timezone

    with transaction.atomic():
        SmsCode.objects.create(phone_digest=_digest(phone), code_digest=_digest(f"{phone}:123456"),
                               expires_at=timezone.now() + settings.SMS_CODE_TTL)


@pytest.mark.django_db
def test_an_sms_code_never_opens_a_staff_account(world, rf, settings):
    staff = world.users["community_staff"]
    update_person(staff.person, actor=None, phone="13712345678")
    _code(settings, "13712345678")
    assert SmsCodeBackend().authenticate(rf.post("/"), phone="13712345678", code="123456") is None


@pytest.mark.django_db
def test_a_rider_who_is_also_a_part_time_grid_worker_keeps_the_sms_login(world, rf, settings):
    from lianxin.accounts.services import grant_role

    rider = world.accounts["3708010101"]
    update_person(world.people["3708010101"], actor=None, phone="13712345679")
    rider.person = world.people["3708010101"]
    rider.save(update_fields=["person"])
    grant_role(actor=None, user=rider, role="grid_worker", area=world.areas["3708010101-G"])
    _code(settings, "13712345679")
    assert SmsCodeBackend().authenticate(rf.post("/"), phone="13712345679", code="123456") == rider
