"""``lianxin seed --demo [--if-empty] [--cases N] [--scale [COUNTY] [--scale-cases N]] [--logins]``: generate the
demo data (and one county at a real year's volume, ``demo.scale``) and show its logins."""

import random
import time
import unicodedata

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.areas.models import Area
from lianxin.core.models import Delivery
from lianxin.core.modules import LianxinApp, lianxin_apps
from lianxin.core.notify.channels import development_sms
from lianxin.demo import cases as demo_cases
from lianxin.demo import generator, history, scale

DEFAULT_CASES = 2000  # about 14,500 moves through the services: two to three minutes on SQLite


def _width(text: str) -> int:
    # CJK characters take two terminal columns.
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - _width(text), 0)


class Command(BaseCommand):
    help = "Generate the deterministic demo data (Jining areas, orgs, people, one login per role)."

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="Generate the demo data.")
        parser.add_argument("--if-empty", action="store_true",
                            help="With --demo: do nothing if any area exists already.")
        parser.add_argument("--logins", action="store_true", help="Print the demo logins.")
        parser.add_argument("--cases", type=int, default=DEFAULT_CASES, metavar="N",
                            help=f"With --demo: also replay N cases through the case services "
                                 f"(default {DEFAULT_CASES}; 0 skips).")
        parser.add_argument("--scale", nargs="?", const=scale.DEFAULT_COUNTY, default=None, metavar="COUNTY",
                            help="After the demo (or on a seeded database): load one county at a real year's volume "
                                 "with the bulk loader, for benchmarks and screenshots (code or name, default "
                                 "邹城; loads only what is missing, so running it again adds nothing).")
        parser.add_argument("--scale-cases", type=int, default=scale.DEFAULT_CASES, metavar="N",
                            help=f"With --scale: the county's cases (default {scale.DEFAULT_CASES:,}).")

    def handle(self, *args, **opts):
        if not (opts["demo"] or opts["logins"] or opts["scale"]):
            raise CommandError("Nothing to do: give --demo, --scale and/or --logins.")
        if opts["demo"]:
            self.seed(if_empty=opts["if_empty"], cases=opts["cases"])
        if opts["scale"]:
            self.scale(opts["scale"], opts["scale_cases"])
        if opts["logins"]:
            self.print_logins()

    def progress(self, line: str) -> None:
        """One short line of how far the seed is, at once (the seed takes minutes)."""
        self.stdout.write(f"  {line}")
        self.stdout.flush()

    def seed(self, *, if_empty: bool, cases: int = DEFAULT_CASES) -> None:
        if cases < 0:
            raise CommandError("--cases must be 0 or more.")
        started = time.monotonic()
        seed_began = timezone.now()
        last_delivery = Delivery.objects.aggregate(last=Max("pk"))["last"] or 0
        with transaction.atomic():
            if Area.objects.exists():
                if if_empty:
                    self.stdout.write("Areas exist already: demo data not generated.")
                    return
                raise CommandError(
                    "Areas exist already: the demo needs an empty database (or use --if-empty).")
            self.progress(_("Seeding the demo (a few minutes):"))
            s = generator.seed_demo(progress=self.progress)
        self.stdout.write(self.style.SUCCESS(
            f"Demo data generated in {time.monotonic() - started:.1f} s: {s.areas} areas, "
            f"{s.orgs} organisations, {s.people} people, {s.accounts} logins."
        ))
        if cases:
            started = time.monotonic()
            # Its own transactions (one per chunk of moves), after the base demo has committed.
            r = demo_cases.generate_cases(cases, random.Random(generator.SEED + 1), progress=self.progress)
            self.stdout.write(self.style.SUCCESS(
                f"Demo cases generated in {time.monotonic() - started:.1f} s: {r.cases} cases, {r.moves} moves, "
                f"{r.accounts} working accounts (no password), {r.handovers} cases handed over."
            ))
        # Each app's own part of the demo (core.modules.LianxinApp.seed_demo), in INSTALLED_APPS order.
        for app in lianxin_apps():
            started = time.monotonic()
            if type(app).seed_demo is not LianxinApp.seed_demo:
                self.progress(_("%(module)s …") % {"module": app.verbose_name})
            with transaction.atomic():
                line = app.seed_demo(generator.module_context())
            if line:
                self.stdout.write(self.style.SUCCESS(f"{line} ({time.monotonic() - started:.1f} s)"))
        marked = history.settle_messages(since=seed_began, after_delivery=last_delivery)
        self.progress(_("notifications of the seeded year marked as delivered (not sent): %(n)d") % {"n": marked})

    def scale(self, county: str, n: int) -> None:
        if not Area.objects.exists():
            raise CommandError("No demo here: --scale loads a county of the demo (run it with --demo).")
        county = scale.county_of(county)
        self.progress(_("%(county)s at scale: %(n)s cases over a year (bulk loader) …")
                      % {"county": county.name, "n": f"{n:,}"})
        r = scale.seed_scale(county, n=n, progress=self.progress)
        if not r.cases:
            self.stdout.write(f"{county.name} has its {r.total:,} scale cases already: nothing loaded.")
            return
        self.stdout.write(self.style.SUCCESS(
            f"{county.name} at scale in {r.seconds:.1f} s: {r.cases:,} cases, {r.events:,} events loaded "
            f"({r.total:,} in all), {r.accounts} working accounts made."))

    def print_logins(self) -> None:
        rows = generator.login_rows()
        if not any(r["exists"] for r in rows):
            self.stdout.write("No demo logins in this database (run `lianxin seed --demo` on an empty one).")
            return
        header = {"role": "Role", "username": "Username", "password": "Password", "where": "Granted at"}
        table = [header] + [
            {"role": r["role"], "username": r["username"] + ("" if r["exists"] else " (missing)"),
             "password": generator.DEMO_PASSWORD if r["exists"] else "-", "where": r["where"]}
            for r in rows
        ]
        widths = {k: max(_width(row[k]) for row in table) for k in header}
        self.stdout.write("\nDemo logins (password login at /accounts/login/):")
        for i, row in enumerate(table):
            self.stdout.write("  " + "  ".join(_pad(row[k], widths[k]) for k in header).rstrip())
            if i == 0:
                self.stdout.write("  " + "  ".join("-" * widths[k] for k in header))
        for r in rows:
            if r["phone"]:
                self.stdout.write(
                    f"\nResident / rider SMS login at /accounts/login/sms/: "
                    f"phone {r['phone']} ({r['username']})."
                )
        if development_sms():
            self.stdout.write("The development SMS backend writes the login code to the server log, on a line "
                              "of its own: ==== DEV SMS CODE for <masked number>: <code> ====")
        else:
            self.stdout.write(f"SMS codes are sent through {settings.NOTIFY_CHANNELS.get('sms')}.")
        self.stdout.write("The passwords are the demo defaults; change them before exposing the demo.\n")
