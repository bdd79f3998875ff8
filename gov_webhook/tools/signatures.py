# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Webhook signature schemes, verified over the raw bytes (no ORM here).

Each ``verify_*`` function returns ``(ok, timestamp)``: ``timestamp`` is the
signed Unix time when the scheme carries one, else ``None``. They never raise
on malformed input: a header that cannot be parsed simply does not verify.
"""

import base64
import binascii
import hashlib
import hmac
import re
import secrets

_INT = re.compile(r"^[0-9]{1,12}$")


def new_standard_secret():
    """A Standard Webhooks secret: ``whsec_`` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def _standard_key(secret):
    if secret.startswith("whsec_"):
        try:
            return base64.b64decode(secret[6:], validate=True)
        except (binascii.Error, ValueError):
            return None
    return secret.encode()


def standard_sign(secret, msg_id, timestamp, body):
    """``v1,<base64 HMAC-SHA256 of "id.timestamp.body">``."""
    key = _standard_key(secret)
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def verify_standard(secrets_, headers, body):
    msg_id = headers.get("webhook-id") or ""
    timestamp = headers.get("webhook-timestamp") or ""
    signatures = (headers.get("webhook-signature") or "").split()
    if not msg_id or not _INT.match(timestamp) or not signatures:
        return False, None
    for secret in secrets_:
        key = _standard_key(secret)
        if not key:
            continue
        expected = standard_sign(secret, msg_id, timestamp, body).split(",", 1)[1]
        for candidate in signatures:
            version, _sep, value = candidate.partition(",")
            if version == "v1" and hmac.compare_digest(
                value.encode(), expected.encode()
            ):
                return True, int(timestamp)
    return False, None


def stripe_sign(secret, timestamp, body):
    signed = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def verify_stripe(secrets_, headers, body):
    header = headers.get("stripe-signature") or ""
    timestamp, candidates = None, []
    for part in header.split(","):
        key, _sep, value = part.strip().partition("=")
        if key == "t" and _INT.match(value):
            timestamp = value
        elif key == "v1" and value:
            candidates.append(value)
    if timestamp is None or not candidates:
        return False, None
    for secret in secrets_:
        expected = stripe_sign(secret, timestamp, body)
        if any(hmac.compare_digest(c.encode(), expected.encode()) for c in candidates):
            return True, int(timestamp)
    return False, None


def github_sign(secret, body):
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify_github(secrets_, headers, body):
    header = headers.get("x-hub-signature-256") or ""
    if not header.startswith("sha256="):
        return False, None
    for secret in secrets_:
        if hmac.compare_digest(header.encode(), github_sign(secret, body).encode()):
            return True, None
    return False, None


def shopify_sign(secret, body):
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def verify_shopify(secrets_, headers, body):
    header = headers.get("x-shopify-hmac-sha256") or ""
    if not header:
        return False, None
    for secret in secrets_:
        if hmac.compare_digest(header.encode(), shopify_sign(secret, body).encode()):
            return True, None
    return False, None


def verify_token(secrets_, headers, body, header_name="authorization"):
    """A bearer or header token compared in constant time."""
    value = headers.get(header_name.lower()) or ""
    if header_name.lower() == "authorization":
        scheme, _sep, value = value.partition(" ")
        if scheme.lower() != "bearer":
            return False, None
    if not value:
        return False, None
    for secret in secrets_:
        if hmac.compare_digest(value.encode(), secret.encode()):
            return True, None
    return False, None


VERIFIERS = {
    "standard": verify_standard,
    "stripe": verify_stripe,
    "github": verify_github,
    "shopify": verify_shopify,
    "token": verify_token,
}
# Header carrying the sender's delivery id, per profile.
DELIVERY_ID_HEADERS = {
    "standard": "webhook-id",
    "stripe": "idempotency-key",
    "github": "x-github-delivery",
    "shopify": "x-shopify-webhook-id",
    "token": "idempotency-key",
}
