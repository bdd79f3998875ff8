# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The state guard of inventory adjustments: an inventory move (the move
that changes the quantity on hand to a count) is done only by an adjustment
that may be applied, whatever made it (a revert of an earlier adjustment, a
move created over RPC, code under ``sudo()``)."""

from odoo import models
from odoo.exceptions import UserError

from ..tools.applying import applied_now


class StockMove(models.Model):
    _inherit = "stock.move"

    def _action_done(self, cancel_backorder=False):
        inventory = self.filtered("is_inventory")
        if (
            inventory
            and not applied_now()
            and inventory._gov_inventory_moves_governed()
        ):
            raise UserError(
                self.env._(
                    "Inventory adjustments of this company wait for approval:"
                    " count the quantities in the physical inventory and apply"
                    " them there."
                )
            )
        return super()._action_done(cancel_backorder=cancel_backorder)

    def _gov_inventory_moves_governed(self):
        """Whether an active matrix governs the adjustments of the moves'
        companies (the audited technical bypass aside)."""
        Adjustment = self.env["gov.stock.adjustment"]
        if not Adjustment._gov_approval_is_governed():
            return False
        Matrix = self.env["gov.approval.matrix"].sudo()
        return any(
            Matrix._matrix_ids_for("gov.stock.adjustment:apply", company.id)
            for company in self.company_id
        )
