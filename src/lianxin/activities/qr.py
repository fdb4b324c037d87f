"""The rotating sign-in code: the organiser's phone shows a QR code whose token changes every ``STEP`` seconds,
so a photo of it sent to someone at home stops working within a minute. A token is a keyed digest of the
activity, its seed and the time step; the current and the previous step are accepted."""

import hashlib
import hmac

from django.conf import settings

from lianxin.core import clock

STEP = 30  # seconds


def _step(moment=None) -> int:
    return int((moment or clock.now()).timestamp()) // STEP


def token(activity, moment=None, step: int | None = None) -> str:
    step = _step(moment) if step is None else step
    message = f"{activity.pk}:{activity.qr_seed}:{step}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:20]


def valid(activity, value: str, moment=None) -> bool:
    now = _step(moment)
    return any(hmac.compare_digest(token(activity, step=s), value or "") for s in (now, now - 1))


def seconds_left(moment=None) -> int:
    return STEP - int((moment or clock.now()).timestamp()) % STEP
