from django.utils.translation import gettext_lazy as _

from lianxin.core import modules


class DutiesConfig(modules.LianxinApp):
    name = "lianxin.duties"
    label = "duties"
    verbose_name = _("Duties")

    def register(self):
        from lianxin.core import audit

        from . import roles, tasks  # noqa: F401  (role permissions; periodic generation and reminders)
        from .models import DutyLog, Obligation, Plan

        # Plans, obligations and logs are audited; PlanEvent and Reminder are append-only history themselves.
        # Obligations created by generation are written in bulk (no audit rows): they follow from the plan.
        audit.register(Plan)
        audit.register(Obligation)
        audit.register(DutyLog, exclude=["body_hash"])
