# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Reading values out of a parsed JSON payload by dotted path."""


def dig(payload, path):
    """``(found, value)`` at a dotted path such as ``data.lines.0.sku``.

    Digits index lists; anything else is a key of an object. A path that
    runs into a missing key, an out-of-range index or a scalar is not found.
    """
    value = payload
    for part in (path or "").split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return False, None
    return True, value
