# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.fields import Command
from odoo.tests import tagged

from .common import ApprovalCase


@tagged("post_install", "-at_install")
class TestQueryBudgets(ApprovalCase):
    def _orders(self, count, amount=5000):
        PurchaseOrder = self.env["purchase.order"].with_user(self.requester)
        orders = PurchaseOrder.create(
            [
                {
                    "partner_id": self.partner.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "product_qty": 1,
                                "price_unit": amount,
                            }
                        )
                    ],
                }
                for _index in range(count)
            ]
        )
        orders.button_confirm()
        return orders

    def _read_state(self, orders, user):
        orders = orders.with_user(user)
        self.env.invalidate_all()
        orders.read(
            ["gov_approval_state", "gov_approval_can_decide", "gov_approval_summary"]
        )

    def test_approval_state_of_a_list_is_constant_in_its_length(self):
        few = self._orders(10)
        many = self._orders(160)
        self._read_state(few, self.manager)  # warm the registry caches
        with self.assertQueryCount(9):
            self._read_state(few, self.manager)
        with self.assertQueryCount(9):
            self._read_state(many, self.manager)
        self.assertEqual(
            set(many.with_user(self.manager).mapped("gov_approval_state")), {"pending"}
        )

    def test_request_creation_budget(self):
        order = self._orders(0) or self.make_po(5000)
        order.with_user(self.requester).button_confirm()  # warm
        second = self.make_po(5000)
        self.env.invalidate_all()
        with self.assertQueryCount(48):
            second.with_user(self.requester).button_confirm()
        self.assertTrue(self.request_of(second))

    def test_one_decision_and_confirmation_budget(self):
        self.matrix.line_ids[1].step_ids.write(
            {
                "user_ids": [Command.set([self.manager.id, self.manager_2.id])],
                "min_approvals": 2,
            }
        )
        warm = self.make_po(5000)
        self.confirm(warm)
        self.decide(warm, self.manager)
        order = self.make_po(5000)
        self.confirm(order)
        request = self.request_of(order)
        self.env.invalidate_all()
        with self.assertQueryCount(20):
            request.with_user(self.manager)._decide("approve")
        self.env.invalidate_all()
        # the last approval confirms the order: decision plus confirmation
        with self.assertQueryCount(109):
            request.with_user(self.manager_2)._decide("approve")
        self.assertEqual(order.state, "purchase")

    def test_confirmation_without_matrix_costs_nothing_extra(self):
        self.matrix.active = False
        warm = self.make_po(5000)
        self.confirm(warm)
        order = self.make_po(5000)
        self.env.invalidate_all()
        start = self.env.cr.sql_log_count
        self.confirm(order)
        governed_off = self.env.cr.sql_log_count - start
        self.assertEqual(order.state, "purchase")
        # no matrix for the model: the gate reads nothing
        self.matrix.active = True
        self.matrix.domain = "[('id', '=', 0)]"
        other = self.make_po(5000)
        self.env.invalidate_all()
        start = self.env.cr.sql_log_count
        self.confirm(other)
        filtered_out = self.env.cr.sql_log_count - start
        self.assertEqual(other.state, "purchase")
        self.assertLessEqual(filtered_out, governed_off + 4)
