"""Deadline alerts: when a case turns yellow or red, its handlers and level staff are told once."""

from datetime import timedelta

from django.db.models import Exists, OuterRef
from django_tasks import task

from lianxin.core import clock
from lianxin.core.scheduler import periodic

from .models import ACTIVE_ASSIGNMENT, OPEN_STAGES, Case, CaseEvent


def _unalerted(colour: str):
    return Exists(CaseEvent.objects.filter(case=OuterRef("pk"), kind="alert", data__colour=colour,
                                           at__gte=OuterRef("stage_started_at")))


def raise_alerts(limit: int = 500) -> int:
    from django.db import transaction
    from django.utils.translation import gettext_lazy

    from .services import _event, _level_staff, _tell, _unit_users
    from .types import TYPES

    now = clock.now()
    sent = 0
    open_cases = Case.objects.filter(stage__in=OPEN_STAGES, parked=False).select_related("area", "category")
    batches = [
        ("red", open_cases.filter(due_at__lt=now).exclude(_unalerted("red"))),
        ("yellow", open_cases.filter(warn_at__lte=now, due_at__gte=now).exclude(_unalerted("yellow"))),
    ]
    for colour, qs in batches:
        for case in qs.order_by("due_at")[:limit]:
            with transaction.atomic():
                event = _event(case, "alert", None, now, from_stage=case.stage, data={"colour": colour},
                               stage_due_at=case.due_at)
                users = [u for a in case.assignments.filter(status__in=ACTIVE_ASSIGNMENT).select_related("user", "org")
                         for u in ([a.user] if a.user else _unit_users(a.org))]
                users += _level_staff(case, TYPES[case.type].dispatching_roles(case.level))
                title = gettext_lazy("Case %(n)s is overdue") if colour == "red" else \
                    gettext_lazy("Case %(n)s is nearing its deadline")
                # In the alert's transaction: a worker killed after it commits leaves both the alert and its
                # messages (and the task, run again, finds the alert there and sends nothing more).
                _tell(users, case, title, cause=f"case.alert:{event.pk}")
            sent += 1
    return sent


@task()
def tell_new_case(case_id: int) -> int:
    """The level's staff get an inbox row each for a new case (queued with the case; notify queues the
    deliveries)."""
    from django.db import transaction
    from django.utils.translation import gettext_lazy

    from .services import _level_staff, _tell
    from .types import TYPES

    case = Case.objects.select_related("area").filter(pk=case_id).first()
    if case is None:
        return 0
    staff = _level_staff(case, TYPES[case.type].supervising_roles(case.level))
    with transaction.atomic():
        # Once per case and recipient: the task run again after its worker died sends nothing more.
        _tell(staff, case, gettext_lazy("New case %(n)s: %(t)s"),
              cause=f"case.new:{case.pk}")
    return len(staff)


@periodic(every=timedelta(minutes=5))
@task()
def deadline_alerts() -> int:
    return raise_alerts()




@periodic(every=timedelta(hours=1))
@task()
def seal_statistics() -> str:
    """Count the days that are over into the statistics tallies, so that no page request pays for it."""
    from .stats import seal_tallies

    return seal_tallies().isoformat()
