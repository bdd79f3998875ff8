# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The shipped n8n workflow for AI questions, its JavaScript run with Node:
from the question our outbox sent to the answer taken on the endpoint, over
real HTTP."""

import json

from odoo.tests import HttpCase, tagged

from odoo.addons.gov_ai.tests.common import GovAiCase
from odoo.addons.gov_webhook.tests import n8n
from odoo.addons.gov_webhook.tests.common import Receiver, WebhookFixtures, new_secret

WORKFLOW = "odoo_ai_answers.json"


@tagged("post_install", "-at_install")
class TestAiN8nWorkflow(WebhookFixtures, GovAiCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_webhook_fixtures()
        cls.answers, cls.subscription = cls.make_n8n_round_trip(
            "AI", "ai_answer", "ai.*"
        )
        cls.receiver = Receiver()
        cls.addClassCleanup(cls.receiver.stop)
        cls.subscription.target_url = cls.receiver.url
        cls.subscription_secret = new_secret()
        cls.subscription._set_secret(cls.subscription_secret)
        cls.provider = cls.env["gov.ai.provider"].create(
            {
                "name": "n8n workflow",
                "kind": "n8n",
                "webhook_subscription_id": cls.subscription.id,
                "webhook_endpoint_id": cls.answers.id,
                "timeout": 600,
            }
        )
        cls.use_case = cls.make_use_case("duplicate", provider_id=cls.provider.id)
        cls.bill(cls.vendor, "INV-7", 80.0)
        cls.twin = cls.bill(cls.vendor, "inv-007", 80.0)
        cls.workflow = n8n.workflow(WORKFLOW)

    def run_node(self, name, items, **constants):
        js = n8n.node(self.workflow, name)["parameters"]["jsCode"]
        for constant, value in constants.items():
            js = n8n.set_constant(js, constant, value)
        out, error = n8n.run_code(js, items)
        self.assertIsNone(error)
        return out

    def test_the_workflow_answers_the_question_odoo_sent(self):
        rec = self.twin._gov_ai_recommend(self.use_case)
        self.assertEqual(rec.state, "waiting")
        self.env["gov.webhook.delivery"]._send_due()
        [(headers, body)] = self.receiver.requests
        item = n8n.webhook_item(headers, body)
        [forged] = self.run_node(
            "Verify signature",
            [n8n.webhook_item(headers, body.replace(b"duplicate", b"unique__x"))],
            SECRETS=[self.subscription_secret],
        )
        self.assertIs(forged["json"]["valid"], False)
        [verified] = self.run_node(
            "Verify signature", [item], SECRETS=[self.subscription_secret]
        )
        self.assertIs(verified["json"]["valid"], True, verified["json"]["reason"])
        question = verified["json"]["event"]
        self.assertEqual(question["type"], "ai.recommendation.requested")
        [answer] = self.run_node("Ask your model", [verified])
        self.assertEqual(answer["json"]["url"], question["data"]["answer_url"])
        [signed] = self.run_node("Sign", [answer], SECRET=self.secret)
        message = signed["json"]
        self.assertTrue(
            message["url"].endswith(f"/gov/webhook/{self.answers.path_key}")
        )
        response = self.opener.post(
            f"{self.base_url()}/gov/webhook/{self.answers.path_key}",
            data=message["body"].encode(),
            headers={
                "Content-Type": "application/json",
                "webhook-id": message["id"],
                "webhook-timestamp": message["timestamp"],
                "webhook-signature": message["signature"],
            },
            timeout=30,
        )
        self.assertEqual(response.status_code, 202, response.text)
        self.env["gov.webhook.inbox"]._process_pending()
        inbox = self.env["gov.webhook.inbox"].search(
            [("delivery_id", "=", message["id"])]
        )
        self.assertEqual(inbox.state, "done", inbox.outcome)
        # the shipped model step abstains: a person decides in Odoo
        self.assertEqual(
            rec.correlation_id, json.loads(message["body"])["data"]["correlation_id"]
        )
        self.assertEqual(rec.state, "fallback")
