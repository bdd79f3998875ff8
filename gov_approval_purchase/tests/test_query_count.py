# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The query budget of a purchase order's whole approval, Purchase's own
confirmation included (the engine's budgets are in gov_approval_test)."""

from odoo.tests import tagged

from .common import ApprovalCase


@tagged("post_install", "-at_install")
class TestQueryBudgets(ApprovalCase):
    def _cycle(self, amount):
        """Request, approvals of every step, and the resumed confirmation of
        one order; (queries, order) from emptied caches at each step."""
        order = self.make_po(amount)
        approvals = ((self.manager, None), (self.director, "Budgeted"))
        return self.approval_cycle(order, approvals), order

    def test_full_cycle_budget(self):
        """Request, two approvals and the confirmation the last one resumes."""
        # twice, so that the registry caches it fills are warm whatever ran
        # before: the budget does not depend on the order of the tests
        for _warm in range(2):
            self._cycle(20000)
        # 6 of them snapshot the order and its lines (at the request and when
        # the approved action resumes); the messages of the chatter notes and
        # of the e-mails of each step are one insert; with Inventory
        # installed, Purchase's own confirmation also makes the receipt
        # (purchase_stock), about 47 more queries that are Odoo's own
        receipts = self.env["ir.module.module"].search_count(
            [("name", "=", "purchase_stock"), ("state", "=", "installed")]
        )
        with self.assertQueryCount(84 + 50 * receipts):
            _queries, order = self._cycle(20000)
        self.assertEqual(order.state, "purchase")
        self.assertTrue(self.request_of(order).action_done)

    def test_approval_state_of_a_list_of_orders_is_constant_in_its_length(self):
        """What a list of purchase orders costs an approver who reads their
        approval status: the same for 10 orders and for 80."""
        orders = self.env["purchase.order"]
        for _index in range(80):
            order = self.make_po(20000)
            self.confirm(order)
            orders |= order
        names = [
            "gov_approval_state",
            "gov_approval_can_decide",
            "gov_approval_summary",
        ]

        def read(some):
            self.env.invalidate_all()
            some.with_user(self.manager).read(names)

        read(orders[:10])
        read(orders[:10])
        # the orders, their requests, the open and the later steps and their
        # states, their approvers, the delegations in force, who may decide
        # now: never one query per order (the approvers of the later step were
        # read step by step)
        with self.assertQueryCount(16):
            read(orders[:10])
        with self.assertQueryCount(16):
            read(orders)
        self.assertEqual(
            set(orders.with_user(self.manager).mapped("gov_approval_state")),
            {"pending"},
        )
