# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The shipped n8n workflow for approvals, its JavaScript run with Node:
from the event our outbox sent, to the decision the endpoint applies."""

import json

from odoo.tests import tagged

from odoo.addons.gov_approval_purchase.tests.common import ApprovalCase
from odoo.addons.gov_webhook.tests import n8n
from odoo.addons.gov_webhook.tests.common import Receiver, WebhookFixtures, new_secret

WORKFLOW = "odoo_approval_decisions.json"


@tagged("post_install", "-at_install")
class TestApprovalN8nWorkflow(WebhookFixtures, ApprovalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_webhook_fixtures()
        cls.decisions, cls.subscription = cls.make_n8n_round_trip(
            "approvals", "approval_decision", "approval.*"
        )
        cls.receiver = Receiver()
        cls.addClassCleanup(cls.receiver.stop)
        cls.subscription.target_url = cls.receiver.url
        cls.subscription.action_allow_approval_tokens()
        cls.subscription_secret = new_secret()
        cls.subscription._set_secret(cls.subscription_secret)
        cls.workflow = n8n.workflow(WORKFLOW)
        cls.Inbox = cls.env["gov.webhook.inbox"]

    def code(self, name, **constants):
        js = n8n.node(self.workflow, name)["parameters"]["jsCode"]
        for constant, value in constants.items():
            js = n8n.set_constant(js, constant, value)
        return js

    def run_node(self, name, items, **constants):
        out, error = n8n.run_code(self.code(name, **constants), items)
        self.assertIsNone(error)
        return out

    def received(self, event_type):
        self.env["gov.webhook.delivery"]._send_due()
        return [
            (headers, body)
            for headers, body in self.receiver.requests
            if json.loads(body)["type"] == event_type
        ]

    def post_to_odoo(self, message):
        self.assertEqual(message["url"], self.decisions.url)
        body = message["body"].encode()
        headers = {
            "content-type": "application/json",
            "webhook-id": message["id"],
            "webhook-timestamp": message["timestamp"],
            "webhook-signature": message["signature"],
        }
        status = self.Inbox._receive(
            self.decisions.path_key,
            "POST",
            headers,
            lambda limit: body,
            len(body),
            "127.0.0.1",
        )
        self.Inbox._process_pending()
        return status, self.Inbox.search([("delivery_id", "=", message["id"])])

    def test_the_workflow_decides_as_the_approver_of_the_token(self):
        order = self.make_po(5000)
        self.confirm(order)
        [(headers, body)] = self.received("approval.step_pending")
        item = n8n.webhook_item(headers, body)
        # a secret other than the subscription's refuses the event
        [refused] = self.run_node("Verify signature", [item], SECRETS=[new_secret()])
        self.assertIs(refused["json"]["valid"], False)
        [verified] = self.run_node(
            "Verify signature", [item], SECRETS=[self.subscription_secret]
        )
        self.assertIs(verified["json"]["valid"], True, verified["json"]["reason"])
        self.assertEqual(verified["json"]["event"]["type"], "approval.step_pending")
        [ask] = self.run_node("One item per approver", [verified])
        self.assertEqual(ask["json"]["login"], self.manager.login)
        self.assertEqual(ask["json"]["request"], self.request_of(order).name)
        self.assertEqual(ask["json"]["step"]["needed"], 1)
        self.assertTrue(ask["json"]["token"])
        # the chat button posts the token and the decision back
        callback = {
            "json": {"body": {"token": ask["json"]["token"], "decision": "approve"}}
        }
        [decision] = self.run_node("Decision", [callback], ODOO_URL=self.decisions.url)
        self.assertEqual(decision["json"]["event"]["type"], "approval.decision")
        [signed] = self.run_node("Sign", [decision], SECRET=self.secret)
        _status, inbox = self.post_to_odoo(signed["json"])
        self.assertEqual(inbox.state, "done", inbox.outcome)
        self.assertEqual(order.state, "purchase")
        decided = self.request_of(order).decision_ids
        self.assertEqual((decided.user_id, decided.channel), (self.manager, "webhook"))

    def test_a_decision_without_token_or_verdict_is_not_sent(self):
        for body in ({"decision": "approve"}, {"token": "x.y", "decision": "maybe"}):
            js = self.code("Decision", ODOO_URL=self.decisions.url)
            out, error = n8n.run_code(js, [{"json": {"body": body}}])
            self.assertIsNone(out)
            self.assertIn("approve or reject", error)
