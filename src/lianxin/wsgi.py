import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianxin.settings")
application = get_wsgi_application()


def _refuse_the_development_key() -> None:
    """The development key is in the source: with it, session signatures and the keyed phone digests are forgeable
    and reversible. A server with DEBUG off does not start on it."""
    from django.conf import settings

    if not settings.DEBUG and settings.SECRET_KEY == settings.DEV_SECRET_KEY:
        raise ImproperlyConfigured(
            "LIANXIN_SECRET_KEY is not set: refusing to serve with the public development key. Set "
            "LIANXIN_SECRET_KEY to a long random value (python -c 'import secrets; print(secrets.token_urlsafe(50))'); "
            "`lianxin demo` makes and keeps one under var/.")


_refuse_the_development_key()
