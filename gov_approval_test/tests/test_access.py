# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Who configures matrices and who sees which requests, lists and buttons."""

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import TesterCase


@tagged("post_install", "-at_install")
class TestAccess(TesterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.auditor = new_test_user(
            cls.env, login="tst_auditor", groups="gov_base.gov_base_group_auditor"
        )
        cls.bystander = new_test_user(
            cls.env, login="tst_bystander", groups="base.group_user"
        )

    def setUp(self):
        super().setUp()
        self.doc = self.make_doc(5000)
        self.confirm(self.doc)
        self.request = self.request_of(self.doc)

    def test_matrices_are_configured_by_matrix_managers_only(self):
        Matrix = self.env["gov.approval.matrix"]
        created = Matrix.with_user(self.matrix_manager).create(
            {"name": "By finance", "action": "gov.approval.tester:confirm"}
        )
        self.assertEqual(created.amount_field_id.name, "amount")
        self.assertEqual(created.currency_field_id.name, "currency_id")
        for user in (self.manager, self.requester, self.auditor):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                Matrix.with_user(user).create(
                    {"name": "x", "action": "gov.approval.tester:confirm"}
                )
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.matrix.with_user(user).write({"no_match_policy": "block"})
        self.assertTrue(self.matrix.with_user(self.auditor).line_ids)

    def test_requests_are_seen_by_the_people_involved(self):
        Request = self.env["gov.approval.request"]
        domain = [("id", "=", self.request.id)]
        for user, visible in (
            (self.requester, True),
            (self.manager, True),
            (self.matrix_manager, True),
            (self.auditor, True),
            (self.director, False),
            (self.bystander, False),
        ):
            with self.subTest(user=user.login):
                self.assertEqual(bool(Request.with_user(user).search(domain)), visible)
        # who decided keeps reading it
        self.decide(self.doc, self.manager)
        self.assertTrue(Request.with_user(self.manager).search(domain))

    def test_auditors_read_but_never_decide(self):
        request = self.request.with_user(self.auditor)
        self.assertEqual(request.step_ids.approver_ids, self.manager)
        with self.assertRaises(AccessError):
            request._decide("approve")
        with self.assertRaises(AccessError):
            request.write({"state": "cancelled"})

    def test_my_approvals_lists_what_i_can_decide(self):
        Request = self.env["gov.approval.request"]
        mine = Request.with_user(self.manager).search([("can_decide", "=", True)])
        self.assertEqual(mine, self.request)
        self.assertFalse(
            Request.with_user(self.requester).search([("can_decide", "=", True)])
        )
        Tester = self.env["gov.approval.tester"]
        docs = Tester.with_user(self.manager).search(
            [("gov_approval_can_decide", "=", True)]
        )
        self.assertEqual(docs, self.doc)
        self.assertNotIn(
            self.doc,
            Tester.with_user(self.manager).search(
                [("gov_approval_can_decide", "=", False)]
            ),
        )
        self.assertIn(self.doc, Tester.search([("gov_approval_state", "=", "pending")]))
        self.assertNotIn(self.doc, Tester.search([("gov_approval_state", "=", "none")]))
        free = self.make_doc(10)
        self.assertIn(free, Tester.search([("gov_approval_state", "=", "none")]))
        self.assertIn(
            free, Tester.search([("gov_approval_state", "not in", ["pending"])])
        )

    def test_buttons_follow_the_current_approvers(self):
        self.assertTrue(self.doc.with_user(self.manager).gov_approval_can_decide)
        self.assertFalse(self.doc.with_user(self.requester).gov_approval_can_decide)
        self.assertFalse(self.doc.with_user(self.director).gov_approval_can_decide)
        action = self.doc.with_user(self.manager).action_gov_approval_approve()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.manager)
            .with_context(**action["context"])
            .create({})
        )
        wizard.action_confirm()
        self.assertEqual(self.doc.state, "confirmed")
        history = self.doc.with_user(self.requester).action_gov_approval_requests()
        self.assertEqual(
            history["domain"],
            [("res_model", "=", self.doc._name), ("res_id", "=", self.doc.id)],
        )

    def test_company_rule_hides_other_companies(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        self.manager.write({"company_ids": [Command.link(other.id)]})
        request = self.request.with_user(self.manager).with_context(
            allowed_company_ids=[other.id]
        )
        self.assertFalse(request.search([("id", "=", self.request.id)]))

    def test_dashboard_shows_the_approval_backlog(self):
        sections = {
            s["key"]: s
            for s in self.env["gov.dashboard"]
            .with_user(self.manager)
            .get_dashboard_data()
        }
        kpis = {k["label"]: k["value"] for k in sections["approvals"]["kpis"]}
        self.assertEqual(kpis["Awaiting my approval"], 1)
        self.assertNotIn("Pending requests", kpis)
        manager_view = {
            s["key"]: s
            for s in self.env["gov.dashboard"]
            .with_user(self.matrix_manager)
            .get_dashboard_data()
        }
        figures = {k["label"]: k["value"] for k in manager_view["approvals"]["kpis"]}
        self.assertGreaterEqual(figures["Pending requests"], 1)
        self.assertIn("Overdue (SLA)", figures)
