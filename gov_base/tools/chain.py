# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Canonical serialisation, hashing and signatures of the audit log (no ORM
here: the keys are passed in, see ``keyring.derive_key``).

Three HMACs protect the log, each under its own key:

* the *entry signature* of an event, given when the suite writes it: the
  sealer only chains events that carry a valid one, so a row INSERTed over
  SQL never enters the chain;
* the *chain hash* of an event, given when it is sealed: HMAC-SHA256 of its
  content, its position and the previous hash. Databases upgraded from the
  unkeyed chain keep their old events, hashed with plain SHA-256
  (``chain_version`` empty);
* the *signature* of a verification result, which also covers the signature
  of the result before it.
"""

import datetime
import decimal
import hashlib
import hmac
import json

GENESIS_HASH = "0" * 64
# chain_version of events sealed with the key; empty means the unkeyed
# SHA-256 chain of the first version
KEYED_CHAIN_VERSION = 2
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
# A keyed hash also binds the version, so that an event cannot be passed off
# as one of the unkeyed chain.
KEYED_HASHED_FIELDS = (*HASHED_FIELDS, "chain_version")
# What the writer of an event signs: its content, before it has a position.
ENTRY_FIELDS = HASHED_FIELDS[2:]
# What a verification result signs.
VERIFICATION_FIELDS = (
    "verified_date",
    "user_id",
    "company_id",
    "result",
    "checked_count",
    "head_sequence",
    "head_hash",
    "unsealed_count",
    "broken_sequence",
    "broken_event_id",
    "reason",
    "keyed_from_sequence",
    "legacy_digest",
    "prev_signature",
)
# Columns of the verification results written before they were signed.
LEGACY_VERIFICATION_FIELDS = (
    "id",
    "verified_date",
    "user_id",
    "result",
    "checked_count",
    "head_sequence",
    "head_hash",
    "unsealed_count",
    "broken_sequence",
    "broken_event_id",
    "reason",
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


def _payload(row, names):
    # empty values are normalised to None so that NULL, False and "" agree
    return canonical_json({name: (row.get(name) or None) for name in names}).encode(
        "utf-8"
    )


def _hmac(key, message):
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def event_hash(row, key=None):
    """The chain hash (hex) of an event row.

    ``row`` maps the names in :data:`HASHED_FIELDS` (and ``chain_version``)
    to database values. With ``key``, HMAC-SHA256 of the keyed chain; without,
    the plain SHA-256 of the unkeyed chain of upgraded databases.
    """
    if key is None:
        payload = {name: (row.get(name) or None) for name in HASHED_FIELDS}
        payload["sequence"] = row.get("sequence")
        return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()
    return _hmac(key, _payload(row, KEYED_HASHED_FIELDS))


def entry_signature(key, row):
    """HMAC-SHA256 (hex) of an event's content, given by its writer."""
    return _hmac(key, _payload(row, ENTRY_FIELDS))


def verification_signature(key, row):
    """HMAC-SHA256 (hex) of a verification result (see :data:`VERIFICATION_FIELDS`)."""
    return _hmac(key, _payload(row, VERIFICATION_FIELDS))


def legacy_verification_digest(rows):
    """SHA-256 (hex) of the unsigned verification results of an upgraded
    database, in id order; the first signed result vouches for them."""
    payload = [
        {name: (row.get(name) or None) for name in LEGACY_VERIFICATION_FIELDS}
        for row in rows
    ]
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


def same_digest(expected, found):
    """Constant-time comparison of two hex digests (either may be empty)."""
    if not expected or not found:
        return False
    return hmac.compare_digest(expected.encode(), str(found).encode())
