# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ApprovalCase


@tagged("post_install", "-at_install")
class TestMassDecision(ApprovalCase):
    def _pending(self, count, amount=5000):
        orders = self.env["purchase.order"]
        for _index in range(count):
            order = self.make_po(amount)
            self.confirm(order)
            orders |= order
        return orders

    def _wizard(self, user, requests, decision="approve", reason=None):
        return (
            self.env["gov.approval.decision.wizard"]
            .with_user(user)
            .with_context(active_model=requests._name, active_ids=requests.ids)
            .create({"decision": decision, "reason": reason})
        )

    def test_mass_approval_checks_and_audits_each_request(self):
        orders = self._pending(6)
        # one of them is not the manager's to decide
        foreign = self.make_po(20000)
        self.confirm(foreign)
        self.decide(foreign, self.manager)
        requests = self.Request.search(
            [
                ("res_model", "=", "purchase.order"),
                ("res_id", "in", (orders | foreign).ids),
            ]
        )
        wizard = self._wizard(self.manager, requests)
        self.assertEqual(wizard.request_count, 7)
        result = wizard.action_confirm()
        self.assertEqual(result["params"]["type"], "warning")
        self.assertIn("6 of 7", result["params"]["message"])
        self.assertEqual(set(orders.mapped("state")), {"purchase"})
        self.assertEqual(foreign.state, "draft")
        decisions = self.env["gov.approval.decision"].search(
            [("request_id", "in", requests.ids), ("channel", "=", "mass")]
        )
        self.assertEqual(len(decisions), 6)
        mass = requests - self.request_of(foreign)
        events = self.env["gov.audit.event"].search(
            [("event_type", "=", "approval.approved_step"), ("res_id", "in", mass.ids)]
        )
        self.assertEqual(len(events), 6)

    def test_mass_reject_needs_a_reason(self):
        requests = self.Request.search(
            [
                ("res_model", "=", "purchase.order"),
                ("res_id", "in", self._pending(2).ids),
            ]
        )
        wizard = self._wizard(self.manager, requests, "reject")
        self.assertTrue(wizard.reason_required)
        wizard.action_confirm()
        self.assertEqual(set(requests.mapped("state")), {"pending"})
        wizard.reason = "Budget frozen"
        wizard.action_confirm()
        self.assertEqual(set(requests.mapped("state")), {"rejected"})

    def test_single_request_errors_are_raised(self):
        order = self._pending(1)
        request = self.request_of(order)
        with self.assertRaises(UserError):
            self._wizard(self.requester, request).action_confirm()

    def test_mass_approval_costs_the_same_per_request(self):
        small = self.Request.search(
            [
                ("res_model", "=", "purchase.order"),
                ("res_id", "in", self._pending(2).ids),
            ]
        )
        large = self.Request.search(
            [
                ("res_model", "=", "purchase.order"),
                ("res_id", "in", self._pending(8).ids),
            ]
        )
        counts = []
        for requests in (small, large):
            wizard = self._wizard(self.manager, requests)
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            wizard.action_confirm()
            counts.append((self.env.cr.sql_log_count - start) / len(requests))
        self.assertEqual(
            set(small.mapped("state")) | set(large.mapped("state")), {"approved"}
        )
        # per-request cost does not grow with the batch
        self.assertLessEqual(counts[1], counts[0] * 1.1)
