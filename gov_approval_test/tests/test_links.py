# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Approval by e-mail link: signed, expiring, single use, and checked like
any other decision."""

from odoo.tests import HttpCase, tagged

from .common import TesterCase


@tagged("post_install", "-at_install")
class TestEmailLinks(TesterCase, HttpCase):
    def setUp(self):
        super().setUp()
        self.matrix.allow_email_links = True
        self.doc = self.make_doc(5000)
        self.confirm(self.doc)
        self.request = self.request_of(self.doc)
        self.step = self.request.step_ids

    def url(self, token):
        return f"/gov/approval/link/{token}"

    def test_links_are_mailed_to_the_approvers(self):
        mails = self.env["mail.mail"].search(
            [
                ("model", "=", self.request._name),
                ("res_id", "=", self.request.id),
                ("subject", "like", "Approval needed"),
            ]
        )
        self.assertEqual(len(mails), 1)
        self.assertIn(self.manager.email, mails.email_to)
        self.assertIn("/gov/approval/link/", mails.body_html)

    def test_without_the_option_the_mail_links_to_odoo(self):
        self.matrix.allow_email_links = False
        doc = self.make_doc(5000)
        self.confirm(doc)
        request = self.request_of(doc)
        mails = self.env["mail.mail"].search(
            [("model", "=", request._name), ("res_id", "=", request.id)]
        )
        self.assertEqual(len(mails), 1)
        self.assertNotIn("/gov/approval/link/", mails.body_html)
        self.assertIn("/mail/view", mails.body_html)

    def test_opening_decides_nothing_and_the_form_approves_once(self):
        token = self.request._link_token(self.step, self.manager)
        page = self.url_open(self.url(token))
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.request.name, page.text)
        self.assertEqual(self.request.state, "pending")
        response = self.url_open(
            self.url(token), data={"decision": "approve", "reason": "Looks right"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("You approved", response.text)
        self.assertEqual(self.doc.state, "confirmed")
        decision = self.request.decision_ids
        self.assertEqual((decision.user_id, decision.channel), (self.manager, "email"))
        self.assertEqual(decision.reason, "Looks right")
        reused = self.url_open(
            self.url(token), data={"decision": "reject", "reason": "x"}
        )
        self.assertEqual(reused.status_code, 403)
        self.assertIn("already been used", reused.text)
        self.assertEqual(len(self.request.decision_ids), 1)

    def test_tampered_and_expired_links_are_refused(self):
        token = self.request._link_token(self.step, self.manager)
        encoded, signature = token.split(".")
        forged = self.request._link_token(self.step, self.director).split(".")[0]
        for label, bad in (
            ("other payload", f"{forged}.{signature}"),
            ("bad signature", f"{encoded}.{'0' * len(signature)}"),
            ("garbage", "not-a-token"),
        ):
            with self.subTest(label):
                response = self.url_open(self.url(bad), data={"decision": "approve"})
                self.assertEqual(response.status_code, 403)
                self.assertIn("not valid", response.text)
        expired = self.request._link_token(self.step, self.manager, validity_hours=-1)
        response = self.url_open(self.url(expired))
        self.assertEqual(response.status_code, 403)
        self.assertIn("expired", response.text)
        self.assertFalse(self.request.decision_ids)

    def test_link_holder_is_checked_like_anyone_else(self):
        # a validly signed link for someone who is not an approver decides nothing
        token = self.request._link_token(self.step, self.requester)
        response = self.url_open(self.url(token), data={"decision": "approve"})
        self.assertEqual(response.status_code, 403)
        self.assertIn("own request", response.text)
        outsider = self.request._link_token(self.step, self.director)
        response = self.url_open(self.url(outsider), data={"decision": "approve"})
        self.assertEqual(response.status_code, 403)
        self.assertIn("not an approver", response.text)
        self.assertEqual(self.request.state, "pending")

    def test_a_link_to_a_step_no_longer_open_decides_nothing(self):
        token = self.request._link_token(self.step, self.manager)
        self.doc.with_user(self.requester).partner_id = self.partner_2
        self.assertEqual(self.request.state, "superseded")
        response = self.url_open(self.url(token), data={"decision": "approve"})
        self.assertEqual(response.status_code, 403)
        self.assertIn("no longer waits", response.text)
        self.assertFalse(self.request.decision_ids)

    def test_reject_by_link_needs_a_reason(self):
        token = self.request._link_token(self.step, self.manager)
        response = self.url_open(self.url(token), data={"decision": "reject"})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(self.request.state, "pending")
        response = self.url_open(
            self.url(token), data={"decision": "reject", "reason": "Wrong partner"}
        )
        self.assertIn("You rejected", response.text)
        self.assertEqual(self.request.state, "rejected")
        self.assertEqual(self.request.decision_ids.reason, "Wrong partner")
