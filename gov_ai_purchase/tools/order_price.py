# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The price side of the three-way match: a bill line's net unit price
against the net price of the purchase order line it bills, both per the
bill line's unit. A bill priced above what was ordered, beyond a tolerance
the use case sets, is what gets overpaid when nobody compares the two."""

VERSION = "order-1"


def net(price, discount):
    """A unit price after its discount (in percent)."""
    return float(price or 0.0) * (1.0 - float(discount or 0.0) / 100.0)


def assess(billed, ordered, tolerance):
    """Judge the net unit price ``billed`` against ``ordered``;
    ``tolerance``: the relative excess still accepted (0.02: 2 %).

    Returns ``{"above", "ratio", "excess"}`` (``excess``: the amount per
    unit above the ordered price), or ``None`` without an ordered price."""
    if ordered <= 0 or billed <= 0:
        return None
    ratio = billed / ordered
    return {
        "above": ratio > 1.0 + max(tolerance, 0.0),
        "ratio": round(ratio, 4),
        "excess": round(max(billed - ordered, 0.0), 6),
    }
