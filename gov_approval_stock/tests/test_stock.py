# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Inventory adjustments under approval: grouping, amounts, the flows of the
physical inventory and what happens to counts changed while they wait."""

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import StockApprovalCase


@tagged("post_install", "-at_install")
class TestStockAdjustments(StockApprovalCase):
    def test_the_preset_ships_archived(self):
        preset = self.env.ref("gov_approval_stock.gov_approval_matrix_stock_preset")
        self.assertFalse(preset.active)
        self.assertEqual(preset.action, "gov.stock.adjustment:apply")
        self.assertEqual(preset.amount_field_id.name, "amount_total")
        self.assertEqual(
            preset.line_ids.step_ids.group_id,
            self.env.ref("stock.group_stock_manager"),
        )

    def test_a_small_difference_is_applied_at_once(self):
        quant = self.count(15)
        quant.action_apply_inventory()
        self.assertEqual(self.quant.quantity, 15)
        adjustment = self.adjustment_of()
        self.assertEqual(adjustment.state, "done")
        self.assertEqual(adjustment.amount_total, 500)
        self.assertFalse(self.request_of(adjustment))

    def test_a_large_difference_waits_then_applies_itself(self):
        quant = self.count(25)
        result = quant.action_apply_inventory()
        self.assertEqual(result["tag"], "display_notification")
        self.quant.invalidate_recordset()
        self.assertEqual(self.quant.quantity, 10)
        self.assertEqual(self.quant.inventory_quantity, 25)
        self.assertTrue(self.quant.inventory_quantity_set)
        adjustment = self.adjustment_of()
        self.assertEqual(adjustment.state, "draft")
        self.assertEqual(adjustment.user_id, self.storekeeper)
        line = adjustment.line_ids
        self.assertEqual(
            (line.quantity, line.counted_quantity, line.difference, line.value),
            (10, 25, 15, 1500),
        )
        self.assertEqual(
            (adjustment.amount_gain, adjustment.amount_total), (1500, 1500)
        )
        request = self.request_of(adjustment)
        self.assertEqual(request.state, "pending")
        self.assertEqual(request.requester_id, self.storekeeper)
        self.assertEqual(adjustment.gov_approval_state, "pending")
        request.with_user(self.manager)._decide("approve")
        self.assertEqual(adjustment.state, "done")
        self.assertEqual(self.quant.quantity, 25)
        self.assertFalse(self.quant.inventory_quantity_set)
        self.assertTrue(request.action_done)
        move = self.env["stock.move"].search(
            [("product_id", "=", self.product.id), ("is_inventory", "=", True)]
        )
        self.assertEqual((move.state, move.create_uid), ("done", self.storekeeper))

    def test_losses_count_as_much_as_gains(self):
        self.count(0).action_apply_inventory()
        adjustment = self.adjustment_of()
        self.assertEqual(
            (adjustment.amount_loss, adjustment.amount_gain, adjustment.amount_total),
            (1000, 0, 1000),
        )
        self.assertEqual(adjustment.state, "draft")
        self.assertEqual(self.quant.quantity, 10)

    def test_one_adjustment_per_application_and_company(self):
        other = self.env["product.product"].create(
            {"name": "Other Pallet", "is_storable": True, "standard_price": 10}
        )
        self.env["stock.quant"]._update_available_quantity(other, self.stock, 1)
        other_quant = self.env["stock.quant"].search([("product_id", "=", other.id)])
        company_b = self.env["res.company"].create({"name": "Stock B"})
        stock_b = (
            self.env["stock.warehouse"]
            .search([("company_id", "=", company_b.id)])
            .lot_stock_id
        )
        self.env["stock.quant"]._update_available_quantity(other, stock_b, 1)
        quant_b = self.env["stock.quant"].search(
            [("product_id", "=", other.id), ("location_id", "=", stock_b.id)]
        )
        self.storekeeper.company_ids |= company_b
        self.count(30)
        self.count(5, other_quant)
        self.count(100, quant_b)
        (self.quant | other_quant | quant_b).with_user(
            self.storekeeper
        ).action_apply_inventory()
        ours = self.adjustment_of()
        self.assertEqual(ours.line_ids.quant_id, self.quant | other_quant)
        self.assertEqual(ours.amount_total, 2040)
        theirs = self.adjustment_of(quant_b)
        self.assertEqual(theirs.company_id, company_b)
        # no matrix governs company B: applied at once
        self.assertEqual(theirs.state, "done")
        self.assertEqual(quant_b.quantity, 100)
        self.assertEqual(ours.state, "draft")

    def test_applying_the_same_quants_again_keeps_the_request(self):
        self.count(25).action_apply_inventory()
        adjustment = self.adjustment_of()
        request = self.request_of(adjustment)
        self.quant.with_user(self.storekeeper).action_apply_inventory()
        self.assertEqual(self.adjustment_of(), adjustment)
        self.assertEqual(self.request_of(adjustment), request)
        self.assertEqual(request.state, "pending")

    def test_a_new_count_supersedes_and_asks_again(self):
        self.count(25).action_apply_inventory()
        adjustment = self.adjustment_of()
        request = self.request_of(adjustment)
        self.count(40).action_apply_inventory()
        self.assertEqual(request.state, "superseded")
        self.assertEqual(adjustment.line_ids.difference, 30)
        new = self.request_of(adjustment)
        self.assertEqual((new.state, new.amount), ("pending", 3000))
        self.assertEqual(self.quant.quantity, 10)

    def test_a_count_changed_after_approval_is_not_applied(self):
        self.matrix.auto_resume = False
        self.count(25).action_apply_inventory()
        adjustment = self.adjustment_of()
        request = self.request_of(adjustment)
        request.with_user(self.manager)._decide("approve")
        self.assertEqual(adjustment.state, "draft")
        self.count(90)
        adjustment.with_user(self.storekeeper).action_apply()
        self.assertEqual(request.state, "superseded")
        self.assertEqual(self.request_of(adjustment).state, "pending")
        self.assertEqual((adjustment.state, self.quant.quantity), ("draft", 10))

    def test_goods_moved_meanwhile_change_the_difference(self):
        self.count(25).action_apply_inventory()
        adjustment = self.adjustment_of()
        request = self.request_of(adjustment)
        # five pallets arrive before the decision: the count now adds ten
        self.env["stock.quant"]._update_available_quantity(self.product, self.stock, 5)
        request.with_user(self.manager)._decide("approve")
        self.assertEqual(request.state, "superseded")
        self.assertEqual(adjustment.state, "draft")
        self.assertEqual(self.quant.quantity, 15)
        self.assertEqual(self.request_of(adjustment).state, "pending")

    def test_an_overlapping_application_replaces_the_waiting_one(self):
        self.count(25).action_apply_inventory()
        first = self.adjustment_of()
        request = self.request_of(first)
        other = self.env["product.product"].create(
            {"name": "Third Pallet", "is_storable": True, "standard_price": 100}
        )
        quant = (
            self.env["stock.quant"]
            .with_context(inventory_mode=True)
            .create(
                {
                    "product_id": other.id,
                    "location_id": self.stock.id,
                    "inventory_quantity": 3,
                }
            )
        )
        (self.quant | quant).with_user(self.storekeeper).action_apply_inventory()
        self.assertEqual(first.state, "cancel")
        self.assertEqual(request.state, "superseded")
        second = self.adjustment_of()
        self.assertEqual(second.line_ids.quant_id, self.quant | quant)
        self.assertEqual(self.request_of(second).state, "pending")

    def test_cancel_withdraws_and_keeps_the_counts(self):
        self.count(25).action_apply_inventory()
        adjustment = self.adjustment_of()
        request = self.request_of(adjustment)
        adjustment.with_user(self.storekeeper).action_cancel()
        self.assertEqual((adjustment.state, request.state), ("cancel", "superseded"))
        self.assertEqual(self.quant.inventory_quantity, 25)
        with self.assertRaises(UserError):
            adjustment.sudo().write({"state": "done"})

    def test_the_reason_dialog_and_apply_all(self):
        self.count(25)
        wizard = (
            self.env["stock.inventory.adjustment.name"]
            .with_user(self.storekeeper)
            .create(
                {
                    "quant_ids": [(6, 0, self.quant.ids)],
                    "inventory_adjustment_name": "Year-end count",
                }
            )
        )
        wizard.action_apply()
        adjustment = self.adjustment_of()
        self.assertEqual(adjustment.reason, "Year-end count")
        self.assertEqual(self.quant.quantity, 10)
        self.request_of(adjustment).with_user(self.manager)._decide("approve")
        self.assertEqual(self.quant.quantity, 25)
        move = self.env["stock.move"].search(
            [("product_id", "=", self.product.id), ("is_inventory", "=", True)]
        )
        self.assertEqual(move.inventory_name, "Year-end count")

    def test_the_conflict_dialog_comes_first(self):
        self.count(25)
        self.env.flush_all()
        self.env["stock.quant"]._update_available_quantity(self.product, self.stock, 1)
        result = self.quant.with_user(self.storekeeper).action_apply_inventory()
        self.assertEqual(result["res_model"], "stock.inventory.conflict")
        self.assertFalse(self.adjustment_of())
        # the dialog is for inventory administrators, in a request of its own
        self.env.invalidate_all()
        conflict = self.env["stock.inventory.conflict"].create(
            {"quant_ids": [(6, 0, self.quant.ids)]}
        )
        conflict.action_keep_counted_quantity()
        self.assertEqual(self.adjustment_of().line_ids.difference, 14)
        self.assertEqual(self.quant.quantity, 11)

    def test_the_product_form_quantity_waits_too(self):
        product = self.product.with_user(self.env.ref("base.user_admin"))
        product.with_context(inventory_mode=True).qty_available = 30
        self.assertEqual(self.quant.quantity, 10)
        adjustment = self.adjustment_of()
        self.assertEqual(adjustment.amount_total, 2000)
        self.assertEqual(self.request_of(adjustment).state, "pending")

    def test_an_immediate_count_waits_too(self):
        manager = new_test_user(
            self.env, login="stk_admin", groups="stock.group_stock_manager"
        )
        quant = self.quant.with_user(manager).with_context(inventory_mode=True)
        quant.inventory_quantity_auto_apply = 40
        self.assertEqual(self.quant.quantity, 10)
        self.assertEqual(self.request_of(self.adjustment_of()).state, "pending")

    def test_plain_users_apply_nothing(self):
        plain = new_test_user(self.env, login="stk_plain", groups="base.group_user")
        self.count(25)
        with self.assertRaises(UserError):
            self.env["gov.stock.adjustment"].with_user(plain)._for_quants(self.quant)
        self.assertFalse(self.adjustment_of())
