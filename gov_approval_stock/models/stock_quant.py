# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Counted quantities wait for approval before they are applied.

When a matrix governs inventory adjustments, every way Odoo applies counted
quantities goes through an adjustment (``gov.stock.adjustment``): *Apply*
and *Apply All* of the physical inventory, the reason dialog, the conflict
dialog, a quantity set on the product form, a count applied at once, and
code under ``sudo()``. The quants keep their counts until the adjustment is
approved; it then applies them. A quant with stock cannot be deleted around
it meanwhile.
"""

from odoo import api, models
from odoo.exceptions import UserError

from ..tools.applying import applied_now


class StockQuant(models.Model):
    _inherit = "stock.quant"

    def _gov_inventory_governed(self):
        return (
            not applied_now(self.ids)
            and self.env["gov.stock.adjustment"]._gov_approval_is_governed()
        )

    def action_apply_inventory(self, date=None):
        if not self._gov_inventory_governed() or self.filtered("is_outdated"):
            # Odoo's own: applied, or its conflict dialog first
            return super().action_apply_inventory(date)
        return self._gov_inventory_hold(date)

    def _apply_inventory(self, date=None):
        if not self._gov_inventory_governed():
            return super()._apply_inventory(date)
        self._gov_inventory_hold(date)
        return None

    def _gov_inventory_hold(self, date):
        """One adjustment per company for these quants: applied now when no
        approval is needed, otherwise held with a request."""
        adjustments = self.env["gov.stock.adjustment"]._for_quants(self, date)
        return adjustments.action_apply()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_held_stock(self):
        if (
            not self.env.is_superuser()
            and self._gov_inventory_governed()
            and any(not quant.product_uom_id.is_zero(quant.quantity) for quant in self)
        ):
            raise UserError(
                self.env._(
                    "Inventory adjustments wait for approval: count these"
                    " quantities at zero and apply them instead of deleting"
                    " the stock."
                )
            )
