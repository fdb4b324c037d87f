"""Two-factor sign-in for staff: a TOTP authenticator app (django-otp) with one-time recovery codes.

Required for administrators and every role of county or city level (settings.TWO_FACTOR_REQUIRED); optional for
everyone else who signs in with a password. An administrator who may change an account can reset its second factor
(audited), after which the owner enrols again at the next sign-in.
"""

import secrets

from auditlog.models import LogEntry
from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lianxin.core.roles import ROLES

RECOVERY_CODES = 10
REQUIRED_LEVELS = ("county", "city")


def pending_user(pk):
    """The account whose password was right and whose code is awaited (by the id the session holds), if active.
    Before sign-in there is no user to scope the read by: the session's own record is the authority."""
    from .models import User

    return User.objects.filter(pk=pk, is_active=True).first()


def required_for(user) -> bool:
    if not settings.TWO_FACTOR_REQUIRED:
        return False
    return any(g.role == "administrator" or ROLES[g.role].level in REQUIRED_LEVELS
               for g in user.grants.all() if g.role in ROLES)


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user) -> TOTPDevice:
    """The authenticator being set up (not yet confirmed): one per account, kept across page loads."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def otpauth_url(device: TOTPDevice) -> str:
    """What the QR code holds: the key, the issuer (settings.OTP_TOTP_ISSUER) and the username."""
    return device.config_url


def secret_text(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for typing into an app without a camera."""
    from base64 import b32encode

    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


@transaction.atomic
def confirm(user, token: str) -> list[str] | None:
    """Confirm the pending authenticator with a code from it; the new recovery codes (shown once), or None."""
    device = pending_device(user)
    if not device.verify_token(_digits(token)):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return new_recovery_codes(user)


def new_recovery_codes(user) -> list[str]:
    static, _ = StaticDevice.objects.get_or_create(user=user, name="recovery")
    static.token_set.all().delete()
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    return codes


def verify(user, token: str):
    """The device that accepts ``token`` (an authenticator code or an unused recovery code), or None."""
    token = _digits(token)
    if not token:
        return None
    device = confirmed_device(user)
    if device and len(token) == 6 and device.verify_token(token):
        return device
    static = StaticDevice.objects.filter(user=user, name="recovery").first()
    if static and len(token) == 8 and static.verify_token(token):  # a recovery code works once
        return static
    return None


@transaction.atomic
def reset(user, *, actor) -> None:
    """Remove the account's second factor (a lost phone): audited; the owner enrols again at the next sign-in."""
    had = TOTPDevice.objects.filter(user=user).exists()
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    LogEntry.objects.log_create(user, action=LogEntry.Action.UPDATE, actor=actor, force_log=True,
                                changes={"two_factor": ["on" if had else "off", "reset"]})


def _digits(token) -> str:
    return "".join(c for c in str(token or "") if c.isdigit())
