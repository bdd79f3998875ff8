# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo.tests import tagged

from odoo.addons.gov_approval_purchase.tests.common import ApprovalCase
from odoo.addons.gov_webhook.tests.common import WebhookFixtures
from odoo.addons.gov_webhook.tools.timestamps import rfc3339


@tagged("post_install", "-at_install")
class TestApprovalOverWebhooks(WebhookFixtures, ApprovalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_webhook_fixtures()
        cls.decisions, cls.subscription = cls.make_n8n_round_trip(
            "approvals", "approval_decision", "approval.*"
        )
        cls.subscription.action_allow_approval_tokens()
        cls.Inbox = cls.env["gov.webhook.inbox"]

    def deliveries(self, event_type):
        return self.env["gov.webhook.delivery"].search(
            [
                ("subscription_id", "=", self.subscription.id),
                ("event_type", "=", event_type),
            ]
        )

    def events(self, event_type):
        """The events as stored in the outbox."""
        return [json.loads(d.payload) for d in self.deliveries(event_type)]

    def sent(self, event_type):
        """The events as the outbox sends them (late secrets resolved)."""
        return [json.loads(d._body_to_send([])) for d in self.deliveries(event_type)]

    def send_decision(self, data, msg_id):
        body = json.dumps({"type": "approval.decision", "data": data}).encode()
        headers = {
            k.lower(): v for k, v in self.signed_headers(body, msg_id=msg_id).items()
        }
        self.Inbox._receive(
            self.decisions.path_key,
            "POST",
            headers,
            lambda limit: body,
            len(body),
            "127.0.0.1",
        )
        self.Inbox._process_pending()
        return self.Inbox.search([("delivery_id", "=", msg_id)])

    def test_pending_step_event_carries_one_token_per_approver(self):
        order = self.make_po(5000)
        self.confirm(order)
        [event] = self.events("approval.step_pending")
        approvers = event["data"]["approvers"]
        self.assertEqual([a["login"] for a in approvers], [self.manager.login])
        self.assertEqual(
            event["data"]["document"], {"model": "purchase.order", "id": order.id}
        )
        # dates and times in RFC 3339 with their zone, like every event
        self.assertRegex(event["timestamp"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        step = self.env["gov.approval.request.step"].search(
            [("request_id.res_id", "=", order.id), ("state", "=", "pending")]
        )
        self.assertEqual(event["data"]["step"]["deadline"], rfc3339(step.deadline))

    def test_decision_by_token_through_the_endpoint(self):
        order = self.make_po(5000)
        self.confirm(order)
        token = self.sent("approval.step_pending")[0]["data"]["approvers"][0]["token"]
        inbox = self.send_decision({"token": token, "decision": "approve"}, "chat-1")
        self.assertEqual(inbox.state, "done")
        self.assertEqual(order.state, "purchase")
        decision = self.request_of(order).decision_ids
        self.assertEqual(
            (decision.user_id, decision.channel), (self.manager, "webhook")
        )
        self.assertEqual(len(self.events("approval.approved")), 1)
        # the same token again is refused and quarantined, the decision stands
        again = self.send_decision(
            {"token": token, "decision": "reject", "reason": "x"}, "chat-2"
        )
        self.assertEqual(again.state, "failed")
        self.assertIn("already been used", again.outcome)
        self.assertEqual(len(self.request_of(order).decision_ids), 1)

    def test_names_in_the_payload_prove_nothing(self):
        order = self.make_po(5000)
        self.confirm(order)
        inbox = self.send_decision(
            {"login": self.manager.login, "decision": "approve"}, "chat-forged"
        )
        self.assertEqual(inbox.state, "failed")
        self.assertTrue(inbox.exception_item_id)
        self.assertEqual(order.state, "draft")

    def test_segregation_of_duties_holds_over_webhooks(self):
        order = self.make_po(5000)
        self.confirm(order)
        request = self.request_of(order)
        # a validly signed token for the requester still decides nothing
        token = request._link_token(request.step_ids, self.requester)
        inbox = self.send_decision({"token": token, "decision": "approve"}, "chat-self")
        self.assertEqual(inbox.state, "failed")
        self.assertIn("own request", inbox.outcome)
        self.assertEqual(request.state, "pending")
        bad = self.send_decision({"token": "x.y", "decision": "maybe"}, "chat-bad")
        self.assertEqual(bad.state, "failed")

    def test_matrices_asking_for_the_password_are_decided_in_odoo_only(self):
        self.matrix.confirm_identity = True
        order = self.make_po(5000)
        self.confirm(order)
        request = self.request_of(order)
        [event] = self.sent("approval.step_pending")
        self.assertEqual(
            [(a["login"], a["token"]) for a in event["data"]["approvers"]],
            [(self.manager.login, None)],
        )
        # a token made all the same decides nothing
        token = request._link_token(request.step_ids, self.manager)
        inbox = self.send_decision({"token": token, "decision": "approve"}, "chat-pw")
        self.assertEqual(inbox.state, "failed")
        self.assertIn("confirms their password", inbox.outcome)
        self.assertEqual(request.state, "pending")
