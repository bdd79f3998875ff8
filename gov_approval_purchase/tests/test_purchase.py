# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the purchase bridge adds to the engine (tested on its own in
gov_approval_test): the confirmation of purchase orders, their lines, their
states and Purchase's own double validation."""

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import ApprovalCase


@tagged("post_install", "-at_install")
class TestPurchaseBridge(ApprovalCase):
    def test_the_bridge_declares_order_confirmation(self):
        actions = dict(self.env["gov.approval.matrix"]._selection_action())
        self.assertEqual(actions["purchase.order:confirm"], "Confirm purchase order")
        created = (
            self.env["gov.approval.matrix"]
            .with_user(self.matrix_manager)
            .create({"name": "By finance", "action": "purchase.order:confirm"})
        )
        self.assertEqual(created.res_model, "purchase.order")
        self.assertEqual(created.amount_field_id.name, "amount_total")
        self.assertEqual(created.currency_field_id.name, "currency_id")

    def test_order_views_show_the_approval(self):
        Order = self.env["purchase.order"].with_user(self.requester)

        def arch(xmlid, view_type):
            view = self.env.ref(xmlid)
            return Order.get_views([(view.id, view_type)])["views"][view_type]["arch"]

        form = arch("purchase.purchase_order_form", "form")
        for name in (
            "action_gov_approval_approve",
            "action_gov_approval_reject",
            "action_gov_approval_delegate",
            "action_gov_approval_requests",
            "gov_approval_summary",
        ):
            self.assertIn(name, form)
        for xmlid in (
            "purchase.purchase_order_view_tree",
            "purchase.purchase_order_kpis_tree",
        ):
            self.assertIn("gov_approval_state", arch(xmlid, "list"))
        for xmlid in (
            "purchase.purchase_order_view_search",
            "purchase.view_purchase_order_filter",
        ):
            self.assertIn("gov_approval_mine", arch(xmlid, "search"))

    def test_small_orders_confirm_large_ones_wait_then_confirm_themselves(self):
        small = self.make_po(999.99)
        self.confirm(small)
        self.assertEqual(small.state, "purchase")
        self.assertFalse(self.request_of(small))
        order = self.make_po(20000)
        result = self.confirm(order)
        self.assertEqual(result["tag"], "display_notification")
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.gov_approval_state, "pending")
        self.decide(order, self.manager)
        self.assertEqual(order.state, "draft")
        self.decide(order, self.director, reason="Budgeted in Q4")
        # confirmed by Purchase's own button, run again as the requester
        self.assertEqual(order.state, "purchase")
        self.assertTrue(order.date_approve)
        request = self.request_of(order)
        self.assertTrue(request.action_done)
        self.assertEqual(request.name, f"{order.name}: Confirm purchase order")
        self.assertIn("Approval Granted", order.message_ids.subtype_id.mapped("name"))

    def test_every_purchase_path_to_a_confirmed_order_needs_the_approval(self):
        order = self.make_po(5000)
        for label, confirm in (
            ("write", lambda o: o.write({"state": "purchase"})),
            ("button_approve", lambda o: o.button_approve()),
        ):
            with (
                self.subTest(label),
                self.assertRaisesRegex(UserError, "before it is approved"),
            ):
                confirm(order.sudo())
        with self.assertRaisesRegex(UserError, "approv"), self.env.cr.savepoint():
            self.env["purchase.order"].with_user(self.requester).create(
                {
                    "partner_id": self.partner.id,
                    "state": "purchase",
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "product_qty": 1,
                                "price_unit": 5000,
                            }
                        )
                    ],
                }
            )
        self.assertEqual(order.state, "draft")

    def test_order_line_fields_are_covered(self):
        tax = self.env["account.tax"].create(
            {"name": "Governed tax", "amount": 10, "type_tax_use": "purchase"}
        )
        plan = self.env["account.analytic.plan"].create({"name": "Governed plan"})
        analytic = self.env["account.analytic.account"].create(
            {"name": "Governed project", "plan_id": plan.id}
        )
        uom = self.env.ref("uom.product_uom_dozen")
        self.matrix.auto_resume = False
        for label, vals in (
            ("quantity", {"product_qty": 2, "price_unit": 2500}),
            ("discount", {"discount": 10}),
            ("taxes", {"tax_ids": [Command.set(tax.ids)]}),
            ("analytic", {"analytic_distribution": {str(analytic.id): 100}}),
            ("unit", {"product_uom_id": uom.id}),
        ):
            with self.subTest(label):
                order = self.make_po(5000)
                self.confirm(order)
                self.decide(order, self.manager)
                request = self.request_of(order)
                self.assertEqual(request.state, "approved")
                order.order_line.with_user(self.requester).write(vals)
                self.assertEqual(request.state, "superseded")
                self.confirm(order)
                self.assertEqual(order.state, "draft")
                self.assertEqual(self.request_of(order).state, "pending")

    def test_foreign_currency_is_converted_at_the_order_date(self):
        other = (
            self.env["res.currency"]
            .with_context(active_test=False)
            .search([("id", "!=", self.company.currency_id.id)], limit=1)
        )
        other.active = True
        other.rate_ids.unlink()
        self.env["res.currency.rate"].create(
            [
                {
                    "currency_id": other.id,
                    "rate": rate,
                    "name": day,
                    "company_id": self.company.id,
                }
                for day, rate in (("2020-01-01", 0.5), ("2025-01-01", 2.0))
            ]
        )
        # 600 on an order of 2021 is 1,200 in company currency: the manager band
        order = self.make_po(600, currency=other)
        order.date_order = "2021-06-01 10:00:00"
        self.confirm(order)
        request = self.request_of(order)
        self.assertEqual(request.currency_id, other)
        self.assertAlmostEqual(request.amount_company, 1200.0)
        self.assertEqual(request.line_id.min_amount, 1000)
        # the same order of 2025 is 300: no approval
        later = self.make_po(600, currency=other)
        later.date_order = "2025-06-01 10:00:00"
        self.confirm(later)
        self.assertEqual(later.state, "purchase")

    def test_a_cancelled_order_reset_to_draft_asks_again(self):
        order = self.make_po(5000)
        self.confirm(order)
        self.decide(order, self.manager)
        used = self.request_of(order)
        self.assertEqual(order.state, "purchase")
        order.with_user(self.requester).button_cancel()
        order.with_user(self.requester).button_draft()
        self.assertEqual(order.state, "draft")
        self.assertTrue(used.action_done)
        self.confirm(order)
        self.assertEqual(order.state, "draft")
        self.assertNotEqual(self.request_of(order), used)
        self.assertEqual(self.request_of(order).state, "pending")


@tagged("post_install", "-at_install")
class TestDoubleValidation(ApprovalCase):
    """Purchase's own second validation (orders above an amount wait in
    *To Approve* for a purchase manager) after the approval matrix."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {"po_double_validation": "two_step", "po_double_validation_amount": 3000}
        )
        cls.purchase_manager = new_test_user(
            cls.env,
            login="apr_purchase_manager",
            groups="purchase.group_purchase_manager",
        )

    def test_the_matrix_approves_then_purchase_validates(self):
        order = self.make_po(5000)
        self.confirm(order)
        self.assertEqual(order.state, "draft")
        self.decide(order, self.manager)
        request = self.request_of(order)
        # resumed as the requester, who may not validate it: it waits
        self.assertEqual(order.state, "to approve")
        self.assertEqual(request.state, "approved")
        self.assertFalse(request.action_done)
        order.with_user(self.purchase_manager).button_approve()
        self.assertEqual(order.state, "purchase")
        self.assertTrue(request.action_done)

    def test_a_change_while_waiting_for_purchase_needs_a_new_approval(self):
        order = self.make_po(5000)
        self.confirm(order)
        self.decide(order, self.manager)
        self.assertEqual(order.state, "to approve")
        request = self.request_of(order)
        order.order_line.with_user(self.requester).price_unit = 9000
        self.assertEqual(request.state, "superseded")
        with self.assertRaisesRegex(UserError, "before it is approved"):
            order.with_user(self.purchase_manager).button_approve()
        self.assertEqual(order.state, "to approve")

    def test_below_the_matrix_bands_purchase_still_validates(self):
        order = self.make_po(3500)
        self.matrix.line_ids[1].min_amount = 4000
        self.matrix.line_ids[0].max_amount = 4000
        self.confirm(order)
        self.assertEqual(order.state, "to approve")
        self.assertFalse(self.request_of(order))
        order.with_user(self.purchase_manager).button_approve()
        self.assertEqual(order.state, "purchase")
