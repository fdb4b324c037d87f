"""The life of an activity: records required before it counts as held, quorum, waitlist, QR sign-in."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from lianxin.activities import qr, services
from lianxin.activities.models import Event, Participation, Status
from lianxin.core import clock
from lianxin.core.models import Notification

pytestmark = pytest.mark.django_db


def test_held_only_with_its_records(world, members):
    activity = world.samples["activities.activity"]["3708010101"]
    assert activity.status == Status.NOTIFIED
    assert services.attendance(activity)["expected"] == 3
    with pytest.raises(ValidationError) as e:
        services.mark_held(activity, actor=None)
    assert e.value.code == "missing"
    services.sign_in(activity, members[0], actor=None)
    services.excuse(activity, members[2], actor=None, reason="出差")
    services.write_minutes(activity, actor=None, text="研究发展党员工作")
    with pytest.raises(ValidationError, match="photos|照片"):
        services.mark_held(activity, actor=None)
    services.write_minutes(activity, actor=None, photos=[world.files["3708010101"]])
    services.mark_held(activity, actor=None)
    activity.refresh_from_db()
    assert activity.status == Status.HELD
    a = services.attendance(activity)
    assert (a["expected"], a["attended"], a["excused"], a["absent"]) == (3, 1, 1, 1)
    assert [e.kind for e in activity.events.all()] == ["planned", "notified", "minutes", "minutes", "held"]
    with pytest.raises(ValidationError):
        services.cancel(activity, actor=None, reason="x")


def test_excuse_needs_a_reason(world, members):
    activity = world.samples["activities.activity"]["3708010101"]
    with pytest.raises(ValidationError):
        services.excuse(activity, members[1], actor=None, reason=" ")


def test_quorum_refused_at_half_and_below(world, members, branch):
    # Two voting members (party members) of three on the roster: one present is half, which is not enough.
    now = clock.now()
    activity = services.create_activity(actor=None, kind="assembly", title="党员大会", org=branch,
                                        starts_at=now - timedelta(hours=1), ends_at=now, place="会议室")
    services.send_notice(activity, actor=None)
    voting = [p for p in members if p.is_party_member]
    other = next(p for p in members if not p.is_party_member)
    services.sign_in(activity, voting[0], actor=None)
    services.sign_in(activity, other, actor=None)  # present, but not a voting member
    services.write_minutes(activity, actor=None, text="选举", photos=[world.files["3708010101"]])
    assert services.quorum(activity) == (False, 1, 2)
    with pytest.raises(ValidationError) as e:
        services.mark_held(activity, actor=None)
    assert e.value.code == "quorum"
    services.sign_in(activity, voting[1], actor=None)
    assert services.quorum(activity) == (True, 2, 2)
    assert services.mark_held(activity, actor=None).status == Status.HELD


def test_waitlist_first_come_promoted_when_a_seat_frees(world, members, django_capture_on_commit_callbacks):
    from lianxin.accounts import services as accounts

    area = world.areas["3708010101"]
    accounts.create_account(actor=None, username="waiting-member", person=members[2], area=area)
    now = clock.now()
    activity = services.create_activity(actor=None, kind="care", title="关爱骑手", area=area, audience="open",
                                        seat_limit=2, starts_at=now + timedelta(days=2),
                                        ends_at=now + timedelta(days=2, hours=2), place="驿站")
    rows = [services.sign_up(activity, p, actor=None) for p in members]
    assert [r.status for r in rows] == ["registered", "registered", "waitlisted"]
    assert services.seats_left(activity) == 0
    assert services.sign_up(activity, members[0], actor=None).pk == rows[0].pk  # a repeat changes nothing
    with pytest.raises(ValidationError):
        services.sign_in(activity, members[2], actor=None)  # no seat yet
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.withdraw(activity, members[0], actor=None)
    assert [p.person for p in promoted] == [members[2]]
    rows[2].refresh_from_db()
    assert rows[2].status == Participation.REGISTERED
    assert activity.events.filter(kind=Event.Kind.PROMOTED).count() == 1
    assert Notification.objects.filter(recipient__username="waiting-member", kind="activity_promoted").exists()
    # Signing up again after withdrawing goes to the end of the queue.
    assert services.sign_up(activity, members[0], actor=None).status == Participation.WAITLISTED
    services.excuse(activity, members[1], actor=None, reason="值班")
    rows[0].refresh_from_db()
    assert rows[0].status == Participation.REGISTERED


def test_qr_token_rotates_and_sign_in_counts_once(world, members):
    activity = world.samples["activities.activity"]["3708010101"]
    token = qr.token(activity)
    with pytest.raises(ValidationError):
        services.sign_in(activity, members[0], actor=None, method="qr", token=token)  # not opened yet
    services.open_signin(activity, actor=None)
    first = services.sign_in(activity, members[0], actor=None, method="qr", token=token)
    again = services.sign_in(activity, members[0], actor=None, method="qr", token=token)
    assert first.created and not again.created
    assert services.attendance(activity)["attended"] == 1
    later = clock.now() + timedelta(seconds=2 * qr.STEP + 1)
    assert qr.valid(activity, token, clock.now()) and not qr.valid(activity, token, later)
    with clock.at(later), pytest.raises(ValidationError) as e:
        services.sign_in(activity, members[1], actor=None, method="qr", token=token)
    assert e.value.code == "expired"
    with pytest.raises(ValidationError):
        services.sign_in(activity, world.people["3708010101"], actor=None)  # not a member of the branch


def test_cancel_and_postpone_need_a_reason(world):
    activity = world.samples["activities.activity"]["3708010102"]
    now = clock.now()
    with pytest.raises(ValidationError):
        services.postpone(activity, actor=None, starts_at=now + timedelta(days=1),
                          ends_at=now + timedelta(days=1, hours=1), reason="")
    services.postpone(activity, actor=None, starts_at=now + timedelta(days=1),
                      ends_at=now + timedelta(days=1, hours=1), reason="书记外出")
    assert "书记外出" in activity.events.get(kind="postponed").note
    services.cancel(activity, actor=None, reason="合并召开")
    activity.refresh_from_db()
    assert (activity.status, activity.cancel_reason) == (Status.CANCELLED, "合并召开")


def test_health_event_held_as_an_activity_covers_who_signed_in(world):
    event = world.health_events["3708010101"]
    retiree = world.retirees["3708010101"]
    now = clock.now()
    activity = services.hold_health_event(event, actor=None, starts_at=now - timedelta(hours=1), ends_at=now,
                                          place="社区卫生室")
    assert services.hold_health_event(event, actor=None, starts_at=now, ends_at=now, place="x").pk == activity.pk
    assert services.attendance(activity)["expected"] == 1
    assert not event.retirees.exists()
    services.sign_in(activity, retiree.person, actor=None)
    services.mark_held(activity, actor=None)
    event.refresh_from_db()
    assert list(event.retirees.all()) == [retiree] and event.held_on == clock.today()
