# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Webhook signature schemes, verified over the raw bytes (no ORM here).

Each ``verify_*`` function returns ``(ok, timestamp)``: ``timestamp`` is the
signed Unix time when the scheme carries one, else ``None``. They never raise
on malformed input: a header that cannot be parsed simply does not verify.

Standard Webhooks keys, by prefix: ``whsec_`` a shared HMAC secret (``v1``
signatures), ``whsk_`` an Ed25519 private key that signs (``v1a``), ``whpk_``
the public key that verifies ``v1a`` signatures; each is base64. Svix sends
the same scheme under ``svix-id``, ``svix-timestamp`` and ``svix-signature``.
"""

import base64
import binascii
import hashlib
import hmac
import re
import secrets

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

_INT = re.compile(r"^[0-9]{1,12}$")
HMAC_PREFIX = "whsec_"
PRIVATE_PREFIX = "whsk_"
PUBLIC_PREFIX = "whpk_"
# the headers of a Standard Webhooks message, and Svix's names for them
STANDARD_HEADERS = ("webhook-id", "webhook-timestamp", "webhook-signature")
SVIX_HEADERS = ("svix-id", "svix-timestamp", "svix-signature")


def new_standard_secret():
    """A Standard Webhooks secret: ``whsec_`` and 32 random bytes in base64."""
    return HMAC_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def new_signing_key():
    """A new Ed25519 key pair: ``(whsk_ private key, whpk_ public key)``."""
    private = Ed25519PrivateKey.generate()
    raw = private.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    secret = PRIVATE_PREFIX + base64.b64encode(raw).decode()
    return secret, public_key_of(secret)


def _b64(text):
    """Bytes of base64 ``text`` (padding optional), or None."""
    text = text.strip()
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None


def _private_key(secret):
    raw = _b64(secret[len(PRIVATE_PREFIX) :])
    # the 32-byte seed, or the 64 bytes of seed and public key (libsodium)
    if not raw or len(raw) not in (32, 64):
        return None
    return Ed25519PrivateKey.from_private_bytes(raw[:32])


def _public_key(secret):
    raw = _b64(secret[len(PUBLIC_PREFIX) :])
    if not raw or len(raw) != 32:
        return None
    return Ed25519PublicKey.from_public_bytes(raw)


def public_key_of(secret):
    """The ``whpk_`` public key of a ``whsk_`` private key, or None."""
    key = _private_key(secret) if secret.startswith(PRIVATE_PREFIX) else None
    if key is None:
        return None
    raw = key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return PUBLIC_PREFIX + base64.b64encode(raw).decode()


def _standard_key(secret):
    if secret.startswith(HMAC_PREFIX):
        return _b64(secret[len(HMAC_PREFIX) :])
    return secret.encode()


def _signed_content(msg_id, timestamp, body):
    return f"{msg_id}.{timestamp}.".encode() + body


def standard_sign(secret, msg_id, timestamp, body):
    """``v1,<base64 HMAC-SHA256 of "id.timestamp.body">``, or with a ``whsk_``
    key ``v1a,<base64 Ed25519 signature of the same>``."""
    signed = _signed_content(msg_id, timestamp, body)
    if secret.startswith(PRIVATE_PREFIX):
        key = _private_key(secret)
        if key is None:
            raise ValueError("not an Ed25519 private key")
        return "v1a," + base64.b64encode(key.sign(signed)).decode()
    key = _standard_key(secret)
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def standard_signatures(secrets_, msg_id, timestamp, body):
    """The ``webhook-signature`` header of a message signed with each of
    ``secrets_`` (during a rotation: the new and the previous one)."""
    return " ".join(
        standard_sign(secret, msg_id, timestamp, body) for secret in secrets_
    )


def standard_headers(headers):
    """``(id, timestamp, signature)`` of a Standard Webhooks message, under
    their own names or Svix's (never a mix of both)."""
    names = STANDARD_HEADERS
    if not any(headers.get(name) for name in names):
        names = SVIX_HEADERS
    return tuple(headers.get(name) or "" for name in names)


def _verify_v1a(key, signed, value):
    signature = _b64(value)
    if not signature or len(signature) != 64:
        return False
    try:
        key.verify(signature, signed)
    except InvalidSignature:
        return False
    return True


def verify_standard(secrets_, headers, body):
    msg_id, timestamp, signature_header = standard_headers(headers)
    signatures = signature_header.split()
    if not msg_id or not _INT.match(timestamp) or not signatures:
        return False, None
    signed = _signed_content(msg_id, timestamp, body)
    for secret in secrets_:
        if secret.startswith(PUBLIC_PREFIX):
            key = _public_key(secret)
            if key and any(
                version == "v1a" and _verify_v1a(key, signed, value)
                for version, _sep, value in (c.partition(",") for c in signatures)
            ):
                return True, int(timestamp)
            continue
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
# Headers carrying the sender's delivery id, per profile, first found wins.
DELIVERY_ID_HEADERS = {
    "standard": ("webhook-id", "svix-id"),
    "stripe": ("idempotency-key",),
    "github": ("x-github-delivery",),
    "shopify": ("x-shopify-webhook-id",),
    "token": ("idempotency-key",),
}
