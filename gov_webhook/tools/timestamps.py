# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Dates and times in event payloads: RFC 3339 with their zone, always.

Odoo keeps datetimes naive, in UTC; an event carries them as
``2026-12-03T12:48:06Z`` so that no receiver has to guess the zone. Every
emitter goes through :func:`rfc3339` (``emit()`` applies it to any datetime
left in the event data).
"""

from datetime import UTC, date, datetime


def rfc3339(value):
    """``value`` (a datetime, naive meaning UTC) as RFC 3339 text in UTC,
    to the second; a date as ``YYYY-MM-DD``; None for an empty value."""
    if not value:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.replace(microsecond=0).isoformat() + "Z"
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not a date or datetime: {value!r}")


def json_default(value):
    """``default`` of ``json.dumps`` for event payloads: dates and datetimes
    in RFC 3339, anything else as text."""
    if isinstance(value, date):
        return rfc3339(value)
    return str(value)
