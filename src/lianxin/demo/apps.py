from django.utils.translation import gettext_lazy as _

from lianxin.core import modules


class DemoConfig(modules.LianxinApp):
    name = "lianxin.demo"
    label = "demo"
    verbose_name = _("Demo data")
