# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A strict JSON reader for untrusted webhook bodies (no ORM here).

Refuses what RFC 8259 calls non-interoperable: invalid UTF-8 or a BOM, NaN and
Infinity, duplicate keys, nesting deeper than a limit, numbers too large to be
meaningful, lone surrogates and NUL characters. Decimals are read as
:class:`decimal.Decimal` so that money keeps its digits.
"""

import decimal
import json

MAX_DEPTH = 64
MAX_NUMBER_DIGITS = 100


class StrictJSONError(ValueError):
    """The body is not acceptable JSON; ``reason`` is a short code."""

    def __init__(self, reason, message):
        super().__init__(message)
        self.reason = reason


def _reject_constant(name):
    raise StrictJSONError("json_non_interoperable", f"{name} is not valid JSON")


def _no_duplicates(pairs):
    result = {}
    for key, value in pairs:
        if key in result:
            raise StrictJSONError("json_duplicate_key", f"duplicate key {key!r}")
        result[key] = value
    return result


def _parse_int(text):
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise StrictJSONError("json_number_too_large", "integer with too many digits")
    return int(text)


def _parse_float(text):
    if len(text) > MAX_NUMBER_DIGITS:
        raise StrictJSONError("json_number_too_large", "number with too many digits")
    value = decimal.Decimal(text)
    if not value.is_finite() or abs(value.adjusted()) > 308:
        raise StrictJSONError("json_number_too_large", "number out of range")
    return value


def _check_depth(text, limit):
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                raise StrictJSONError("json_too_deep", f"nesting deeper than {limit}")
        elif char in "]}":
            depth -= 1


def _check_strings(value):
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            if "\x00" in item:
                raise StrictJSONError("json_nul_character", "NUL character in a string")
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise StrictJSONError(
                    "json_lone_surrogate", "lone surrogate in a string"
                ) from None


def loads(raw, max_depth=MAX_DEPTH):
    """Parse ``raw`` bytes strictly; raise :class:`StrictJSONError`."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raise StrictJSONError("encoding_invalid", "a byte order mark is not allowed")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise StrictJSONError(
            "encoding_invalid", f"invalid UTF-8: {exc.reason}"
        ) from None
    if not text.strip():
        raise StrictJSONError("json_invalid", "empty body")
    _check_depth(text, max_depth)
    try:
        value = json.loads(
            text,
            parse_constant=_reject_constant,
            object_pairs_hook=_no_duplicates,
            parse_int=_parse_int,
            parse_float=_parse_float,
        )
    except StrictJSONError:
        raise
    except RecursionError:
        raise StrictJSONError("json_too_deep", "nesting too deep") from None
    except ValueError as exc:
        raise StrictJSONError("json_invalid", f"invalid JSON: {exc}") from None
    _check_strings(value)
    return value


def to_plain(value):
    """Decimals back to JSON-compatible numbers or strings for storage."""
    if isinstance(value, dict):
        return {key: to_plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [to_plain(item) for item in value]
    if isinstance(value, decimal.Decimal):
        as_float = float(value)
        # a number when the float says exactly the same, else the exact digits
        return as_float if decimal.Decimal(repr(as_float)) == value else str(value)
    return value
