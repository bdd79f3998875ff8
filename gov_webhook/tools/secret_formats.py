# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Formats of the secrets a provider or a receiver issues (no ORM here).

:func:`check_secret` returns ``(secret, problem)``: the secret as it is to
be stored, or a problem code the caller words for the user.
"""

import re

from .signatures import HMAC_PREFIX, PRIVATE_PREFIX, PUBLIC_PREFIX, _b64

_STRIPE = re.compile(r"^whsec_[A-Za-z0-9]{16,128}$")
_PRINTABLE = re.compile(r"^[\x21-\x7e]+$")
MIN_TOKEN = 16
MAX_SECRET = 1024
# Standard Webhooks secrets are 24 to 64 random bytes
HMAC_BYTES = (24, 64)


def _standard_hmac(value):
    raw = _b64(value[len(HMAC_PREFIX) :])
    if raw is None:
        return value, "standard_base64"
    if not HMAC_BYTES[0] <= len(raw) <= HMAC_BYTES[1]:
        return value, "standard_length"
    return value, None


def check_secret(kind, value):
    """Check ``value`` for ``kind``: an endpoint profile (``standard``,
    ``stripe``, ``github``, ``shopify``, ``token``) or ``receiver`` (the
    Standard Webhooks secret a receiver gave for a subscription).

    Problem codes: ``empty``, ``too_long``, ``whitespace``, ``standard_prefix``,
    ``standard_base64``, ``standard_length``, ``public_key``,
    ``private_key``, ``stripe_format``, ``too_short``.
    """
    value = (value or "").strip()
    if not value:
        return value, "empty"
    if len(value) > MAX_SECRET:
        return value, "too_long"
    if not _PRINTABLE.match(value):
        return value, "whitespace"
    if kind in ("standard", "receiver"):
        if value.startswith(HMAC_PREFIX):
            return _standard_hmac(value)
        if value.startswith(PRIVATE_PREFIX):
            # a private key is never handed over: only its public key
            return value, "private_key"
        if value.startswith(PUBLIC_PREFIX) and kind == "standard":
            raw = _b64(value[len(PUBLIC_PREFIX) :])
            return value, None if raw is not None and len(raw) == 32 else "public_key"
        return value, "standard_prefix"
    if kind == "stripe":
        return value, None if _STRIPE.match(value) else "stripe_format"
    if len(value) < MIN_TOKEN:
        return value, "too_short"
    return value, None
