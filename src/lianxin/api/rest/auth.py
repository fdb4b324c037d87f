"""Programs authenticate with an API key issued by an administrator: ``Authorization: Token <key>``.

The key acts as its owner's account and sees exactly what that account sees (``visible_to``)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from lianxin.api.models import ApiKey

KEYWORDS = ("token", "api-key", "bearer")


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].decode(errors="replace").lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid Authorization header: give one key after the word."))
        key = ApiKey.find(parts[1].decode(errors="replace"))
        if key is None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked API key."))
        return key.owner, key

    def authenticate_header(self, request):
        return self.keyword


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "lianxin.api.rest.auth.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "`Token <key>`; keys are issued by administrators (`lianxin api_key create`)."}
