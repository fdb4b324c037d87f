from django.core.management.base import BaseCommand, CommandError

from lianxin.cases.checker import check
from lianxin.cases.models import Case


class Command(BaseCommand):
    help = "Verify that each case's state equals what its events add up to."

    def add_arguments(self, parser):
        parser.add_argument("--sample", type=int, help="Check a random sample of this many cases.")
        parser.add_argument("--number", action="append", help="Check the case with this number (repeatable).")

    def handle(self, *args, **opts):
        cases = Case.objects.all()
        if opts["number"]:
            cases = cases.filter(number__in=opts["number"])
        if opts["sample"]:
            cases = Case.objects.filter(pk__in=list(cases.order_by("?").values_list("pk", flat=True)[: opts["sample"]]))
        problems = check(cases)
        total = cases.count()
        for line in problems:
            self.stderr.write(line)
        if problems:
            raise CommandError(f"{len(problems)} problem(s) in {total} case(s)")
        self.stdout.write(f"{total} case(s) checked: state matches events")
