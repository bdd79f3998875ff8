# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the sales bridge adds to the engine (tested on its own in
gov_approval_test): the confirmation of sales orders, the discount and
margin conditions, the order's states and its lines."""

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged

from .common import SaleApprovalCase


@tagged("post_install", "-at_install")
class TestSaleBridge(SaleApprovalCase):
    def test_the_bridge_declares_order_confirmation(self):
        actions = dict(self.env["gov.approval.matrix"]._selection_action())
        self.assertEqual(actions["sale.order:confirm"], "Confirm sales order")
        created = (
            self.env["gov.approval.matrix"]
            .with_user(self.matrix_manager)
            .create({"name": "By sales", "action": "sale.order:confirm"})
        )
        self.assertEqual(created.amount_field_id.name, "amount_total")
        self.assertEqual(created.currency_field_id.name, "currency_id")

    def test_the_preset_ships_archived(self):
        preset = self.env.ref("gov_approval_sale.gov_approval_matrix_sale_preset")
        self.assertFalse(preset.active)
        self.assertEqual(preset.action, "sale.order:confirm")
        domains = sorted(preset.line_ids.mapped("domain"))
        self.assertIn("[('gov_max_discount', '>', 20)]", domains)
        self.assertIn("[('margin_percent', '<', 0.1)]", domains)
        self.assertEqual(
            preset.line_ids.step_ids.group_id,
            self.env.ref("sales_team.group_sale_manager"),
        )

    def test_order_views_show_the_approval(self):
        Order = self.env["sale.order"].with_user(self.salesperson)
        views = Order.get_views([(False, "form"), (False, "list"), (False, "search")])
        form = views["views"]["form"]["arch"]
        for name in (
            "action_gov_approval_approve",
            "action_gov_approval_reject",
            "action_gov_approval_requests",
            "gov_approval_summary",
        ):
            self.assertIn(name, form)
        self.assertIn("gov_approval_state", views["views"]["list"]["arch"])
        self.assertIn("gov_approval_mine", views["views"]["search"]["arch"])

    def test_small_orders_confirm_large_ones_wait_then_confirm_themselves(self):
        small = self.make_so(9999)
        self.confirm(small)
        self.assertEqual(small.state, "sale")
        self.assertFalse(self.request_of(small))
        order = self.make_so(20000)
        result = self.confirm(order)
        self.assertEqual(result["tag"], "display_notification")
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.gov_approval_state, "pending")
        self.decide(order, self.manager)
        self.assertEqual(order.state, "draft")
        self.decide(order, self.director, reason="Key account")
        self.assertEqual(order.state, "sale")
        request = self.request_of(order)
        self.assertTrue(request.action_done)
        self.assertEqual(request.requester_id, self.salesperson)
        self.assertEqual(request.name, f"{order.name}: Confirm sales order")

    def test_a_high_discount_needs_the_manager_whatever_the_amount(self):
        order = self.make_so(100, discount=20)
        self.assertEqual(order.gov_max_discount, 20)
        self.confirm(order)
        self.assertEqual(order.state, "draft")
        request = self.request_of(order)
        self.assertIn("gov_max_discount", request.line_id.domain)
        # the discount lowered to the band's limit: the request is superseded
        order.order_line.with_user(self.salesperson).discount = 15
        self.assertEqual(request.state, "superseded")
        self.confirm(order)
        self.assertEqual(order.state, "sale")

    def test_the_highest_discount_of_the_product_lines_counts(self):
        order = self.make_so(100, discount=5)
        order.write(
            {
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.other_product.id,
                            "price_unit": 100,
                            "discount": 30,
                            "tax_ids": [Command.clear()],
                        }
                    ),
                    Command.create({"display_type": "line_note", "name": "A note"}),
                ]
            }
        )
        self.assertEqual(order.gov_max_discount, 30)
        self.confirm(order)
        self.assertEqual(order.gov_approval_state, "pending")

    def test_a_thin_margin_needs_the_manager(self):
        order = self.make_so(52)
        self.assertLess(order.margin_percent, 0.1)
        self.confirm(order)
        self.assertEqual(order.state, "draft")
        self.assertIn("margin_percent", self.request_of(order).line_id.domain)
        # a cost lowered to widen the margin is a change of what was asked
        order.order_line.with_user(self.salesperson).purchase_price = 10
        self.assertEqual(self.request_of(order).state, "superseded")
        self.decide_nothing_and_confirm(order)

    def decide_nothing_and_confirm(self, order):
        self.confirm(order)
        self.assertEqual(order.state, "sale")

    def test_cancel_and_draft_round_trip_confirms_nothing(self):
        order = self.make_so(20000)
        self.confirm(order)
        request = self.request_of(order)
        order.with_user(self.salesperson).action_cancel()
        self.assertEqual(request.state, "superseded")
        order.with_user(self.salesperson).action_draft()
        self.assertEqual(order.state, "draft")
        for target in (order.with_user(self.salesperson), order.sudo()):
            with self.assertRaises(UserError):
                target.write({"state": "sale"})
        self.confirm(order)
        self.assertEqual(order.state, "draft")
        self.assertEqual(self.request_of(order).state, "pending")

    def test_sent_quotations_are_governed_too(self):
        order = self.make_so(20000)
        order.with_user(self.salesperson).action_quotation_sent()
        self.assertEqual(order.state, "sent")
        self.confirm(order)
        self.assertEqual(order.state, "sent")
        with self.assertRaises(UserError):
            order.sudo()._action_confirm()
        self.assertFalse(order.sudo().locked)

    def test_an_order_created_confirmed_is_refused(self):
        with self.assertRaises(UserError):
            self.env["sale.order"].with_user(self.salesperson).create(
                {
                    "partner_id": self.customer.id,
                    "state": "sale",
                    "order_line": [
                        Command.create(
                            {"product_id": self.product.id, "price_unit": 20000}
                        )
                    ],
                }
            )

    def test_a_note_or_a_down_payment_line_keeps_the_approval(self):
        order = self.make_so(20000)
        self.confirm(order)
        self.decide(order, self.manager)
        self.decide(order, self.director, reason="ok")
        self.assertEqual(order.state, "sale")
        order.with_user(self.salesperson).write(
            {
                "order_line": [
                    Command.create({"display_type": "line_section", "name": "Extras"}),
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "name": "Down payment",
                            "price_unit": 0,
                            "product_uom_qty": 0,
                            "is_downpayment": True,
                            "tax_ids": [Command.clear()],
                        }
                    ),
                ]
            }
        )
        self.assertEqual(order.amount_total, 20000)
        # a product line, though, changes what was approved
        with self.assertRaises(UserError):
            order.with_user(self.salesperson).write(
                {
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.other_product.id,
                                "price_unit": 1,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ]
                }
            )

    def test_confirmed_or_cancelled_orders_get_odoos_answer_not_a_request(self):
        order = self.make_so(500)
        self.confirm(order)
        with self.assertRaises(UserError):
            self.confirm(order)
        cancelled = self.make_so(20000)
        cancelled.with_user(self.salesperson).action_cancel()
        with self.assertRaises(UserError):
            self.confirm(cancelled)
        self.assertFalse(self.request_of(cancelled))
        self.assertEqual(cancelled.state, "cancel")
