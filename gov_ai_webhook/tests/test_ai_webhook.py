# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from odoo.addons.gov_ai.tests.common import GovAiCase
from odoo.addons.gov_ai.tools.engine import recommendation_writes
from odoo.addons.gov_webhook.tests.common import WebhookFixtures

ANSWER = {
    "label": "duplicate",
    "confidence": 0.9,
    "rationale": "same",
    "abstain": False,
}


@tagged("post_install", "-at_install")
class TestAsynchronousProvider(WebhookFixtures, GovAiCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_webhook_fixtures()
        cls.answers, cls.subscription = cls.make_n8n_round_trip(
            "AI", "ai_answer", "ai.*"
        )
        cls.provider = cls.env["gov.ai.provider"].create(
            {
                "name": "n8n flow",
                "kind": "n8n",
                "model_name": "llama-via-n8n",
                "webhook_subscription_id": cls.subscription.id,
                "webhook_endpoint_id": cls.answers.id,
                "timeout": 600,
            }
        )
        cls.use_case = cls.make_use_case(
            "duplicate", provider_id=cls.provider.id, impact="high"
        )
        cls.original = cls.bill(cls.vendor, "INV-7", 80.0)
        cls.twin = cls.bill(
            cls.vendor, "inv-007", 80.0, email="private@example.com", phone="+3212"
        )
        cls.Inbox = cls.env["gov.webhook.inbox"]

    def ask(self):
        rec = self.twin._gov_ai_recommend(self.use_case)
        self.assertEqual(rec.state, "waiting")
        return rec

    def question(self, rec):
        [delivery] = self.env["gov.webhook.delivery"].search(
            [
                ("subscription_id", "=", self.subscription.id),
                ("event_type", "=", "ai.recommendation.requested"),
                ("res_id", "=", rec.id),
            ]
        )
        return delivery, json.loads(delivery.payload)

    def answer(self, correlation_id, answer=None, msg_id=None, sign=True, **extra):
        body = json.dumps(
            {
                "type": "ai.recommendation.answer",
                "data": {
                    "correlation_id": correlation_id,
                    "answer": ANSWER if answer is None else answer,
                    **extra,
                },
            }
        ).encode()
        headers = self.signed_headers(body, msg_id=msg_id)
        if not sign:
            headers["webhook-signature"] = "v1,AAAA"
        response = self.opener.post(
            f"{self.base_url()}/gov/webhook/{self.answers.path_key}",
            data=body,
            headers=headers,
            timeout=30,
        )
        self.Inbox._process_pending()
        inbox = self.Inbox.search(
            [("endpoint_id", "=", self.answers.id), ("delivery_id", "=", msg_id)]
        )
        return response, inbox

    def test_question_out_signed_answer_in_over_http(self):
        rec = self.ask()
        self.assertEqual(len(rec.correlation_id), 32)
        self.assertTrue(rec.answer_deadline > fields.Datetime.now())
        delivery, question = self.question(rec)
        self.assertEqual(delivery.state, "pending")
        data = question["data"]
        self.assertEqual(data["correlation_id"], rec.correlation_id)
        self.assertEqual(data["use_case"]["task"], "duplicate")
        self.assertTrue(data["answer_url"].endswith(self.answers.path_key))
        self.assertIn("confidence", data["answer_schema"]["properties"])
        response, inbox = self.answer(rec.correlation_id, msg_id="n8n-1", tokens=12)
        self.assertEqual(response.status_code, 202, response.text)
        self.assertEqual(inbox.state, "done")
        self.assertEqual(rec.state, "proposed")
        self.assertEqual(rec.label, "duplicate")
        # agreement with the built-in detector (1.0) lifts the 0.9 it claimed
        self.assertAlmostEqual(rec.confidence, 0.95)
        self.assertEqual(rec.tokens, 12)
        self.assertEqual(rec.evidence["output_mode"], "async")
        self.assertEqual(rec.evidence["correlation_id"], rec.correlation_id)
        self.assertEqual(rec.activity_ids.user_id, self.reviewer)
        # a second answer for the same question is refused, the first stands
        _response, again = self.answer(
            rec.correlation_id, dict(ANSWER, label="unique"), msg_id="n8n-2"
        )
        self.assertEqual(again.state, "failed")
        self.assertTrue(again.exception_item_id)
        self.assertEqual(rec.label, "duplicate")

    def test_the_detectors_lack_of_opinion_does_not_count_against_an_answer(self):
        # no similar bill: the built-in detector says "unique" without
        # confidence, which is no disagreement with the provider's answer
        lone = self.bill(self.vendor, "LONE-42", 999.0)
        rec = lone._gov_ai_recommend(self.use_case)
        self.assertEqual(rec.state, "waiting")
        _response, inbox = self.answer(rec.correlation_id, msg_id="n8n-lone")
        self.assertEqual(inbox.state, "done")
        self.assertEqual(rec.state, "proposed", rec.error_message)
        # only the discount of a self-reported confidence: 0.8 x 0.9
        self.assertAlmostEqual(rec.confidence, 0.72)
        self.assertIsNone(rec.evidence["agrees_with_builtin"])
        self.assertFalse(rec.exception_item_id)

    def test_the_answer_url_and_deadline_follow_the_public_url(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "gov_webhook.public_url", "https://erp.example.com"
        )
        rec = self.ask()
        _delivery, question = self.question(rec)
        self.assertEqual(
            question["data"]["answer_url"],
            f"https://erp.example.com/gov/webhook/{self.answers.path_key}",
        )
        self.assertRegex(
            question["data"]["deadline"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"
        )
        self.assertRegex(question["timestamp"], r"T\d\d:\d\d:\d\dZ$")

    def test_only_whitelisted_fields_leave(self):
        rec = self.ask()
        delivery, question = self.question(rec)
        values = question["data"]["input"]["values"]
        self.assertEqual(set(values), {"ref", "parent_id", "partner_latitude"})
        self.assertEqual(values["ref"], "inv-007")
        for secret in ("private@example.com", "+3212", "Bill inv-007"):
            self.assertNotIn(secret, delivery.payload)
        self.assertEqual(
            set(question["data"]),
            {
                "model",
                "id",
                "correlation_id",
                "answer_url",
                "deadline",
                "use_case",
                "instructions",
                "answer_schema",
                "input",
            },
        )

    def test_whitelisted_personal_data_leaves_masked(self):
        self.use_case.field_ids |= self.fields["email"]
        rec = self.ask()
        delivery, question = self.question(rec)
        values = question["data"]["input"]["values"]
        self.assertNotIn("private@example.com", delivery.payload)
        self.assertRegex(values["email"], r"^EMAIL-[0-9a-f]{10}$")
        self.assertEqual(question["data"]["input"]["masked"], ["email"])
        self.assertEqual(rec.input_data["values"]["email"], "private@example.com")

    def test_unsigned_answer_is_refused(self):
        rec = self.ask()
        response, inbox = self.answer(rec.correlation_id, msg_id="n8n-x", sign=False)
        self.assertEqual(response.status_code, 401)
        self.assertFalse(inbox)
        self.assertEqual(rec.state, "waiting")

    def test_answer_off_schema_falls_back(self):
        rec = self.ask()
        _response, inbox = self.answer(
            rec.correlation_id, dict(ANSWER, confidence=10), msg_id="n8n-3"
        )
        self.assertEqual(inbox.state, "done")
        self.assertEqual(rec.state, "fallback")
        self.assertIn("schema", rec.error_message)
        self.assertEqual(rec.exception_item_id.category, "ai_low_confidence")
        self.assertEqual(rec.exception_item_id.res_id, self.twin.id)

    def test_unknown_correlation_id_is_quarantined(self):
        self.ask()
        _response, inbox = self.answer("f" * 32, msg_id="n8n-4")
        self.assertEqual(inbox.state, "failed")
        self.assertIn("No AI recommendation waits", inbox.outcome)
        _response, inbox = self.answer(None, msg_id="n8n-5")
        self.assertEqual(inbox.state, "failed")

    def test_no_answer_before_the_deadline_falls_back(self):
        rec = self.ask()
        with recommendation_writes():
            rec.sudo().write(
                {"answer_deadline": fields.Datetime.now() - timedelta(seconds=1)}
            )
        self.run_ai_queue()
        self.assertEqual(rec.state, "fallback")
        self.assertIn("No answer from n8n flow", rec.error_message)
        self.assertTrue(rec.exception_item_id)
        _response, late = self.answer(rec.correlation_id, msg_id="n8n-late")
        self.assertEqual(late.state, "failed")
        self.assertEqual(rec.state, "fallback")

    def test_subscription_not_listening_falls_back_at_once(self):
        self.subscription.event_types = "account.*"
        rec = self.twin._gov_ai_recommend(self.use_case)
        self.assertEqual(rec.state, "fallback")
        self.assertIn("did not take the question", rec.error_message)
