# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Rotation of a signing secret with a grace period, the same for inbound
endpoints (the old secret still verifies) and outbound subscriptions (the
old secret still signs, next to the new one)."""

from datetime import timedelta

from odoo import fields


def rotation_values(old_secret, grace_hours):
    """Values that keep ``old_secret`` valid for ``grace_hours`` more, or
    forget it (no old secret, or no grace)."""
    if old_secret and grace_hours:
        return {
            "previous_secret": old_secret,
            "previous_secret_until": fields.Datetime.now()
            + timedelta(hours=grace_hours),
        }
    return {"previous_secret": False, "previous_secret_until": False}
