# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Matrices whose approvers confirm their password before deciding."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import TesterCase


@tagged("post_install", "-at_install")
class TestConfirmIdentity(TesterCase, HttpCase):
    def setUp(self):
        super().setUp()
        self.matrix.write({"allow_email_links": True, "confirm_identity": True})
        self.doc = self.make_doc(5000)
        self.confirm(self.doc)
        self.request = self.request_of(self.doc)

    def call_button(self, model, method, ids, context=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_button/{model}/{method}",
            {
                "model": model,
                "method": method,
                "args": [ids],
                "kwargs": {"context": context or {}},
            },
        )

    def wizard(self, user):
        return (
            self.env["gov.approval.decision.wizard"]
            .with_user(user)
            .with_context(active_model=self.request._name, active_ids=self.request.ids)
            .create({"decision": "approve"})
        )

    def test_no_link_is_mailed_and_links_decide_nothing(self):
        mails = self.env["mail.mail"].search(
            [("model", "=", self.request._name), ("res_id", "=", self.request.id)]
        )
        self.assertTrue(mails)
        self.assertNotIn("/gov/approval/link/", "".join(mails.mapped("body_html")))
        # a link signed all the same is refused by the decision method
        token = self.request._link_token(self.request.step_ids, self.manager)
        response = self.url_open(
            f"/gov/approval/link/{token}", data={"decision": "approve"}
        )
        self.assertEqual(response.status_code, 403)
        self.assertIn("confirms their password", response.text)
        for channel in ("webhook", "api", "email"):
            with (
                self.subTest(channel),
                self.assertRaisesRegex(AccessError, "confirms their password"),
            ):
                self.request.with_user(self.manager)._decide("approve", channel=channel)
        self.assertEqual(self.request.state, "pending")
        self.assertFalse(self.request.decision_ids)

    def test_the_decision_waits_for_the_approvers_password(self):
        wizard = self.wizard(self.manager)
        # outside an interactive session there is nobody to ask
        with self.assertRaisesRegex(UserError, "over HTTP"):
            wizard.action_confirm()
        self.assertFalse(self.request.decision_ids)
        self.authenticate(self.manager.login, self.manager.login)
        action = self.call_button(wizard._name, "action_confirm", wizard.ids)
        self.assertEqual(action["res_model"], "res.users.identitycheck")
        self.assertFalse(self.request.decision_ids)
        with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
            self.call_button(
                "res.users.identitycheck",
                "run_check",
                [action["res_id"]],
                {"password": "not the password"},
            )
        self.assertFalse(self.request.decision_ids)
        done = self.call_button(
            "res.users.identitycheck",
            "run_check",
            [action["res_id"]],
            {"password": self.manager.login},
        )
        self.assertEqual(done["params"]["type"], "success")
        self.assertEqual(self.request.decision_ids.user_id, self.manager)
        self.assertEqual(self.request.decision_ids.channel, "ui")
        self.assertEqual(self.doc.state, "confirmed")

    def test_matrices_without_the_option_decide_at_once(self):
        self.matrix.confirm_identity = False
        result = self.wizard(self.manager).action_confirm()
        self.assertEqual(result["params"]["type"], "success")
        self.assertEqual(self.doc.state, "confirmed")
        # switching the option on and off is audited like any matrix change
        events = self.env["gov.audit.event"].search(
            [
                ("event_type", "=", "approval.matrix_changed"),
                ("res_id", "=", self.matrix.id),
            ]
        )
        self.assertEqual(
            len([e for e in events if "confirm_identity" in str(e.details)]), 2
        )
