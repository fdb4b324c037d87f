"""API keys for programs: the REST API (as its owner's token) and Open311 GeoReport v2 (as the filing account).

Only a digest of the key is stored; the key itself is shown once, when an administrator creates it with
``lianxin api_key create``. A key acts as its owner: it sees exactly what that account sees.
"""

import hashlib
import secrets
import time
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.core.visibility import user_grants

PREFIX_LENGTH = 8
LAST_USED_STEP = timedelta(minutes=1)
# A program sends its key with every request: the key, its owner and the owner's grants are kept per process for
# this long. A change in this process (revoking, a grant, deactivating the owner) is seen at once (forget_keys);
# one made by another process within this time.
KEY_CACHE_SECONDS = 5.0
_found: dict[str, tuple[float, "ApiKey"]] = {}


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiKey(models.Model):
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(_("key prefix"), max_length=PREFIX_LENGTH, db_index=True, editable=False)
    key_digest = models.CharField(max_length=64, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_keys",
                              verbose_name=_("owner"))
    # Where Open311 reports that carry only an address (no coordinates) are filed; empty: the city.
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("default area"))
    is_active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(_("created"), default=timezone.now)
    revoked = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, *, owner, name: str, area=None) -> tuple["ApiKey", str]:
        """A new key: (row, the raw key). The raw key is not stored anywhere."""
        raw = secrets.token_urlsafe(32)
        key = cls.objects.create(owner=owner, name=name, area=area, prefix=raw[:PREFIX_LENGTH],
                                 key_digest=digest(raw))
        return key, raw

    @classmethod
    def find(cls, raw: str | None) -> "ApiKey | None":
        """The active key matching ``raw`` whose owner may still log in, or None."""
        if not raw or len(raw) > 200:
            return None
        wanted = digest(raw)
        cached = _found.get(wanted)
        if cached is not None and time.monotonic() - cached[0] < KEY_CACHE_SECONDS:
            key = cached[1]
        else:
            key = (cls.objects.filter(key_digest=wanted, is_active=True, owner__is_active=True)
                   .select_related("owner", "owner__person").first())  # the default area only on Open311's use
            if key is None:
                return None
            user_grants(key.owner)  # kept on the owner with the key
            if len(_found) > 1000:
                _found.clear()
            _found[wanted] = (time.monotonic(), key)
        now = timezone.now()
        # "Last used" to the minute: a busy client does not rewrite its key row on every request.
        if key.last_used is None or now - key.last_used >= LAST_USED_STEP:
            cls.objects.filter(pk=key.pk).update(last_used=now)
            key.last_used = now
        return key

    def revoke(self) -> None:  # saved: forget_keys runs
        self.is_active = False
        self.revoked = timezone.now()
        self.save(update_fields=["is_active", "revoked"])


def forget_keys(**_kwargs) -> None:
    """Drop this process's cached keys: a key, an account, a person or a grant changed (signals, see apps)."""
    _found.clear()
