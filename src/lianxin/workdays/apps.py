from django.utils.translation import gettext_lazy as _

from lianxin.core import modules
from lianxin.core.nav import NavEntry


class WorkdaysConfig(modules.LianxinApp):
    name = "lianxin.workdays"
    label = "workdays"
    verbose_name = _("Working-time calendar")
    nav = (NavEntry("calendar", _("Working-time calendar"), "workdays:calendar", "▤", group="configuration",
                    roles=("administrator",)),)

    def register(self):
        from lianxin.core import audit, configcache
        from lianxin.core.roles import allow

        from .models import CalendarDay

        configcache.watch(CalendarDay)
        audit.register(CalendarDay)
        allow("administrator", "workdays.calendarday", "view", "add", "change", "delete")
