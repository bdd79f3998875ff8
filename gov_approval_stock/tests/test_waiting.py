# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The physical inventory tells which counts wait for approval: the field,
its filter, and what reading it for a whole list costs."""

from odoo.tests import tagged

from .common import StockApprovalCase


@tagged("post_install", "-at_install")
class TestWaitingCounts(StockApprovalCase):
    def waiting(self):
        return self.env["stock.quant"].search(
            [
                ("product_id", "=", self.product.id),
                ("gov_approval_waiting", "=", "waiting"),
            ]
        )

    def assert_waiting(self, adjustment):
        self.quant.invalidate_recordset()
        self.assertEqual(
            self.quant.gov_approval_waiting, "waiting" if adjustment else False
        )
        self.assertEqual(self.quant.gov_adjustment_id, adjustment)
        self.assertEqual(
            self.waiting(), self.quant if adjustment else self.quant.browse()
        )
        not_waiting = self.env["stock.quant"].search(
            [
                ("product_id", "=", self.product.id),
                ("location_id", "=", self.stock.id),
                ("gov_approval_waiting", "!=", "waiting"),
            ]
        )
        self.assertEqual(not_waiting, self.quant.browse() if adjustment else self.quant)

    def test_a_count_applied_at_once_does_not_wait(self):
        self.count(15).action_apply_inventory()
        self.assertEqual(self.adjustment_of().state, "done")
        self.assert_waiting(self.Adjustment)

    def test_a_count_waits_until_it_is_approved(self):
        self.count(12)
        self.assert_waiting(self.Adjustment)  # counted, not applied
        self.count(25).action_apply_inventory()
        adjustment = self.adjustment_of()
        self.assert_waiting(adjustment)
        # what the inventory user sees, under their own rights, and while
        # the row is edited
        quant = self.quant.with_user(self.storekeeper)
        self.assertEqual(quant.gov_approval_waiting, "waiting")
        self.assertEqual(quant.new(origin=quant).gov_approval_waiting, "waiting")
        self.assertFalse(quant.new({}).gov_approval_waiting)
        self.request_of(adjustment).with_user(self.manager)._decide("approve")
        self.assertEqual(self.quant.quantity, 25)
        self.assert_waiting(self.Adjustment)

    def test_rejected_or_cancelled_counts_do_not_wait(self):
        self.count(25).action_apply_inventory()
        adjustment = self.adjustment_of()
        self.request_of(adjustment).with_user(self.manager)._decide(
            "reject", "Count again"
        )
        self.assertEqual(adjustment.state, "draft")
        self.assert_waiting(self.Adjustment)
        adjustment.with_user(self.storekeeper).action_apply()
        self.assert_waiting(adjustment)
        adjustment.with_user(self.storekeeper).action_cancel()
        self.assert_waiting(self.Adjustment)

    def test_a_list_is_read_in_one_query(self):
        Quant = self.env["stock.quant"]
        quants = self.quant
        for index in range(20):
            product = self.env["product.product"].create(
                {"name": f"Listed {index}", "is_storable": True, "standard_price": 100}
            )
            Quant._update_available_quantity(product, self.stock, 10)
            quants |= Quant.search([("product_id", "=", product.id)])
        quants[:10].with_context(inventory_mode=True).inventory_quantity = 30
        quants[:10].with_user(self.storekeeper).action_apply_inventory()
        self.env.invalidate_all()
        with self.assertQueryCount(1):
            states = quants.mapped("gov_approval_waiting")
        self.assertEqual(states, ["waiting"] * 10 + [False] * 11)
        self.assertEqual(len(quants.gov_adjustment_id), 1)
