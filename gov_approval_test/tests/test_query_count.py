# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Query budgets of the engine, on the smallest governed document: what the
engine itself costs, without a business app's own confirmation.

Each measure runs from emptied caches, after the same operation ran twice the
same way (``warm``): the registry caches it fills (access rules, defaults,
routing) are then warm whatever ran before, and the budgets do not depend on
the order of the tests.
"""

from odoo.fields import Command
from odoo.tests import tagged

from .common import TesterCase


@tagged("post_install", "-at_install")
class TestQueryBudgets(TesterCase):
    def docs(self, count, amount=5000):
        """``count`` documents of ``amount``, confirmed: they wait for approval."""
        docs = (
            self.env["gov.approval.tester"]
            .with_user(self.requester)
            .create(
                [
                    {
                        "name": f"Budget {index}",
                        "partner_id": self.partner.id,
                        "line_ids": [
                            Command.create({"name": "Widget", "price_unit": amount})
                        ],
                    }
                    for index in range(count)
                ]
            )
        )
        docs.action_confirm()
        return docs.with_env(self.env)

    def warm(self, operation, times=2):
        for _index in range(times):
            self.env.invalidate_all()
            operation()

    def read_state(self, docs, user):
        docs = docs.with_user(user)
        self.env.invalidate_all()
        docs.read(
            ["gov_approval_state", "gov_approval_can_decide", "gov_approval_summary"]
        )

    def test_approval_state_of_a_list_is_constant_in_its_length(self):
        few = self.docs(10)
        many = self.docs(160)
        self.warm(lambda: self.read_state(few, self.manager))
        # one of them reads the documents' state, which decides the banner;
        # four more read what the banner names: the open and the later steps,
        # their approvers, and the delegations in force for them
        with self.assertQueryCount(13):
            self.read_state(few, self.manager)
        with self.assertQueryCount(13):
            self.read_state(many, self.manager)
        self.assertEqual(
            set(many.with_user(self.manager).mapped("gov_approval_state")), {"pending"}
        )

    def test_request_creation_budget(self):
        self.warm(lambda: self.confirm(self.make_doc(5000)))
        doc = self.make_doc(5000)
        self.env.invalidate_all()
        # (the company rules of the document and its lines are checked as
        # for any document of a business app)
        with self.assertQueryCount(23):
            self.confirm(doc)
        self.assertEqual(self.request_of(doc).state, "pending")

    def test_one_decision_and_confirmation_budget(self):
        self.matrix.line_ids[1].step_ids.write(
            {
                "user_ids": [Command.set([self.manager.id, self.manager_2.id])],
                "min_approvals": 2,
            }
        )

        def decide_both():
            warm = self.make_doc(5000)
            self.confirm(warm)
            for user in (self.manager, self.manager_2):
                self.env.invalidate_all()
                self.decide(warm, user)

        self.warm(decide_both)
        doc = self.make_doc(5000)
        self.confirm(doc)
        request = self.request_of(doc)
        self.env.invalidate_all()
        # each approval writes its note (and comment) in the document's chatter
        with self.assertQueryCount(16):
            request.with_user(self.manager)._decide("approve")
        self.env.invalidate_all()
        # the last approval seals the request (from the decisions read for
        # the checks), tells the requester and confirms the document; its
        # notes and audit events are written with the approval's
        with self.assertQueryCount(26):
            request.with_user(self.manager_2)._decide("approve")
        self.assertEqual(doc.state, "confirmed")

    def cycle(self, amount):
        """Request, approvals of every step, and the resumed confirmation of
        one document, from emptied caches at each step; returns the document."""
        doc = self.make_doc(amount)
        self.env.invalidate_all()
        self.confirm(doc)
        request = self.request_of(doc)
        for user, reason in ((self.manager, None), (self.director, "Budgeted")):
            self.env.invalidate_all()
            request.with_user(user)._decide("approve", reason)
        return doc

    def test_full_cycle_budget(self):
        """Request, two approvals and the confirmation the last one resumes."""
        self.warm(lambda: self.cycle(20000))
        # with the chatter note of each of the two approvals
        with self.assertQueryCount(65):
            doc = self.cycle(20000)
        self.assertEqual(doc.state, "confirmed")
        self.assertTrue(self.request_of(doc).action_done)

    def test_mass_approval_budget_per_request(self):
        """Approving the first of two steps of many requests: the decision
        wizard pays a constant, not a cost per request (checks one by one,
        writes grouped)."""
        costs = {}
        for count in (1, 1, 2, 12):  # the first runs warm the caches
            docs = self.docs(count, amount=20000)
            requests = self.Request.search(
                [("res_model", "=", docs._name), ("res_id", "in", docs.ids)]
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
        self.assertLessEqual(costs[12], costs[2], costs)
        # the chatter notes of the approvals are inserted in one go
        self.assertLessEqual(costs[12], 18, costs)

    def test_confirmation_without_matrix_costs_nothing_extra(self):
        self.matrix.active = False
        self.warm(lambda: self.confirm(self.make_doc(5000)))
        doc = self.make_doc(5000)
        self.env.invalidate_all()
        # no matrix for the model: the gate reads nothing (the queries are the
        # confirmation's own, with the company rule checks of the document
        # and its lines)
        with self.assertQueryCount(6):
            self.confirm(doc)
        self.assertEqual(doc.state, "confirmed")
        # a matrix that filters the document out: nothing more (cached routing)
        self.matrix.active = True
        self.matrix.domain = "[('id', '=', 0)]"
        self.warm(lambda: self.confirm(self.make_doc(5000)))
        other = self.make_doc(5000)
        self.env.invalidate_all()
        with self.assertQueryCount(6):
            self.confirm(other)
        self.assertEqual(other.state, "confirmed")
