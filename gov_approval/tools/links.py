# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Signed, expiring approval link tokens (no ORM here).

A token is ``base64url("<step id>:<user id>:<expiry>") + "." + signature``;
the signature is an HMAC computed by ``sign(payload)``, which the caller
provides (the database secret, through Odoo's ``tools.misc.hmac``).
"""

import base64
import hmac
import time


class InvalidToken(ValueError):
    """The token is malformed or its signature does not match."""


class ExpiredToken(ValueError):
    """The token was valid but its time is over."""


def make_token(sign, step_id, user_id, hours, now=None):
    expiry = int((now or time.time()) + hours * 3600)
    payload = f"{step_id}:{user_id}:{expiry}"
    encoded = base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")
    return f"{encoded}.{sign(payload)}"


def read_token(sign, token, now=None):
    """``(step id, user id)`` of a valid token; :class:`InvalidToken` or
    :class:`ExpiredToken` otherwise."""
    encoded, _sep, signature = (token or "").partition(".")
    try:
        payload = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
        step_id, user_id, expiry = (int(part) for part in payload.split(":"))
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidToken from error
    if not hmac.compare_digest(sign(payload), signature):
        raise InvalidToken
    if expiry < (now or time.time()):
        raise ExpiredToken
    return step_id, user_id
