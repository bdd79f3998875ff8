# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Canonical serialisation and hashing of audit events (no ORM here)."""

import datetime
import decimal
import hashlib
import json

GENESIS_HASH = "0" * 64
# The columns a chain hash covers, in the order they are documented.
HASHED_FIELDS = (
    "sequence",
    "prev_hash",
    "event_date",
    "user_id",
    "on_behalf_of_id",
    "company_id",
    "event_type",
    "res_model",
    "res_id",
    "record_name",
    "summary",
    "details",
    "channel",
    "correlation_id",
)


def _default(value):
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "backslashreplace")
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    if hasattr(value, "_name") and hasattr(value, "ids"):  # an Odoo recordset
        return {"model": value._name, "ids": list(value.ids)}
    return str(value)


def canonical_json(data):
    """One text for one value: sorted keys, no spaces, UTF-8, no NaN."""
    return json.dumps(
        data,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
        default=_default,
    )


def event_hash(row):
    """SHA-256 (hex) of the canonical form of an event row.

    ``row`` maps the names in :data:`HASHED_FIELDS` to database values; empty
    values are normalised to ``None`` so that NULL and False hash alike.
    """
    payload = {name: (row.get(name) or None) for name in HASHED_FIELDS}
    payload["sequence"] = row.get("sequence")
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()
