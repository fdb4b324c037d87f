"""Notifications: inbox rows now, channel deliveries through the real database task queue after commit."""

import logging
import signal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from lianxin.core.models import Delivery, DeliveryStatus, Notification
from lianxin.core.notify import notify, unread_count
from lianxin.core.notify.tasks import MAX_ATTEMPTS, deliver

pytestmark = pytest.mark.django_db

SENT: list[int] = []


class FailingSms:
    """A gateway that is down."""

    def send(self, notification):
        raise ConnectionError("gateway 13912345678 unreachable")


class CountingSms:
    def send(self, notification):
        SENT.append(notification.pk)


@pytest.fixture(autouse=True)
def _keep_signal_handlers():
    """The worker command installs SIGTERM/SIGINT handlers; give pytest its own back."""
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    SENT.clear()
    yield
    for s, handler in saved.items():
        signal.signal(s, handler)


def run_worker():
    """The real worker command in batch mode: runs what is queued, then returns.

    It closes and reopens database connections like a real process, so the tests that use it run with
    real transactions (``transaction=True``) rather than inside a rolled-back test transaction.
    """
    call_command("worker", batch=True, stdout=_Null())


# These tests build their own few rows (see ``people``) rather than the shared world: a transactional
# test starts from a flushed database, without the rows that data migrations seed.
real_transactions = pytest.mark.django_db(transaction=True)


class _Null:
    def write(self, *_args, **_kwargs):
        pass

    def flush(self):
        pass


@pytest.fixture
def people(db):
    """A staff account without a phone, a rider account with one, an administrator."""
    from lianxin.accounts import services as accounts
    from lianxin.areas import services as areas
    from lianxin.people import services as registry

    city = areas.create_area(actor=None, kind="city", code="N370800", name="City", parent=None)

    def account(username, **person_fields):
        person = registry.create_person(actor=None, name=username, area=city, kinds=["resident"], **person_fields)
        return accounts.create_account(actor=None, username=username, person=person, area=city)

    return {"staff": account("staff"), "rider": account("rider1", phone="13900001111"), "admin": account("admin")}


def test_notify_creates_inbox_and_delivery_rows_and_enqueues_after_commit(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            notes = notify([people["staff"], people["rider"], people["staff"], None], kind="case.new",
                           title="New case", body="Please look", link="/cases/1/", channels=("inapp", "sms"))
            assert DBTaskResult.objects.count() == 0  # nothing queued before commit
    assert len(notes) == 2  # duplicates and None dropped
    assert len(callbacks) == 4
    assert Notification.objects.count() == 2
    assert set(Notification.objects.values_list("recipient", flat=True)) == {people["staff"].pk, people["rider"].pk}
    assert Delivery.objects.count() == 4
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.PENDING}
    queued = DBTaskResult.objects.all()
    assert queued.count() == 4
    assert {r.task_path for r in queued} == {deliver.module_path}
    assert sorted(r.args_kwargs["args"][0] for r in queued) == sorted(Delivery.objects.values_list("pk", flat=True))
    assert unread_count(people["staff"]) == 1


def test_rollback_enqueues_nothing(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notify([people["staff"]], kind="k", title="Lost", channels=("inapp", "sms"))
                raise RuntimeError("the surrounding write failed")
        except RuntimeError:
            pass
    assert callbacks == []
    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_unknown_channel_is_a_programming_error(people):
    with pytest.raises(ValueError, match="unknown notification channel"):
        with transaction.atomic():
            notify([people["staff"]], kind="k", title="t", channels=("pigeon",))
    assert not Notification.objects.exists()


@real_transactions
def test_worker_delivers_and_sms_log_is_masked(people, caplog):
    with transaction.atomic():
        notify([people["rider"]], kind="k", title="Your report was handled", body="Thanks", channels=("inapp", "sms"))
    with caplog.at_level(logging.INFO, logger="lianxin.notify"):
        run_worker()
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    for d in Delivery.objects.all():
        assert d.attempts == 1 and d.sent_at is not None and d.error == ""
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert sorted(r.return_value for r in DBTaskResult.objects.all()) == ["sent", "sent"]
    phone = people["rider"].person.phone
    sms_lines = [r.getMessage() for r in caplog.records if r.name == "lianxin.notify"]
    assert len(sms_lines) == 1
    assert f"{phone[:3]}****{phone[-4:]}" in sms_lines[0]
    assert "Your report was handled" in sms_lines[0]
    assert phone not in caplog.text


@real_transactions
def test_sms_to_an_account_without_phone_fails_cleanly(people):
    with transaction.atomic():
        notify([people["staff"]], kind="k", title="t", channels=("sms",))
    run_worker()
    d = Delivery.objects.get()
    assert d.status == DeliveryStatus.FAILED and d.attempts == 1  # at once: retrying cannot give it a number
    assert "no mobile number" in d.error


@real_transactions
def test_failing_channel_keeps_delivery_pending_then_fails(people, settings):
    settings.NOTIFY_CHANNELS = {**settings.NOTIFY_CHANNELS, "sms": f"{__name__}.FailingSms"}
    with transaction.atomic():
        notify([people["rider"]], kind="k", title="t", channels=("inapp", "sms"))
    run_worker()
    inapp = Delivery.objects.get(channel="inapp")
    sms = Delivery.objects.get(channel="sms")
    assert inapp.status == DeliveryStatus.SENT
    assert sms.status == DeliveryStatus.PENDING
    assert sms.attempts == 1
    assert sms.sent_at is None
    assert "gateway" in sms.error and "unreachable" in sms.error
    assert "13912345678" not in sms.error and "139****5678" in sms.error  # no personal data at rest
    # the task itself succeeded: the failure is recorded on the delivery, not lost in the queue
    assert DBTaskResult.objects.get(args_kwargs__args=[sms.pk]).return_value == "failed"

    for attempt in range(2, MAX_ATTEMPTS + 1):
        assert deliver.call(sms.pk) == "failed"
        sms.refresh_from_db()
        assert sms.attempts == attempt
        assert sms.status == (DeliveryStatus.FAILED if attempt == MAX_ATTEMPTS else DeliveryStatus.PENDING)
    assert sms.status == DeliveryStatus.FAILED
    assert deliver.call(sms.pk) == "skipped"  # no more attempts once failed
    sms.refresh_from_db()
    assert sms.attempts == MAX_ATTEMPTS


@real_transactions
def test_retry_task_re_enqueues_stale_pending_deliveries(people, settings):
    import time_machine
    from django.utils import timezone

    from lianxin.core.notify.tasks import retry_pending_deliveries

    settings.NOTIFY_CHANNELS = {**settings.NOTIFY_CHANNELS, "sms": f"{__name__}.CountingSms"}
    with time_machine.travel(timezone.now() - timezone.timedelta(minutes=10), tick=True):
        note = Notification.objects.create(recipient=people["rider"], kind="k", title="old")
    Delivery.objects.create(notification=note, channel="sms")  # its task was lost
    fresh = Notification.objects.create(recipient=people["rider"], kind="k", title="fresh")
    Delivery.objects.create(notification=fresh, channel="sms")  # too new to count as lost
    assert not DBTaskResult.objects.exists()
    assert retry_pending_deliveries.call() == 1
    run_worker()
    assert SENT == [note.pk]
    assert Delivery.objects.get(notification=note).status == DeliveryStatus.SENT
    assert Delivery.objects.get(notification=fresh).status == DeliveryStatus.PENDING


@real_transactions
def test_a_delivery_is_never_sent_twice(people, settings):
    settings.NOTIFY_CHANNELS = {**settings.NOTIFY_CHANNELS, "sms": f"{__name__}.CountingSms"}
    (note,) = notify([people["rider"]], kind="k", title="once", channels=("sms",))
    delivery = Delivery.objects.get(notification=note)
    assert deliver.call(delivery.pk) == "sent"
    assert deliver.call(delivery.pk) == "skipped"
    # and twice through the queue
    deliver.enqueue(delivery.pk)
    deliver.enqueue(delivery.pk)
    run_worker()
    assert SENT == [note.pk]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 1


def test_deliver_of_a_missing_row_is_skipped(db):
    assert deliver.call(999_999) == "skipped"


def test_inbox_lists_messages_and_marks_all_read(world, persona_client):
    people = {"staff": world.users["community_staff"], "admin": world.users["administrator"]}
    other = notify([people["admin"]], kind="k", title="Not for staff MK-other")
    for i in range(3):
        notify([people["staff"]], kind="k", title=f"Message {i} MK-inbox", link=f"/x/{i}/")
    client = persona_client("community_staff")
    client.cookies["django_language"] = "en"
    response = client.get(reverse("core:inbox"))
    assert response.status_code == 200
    html = response.content.decode()
    for i in range(3):
        assert f"Message {i} MK-inbox" in html
    assert "MK-other" not in html
    assert unread_count(people["staff"]) == 3

    assert client.get(reverse("core:inbox_read")).status_code == 405  # POST only
    response = client.post(reverse("core:inbox_read"), follow=True)
    assert response.status_code == 200
    assert "All messages marked as read." in response.content.decode()
    assert unread_count(people["staff"]) == 0
    assert Notification.objects.filter(recipient=people["staff"], read_at__isnull=False).count() == 3
    assert unread_count(people["admin"]) == 1  # someone else's inbox is untouched
    assert other[0].read_at is None


def test_inbox_needs_login(client, db):
    response = client.get(reverse("core:inbox"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


class ReentrantSms:
    """While the gateway call is in flight, a second worker picks up the same delivery."""

    def send(self, notification):
        SENT.append(notification.pk)
        if len(SENT) == 1:
            delivery = Delivery.objects.get(notification=notification, channel="sms")
            assert deliver.call(delivery.pk) == "skipped"


def test_a_delivery_in_flight_is_not_sent_again_by_a_second_worker(people, settings):
    settings.NOTIFY_CHANNELS = {**settings.NOTIFY_CHANNELS, "sms": f"{__name__}.ReentrantSms"}
    (note,) = notify([people["rider"]], kind="k", title="once", channels=("sms",))
    delivery = Delivery.objects.get(notification=note)
    assert deliver.call(delivery.pk) == "sent"
    assert SENT == [note.pk]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 1
