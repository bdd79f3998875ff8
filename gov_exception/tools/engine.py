# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The models the exception queue owns, and the grant to write them."""

from odoo.addons.gov_base.tools.engine import engine_writes

QUEUE_MODELS = ("gov.exception.item", "gov.exception.attempt")


def queue_writes():
    """Open the exception queue's grant (see ``gov_base/tools/engine.py``).

    Only the queue's entry points open it, after their own checks: capture,
    the scheduled retry, SLA and retention, and the buttons of people who may
    work the items.
    """
    return engine_writes(*QUEUE_MODELS)
