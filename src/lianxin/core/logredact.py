"""A logging filter that keeps phone and ID numbers out of every log line."""

import logging
import re

from .pii import mask_text

# Secrets in query strings and form bodies of request lines (?api_key=..., &token=..., &code=...).
_SECRET_RE = re.compile(r"(?i)\b(api_key|key|token|code|password|secret)=([^&\s\"']+)")


def redact(text: str) -> str:
    """A log line or stored error with personal data (core.pii.mask_text) and query-string secrets masked."""
    return _SECRET_RE.sub(lambda m: f"{m[1]}=****", mask_text(text))


class RedactPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is the caller's bug; let logging report it
            return True
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
