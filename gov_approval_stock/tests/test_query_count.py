# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Query budgets of applying counted quantities under a matrix."""

from odoo.tests import tagged

from .common import StockApprovalCase


@tagged("post_install", "-at_install")
class TestStockQueryBudgets(StockApprovalCase):
    def _quants(self, count, start, counted=30):
        Quant = self.env["stock.quant"]
        quants = Quant
        for index in range(count):
            product = self.env["product.product"].create(
                {
                    "name": f"Budget {start + index}",
                    "is_storable": True,
                    "standard_price": 100,
                }
            )
            Quant._update_available_quantity(product, self.stock, 10)
            quants |= Quant.search([("product_id", "=", product.id)])
        quants.with_context(inventory_mode=True).inventory_quantity = counted
        return quants.with_user(self.storekeeper)

    def test_held_application_budget(self):
        """Twenty counts held in one adjustment with one request: the lines
        are written together (73 queries here)."""
        for warm in range(2):
            self._quants(20, warm * 20).action_apply_inventory()
        quants = self._quants(20, 100)
        self.env.invalidate_all()
        with self.assertQueryCount(80):
            quants.action_apply_inventory()
        self.assertEqual(self.adjustment_of(quants[:1]).line_count, 20)

    def test_free_application_budget(self):
        """A small count applied at once: the adjustment, and Odoo's own
        inventory move (87 queries here)."""
        for warm in range(2):
            self._quants(1, 200 + warm, counted=15).action_apply_inventory()
        quants = self._quants(1, 300, counted=15)
        self.env.invalidate_all()
        with self.assertQueryCount(95):
            quants.action_apply_inventory()
        self.assertEqual(quants.sudo().quantity, 15)
