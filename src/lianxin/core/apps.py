from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from . import modules

# Django's form label suffix, and the marks after which it leaves the suffix out, are looked up as these msgids;
# Django's own zh_Hans catalog keeps the ASCII colon, so ours gives the full-width one ("手机号：", and no "？：").
FORM_PUNCTUATION = (gettext_noop(":"), gettext_noop(":?.!"))


class CoreConfig(modules.LianxinApp):
    name = "lianxin.core"
    label = "core"
    verbose_name = _("Core")

    def register(self):
        from . import audit, housekeeping  # noqa: F401  (registers the periodic prune)
        from .models import StoredFile
        from .notify import tasks  # noqa: F401  (registers the periodic retry)

        audit.register(StoredFile, exclude=["sha256"])
