# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The approver's inbox and what the requester is told: the banner, the
chatter of the document and of the request, quick decisions, the decision
dialog, turn-based notifications, delegations ending at the end of a day,
and the daily digest."""

from datetime import datetime

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import new_test_user

from .common import APPROVER, TesterCase


class TestInbox(TesterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.delegate = new_test_user(
            cls.env, login="tst_inbox_delegate", groups=APPROVER
        )

    def _messages(self, record):
        return self.env["mail.message"].search(
            [("model", "=", record._name), ("res_id", "=", record.id)]
        )

    # ------------------------------------------------------------------
    # What the requester sees
    # ------------------------------------------------------------------
    def test_banner_names_every_step_to_come_and_what_follows(self):
        doc = self.make_doc(20000)
        self.confirm(doc)
        summary = doc.with_user(self.requester).gov_approval_summary
        self.assertIn("Waiting for Manager: 0 of 1 approvals (tst_manager", summary)
        self.assertIn("Then: Director (tst_director", summary)
        self.assertIn("is done automatically", summary)
        self.matrix.auto_resume = False
        doc.invalidate_recordset()
        self.assertIn(
            "can go ahead", doc.with_user(self.requester).gov_approval_summary
        )

    def test_rejection_banner_says_who_and_why(self):
        doc = self.make_doc(5000)
        self.confirm(doc)
        self.decide(doc, self.manager, "reject", "Over the budget")
        summary = doc.with_user(self.requester).gov_approval_summary
        self.assertTrue(summary.startswith(f"Rejected by {self.manager.name} on "))
        self.assertTrue(summary.endswith(": Over the budget"))

    def test_banner_and_list_name_the_delegate_of_an_absent_approver(self):
        doc = self.make_doc(5000)
        self.confirm(doc)
        self.env["gov.approval.delegation"].with_user(self.manager).create(
            {
                "user_id": self.manager.id,
                "delegate_id": self.delegate.id,
                "date_to": datetime(2099, 1, 1, 12),
            }
        )
        doc.invalidate_recordset()
        away = f"{self.manager.name} (away: {self.delegate.name} decides"
        self.assertIn(away, doc.with_user(self.requester).gov_approval_summary)
        request = self.request_of(doc).with_user(self.delegate)
        self.assertIn(away, request.waiting_for_display)
        wizard = (
            self.env["gov.approval.decision.wizard"]
            .with_user(self.delegate)
            .create({"request_ids": [Command.set(request.ids)]})
        )
        self.assertEqual(
            wizard.on_behalf_note,
            f"You decide on behalf of {self.manager.name}, who delegated to you.",
        )
        wizard.reason = "Covering"
        wizard.action_confirm()
        body = self._messages(doc).filtered(lambda m: "Covering" in str(m.body)).body
        self.assertIn(
            f"Manager approved by {self.delegate.name} on behalf of"
            f" {self.manager.name}: Covering",
            str(body),
        )
        # the approver decides for themselves: no "on behalf" note
        doc_2 = self.make_doc(5000)
        self.confirm(doc_2)
        own = (
            self.env["gov.approval.decision.wizard"]
            .with_user(self.manager)
            .create({"request_ids": [Command.set(self.request_of(doc_2).ids)]})
        )
        self.assertFalse(own.on_behalf_note)

    def test_each_decision_and_its_comment_is_in_the_document_chatter(self):
        doc = self.make_doc(20000)
        self.confirm(doc)
        self.decide(doc, self.manager, "approve", "Fine for the team")
        bodies = self._messages(doc).mapped(lambda m: str(m.body))
        self.assertTrue(
            any(
                f"Manager approved by {self.manager.name}: Fine for the team" in b
                for b in bodies
            ),
            bodies,
        )
        self.decide(doc, self.director, "approve", "Board agreed")
        bodies = self._messages(doc).mapped(lambda m: str(m.body))
        self.assertTrue(any("Director approved by" in b for b in bodies))
        self.assertTrue(any("Approved. Confirm tester document" in b for b in bodies))
        self.assertEqual(doc.state, "confirmed")

    def test_no_empty_message_in_the_request_chatter(self):
        """The e-mails to approvers are messages too: they stay out of the
        request's chatter, where an empty body read "This message has been
        removed"."""
        doc = self.make_doc(20000)
        self.confirm(doc)
        self.decide(doc, self.manager, "approve", "ok")
        request = self.request_of(doc)
        mails = self.env["mail.mail"].search(
            [("model", "=", request._name), ("res_id", "=", request.id)]
        )
        self.assertEqual(len(mails), 2)
        shown = request.with_user(self.requester).message_ids
        self.assertFalse(shown.filtered(lambda m: not m.body), shown)

    # ------------------------------------------------------------------
    # What the approver sees and does
    # ------------------------------------------------------------------
    def test_request_shows_partner_lines_and_summary(self):
        doc = self.make_doc(5000)
        doc.line_ids.create(
            {"tester_id": doc.id, "name": "Second widget", "quantity": 2}
        )
        self.confirm(doc)
        request = self.request_of(doc)
        self.assertEqual(request.partner_id, self.partner)
        summary = str(request.with_user(self.manager).document_summary)
        self.assertIn("o_gov_approval_lines", summary)
        self.assertIn("Second widget", summary)
        self.assertFalse(request.with_user(self.director).document_summary)

    def test_quick_decision_opens_for_deciders_only(self):
        doc = self.make_doc(5000)
        self.confirm(doc)
        request = self.request_of(doc)
        action = request.with_user(self.manager).action_approve()
        self.assertEqual(action["res_model"], "gov.approval.decision.wizard")
        self.assertEqual(action["context"]["default_request_ids"], request.ids)
        for user in (self.requester, self.director, self.matrix_manager):
            with self.assertRaises(UserError):
                request.with_user(user).action_reject()
        auditor = new_test_user(
            self.env,
            login="tst_inbox_auditor",
            groups="gov_base.gov_base_group_auditor",
        )
        with self.assertRaisesRegex(UserError, "Auditors"):
            request.with_user(auditor).action_approve()

    def test_mass_dialog_lists_the_requests(self):
        docs = self.make_doc(2000) | self.make_doc(3000, partner=self.partner_2)
        for doc in docs:
            self.confirm(doc)
        requests = self.request_of(docs[0]) | self.request_of(docs[1])
        wizard = (
            self.env["gov.approval.decision.wizard"]
            .with_user(self.manager)
            .create({"request_ids": [Command.set(requests.ids)]})
        )
        html = str(wizard.requests_html)
        for request in requests:
            self.assertIn(request.name, html)
        self.assertIn("Other Partner", html)
        self.assertIn("3,000.00", html)

    def test_later_steps_are_told_only_when_their_turn_comes(self):
        doc = self.make_doc(20000)
        self.confirm(doc)
        request = self.request_of(doc)

        def told(user):
            mails = self.env["mail.mail"].search(
                [("model", "=", request._name), ("res_id", "=", request.id)]
            )
            return (
                user.email_formatted in mails.mapped("email_to"),
                user in request.activity_ids.user_id,
            )

        self.assertEqual(told(self.manager), (True, True))
        self.assertEqual(told(self.director), (False, False))
        self.decide(doc, self.manager, "approve")
        request.invalidate_recordset()
        self.assertEqual(told(self.director), (True, True))

    def test_delegation_until_a_day_includes_that_day(self):
        self.manager.tz = "Europe/Brussels"
        delegation = (
            self.env["gov.approval.delegation"]
            .with_user(self.manager)
            .create(
                {
                    "delegate_id": self.delegate.id,
                    # midnight in Brussels (UTC+1 in December)
                    "date_to": datetime(2030, 12, 9, 23, 0, 0),
                }
            )
        )
        self.assertEqual(delegation.date_to, datetime(2030, 12, 10, 22, 59, 59))
        delegation.with_user(self.manager).date_to = datetime(2030, 12, 11, 15, 30)
        # a time given is kept
        self.assertEqual(delegation.date_to, datetime(2030, 12, 11, 15, 30))

    # ------------------------------------------------------------------
    # Daily digest
    # ------------------------------------------------------------------
    def test_digest_goes_to_approvers_who_asked_once_a_day(self):
        docs = self.make_doc(2000) | self.make_doc(3000)
        for doc in docs:
            self.confirm(doc)
        self.manager.with_user(self.manager).gov_approval_digest = True
        self.director.gov_approval_digest = True  # nothing waits for them
        Request = self.env["gov.approval.request"]

        def digests(user):
            return self.env["mail.mail"].search(
                [
                    ("email_to", "=", user.email_formatted),
                    ("subject", "like", "wait for your decision"),
                ]
            )

        Request._send_digest(self.manager)
        mail = digests(self.manager)
        self.assertEqual(len(mail), 1)
        self.assertIn("2 approval requests", mail.subject)
        for doc in docs:
            self.assertIn(self.request_of(doc).name, mail.body_html)
        self.assertFalse(digests(self.director))
        # already sent today: the scheduled action sends nothing more
        self.assertFalse(Request._take_digests(100) & (self.manager | self.manager_2))
        self.assertIn(self.director, Request._take_digests(100))
        self.assertNotIn(self.manager_2, Request._take_digests(100))
