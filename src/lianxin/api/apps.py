from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "lianxin.api"
    label = "api"
    verbose_name = _("Programming interfaces")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from lianxin.accounts.models import RoleGrant, User
        from lianxin.people.models import Person

        from .models import ApiKey, forget_keys

        # What a cached key carries (models.KEY_CACHE_SECONDS): the key, its owner, their person and grants.
        for model in (ApiKey, User, Person, RoleGrant):
            post_save.connect(forget_keys, sender=model, dispatch_uid=f"api-keys-save-{model._meta.label}")
            post_delete.connect(forget_keys, sender=model, dispatch_uid=f"api-keys-delete-{model._meta.label}")
