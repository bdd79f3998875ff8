# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Pure helpers of the exception queue: masking, backoff, payload diffs.

No ORM here, so each helper can be read and tested alone.
"""

import json
import random
import re

MASK = "***"
DEFAULT_MASK_PATTERNS = (
    "password",
    "passwd",
    "secret",
    "token",
    "authorization",
    "cookie",
    "api_key",
    "apikey",
    "signature",
    "private_key",
    "card_number",
    "cvv",
)
# Bearer/Basic credentials anywhere in raw text.
_AUTH_IN_TEXT = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{6,}")


def parse_patterns(text):
    """Comma or newline separated key patterns, normalised for matching."""
    if not text:
        return DEFAULT_MASK_PATTERNS
    items = re.split(r"[,\n]", text)
    return tuple(_normalise(item) for item in items if item.strip())


def _normalise(key):
    return re.sub(r"[\s\-.]", "_", str(key).strip().lower())


def is_secret_key(key, patterns):
    name = _normalise(key)
    return any(pattern and pattern in name for pattern in patterns)


def mask_value(value, patterns):
    """Return ``value`` with every secret-looking key's value replaced.

    Dicts and lists are walked recursively; strings have inline
    ``key=value`` pairs and Bearer/Basic credentials masked.
    """
    if isinstance(value, dict):
        return {
            key: (MASK if is_secret_key(key, patterns) else mask_value(item, patterns))
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [mask_value(item, patterns) for item in value]
    if isinstance(value, str):
        return mask_text(value, patterns)
    return value


# ``key=value`` or ``key: value`` (quotes allowed), starting at a token edge so
# that long runs of word characters are scanned once, not once per position.
_PAIR_IN_TEXT = re.compile(
    r"(?<![\w\-.])([\w\-.]{1,128})(\"?\s*[=:]\s*\"?)([^\s&\",;}?=]+)"
)


def mask_text(text, patterns):
    """Mask credentials in free text: ``key=value``, ``key: value``, Bearer."""
    if not text:
        return text
    text = _AUTH_IN_TEXT.sub(lambda m: f"{m.group(1)} {MASK}", text)
    if not patterns:
        return text

    def pair(match):
        if is_secret_key(match.group(1), patterns):
            return match.group(1) + match.group(2) + MASK
        return match.group(0)

    return _PAIR_IN_TEXT.sub(pair, text)


def mask_payload(payload, patterns):
    """Mask a payload given as a JSON-able value or as text (JSON or not).

    Returns ``(text, is_json)``: the text to store and whether it is JSON.
    """
    if isinstance(payload, bytes):
        payload = payload.decode("utf-8", "backslashreplace")
    if isinstance(payload, str):
        try:
            value = json.loads(payload, parse_constant=_refuse_constant)
            text = dumps(mask_value(value, patterns))
            text.encode("utf-8")
        except (ValueError, RecursionError, UnicodeEncodeError):
            # not JSON we can store faithfully: keep it as text
            return mask_text(payload.replace("\x00", "\\x00"), patterns), False
        return text, True
    return dumps(mask_value(payload, patterns)), True


def _refuse_constant(name):
    raise ValueError(f"{name} is not JSON")


def dumps(value):
    """JSON as stored: readable, stable key order, no NaN."""
    return json.dumps(
        value,
        indent=2,
        sort_keys=True,
        ensure_ascii=False,
        allow_nan=False,
        default=str,
    )


def backoff_delay(attempt, base, factor, maximum, jitter, retry_after=None, rng=None):
    """Seconds to wait before attempt number ``attempt + 1``.

    Exponential: ``base * factor ** (attempt - 1)``, capped at ``maximum``,
    spread by +/- ``jitter`` (a ratio) so that items failing together do not
    retry together. A ``retry_after`` from the failing party is a floor.
    """
    rng = rng or random
    attempt = max(int(attempt), 1)
    delay = min(float(maximum), float(base) * float(factor) ** (attempt - 1))
    if jitter:
        delay *= 1 + rng.uniform(-float(jitter), float(jitter))
    if retry_after:
        delay = max(delay, float(retry_after))
    return max(delay, 0.0)


def json_diff(before, after, path=""):
    """List the changes between two JSON values as ``(path, old, new)``.

    Paths look like ``lines[2].amount``; a missing side is ``None``.
    """
    changes = []
    if isinstance(before, dict) and isinstance(after, dict):
        for key in sorted(set(before) | set(after), key=str):
            sub = f"{path}.{key}" if path else str(key)
            if key not in before:
                changes.append((sub, None, after[key]))
            elif key not in after:
                changes.append((sub, before[key], None))
            else:
                changes.extend(json_diff(before[key], after[key], sub))
        return changes
    if isinstance(before, list) and isinstance(after, list):
        for index in range(max(len(before), len(after))):
            sub = f"{path}[{index}]"
            old = before[index] if index < len(before) else None
            new = after[index] if index < len(after) else None
            if index >= len(before) or index >= len(after):
                changes.append((sub, old, new))
            else:
                changes.extend(json_diff(old, new, sub))
        return changes
    if before != after or type(before) is not type(after):
        changes.append((path or "$", before, after))
    return changes
