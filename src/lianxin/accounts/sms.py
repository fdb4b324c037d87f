"""Phone + SMS-code login for residents and riders. Numbers and codes are stored only as keyed digests."""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from lianxin.core.pii import validate_mobile

from .models import SmsCode

IP_HOURLY_LIMIT = 30


def _digest(value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def send_login_code(phone: str, *, ip: str | None = None) -> None:
    """Validate the number, enforce the sending limits, store the code's digest and send the SMS."""
    phone = validate_mobile(phone)
    now = timezone.now()
    phone_digest = _digest(phone)
    recent = SmsCode.objects.filter(phone_digest=phone_digest)
    if recent.filter(created_at__gt=now - settings.SMS_SEND_INTERVAL).exists():
        raise ValidationError(_("A code was just sent to this number; please wait a minute before asking again."))
    if recent.filter(created_at__gt=now - timezone.timedelta(days=1)).count() >= settings.SMS_SEND_DAILY_LIMIT:
        raise ValidationError(_("Too many codes were sent to this number today; please try again tomorrow."))
    from_ip = SmsCode.objects.filter(ip=ip, created_at__gt=now - timezone.timedelta(hours=1))
    if ip and from_ip.count() >= IP_HOURLY_LIMIT:
        raise ValidationError(_("Too many codes were requested from this network; please try again later."))
    code = f"{secrets.randbelow(10**6):06d}"
    SmsCode.objects.create(
        phone_digest=phone_digest, code_digest=_digest(f"{phone}:{code}"),
        expires_at=now + settings.SMS_CODE_TTL, ip=ip,
    )
    text = _("Your Lianxin login code is %(code)s, valid for 5 minutes. Do not share it.") % {"code": code}
    channel = import_string(settings.NOTIFY_CHANNELS["sms"])()
    # The development backend also writes the code on a marked line of its own; a gateway just sends the text.
    if hasattr(channel, "send_login_code"):
        transaction.on_commit(lambda: channel.send_login_code(phone, text, code))
    else:
        transaction.on_commit(lambda: channel.send_text(phone, text))


def check_login_code(phone: str, code: str) -> bool:
    """True once for a right, unexpired code; each wrong try counts against the code."""
    try:
        phone = validate_mobile(phone)
    except ValidationError:
        return False
    now = timezone.now()
    with transaction.atomic():
        sms = (
            SmsCode.objects.select_for_update()
            .filter(phone_digest=_digest(phone), used_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at")
            .first()
        )
        if sms is None or sms.attempts >= settings.SMS_CODE_MAX_ATTEMPTS:
            return False
        if not hmac.compare_digest(sms.code_digest, _digest(f"{phone}:{(code or '').strip()}")):
            SmsCode.objects.filter(pk=sms.pk).update(attempts=sms.attempts + 1)
            return False
        SmsCode.objects.filter(pk=sms.pk).update(used_at=now)
        return True
