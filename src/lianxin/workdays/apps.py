from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "lianxin.workdays"
    label = "workdays"
    verbose_name = _("Working-time calendar")

    def ready(self):
        from lianxin.core import audit

        from .models import CalendarDay

        audit.register(CalendarDay)
