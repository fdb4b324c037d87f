from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "lianxin.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self):
        from lianxin.core import audit

        from . import roles, tasks  # noqa: F401  (the engine's roles; periodic deadline alerts)
        from .models import Category, TimeLimit

        # Cases keep their own append-only history (CaseEvent); configuration is audited.
        audit.register(Category)
        audit.register(TimeLimit)
