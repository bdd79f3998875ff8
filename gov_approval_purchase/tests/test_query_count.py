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
