"""Channel adapters. Production deployments point settings.NOTIFY_CHANNELS at real gateways."""

import logging

from lianxin.core.pii import mask_mobile

logger = logging.getLogger("lianxin.notify")


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
            raise ValueError("recipient has no mobile number")
        logger.info("SMS to %s: %s %s", mask_mobile(phone), notification.title, notification.body)

    def send_text(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", mask_mobile(phone), text)


class LoggingWeChatChannel(Channel):
    def send(self, notification) -> None:
        logger.info("WeChat to account %s: %s", notification.recipient_id, notification.title)
