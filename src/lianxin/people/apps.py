from django.utils.translation import gettext_lazy as _

from lianxin.core import modules
from lianxin.core.nav import NavEntry


class PeopleConfig(modules.LianxinApp):
    name = "lianxin.people"
    label = "people"
    verbose_name = _("People")
    nav = (
        NavEntry("people", _("People"), "people:list", "☺", group="organisation"),
        NavEntry("people_import", _("Import people"), "people:import", "⇪", group="organisation"),
    )

    def register(self):
        from lianxin.core import audit

        from . import widgets  # noqa: F401  (the "in my area" counts on the home page)
        from .models import Person, PersonTag

        audit.register(Person, personal=["phone", "id_number"], exclude=["updated_at"])
        audit.register(PersonTag)
