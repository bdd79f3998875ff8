# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Late secrets: markers an event carries in place of a secret (no ORM here).

Event data may hold ``{"$secret": "<kind>", "ref": <JSON value>}`` anywhere
in nested objects and lists. The outbox stores and shows the marker; the
sender replaces it by the secret in the bytes it sends only, and redacts the
secret from whatever it keeps of the answer.
"""

import json

MARKER = "$secret"
REDACTED = "[secret]"
_MISSING = object()


class LateSecretError(ValueError):
    """A marker that is not written ``{"$secret": "<kind>", "ref": <value>}``,
    or a resolver that did not answer with text."""


def has_markers(value):
    """Whether ``value`` holds a late secret marker at any depth."""
    if isinstance(value, dict):
        return MARKER in value or any(has_markers(item) for item in value.values())
    if isinstance(value, list):
        return any(has_markers(item) for item in value)
    return False


def materialize(value, resolve, resolved=None):
    """A copy of ``value`` where each marker is replaced by ``resolve(kind, ref)``.

    :param resolve: returns the secret of a marker as text
    :param resolved: a list each secret is appended to as soon as it is known,
        so that the caller can redact them even when a later marker fails
    """
    if isinstance(value, dict):
        if MARKER in value:
            kind, ref = _parse_marker(value)
            secret = resolve(kind, ref)
            if not isinstance(secret, str):
                raise LateSecretError(
                    f"the resolver of {kind!r} secrets answered"
                    f" {type(secret).__name__}, not text"
                )
            if resolved is not None:
                resolved.append(secret)
            return secret
        return {
            key: materialize(item, resolve, resolved) for key, item in value.items()
        }
    if isinstance(value, list):
        return [materialize(item, resolve, resolved) for item in value]
    return value


def _parse_marker(value):
    kind = value[MARKER]
    if set(value) != {MARKER, "ref"} or not isinstance(kind, str) or not kind:
        raise LateSecretError(
            'a late secret is written {"$secret": "<kind>", "ref": <value>},'
            " nothing else in the object"
        )
    return kind, value["ref"]


def redact(text, secrets):
    """``text`` with each secret replaced by a placeholder, as written and as
    JSON escapes it (an answer may echo the body)."""
    if not text:
        return text
    forms = set()
    for secret in secrets:
        if secret:
            forms.update(
                (
                    secret,
                    json.dumps(secret)[1:-1],
                    json.dumps(secret, ensure_ascii=False)[1:-1],
                )
            )
    for form in sorted(forms, key=len, reverse=True):
        text = text.replace(form, REDACTED)
    return text


def restore_masked(edited, stored, mask):
    """``edited`` where each value still equal to ``mask`` takes the value
    ``stored`` holds at the same place.

    The exception queue shows payloads with secret-looking keys masked (a
    marker's kind among them): a payload edited there keeps what it did not
    change.
    """
    if isinstance(edited, str) and edited == mask:
        return edited if stored is _MISSING else stored
    if isinstance(edited, dict) and isinstance(stored, dict):
        return {
            key: restore_masked(item, stored.get(key, _MISSING), mask)
            for key, item in edited.items()
        }
    if isinstance(edited, list) and isinstance(stored, list):
        return [
            restore_masked(
                item, stored[index] if index < len(stored) else _MISSING, mask
            )
            for index, item in enumerate(edited)
        ]
    return edited
