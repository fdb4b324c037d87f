from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "lianxin.workdays"
    label = "workdays"
    verbose_name = _("Working-time calendar")

    def ready(self):
        from lianxin.core import audit, configcache

        from .models import CalendarDay

        configcache.watch(CalendarDay)
        audit.register(CalendarDay)

        from lianxin.core.nav import register_nav
        from lianxin.core.roles import add_nav, allow

        allow("administrator", "workdays.calendarday", "view", "add", "change", "delete")
        register_nav("calendar", _("Working-time calendar"), "workdays:calendar", "▤")
        add_nav("administrator", "calendar")
