# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The ``Retry-After`` header of a receiver (RFC 9110, section 10.2.3)."""

import re
import time
from datetime import UTC
from email.utils import parsedate_to_datetime

# a receiver cannot park a delivery for more than a day
MAX_RETRY_AFTER = 86400
_SECONDS = re.compile(r"^[0-9]{1,10}$")


def parse_retry_after(value, now=None):
    """Seconds to wait that ``value`` asks for, between 0 and
    :data:`MAX_RETRY_AFTER`, or None when it says nothing usable.

    ``value`` is either a number of seconds or an HTTP date
    (``Wed, 21 Oct 2026 07:28:00 GMT``, or the obsolete forms RFC 9110 still
    accepts); a date in the past means now.
    """
    if not value:
        return None
    value = value.strip()
    if _SECONDS.match(value):
        return min(int(value), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        # the asctime form carries no zone: HTTP dates are always in GMT
        when = when.replace(tzinfo=UTC)
    now = time.time() if now is None else now
    wait = when.timestamp() - now
    return int(max(0, min(wait, MAX_RETRY_AFTER)))
