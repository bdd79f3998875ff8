# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The quants an approved (or freely allowed) inventory adjustment is
applying now. Kept in a context variable, out of reach of the ORM context
and of the code Odoo evaluates: nothing but the adjustment opens it."""

from contextlib import contextmanager
from contextvars import ContextVar

_applying = ContextVar("gov_stock_applying", default=frozenset())


@contextmanager
def applying(quant_ids):
    token = _applying.set(_applying.get() | frozenset(quant_ids))
    try:
        yield
    finally:
        _applying.reset(token)


def applied_now(quant_ids=None):
    """Whether an adjustment is applying (these quants, when given)."""
    current = _applying.get()
    if quant_ids is None:
        return bool(current)
    return bool(current) and set(quant_ids) <= current
