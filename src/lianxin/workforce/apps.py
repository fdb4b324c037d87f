from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "lianxin.workforce"
    label = "workforce"
    verbose_name = _("New-economy workers")

    def ready(self):
        from lianxin.cases.types import register_type
        from lianxin.core import audit

        from . import roles  # noqa: F401
        from .models import Campaign, CommitteeMember, Delivery, GridLink, Registration, ServiceOrder, Worker
        from .types import register_duty_kind, service_type

        register_type(service_type())
        register_duty_kind()
        for model in (Worker, GridLink, Registration, ServiceOrder, CommitteeMember, Campaign, Delivery):
            audit.register(model)
