# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The ways to change the quantity on hand by a count without a legitimate
approval, tried through Odoo's public routes (``/web/dataset/call_kw``,
``/json/2`` with an API key, ``/jsonrpc``, ``/xmlrpc/2/object``) and by
code an administrator runs; the database is checked afterwards."""

from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.gov_base.tests.rpc import ROUTES, RpcRoutesMixin

from .common import StockApprovalCase


@tagged("post_install", "-at_install")
class TestStockControls(StockApprovalCase, HttpCase, RpcRoutesMixin):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")
        cls.stock_manager = new_test_user(
            cls.env,
            login="stk_stock_manager",
            groups="stock.group_stock_manager,gov_base.gov_base_group_user",
        )

    def on_hand(self):
        self.quant.invalidate_recordset()
        return self.quant.quantity

    def test_apply_over_every_route_waits(self):
        self.count(25)
        for route in ROUTES:
            result = self.rpc(
                route,
                self.storekeeper,
                "stock.quant",
                "action_apply_inventory",
                self.quant.ids,
                context={"inventory_mode": True},
            )
            self.assertTrue(result, f"{route}: {result.error}")
            self.assertEqual(self.on_hand(), 10, route)
        adjustments = self.Adjustment.search(
            [("line_ids.quant_id", "=", self.quant.id)]
        )
        self.assertEqual(adjustments.mapped("state"), ["draft"])
        self.assertEqual(self.request_of(adjustments).state, "pending")

    def test_the_reason_dialog_over_rpc_waits(self):
        self.count(25)
        wizard = self.rpc(
            "call_kw",
            self.storekeeper,
            "stock.inventory.adjustment.name",
            "create",
            vals_list=[
                {
                    "quant_ids": [Command.set(self.quant.ids)],
                    "inventory_adjustment_name": "Spot check",
                }
            ],
        )
        self.assertTrue(wizard, wizard.error)
        applied = self.rpc(
            "json2",
            self.storekeeper,
            "stock.inventory.adjustment.name",
            "action_apply",
            wizard.value if isinstance(wizard.value, list) else [wizard.value],
        )
        self.assertTrue(applied, applied.error)
        self.assertEqual(self.on_hand(), 10)
        self.assertEqual(self.adjustment_of().reason, "Spot check")

    def test_an_immediate_count_over_every_route_waits(self):
        for quantity, route in zip((30, 31, 32, 33), ROUTES, strict=True):
            result = self.rpc(
                route,
                self.stock_manager,
                "stock.quant",
                "write",
                self.quant.ids,
                vals={"inventory_quantity_auto_apply": quantity},
                context={"inventory_mode": True},
            )
            self.assertTrue(result, f"{route}: {result.error}")
            self.assertEqual(self.on_hand(), 10, route)
        self.assertEqual(self.adjustment_of().line_ids.counted_quantity, 33)

    def test_nobody_writes_an_adjustment_over_any_route(self):
        self.count(25).action_apply_inventory()
        adjustment = self.adjustment_of()
        for route in ROUTES:
            for method, kwargs in (
                ("write", {"vals": {"state": "done"}}),
                ("create", {"vals_list": [{"name": "Forged", "state": "done"}]}),
                ("unlink", {}),
            ):
                result = self.rpc(
                    route,
                    self.stock_manager,
                    adjustment._name,
                    method,
                    None if method == "create" else adjustment.ids,
                    **kwargs,
                )
                self.assertFalse(result, f"{route} {method}")
            line = adjustment.line_ids
            result = self.rpc(
                route,
                self.stock_manager,
                line._name,
                "write",
                line.ids,
                vals={"difference": 1, "unit_cost": 0},
            )
            self.assertFalse(result, route)
        self.assertEqual((adjustment.state, adjustment.amount_total), ("draft", 1500))
        self.assertEqual(self.on_hand(), 10)

    def test_reverting_an_adjustment_is_refused_while_governed(self):
        self.count(12).action_apply_inventory()
        self.assertEqual(self.on_hand(), 12)
        move_line = self.env["stock.move.line"].search(
            [("product_id", "=", self.product.id), ("is_inventory", "=", True)]
        )
        result = self.rpc(
            "json2",
            self.storekeeper,
            move_line._name,
            "action_revert_inventory",
            move_line.ids,
        )
        self.assertFalse(result)
        self.assertIn("UserError", result.error)
        self.assertEqual(self.on_hand(), 12)

    def test_a_quant_with_stock_is_not_deleted(self):
        self.count(0)
        result = self.rpc(
            "json2", self.stock_manager, "stock.quant", "unlink", self.quant.ids
        )
        self.assertFalse(result)
        self.assertTrue(self.quant.exists())
        self.assertEqual(self.on_hand(), 10)

    def run_code(self, code, **names):
        action, context = self.code_action(
            code, self.admin.partner_id, "Inventory forgery attempt", **names
        )
        return self.rpc(
            "json2", self.admin, action._name, "run", action.ids, context=context
        )

    def test_sudo_code_of_an_administrator_changes_no_stock(self):
        self.count(25).action_apply_inventory()
        adjustment = self.adjustment_of()
        request = self.request_of(adjustment)
        loss = self.product.with_company(self.company).property_stock_inventory
        move = (
            "env['stock.move'].sudo().create({'product_id': quant.product_id.id,"
            " 'product_uom': quant.product_uom_id.id, 'product_uom_qty': 50,"
            f" 'location_id': {loss.id}, 'location_dest_id': quant.location_id.id,"
            " 'is_inventory': True, 'picked': True, 'move_line_ids': [(0, 0,"
            " {'product_id': quant.product_id.id, 'quantity': 50, 'location_id':"
            f" {loss.id}, 'location_dest_id': quant.location_id.id}})]}})"
            "._action_done()"
        )
        for code in (
            "quant.sudo()._apply_inventory()",
            "quant.sudo().with_context(inventory_mode=True).action_apply_inventory()",
            "adjustment.sudo()._apply_counts()",
            "adjustment.sudo().write({'state': 'done'})",
            move,
        ):
            with self.subTest(code):
                self.run_code(code, quant=self.quant, adjustment=adjustment)
                self.assertEqual(self.on_hand(), 10)
        self.assertEqual(adjustment.state, "draft")
        self.assertEqual(request.state, "pending")
