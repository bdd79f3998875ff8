# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Query budgets of a sales order's confirmation, Sales' own included (the
engine's budgets are in gov_approval_test). What other installed modules do
on confirmation counts too (24 queries for a confirmation without approval
with Sales alone, 32 with Inventory): the budgets leave them room."""

from odoo.tests import tagged

from .common import SaleApprovalCase


@tagged("post_install", "-at_install")
class TestSaleQueryBudgets(SaleApprovalCase):
    def _cycle(self, amount):
        order = self.make_so(amount)
        approvals = ((self.manager, None), (self.director, "Budgeted"))
        return self.approval_cycle(order, approvals), order

    def test_full_cycle_budget(self):
        """Request, two approvals and the confirmation the last one resumes."""
        for _warm in range(2):
            self._cycle(20000)
        with self.assertQueryCount(175):
            _queries, order = self._cycle(20000)
        self.assertEqual(order.state, "sale")
        self.assertTrue(self.request_of(order).action_done)

    def test_confirm_without_approval_budget(self):
        """An order the matrix lets through: the gate's price on Confirm."""
        for _warm in range(2):
            self.confirm(self.make_so(500))
        order = self.make_so(500)
        self.env.invalidate_all()
        with self.assertQueryCount(45):
            self.confirm(order)
        self.assertEqual(order.state, "sale")
