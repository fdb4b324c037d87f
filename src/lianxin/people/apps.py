from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "lianxin.people"
    label = "people"
    verbose_name = _("People")

    def ready(self):
        from lianxin.core import audit
        from lianxin.core.nav import register_nav

        from .models import Person, PersonTag

        audit.register(Person, personal=["phone", "id_number"], exclude=["updated_at"])
        audit.register(PersonTag)
        register_nav("people", _("People"), "people:list", "☺")
        register_nav("people_import", _("Import people"), "people:import", "⇪")
