"""``lianxin worker``: the django-tasks database worker plus the periodic-task scheduler.

SIGTERM/SIGINT stop both cleanly: the scheduler thread stops at once, the worker finishes the task it
is running and exits. The worker (core.worker) holds a heartbeat lease: tasks left running by a worker that
died are run again; database outages are waited out with a backoff.
"""

import signal

from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string

from lianxin.core.scheduler import SchedulerThread
from lianxin.core.worker import LeaseWorker


class Command(BaseCommand):
    help = "Run the background task worker and the periodic-task scheduler."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls when idle.")
        parser.add_argument("--schedule-interval", type=float, default=10.0)
        parser.add_argument("--no-scheduler", action="store_true", help="Run tasks only (scale-out workers).")
        parser.add_argument("--batch", action="store_true", help="Run what is queued now, then exit.")
        parser.add_argument("--queue-name", default="*")

    def handle(self, *args, **opts):
        worker = LeaseWorker(
            queue_names=opts["queue_name"].split(","),
            interval=opts["interval"],
            batch=opts["batch"],
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        scheduler = None
        if not opts["no_scheduler"] and not opts["batch"]:
            scheduler = SchedulerThread(interval=opts["schedule_interval"])
            scheduler.start()

        def stop(signum, frame):
            self.stdout.write(f"lianxin worker: {signal.strsignal(signum)}, stopping")
            if scheduler:
                scheduler.stop()
            worker.shutdown(signum, frame)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write("lianxin worker: running tasks" + (" and the scheduler" if scheduler else ""))
        try:
            worker.run()
        finally:
            # The db worker leaves an idle wait by raising SystemExit from the signal handler: report the
            # stop here so it is printed on that path too.
            if scheduler:
                scheduler.stop()
                scheduler.join(timeout=5)
            self.stdout.write("lianxin worker: stopped")
