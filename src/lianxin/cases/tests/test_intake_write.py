"""How a report is written: on PostgreSQL one statement of data-modifying CTEs (cases.services.intake), elsewhere
or with a save hook the ORM. Both must write the same rows, all or nothing, and a retried key never duplicates,
inside a transaction or outside one."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.db.models.signals import post_save
from django.forms.models import model_to_dict
from django_tasks_db.models import DBTaskResult

from lianxin.cases import services
from lianxin.cases.models import Case, CaseCounter, CaseEvent, Category, IdempotentCreate
from lianxin.cases.services.intake import _number_prefix
from lianxin.cases.tasks import tell_new_case
from lianxin.core.sqlinsert import has_save_hooks

ONE_STATEMENT = connection.vendor == "postgresql"


def _rows(case: Case, key: str) -> dict:
    """Every stored column of the report's rows, without the ones that differ between two reports anyway."""
    event = CaseEvent.objects.get(case=case)
    task = DBTaskResult.objects.get(task_path=tell_new_case.module_path, args_kwargs__args=[case.pk])
    return {
        "case": model_to_dict(Case.objects.get(pk=case.pk), exclude=["id", "number", "created_at"]),
        "event": model_to_dict(event, exclude=["id", "case", "at", "attachments"]),
        "key": model_to_dict(IdempotentCreate.objects.get(key=key), exclude=["id", "key", "case", "created_at"]),
        "task": model_to_dict(task, exclude=["id", "enqueued_at", "args_kwargs"]),
        "task_row": (task.args_kwargs, task.enqueued_at is not None, task.run_after.year),
    }


def test_the_one_statement_writes_what_the_orm_writes(world, reported, u, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 3, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False)
    fast = reported(idempotency_key="fast", lng=116.05)

    def receiver(**kwargs):
        pass

    # A post_save receiver would be bypassed by the one statement, so the ORM writes instead.
    post_save.connect(receiver, sender=CaseEvent, dispatch_uid="intake-write-test")
    try:
        assert has_save_hooks(CaseEvent)
        orm = reported(idempotency_key="orm", lng=116.05)
    finally:
        post_save.disconnect(dispatch_uid="intake-write-test", sender=CaseEvent)
    assert not has_save_hooks(Case, CaseEvent, IdempotentCreate, DBTaskResult)
    assert has_save_hooks(Category)  # its own save() fills full_code

    a, b = _rows(fast, "fast"), _rows(orm, "orm")
    assert a["task_row"][1:] == b["task_row"][1:] == (True, 9999)  # queued, to run now (django_tasks_db's "no date")
    assert a["task_row"][0] == {"args": [fast.pk], "kwargs": {}}
    assert b["task_row"][0] == {"args": [orm.pk], "kwargs": {}}
    for part in ("case", "event", "key", "task"):
        assert a[part] == b[part], part
    # Consecutive serials of one prefix, and the answer carries what was stored.
    assert int(orm.number[-6:]) == int(fast.number[-6:]) + 1
    assert Case.objects.get(pk=fast.pk).number == fast.number and fast.version == 1


def test_serials_past_a_million_keep_all_their_digits(world, reported, cat):
    case = reported()
    prefix = _number_prefix(case)
    CaseCounter.objects.filter(prefix=prefix).update(last=999_999)
    assert reported().number == f"{prefix}1000000"
    assert reported().number == f"{prefix}1000001"


def test_a_refused_retry_inside_a_transaction_leaves_it_usable(world, reported, u):
    """The tests run in a transaction, as callers may: the key's conflict must not spoil it."""
    before = Case.objects.count()
    first = reported(idempotency_key="k")
    again = services.report(actor=u["resident"], category=first.category, title=first.title, lng=116.05, lat=35.2,
                            idempotency_key="k")
    assert not again.created and again.case.pk == first.pk
    assert Case.objects.count() == before + 1  # the transaction still answers
    assert CaseCounter.objects.get(prefix=_number_prefix(first)).last == int(first.number[-6:])


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_retry_returns_the_first_case_and_takes_no_number(world, reported, u, cat):
    """Outside a transaction the one statement is the whole write: a retry fails at the key and leaves nothing."""
    assert connection.get_autocommit()

    def send(title="路边垃圾堆积"):
        return services.report(actor=u["resident"], category=cat, title=title, lng=116.05, lat=35.2,
                               idempotency_key="k-out")

    first = send().case
    counter = CaseCounter.objects.get(prefix=_number_prefix(first))
    cases, events, tasks = Case.objects.count(), CaseEvent.objects.count(), DBTaskResult.objects.count()
    again = send()
    assert not again.created and again.case.pk == first.pk
    with pytest.raises(ValidationError):
        send(title="另一件事")
    assert (Case.objects.count(), CaseEvent.objects.count(), DBTaskResult.objects.count()) == (cases, events, tasks)
    assert CaseCounter.objects.get(pk=counter.pk).last == counter.last  # gapless: the retry's serial went back
    # The next report takes the next serial.
    assert int(reported().number[-6:]) == counter.last + 1


@pytest.mark.django_db(transaction=True)
def test_two_retries_at_once_make_one_case(world, u, cat):
    barrier = threading.Barrier(2)
    results = []
    tasks = DBTaskResult.objects.filter(task_path=tell_new_case.module_path).count()

    def send():
        close_old_connections()
        try:
            barrier.wait()
            out = services.report(actor=u["resident"], category=cat, title="同时重试", lng=116.05, lat=35.2,
                                  idempotency_key="same")
            results.append((out.created, out.case.pk))
        except Exception as e:  # SQLite may answer "locked" to the loser: it still wrote nothing
            results.append(("error", type(e).__name__))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    made = Case.objects.filter(title="同时重试")
    assert made.count() == 1, results
    assert [r for r in results if r[0] is True] == [(True, made.get().pk)], results
    if ONE_STATEMENT:
        assert sorted(r[0] for r in results) == [False, True], results  # the loser is answered with the first
    assert CaseEvent.objects.filter(case__in=made).count() == 1
    assert DBTaskResult.objects.filter(task_path=tell_new_case.module_path).count() == tasks + 1
