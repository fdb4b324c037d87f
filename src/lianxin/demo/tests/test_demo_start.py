"""Starting the demo: a busy address stops it at once, the seed says how far it is, the seeded year's messages are
not sent when the worker starts."""

import io
import logging
import os
import random
import socket
import subprocess
import sys
import time

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from lianxin import cli
from lianxin.areas.models import Area
from lianxin.cases.models import Category
from lianxin.cases.tasks import tell_new_case
from lianxin.core import clock
from lianxin.core.models import Delivery, DeliveryStatus, Notification
from lianxin.core.notify import notify
from lianxin.core.notify.tasks import deliver
from lianxin.demo import cases as demo_cases
from lianxin.demo import generator, history
from lianxin.orgs.models import Org
from lianxin.people.models import Person

SECRET = "test-only-7bQx2Lm9Vc4Np1Rt8Ys3Wd6Ze0Gh5Jk2Qa7Uf4Xo1Ti9Pe3Rn6Sl8Fm"  # noqa: S105


@pytest.fixture
def listening():
    """A socket listening on 127.0.0.1 (a demo already running there); its "host:port"."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield f"127.0.0.1:{s.getsockname()[1]}"


# --- a busy address ---------------------------------------------------------------------------------------------

def test_bind_in_use_finds_a_listening_socket(listening):
    assert cli.bind_in_use(listening)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        free = f"127.0.0.1:{s.getsockname()[1]}"
    assert not cli.bind_in_use(free)
    # What only gunicorn can judge is left to it.
    assert not cli.bind_in_use("unix:/tmp/lianxin.sock")
    assert not cli.bind_in_use("no-such-host.invalid:8000")


def test_demo_on_a_busy_address_stops_before_migrating(listening, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(LIANXIN_BIND=listening, LIANXIN_VAR_DIR=str(tmp_path), LIANXIN_SECRET_KEY=SECRET,
               DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    started = time.monotonic()
    out = subprocess.run([sys.executable, "-m", "lianxin.cli", "demo"], env=env,  # noqa: S603
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 1, out.stdout + out.stderr
    assert time.monotonic() - started < 60  # not after minutes of seeding
    assert f"无法启动演示：{listening} 已被占用" in out.stderr
    assert "LIANXIN_BIND=127.0.0.1:8001 ./scripts/demo" in out.stderr
    assert not (tmp_path / "demo.sqlite3").exists()  # nothing migrated, nothing seeded


def test_the_busy_address_message_in_english(listening, monkeypatch, capsys):
    calls = []
    monkeypatch.setenv("LIANXIN_BIND", listening)
    monkeypatch.setenv("LIANXIN_SECRET_KEY", SECRET)
    monkeypatch.setattr("django.core.management.call_command", lambda *a, **kw: calls.append(a))
    with translation.override("en"), pytest.raises(SystemExit) as stop:
        cli.demo([])
    assert stop.value.code == 1
    assert calls == []
    err = capsys.readouterr().err
    assert f"Cannot start the demo: {listening} is in use already" in err
    assert "choose another address with LIANXIN_BIND" in err


# --- progress while seeding --------------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.django_db
def test_seed_prints_its_progress_and_leaves_no_message_to_send(monkeypatch):
    # The base demo and 40 cases; the apps' own seeds are left out (they take minutes).
    monkeypatch.setattr("lianxin.demo.management.commands.seed.lianxin_apps", lambda: iter(()))
    out = io.StringIO()
    with translation.override("en"):
        call_command("seed", demo=True, cases=40, stdout=out)
    lines = [line.strip() for line in out.getvalue().splitlines()]
    start = lines.index("Seeding the demo (a few minutes):")
    assert [line.split(":")[0] for line in lines[start + 1:start + 5]] == [
        "areas", "organisations", "people", "logins"]
    assert lines[start + 1] == f"areas: {Area.objects.count()}"
    assert any(line.startswith("working accounts: ") for line in lines)
    counts = [line for line in lines if line.startswith("cases: ")]
    assert counts == [f"cases: {n}/40" for n in range(4, 41, 4)]  # every tenth
    assert lines.index(counts[-1]) < next(i for i, line in enumerate(lines) if line.startswith("Demo cases generated"))
    marked = [line for line in lines if line.startswith("notifications of the seeded year marked as delivered")]
    assert len(marked) == 1 and int(marked[0].rsplit(": ", 1)[1]) > 0
    # Nothing left for the worker to send: the new-case notices were written, every delivery is marked sent.
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert Notification.objects.filter(cause__startswith="case.new:").exists()
    assert Delivery.objects.exists()
    assert not Delivery.objects.exclude(status=DeliveryStatus.SENT).exists()


@pytest.mark.slow
@pytest.mark.django_db
def test_progress_callbacks_of_the_generators():
    lines = []
    with translation.override("zh-hans"):
        generator.seed_demo(progress=lines.append)
        # The login phase adds a person per login after the people line.
        logins = len(generator.DEMO_LOGINS)
        assert lines == [f"区域：{Area.objects.count()}", f"组织：{Org.objects.count()}",
                         f"人员：{Person.objects.count() - logins}", f"登录账号：{logins}"]
        lines.clear()
        demo_cases.generate_cases(25, random.Random(7), now=clock.now().replace(microsecond=0),
                                  progress=lines.append)
    assert lines[0].startswith("工作账号：")
    assert lines[1:] == [f"案件：{n}/25" for n in (2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 25)]


# --- the seeded year's messages ----------------------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_seeded_messages_are_delivered_not_sent(world, caplog):
    """Committed for real (so that deliveries queue their tasks on commit, as in the demo)."""
    since = timezone.now()
    last = Delivery.objects.aggregate(last=Max("pk"))["last"] or 0
    resident = world.users["resident"]
    resident.person = next(iter(world.people.values()))  # a rider with a mobile number: the SMS can go
    resident.save(update_fields=["person"])
    # The seed's history: a case reported (its new-case notice queued) and an SMS notification.
    from lianxin.cases import services

    case = services.report(actor=resident, category=Category.objects.get(full_code="0102"), title="路边垃圾堆积",
                           lng=116.05, lat=35.2).case
    with transaction.atomic():
        notify([resident], kind="old", title="一年前的通知", channels=("inapp", "sms"))
    queued = DBTaskResult.objects.filter(status="READY", enqueued_at__gte=since)
    assert queued.filter(task_path=tell_new_case.module_path).count() == 1
    assert queued.filter(task_path=deliver.module_path).count() == 2
    old_sms = Delivery.objects.get(notification__kind="old", channel="sms")

    with caplog.at_level(logging.INFO, logger="lianxin.notify"):
        marked = history.settle_messages(since=since, after_delivery=last)
    assert not [r for r in caplog.records if r.name == "lianxin.notify"]  # nothing sent
    assert not queued.exists()  # nothing left for the worker
    news = Notification.objects.filter(cause=f"case.new:{case.pk}")
    assert news.exists()  # the new-case notice was written, as the worker would have
    settled = Delivery.objects.filter(pk__gt=last)
    assert marked == settled.count() >= 2 + news.count()
    assert set(settled.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert deliver.call(old_sms.pk) == "skipped"  # a deliver task left over would do nothing

    # After the seed, messages are sent as always.
    with transaction.atomic():
        notify([resident], kind="new", title="新的通知", channels=("inapp", "sms"))
    fresh = Delivery.objects.get(notification__kind="new", channel="sms")
    assert fresh.status == DeliveryStatus.PENDING
    assert queued.filter(task_path=deliver.module_path, args_kwargs__args=[fresh.pk]).exists()
    with caplog.at_level(logging.INFO, logger="lianxin.notify"):
        assert deliver.call(fresh.pk) == "sent"
    assert any("新的通知" in r.getMessage() for r in caplog.records if r.name == "lianxin.notify")
    assert not any(r.name == "lianxin.notify" and "一年前" in r.getMessage() for r in caplog.records)


def test_demo_takes_its_scale_options_and_leaves_the_rest_to_gunicorn():
    assert cli.scale_options(["--workers", "4"]) == ({}, ["--workers", "4"])
    assert cli.scale_options(["--scale", "--workers", "4"]) == ({"scale": "370883"}, ["--workers", "4"])
    assert cli.scale_options(["--scale=金乡", "--scale-cases=5000", "-t", "60"]) == (
        {"scale": "金乡", "scale_cases": 5000}, ["-t", "60"])
