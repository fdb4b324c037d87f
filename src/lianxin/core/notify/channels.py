"""Channel adapters. Production deployments point settings.NOTIFY_CHANNELS at real gateways."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

from lianxin.core.pii import mask_mobile

logger = logging.getLogger("lianxin.notify")


class Undeliverable(Exception):
    """A message this channel can never deliver (e.g. an SMS to an account without a mobile number): the
    delivery is failed at once instead of being retried. Any other exception is taken for a passing fault."""


class Channel:
    def send(self, notification) -> None:
        raise NotImplementedError


class InAppChannel(Channel):
    """The inbox row is the message; nothing else to do."""

    def send(self, notification) -> None:
        return None


def _recipient_phone(notification) -> str | None:
    person = getattr(notification.recipient, "person", None)
    return person.phone if person else None


class LoggingSmsChannel(Channel):
    """Development SMS: writes the text (never the full number) to the log."""

    def send(self, notification) -> None:
        phone = _recipient_phone(notification)
        if not phone:
            raise Undeliverable("recipient has no mobile number")
        logger.info("SMS to %s: %s %s", mask_mobile(phone), notification.title, notification.body)

    def send_text(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", mask_mobile(phone), text)

    def send_login_code(self, phone: str, text: str, code: str) -> None:
        """The SMS, and the code on a line of its own that stands out in the server log."""
        self.send_text(phone, text)
        logger.info("==== DEV SMS CODE for %s: %s ====", mask_mobile(phone), code)


def development_sms() -> bool:
    """Whether SMS go to the log (LoggingSmsChannel) rather than to a gateway."""
    return issubclass(import_string(settings.NOTIFY_CHANNELS["sms"]), LoggingSmsChannel)


class LoggingWeChatChannel(Channel):
    def send(self, notification) -> None:
        logger.info("WeChat to account %s: %s", notification.recipient_id, notification.title)
