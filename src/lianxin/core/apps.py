from django.utils.translation import gettext_lazy as _

from . import modules


class CoreConfig(modules.LianxinApp):
    name = "lianxin.core"
    label = "core"
    verbose_name = _("Core")

    def register(self):
        from . import audit, housekeeping  # noqa: F401  (registers the periodic prune)
        from .models import StoredFile
        from .notify import tasks  # noqa: F401  (registers the periodic retry)

        audit.register(StoredFile, exclude=["sha256"])
