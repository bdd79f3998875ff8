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
        # 3 of them read the order lines the approval covers (ids, columns, taxes)
        with self.assertQueryCount(34):
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
        with self.assertQueryCount(16):
            request.with_user(self.manager)._decide("approve")
        self.env.invalidate_all()
        # the last approval confirms the order: decision plus confirmation
        # one of them reads the decisions the approval seal covers
        with self.assertQueryCount(98):
            request.with_user(self.manager_2)._decide("approve")
        self.assertEqual(order.state, "purchase")

    def _cycle(self, amount):
        """Request, approvals of every step, and the resumed confirmation of
        one order; (queries, order) from emptied caches at each step."""
        order = self.make_po(amount)
        self.env.invalidate_all()
        start = self.env.cr.sql_log_count
        self.confirm(order)
        request = self.request_of(order)
        for user, reason in ((self.manager, None), (self.director, "Budgeted")):
            self.env.invalidate_all()
            request.with_user(user)._decide("approve", reason)
        return self.env.cr.sql_log_count - start, order

    def test_full_cycle_budget(self):
        """Request, two approvals and the confirmation the last one resumes."""
        self._cycle(20000)  # warm the registry caches
        # 8 of them snapshot the order lines (at the request and when the
        # approved action resumes) and seal the approval
        with self.assertQueryCount(129):
            _queries, order = self._cycle(20000)
        self.assertEqual(order.state, "purchase")
        self.assertTrue(self.request_of(order).action_done)

    def test_mass_approval_budget_per_request(self):
        """Approving the first of two steps of many requests: the decision
        wizard pays a constant plus under a query per request (checks one by
        one, writes grouped)."""
        costs = {}
        for count in (2, 12):
            orders = self._orders(count, amount=20000)
            requests = self.Request.search(
                [("res_model", "=", "purchase.order"), ("res_id", "in", orders.ids)]
            )
            wizard = (
                self.env["gov.approval.decision.wizard"]
                .with_user(self.manager)
                .with_context(active_model=requests._name, active_ids=requests.ids)
                .create({"decision": "approve"})
            )
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            result = wizard.action_confirm()
            costs[count] = self.env.cr.sql_log_count - start
            self.assertEqual(result["params"]["type"], "success")
            self.assertEqual(set(requests.current_step_id.mapped("name")), {"Director"})
            self.assertEqual(len(requests.current_step_id), count)
        per_request = (costs[12] - costs[2]) / 10
        self.assertLessEqual(per_request, 0.5, costs)
        self.assertLessEqual(costs[12], 23, costs)

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
