"""Logging helpers."""

import logging
import re

# Anything shaped like a credential is masked before a record leaves the process: a traceback or a
# third-party debug line may carry a POST body or a Cookie header.
_SECRET = re.compile(
    r"(?i)(password\d?|passwd|csrfmiddlewaretoken|sessionid|csrftoken|token|secret)"
    r"(['\"]?\s*[:=]\s*['\"]?)([^'\"&;,\s]+)"
)


class RedactSecretsFilter(logging.Filter):
    """Masks password, token and session values in log messages."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = _SECRET.sub(r"\1\2***", message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
