# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Many requests decided at once: each checked and audited on its own."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import TesterCase


@tagged("post_install", "-at_install")
class TestMassDecision(TesterCase):
    def pending(self, count, amount=5000):
        docs = self.env["gov.approval.tester"]
        for _index in range(count):
            doc = self.make_doc(amount)
            self.confirm(doc)
            docs |= doc
        return docs

    def requests_of(self, docs):
        return self.Request.search(
            [("res_model", "=", docs._name), ("res_id", "in", docs.ids)]
        )

    def wizard(self, user, requests, decision="approve", reason=None):
        return (
            self.env["gov.approval.decision.wizard"]
            .with_user(user)
            .with_context(active_model=requests._name, active_ids=requests.ids)
            .create({"decision": decision, "reason": reason})
        )

    def test_mass_approval_checks_and_audits_each_request(self):
        docs = self.pending(6)
        # one of them is not the manager's to decide
        foreign = self.make_doc(20000)
        self.confirm(foreign)
        self.decide(foreign, self.manager)
        requests = self.requests_of(docs | foreign)
        wizard = self.wizard(self.manager, requests)
        self.assertEqual(wizard.request_count, 7)
        result = wizard.action_confirm()
        self.assertEqual(result["params"]["type"], "warning")
        self.assertIn("6 of 7", result["params"]["message"])
        # the refused one is named, with the reason
        self.assertIn(
            f"{self.request_of(foreign).name}: Step Director asks for a reason",
            result["params"]["message"],
        )
        self.assertEqual(set(docs.mapped("state")), {"confirmed"})
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
        # the audit log records a mass decision as made in the user interface
        self.assertEqual(set(events.mapped("channel")), {"ui"})
        self.assertFalse(mass.activity_ids)

    def test_mass_reject_needs_a_reason(self):
        requests = self.requests_of(self.pending(2))
        wizard = self.wizard(self.manager, requests, "reject")
        self.assertTrue(wizard.reason_required)
        result = wizard.action_confirm()
        self.assertIn("0 of 2", result["params"]["message"])
        self.assertEqual(set(requests.mapped("state")), {"pending"})
        wizard.reason = "Budget frozen"
        wizard.action_confirm()
        self.assertEqual(set(requests.mapped("state")), {"rejected"})
        self.assertEqual(set(requests.decision_ids.mapped("reason")), {"Budget frozen"})

    def test_a_step_asking_for_a_reason_asks_it_of_the_wizard(self):
        docs = self.pending(2, amount=20000)
        requests = self.requests_of(docs)
        self.wizard(self.manager, requests).action_confirm()
        wizard = self.wizard(self.director, requests)
        self.assertTrue(wizard.reason_required)
        wizard.action_confirm()
        self.assertEqual(set(docs.mapped("state")), {"draft"})
        wizard.reason = "Budgeted"
        wizard.action_confirm()
        self.assertEqual(set(docs.mapped("state")), {"confirmed"})

    def test_single_request_errors_are_raised(self):
        request = self.request_of(self.pending(1))
        with self.assertRaisesRegex(UserError, "your own request"):
            self.wizard(self.requester, request).action_confirm()
        with self.assertRaisesRegex(UserError, "at least one"):
            self.wizard(self.manager, self.Request).action_confirm()

    def test_mass_approval_costs_the_same_per_request(self):
        small = self.requests_of(self.pending(2))
        large = self.requests_of(self.pending(8))
        counts = []
        for requests in (small, large):
            wizard = self.wizard(self.manager, requests)
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            wizard.action_confirm()
            counts.append((self.env.cr.sql_log_count - start) / len(requests))
        self.assertEqual(
            set(small.mapped("state")) | set(large.mapped("state")), {"approved"}
        )
        # per-request cost does not grow with the batch
        self.assertLessEqual(counts[1], counts[0] * 1.1)
