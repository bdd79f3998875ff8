# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import math
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from ..tools import llm
from .common import GovAiCase

VALID = {"label": "duplicate", "confidence": 0.9, "rationale": "same", "abstain": False}


def completion(content, finish_reason="stop"):
    return {
        "choices": [{"message": {"content": content}, "finish_reason": finish_reason}],
        "usage": {"total_tokens": 42},
    }


class FakeChatServer(BaseHTTPRequestHandler):
    """Answers like an OpenAI-compatible server; the first path segment
    picks the behaviour."""

    requests_seen = []
    bodies_seen = []

    def log_message(self, *args):
        return

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length))
        scenario = self.path.strip("/").split("/")[0]
        mode = (body.get("response_format") or {}).get("type", "prompt")
        FakeChatServer.requests_seen.append((scenario, mode))
        FakeChatServer.bodies_seen.append(body)
        status, answer = 200, completion(json.dumps(VALID))
        if scenario == "malformed":
            answer = completion('{"label": "dupl')
        elif scenario == "offschema":
            answer = completion(json.dumps(dict(VALID, confidence=10)))
        elif scenario == "truncated":
            answer = completion(json.dumps(VALID), finish_reason="length")
        elif scenario == "failing":
            status, answer = 500, {"error": "boom"}
        elif scenario == "slow":
            time.sleep(1.3)
        elif scenario == "noschema" and mode == "json_schema":
            status, answer = 400, {"error": "response_format not supported"}
        elif scenario == "logprobs":
            content = json.dumps(VALID)
            head, rest = content.split(VALID["label"], 1)
            answer = completion(content)
            answer["choices"][0]["logprobs"] = {
                "content": [
                    {"token": head, "logprob": -0.01},
                    {"token": VALID["label"], "logprob": math.log(0.25)},
                    {"token": rest, "logprob": -0.01},
                ]
            }
        elif scenario == "odd":
            answer = completion(json.dumps(dict(VALID, label="maybe")))
        elif scenario == "disagree":
            answer = completion(json.dumps(dict(VALID, label="unique")))
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@tagged("post_install", "-at_install")
class TestOpenAiProvider(GovAiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = ThreadingHTTPServer(("127.0.0.1", 0), FakeChatServer)
        thread = threading.Thread(target=cls.server.serve_forever, daemon=True)
        thread.start()
        cls.addClassCleanup(cls.server.server_close)
        cls.addClassCleanup(cls.server.shutdown)
        cls.port = cls.server.server_address[1]
        cls.provider = cls.env["gov.ai.provider"].create(
            {
                "name": "Fake LLM",
                "kind": "openai_compatible",
                "model_name": "tiny",
                "base_url": f"http://127.0.0.1:{cls.port}/valid/v1",
                "timeout": 1,
            }
        )
        cls.provider._set_api_key("sk-local")
        cls.use_case = cls.make_use_case(
            "duplicate", provider_id=cls.provider.id, impact="high"
        )
        cls.original = cls.bill(cls.vendor, "INV-7", 80.0)
        cls.twin = cls.bill(cls.vendor, "inv-007", 80.0)

    def ask(self, scenario):
        self.provider.base_url = f"http://127.0.0.1:{self.port}/{scenario}/v1"
        FakeChatServer.requests_seen.clear()
        FakeChatServer.bodies_seen.clear()
        return self.twin._gov_ai_recommend(self.use_case)

    def sent_input(self, record, use_case):
        """The input the provider received when asked about ``record``."""
        self.provider.base_url = f"http://127.0.0.1:{self.port}/valid/v1"
        FakeChatServer.bodies_seen.clear()
        record._gov_ai_recommend(use_case)
        body = FakeChatServer.bodies_seen[0]
        return json.loads(body["messages"][1]["content"]), json.dumps(body)

    def test_personal_data_is_masked_before_it_leaves(self):
        visible = self.fields["ref"] | self.fields["parent_id"]
        visible |= self.fields["partner_latitude"] | self.fields["email"]
        visible |= self.fields["comment"]
        use_case = self.make_use_case(
            "duplicate",
            provider_id=self.provider.id,
            impact="high",
            field_ids=[(6, 0, visible.ids)],
        )
        first = self.bill(
            self.vendor,
            "INV-31",
            12.0,
            email="jane@example.com",
            comment="<p>Call +32 470 12 34 56, pay BE71 0961 2345 6769</p>",
        )
        second = self.bill(self.vendor, "INV-32", 12.0, email="jane@example.com")
        sent_first, raw_first = self.sent_input(first, use_case)
        sent_second, _raw = self.sent_input(second, use_case)
        for secret in ("jane@example.com", "+32 470", "BE71 0961"):
            self.assertNotIn(secret, raw_first)
        self.assertEqual(sent_first["masked"], ["email"])
        self.assertRegex(sent_first["values"]["email"], r"^EMAIL-[0-9a-f]{10}$")
        # equal values keep equal pseudonyms: the provider can still compare
        self.assertEqual(sent_first["values"]["email"], sent_second["values"]["email"])
        self.assertIn("PHONE-", sent_first["values"]["comment"])
        self.assertIn("IBAN-", sent_first["values"]["comment"])
        self.assertEqual(sent_first["values"]["ref"], "INV-31")
        # what the database keeps is the real input
        rec = self.Recommendation.search(
            [("use_case_id", "=", use_case.id), ("res_id", "=", first.id)]
        )
        self.assertEqual(rec.input_data["values"]["email"], "jane@example.com")
        # a use case that opts out sends the values as they are
        use_case.mask_personal_data = False
        third = self.bill(self.vendor, "INV-33", 12.0, email="joe@example.com")
        sent_third, _raw = self.sent_input(third, use_case)
        self.assertEqual(sent_third["values"]["email"], "joe@example.com")
        self.assertNotIn("masked", sent_third)

    def test_valid_answer_agreeing_with_the_detector(self):
        rec = self.ask("valid")
        self.assertEqual(rec.state, "proposed")
        self.assertEqual(rec.label, "duplicate")
        self.assertEqual(rec.tokens, 42)
        self.assertEqual(rec.evidence["output_mode"], "json_schema")
        self.assertTrue(rec.evidence["agrees_with_builtin"])
        self.assertAlmostEqual(rec.confidence, 0.95)
        self.assertEqual(rec.provider_model, "tiny")

    def test_token_probabilities_temper_the_stated_confidence(self):
        self.provider.request_logprobs = True
        rec = self.ask("logprobs")
        self.assertTrue(FakeChatServer.bodies_seen[0]["logprobs"])
        self.assertAlmostEqual(rec.evidence["label_probability"], 0.25, places=4)
        self.assertTrue(rec.evidence["agrees_with_builtin"])
        builtin = rec.evidence["builtin_confidence"]
        self.assertAlmostEqual(
            rec.confidence, round((math.sqrt(0.9 * 0.25) + builtin) / 2, 4), places=4
        )
        # without the question, the servers are not asked for them
        self.provider.request_logprobs = False
        self.twin.ref = "inv-0007"
        self.ask("valid")
        self.assertNotIn("logprobs", FakeChatServer.bodies_seen[0])

    def test_use_case_prompt_and_output_schema(self):
        schema = dict(
            llm.ANSWER_SCHEMA,
            properties=dict(
                llm.ANSWER_SCHEMA["properties"],
                label={"type": "string", "enum": ["duplicate", "unique"]},
            ),
        )
        self.use_case.write(
            {
                "prompt_template": "Is this $model record a duplicate bill?"
                " Fields: $fields. ${task}! $unknown stays.",
                "output_schema": json.dumps(schema),
            }
        )
        rec = self.ask("valid")
        self.assertEqual(rec.state, "proposed")
        body = FakeChatServer.bodies_seen[0]
        system = body["messages"][0]["content"]
        self.assertTrue(
            system.startswith(
                "Is this res.partner record a duplicate bill?"
                " Fields: parent_id, partner_latitude, ref. duplicate! $unknown stays."
            )
        )
        self.assertIn("abstain", system)  # the answer contract is appended
        sent = body["response_format"]["json_schema"]["schema"]
        self.assertEqual(sent["properties"]["label"]["enum"], ["duplicate", "unique"])
        # a label outside the use case's schema is not used
        self.twin.ref = "inv-0007"
        rec = self.ask("odd")
        self.assertEqual(rec.state, "fallback")
        self.assertIn("schema", rec.error_message)

    def test_output_schema_must_keep_the_answer_contract(self):
        for bad, message in (
            ("not json", "not JSON"),
            ("[1]", "JSON object"),
            ('{"type": "array"}', '"type": "object"'),
            ('{"type": "object", "properties": {"label": {}}}', "confidence"),
            ('{"type": "object", "minProperties": "x"}', "invalid JSON Schema"),
        ):
            with self.assertRaisesRegex(ValidationError, message):
                self.make_use_case("duplicate", output_schema=bad)

    def test_disagreement_lowers_confidence_to_fallback(self):
        rec = self.ask("disagree")
        self.assertEqual(rec.state, "fallback")
        self.assertLess(rec.confidence, 0.1)
        self.assertTrue(rec.exception_item_id)

    def test_ladder_falls_back_to_json_object(self):
        rec = self.ask("noschema")
        self.assertEqual(rec.state, "proposed")
        self.assertEqual(rec.evidence["output_mode"], "json_object")
        self.assertEqual(
            FakeChatServer.requests_seen,
            [("noschema", "json_schema"), ("noschema", "json_object")],
        )

    def test_unusable_answers_fall_back_and_never_apply(self):
        for scenario, reason in (
            ("malformed", "not JSON"),
            ("offschema", "schema"),
            ("truncated", "cut off"),
            ("failing", "HTTP 500"),
            ("slow", "after its timeout"),
        ):
            rec = self.ask(scenario)
            self.assertEqual(rec.state, "fallback", scenario)
            self.assertIn(reason, rec.error_message, scenario)
            self.assertEqual(rec.exception_item_id.category, "ai_low_confidence")

    def test_unreachable_server_falls_back(self):
        self.provider.base_url = "http://127.0.0.1:9/v1"
        rec = self.twin._gov_ai_recommend(self.use_case)
        self.assertEqual(rec.state, "fallback")
        self.assertIn("failed", rec.error_message)

    # -- off the request path ---------------------------------------------
    def automation(self, use_case):
        return self.env["base.automation"].create(
            {
                "name": "Ask the LLM on new contacts",
                "model_id": self.partner_model.id,
                "trigger": "on_create",
                "filter_domain": "[('ref', '=like', 'inv-%')]",
                "action_server_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Ask",
                            "model_id": self.partner_model.id,
                            "state": "gov_ai_recommend",
                            "gov_ai_use_case_id": use_case.id,
                        },
                    )
                ],
            }
        )

    def test_automation_rule_queues_the_external_call(self):
        self.automation(self.use_case)
        self.provider.base_url = f"http://127.0.0.1:{self.port}/valid/v1"
        cron = self.env.ref("gov_ai.ir_cron_gov_ai_process")
        Trigger = self.env["ir.cron.trigger"]
        triggers = Trigger.search_count([("cron_id", "=", cron.id)])
        FakeChatServer.requests_seen.clear()
        bill = self.bill(self.vendor, "inv-0007", 80.0)
        rec = self.Recommendation.search([("res_id", "=", bill.id)])
        self.assertEqual(rec.state, "queued")
        self.assertEqual(FakeChatServer.requests_seen, [], "no call in the transaction")
        self.assertEqual(rec.input_data["values"]["ref"], "inv-0007")
        self.assertGreater(Trigger.search_count([("cron_id", "=", cron.id)]), triggers)
        self.run_ai_queue()
        self.assertEqual(rec.state, "proposed")
        self.assertEqual(rec.label, "duplicate")
        self.assertEqual(FakeChatServer.requests_seen, [("valid", "json_schema")])
        self.assertFalse(
            self.Recommendation.search_count([("state", "=", "queued")]),
            "nothing left",
        )

    def test_scheduled_action_code_answers_queued_calls(self):
        """The scheduled action's code runs sandboxed, like any server action:
        it opens the engine's grant itself."""
        self.automation(self.use_case)
        self.provider.base_url = f"http://127.0.0.1:{self.port}/valid/v1"
        bill = self.bill(self.vendor, "inv-0007", 80.0)
        rec = self.Recommendation.search([("res_id", "=", bill.id)])
        self.assertEqual(rec.state, "queued")
        cron = self.env.ref("gov_ai.ir_cron_gov_ai_process")
        self.assertEqual(cron.code.strip(), "model._cron_process()")
        self.run_ai_queue()
        self.assertEqual(rec.state, "proposed")

    def test_queue_takes_one_batch_per_call(self):
        """Each call answers one batch and commits it; the scheduler calls
        again while a full batch says that work may remain."""
        self.provider.base_url = f"http://127.0.0.1:{self.port}/valid/v1"
        recs = self.Recommendation._run(
            self.use_case, self.original | self.twin, queue=True
        )
        self.assertEqual(recs.mapped("state"), ["queued", "queued"])
        with self.enter_registry_test_mode(), self.registry.cursor() as cr:
            Queue = self.Recommendation.with_env(self.env(cr=cr))
            self.assertEqual(Queue._cron_process(batch_size=1), recs[:1])
            self.assertEqual(Queue._cron_process(batch_size=1), recs[1:])
            self.assertFalse(Queue._cron_process(batch_size=1), "nothing left")
        self.assertEqual(recs.mapped("state"), ["proposed", "proposed"])

    def test_queued_call_that_fails_falls_back(self):
        self.automation(self.use_case)
        self.provider.base_url = f"http://127.0.0.1:{self.port}/failing/v1"
        bill = self.bill(self.vendor, "inv-0007", 80.0)
        rec = self.Recommendation.search([("res_id", "=", bill.id)])
        self.run_ai_queue()
        self.assertEqual(rec.state, "fallback")
        self.assertIn("HTTP 500", rec.error_message)
        self.assertEqual(rec.exception_item_id.res_id, bill.id)

    def test_queued_record_deleted_meanwhile_fails_cleanly(self):
        self.automation(self.use_case)
        bill = self.bill(self.vendor, "inv-0008", 80.0)
        rec = self.Recommendation.search([("res_id", "=", bill.id)])
        bill.unlink()
        self.run_ai_queue()
        self.assertEqual(rec.state, "failed")
        self.assertIn("no longer exists", rec.error_message)

    def test_synchronous_use_case_is_called_in_the_transaction(self):
        self.use_case.synchronous = True
        self.automation(self.use_case)
        self.provider.base_url = f"http://127.0.0.1:{self.port}/valid/v1"
        FakeChatServer.requests_seen.clear()
        bill = self.bill(self.vendor, "inv-0007", 80.0)
        rec = self.Recommendation.search([("res_id", "=", bill.id)])
        self.assertEqual(rec.state, "proposed")
        self.assertEqual(FakeChatServer.requests_seen, [("valid", "json_schema")])

    def test_builtin_provider_answers_after_the_save(self):
        """A use case answered after the save: a rule's question waits for
        the scheduled action, and is answered against the records that
        existed when it was asked."""
        builtin = self.make_use_case("duplicate", impact="high", answer_after_save=True)
        self.automation(builtin)
        bill = self.bill(self.vendor, "inv-0007", 80.0)
        rec = self.Recommendation.search([("res_id", "=", bill.id)])
        self.assertEqual(rec.state, "queued")
        self.assertFalse(rec.label, "no answer in the save")
        # entered after the question: not the original of the queued bill
        later = self.bill(self.vendor, "INV-0007", 80.0)
        self.run_ai_queue()
        self.assertEqual(rec.state, "proposed")
        similar = [match["id"] for match in rec.evidence["similar_records"]]
        self.assertIn(self.original.id, similar)
        self.assertNotIn(later.id, similar)

    def test_builtin_provider_answers_in_the_save_by_default(self):
        builtin = self.make_use_case("duplicate", impact="high")
        self.automation(builtin)
        bill = self.bill(self.vendor, "inv-0007", 80.0)
        rec = self.Recommendation.search([("res_id", "=", bill.id)])
        self.assertEqual(rec.state, "proposed")

    def test_asking_now_answers_the_queued_question(self):
        builtin = self.make_use_case("duplicate", impact="high", answer_after_save=True)
        self.automation(builtin)
        bill = self.bill(self.vendor, "inv-0007", 80.0)
        queued = self.Recommendation.search([("res_id", "=", bill.id)])
        self.assertEqual(queued.state, "queued")
        self.assertEqual(bill._gov_ai_recommend(builtin), queued)
        self.assertEqual(queued.state, "proposed")
        self.assertEqual(queued.label, "duplicate")

    def test_one_failing_queued_item_does_not_block_the_others(self):
        action = self.env["ir.actions.server"].create(
            {
                "name": "Refuse to apply",
                "model_id": self.partner_model.id,
                "state": "code",
                "code": "raise UserError('apply refused')",
            }
        )
        failing = self.make_use_case(
            "duplicate",
            provider_id=self.provider.id,
            impact="low",
            auto_apply=True,
            auto_apply_threshold=0.9,
            apply_action_id=action.id,
        )
        self.provider.base_url = f"http://127.0.0.1:{self.port}/valid/v1"
        first = self.Recommendation._run(failing, self.twin, queue=True)
        second = self.Recommendation._run(self.use_case, self.twin, queue=True)
        self.assertEqual((first | second).mapped("state"), ["queued", "queued"])
        self.run_ai_queue()
        self.assertEqual(first.state, "failed")
        self.assertIn("apply refused", first.error_message)
        self.assertEqual(first.exception_item_id.res_id, self.twin.id)
        self.assertEqual(second.state, "proposed")
