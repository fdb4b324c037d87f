""""My work" widgets of the case engine: what waits for this person, with overdue counts."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lianxin.core import clock
from lianxin.core.widgets import Widget, register_widget

from .models import OPEN_STAGES, Case, Stage

STAFF = {"community_staff", "town_staff", "county_staff", "org_department", "case_supervisor", "case_dispatcher",
         "administrator"}
HANDLERS = {"grid_worker", "department_handler", "industry_committee_staff", "firm_handler", "community_staff"}


def _queue(request):
    now = clock.now()
    visible = Case.objects.visible_to(request.user).filter(stage__in=OPEN_STAGES)
    board = reverse("cases:board")
    rows = [
        (_("To accept"), visible.filter(stage=Stage.REPORTED).count(), f"{board}?stage=reported"),
        (_("To dispatch"), visible.filter(stage=Stage.ACCEPTED).count(), f"{board}?stage=accepted"),
        (_("Being handled"), visible.filter(stage__in=(Stage.DISPATCHED, Stage.HANDLING)).count(),
         f"{board}?stage=handling"),
        (_("To verify"), visible.filter(stage=Stage.VERIFYING).count(), f"{board}?stage=verifying"),
        (_("Overdue"), visible.filter(parked=False, due_at__lt=now).count(), f"{board}?colour=red&open=on"),
    ]
    return {"rows": rows}


def _tasks(request):
    from .targets import assigned_to

    now = clock.now()
    mine = Case.objects.visible_to(request.user).filter(pk__in=assigned_to(request.user), stage__in=OPEN_STAGES)
    tasks = reverse("cases:tasks")
    return {"rows": [(_("Waiting for me"), mine.count(), tasks),
                     (_("Overdue"), mine.filter(parked=False, due_at__lt=now).count(), tasks)]}


def _reports(request):
    mine = Case.objects.visible_to(request.user).filter(reporter=request.user)
    url = reverse("cases:my_reports")
    return {"rows": [(_("Open"), mine.filter(stage__in=OPEN_STAGES).count(), url),
                     (_("Closed, waiting for your rating"), mine.filter(stage=Stage.CLOSED, rating__isnull=True)
                      .count(), url)]}


register_widget(Widget("case_queue", _("Cases in my area"), STAFF, _queue, "cases/widget_links.html"))
register_widget(Widget("case_tasks", _("My tasks"), HANDLERS, _tasks, "cases/widget_links.html"))
register_widget(Widget("case_reports", _("My reports"), {"resident", "grid_worker"}, _reports,
                       "cases/widget_links.html"))


def _report_button(request):
    return {"url": reverse("cases:report")}


register_widget(Widget("case_report", _("Seen a problem?"), {"resident", "grid_worker", "community_staff"},
                       _report_button, "cases/widget_report.html"))
