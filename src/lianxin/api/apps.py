from django.utils.translation import gettext_lazy as _

from lianxin.core import modules


class ApiConfig(modules.LianxinApp):
    name = "lianxin.api"
    label = "api"
    verbose_name = _("Programming interfaces")

    def register(self):
        from lianxin.accounts.models import RoleGrant, User
        from lianxin.core import configcache
        from lianxin.people.models import Person

        from .models import ApiKey, forget_keys

        # What a cached key carries (models.KEY_CACHE_SECONDS): the key, its owner, their person and grants. Not
        # configuration snapshots: these change too often to bump the shared stamp, hence a short time instead.
        configcache.watch(ApiKey, User, Person, RoleGrant, receiver=forget_keys)
