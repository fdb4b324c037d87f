"""A logging filter that keeps phone and ID numbers out of every log line."""

import logging
import re

from .pii import mask_any

# 11-digit mobiles and 18-character IDs not embedded in longer digit runs.
_PII_RE = re.compile(r"(?<!\d)(?:\d{17}[\dXx]|1[3-9]\d{9})(?!\d)")


def redact(text: str) -> str:
    return _PII_RE.sub(lambda m: mask_any(m.group(0)), text)


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
