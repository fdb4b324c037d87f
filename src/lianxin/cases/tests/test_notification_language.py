"""The case engine's messages reach each person in their own language, whatever language the actor works in."""

import pytest
from django.utils import translation

from lianxin.cases import services
from lianxin.core.models import Notification

pytestmark = pytest.mark.django_db


def test_resident_inbox_stays_chinese_when_staff_act_in_english(world, reported, u,
                                                                 django_capture_on_commit_callbacks):
    staff = u["community_staff"]
    staff.language = "en"
    staff.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        case = reported()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.accept(case, actor=staff)
        services.dispatch(case, actor=staff, lead=u["grid_worker"])
    to_resident = Notification.objects.filter(recipient=world.users["resident"], kind=f"case.{case.number}")
    assert [n.title for n in to_resident] == [f"您上报的 {case.number} 已受理。"]
    to_worker = Notification.objects.get(recipient=u["grid_worker"], kind=f"case.{case.number}")
    assert case.number in to_worker.title and case.title in to_worker.title and "dispatched" not in to_worker.title
    # And the English-speaking staff member reads English, though the resident who reported wrote Chinese.
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        services.handler_accept(case, actor=u["grid_worker"])
        services.feedback(case, actor=u["grid_worker"], note="已清理")
    to_staff = Notification.objects.filter(recipient=staff, kind=f"case.{case.number}").latest("pk")
    assert to_staff.title == f"Case {case.number} is ready to verify"
