import pytest
from django.db import transaction

from lianxin.accounts.backends import SmsCodeBackend
from lianxin.accounts.models import SmsCode
from lianxin.accounts.sms import _digest
from lianxin.people.services import update_person


@pytest.mark.django_db
def test_an_sms_code_never_opens_a_staff_account(world, rf, settings):
    staff = world.users["community_staff"]
    update_person(staff.person, actor=None, phone="13712345678")
    from django.utils import timezone

    with transaction.atomic():
        SmsCode.objects.create(phone_digest=_digest("13712345678"), code_digest=_digest("13712345678:123456"),
                               expires_at=timezone.now() + settings.SMS_CODE_TTL)
    assert SmsCodeBackend().authenticate(rf.post("/"), phone="13712345678", code="123456") is None
