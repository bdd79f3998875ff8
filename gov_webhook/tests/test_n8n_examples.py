# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The shipped n8n workflows: what importing and routing them needs, and
their JavaScript run with Node against messages of our own signer (a valid
delivery is accepted, a forged or stale one refused; what they sign verifies
here)."""

import json
import time
import unittest
import uuid

from odoo.addons.gov_webhook.tools.signatures import (
    new_signing_key,
    standard_signatures,
    verify_standard,
)

from . import n8n
from .common import new_secret

LISTENING = {
    "odoo_verify_delivery.json": ["odoo-events"],
    "odoo_approval_decisions.json": ["odoo-approvals", "odoo-approval-decision"],
    "odoo_ai_answers.json": ["odoo-ai-questions"],
    "odoo_send_signed.json": [],
    "odoo_json2_contacts.json": [],
}


def delivery(secrets_, body=None, timestamp=None, msg_id=None):
    """A delivery as our outbox sends it: headers and raw body."""
    body = (
        body
        or json.dumps(
            {
                "type": "approval.step_pending",
                "timestamp": "2026-12-03T12:48:06Z",
                "data": {"request": "APR/0001", "amount": 1234.5, "note": "Café ☕"},
            },
            sort_keys=True,
        ).encode()
    )
    msg_id = msg_id or f"msg_{uuid.uuid4().hex}"
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    headers = {
        "content-type": "application/json",
        "webhook-id": msg_id,
        "webhook-timestamp": timestamp,
        "webhook-signature": standard_signatures(secrets_, msg_id, timestamp, body),
    }
    return headers, body


class TestN8nWorkflowShape(unittest.TestCase):
    def test_every_workflow_imports(self):
        workflows = n8n.workflows()
        self.assertEqual(sorted(workflows), sorted(LISTENING))
        ids = set()
        for name, workflow in workflows.items():
            with self.subTest(workflow=name):
                # n8n import:workflow needs its own id (workflow_entity.id)
                self.assertRegex(workflow.get("id") or "", r"^[A-Za-z0-9]{16}$")
                ids.add(workflow["id"])
                self.assertTrue(workflow["name"])
                self.assertIs(workflow["active"], False)
                self.assertIsInstance(workflow["settings"], dict)
                names = [node["name"] for node in workflow["nodes"]]
                self.assertEqual(len(names), len(set(names)))
                for source, outputs in workflow["connections"].items():
                    self.assertIn(source, names)
                    for output in outputs["main"]:
                        for link in output:
                            self.assertIn(link["node"], names)
                # the Crypto node keys HMACs with the secret's text, not with
                # the bytes of a whsec_ secret: it cannot sign nor verify ours
                self.assertNotIn(
                    "n8n-nodes-base.crypto", [n["type"] for n in workflow["nodes"]]
                )
                for node in workflow["nodes"]:
                    if node["type"] == n8n.CODE:
                        self.assertNotIn("$env", node["parameters"]["jsCode"])
        self.assertEqual(len(ids), len(workflows))

    def test_odoo_is_called_through_json2(self):
        calls = [
            node["parameters"]["url"]
            for workflow in n8n.workflows().values()
            for node in workflow["nodes"]
            if node["type"] == "n8n-nodes-base.httpRequest"
            and "/gov/webhook/" not in json.dumps(node["parameters"])
            and node["parameters"]["url"] != "={{ $json.url }}"
        ]
        self.assertEqual(
            calls, ["https://erp.example.com/json/2/res.partner/search_read"]
        )
        text = json.dumps(n8n.workflows())
        self.assertNotIn("/jsonrpc", text)
        self.assertNotIn("/xmlrpc", text)

    def test_webhooks_listen_on_their_documented_path(self):
        webhook_ids = set()
        for name, workflow in n8n.workflows().items():
            with self.subTest(workflow=name):
                hooks = [n for n in workflow["nodes"] if n["type"] == n8n.WEBHOOK]
                self.assertEqual(
                    [hook["parameters"]["path"] for hook in hooks], LISTENING[name]
                )
                for hook in hooks:
                    # without webhookId n8n listens on /webhook/<workflow id>/...
                    self.assertRegex(hook.get("webhookId") or "", r"^[0-9a-f-]{36}$")
                    webhook_ids.add(hook["webhookId"])
                    self.assertEqual(hook["parameters"]["httpMethod"], "POST")
                    self.assertEqual(hook["parameters"]["responseMode"], "responseNode")
        self.assertEqual(len(webhook_ids), 4)

    def test_demo_subscription_posts_to_the_verifying_workflow(self):
        demo = (
            n8n.EXAMPLES.parent.parent / "demo" / "gov_webhook_demo.xml"
        ).read_text()
        self.assertIn("http://127.0.0.1:5678/webhook/odoo-events<", demo)

    def test_receivers_answer_2xx_only_after_verification(self):
        for name, workflow in n8n.workflows().items():
            hooks = [n for n in workflow["nodes"] if n["type"] == n8n.WEBHOOK]
            for hook in hooks:
                with self.subTest(workflow=name, webhook=hook["name"]):
                    answers = []
                    for path in n8n.paths(workflow, hook["name"]):
                        responds = [
                            name_
                            for name_ in path
                            if n8n.node(workflow, name_)["type"] == n8n.RESPOND
                        ]
                        # exactly one answer on every path
                        self.assertEqual(len(responds), 1, path)
                        answers.append((path, responds[0]))
                    if not hook["parameters"]["options"].get("rawBody"):
                        # the decision from chat: the token is the proof
                        continue
                    # events from Odoo: the raw body goes to the verifier first
                    self.assertEqual(
                        n8n.successors(workflow, hook["name"]), [n8n.VERIFIER]
                    )
                    self.assertEqual(n8n.successors(workflow, n8n.VERIFIER), ["Valid?"])
                    codes = {}
                    for path, respond in answers:
                        gate = path[path.index("Valid?") + 1]
                        self.assertEqual(gate, respond)
                        status = n8n.node(workflow, respond)["parameters"]["options"][
                            "responseCode"
                        ]
                        codes.setdefault(status, set()).add(respond)
                    # Valid? answers 204 on its true output, 401 on its false one
                    true_out, false_out = workflow["connections"]["Valid?"]["main"]
                    self.assertEqual(
                        codes, {204: {true_out[0]["node"]}, 401: {false_out[0]["node"]}}
                    )


class TestN8nVerifier(unittest.TestCase):
    """The verifier Code node, identical in each receiving workflow, run with
    Node on deliveries signed by :mod:`..tools.signatures`."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        codes = {
            n8n.node(workflow, n8n.VERIFIER)["parameters"]["jsCode"]
            for workflow in n8n.workflows().values()
            if any(n["name"] == n8n.VERIFIER for n in workflow["nodes"])
        }
        assert len(codes) == 1, "the workflows ship different verifiers"
        cls.js = codes.pop()

    def verify(self, headers, body, secrets_, helpers=True):
        js = n8n.set_constant(self.js, "SECRETS", secrets_)
        out, error = n8n.run_code(js, [n8n.webhook_item(headers, body)], helpers)
        self.assertIsNone(error)
        self.assertEqual(len(out), 1)
        return out[0]["json"]

    def test_valid_delivery_is_accepted(self):
        secret = new_secret()
        headers, body = delivery([secret])
        for helpers in (True, False):
            result = self.verify(headers, body, [secret], helpers=helpers)
            self.assertEqual(result["reason"], None)
            self.assertIs(result["valid"], True)
            self.assertEqual(result["event"], json.loads(body))
            self.assertEqual(result["webhookId"], headers["webhook-id"])
        # a clock a few minutes off is within the five minutes allowed
        for shift in (-240, 240):
            headers, body = delivery([secret], timestamp=int(time.time()) + shift)
            self.assertIs(self.verify(headers, body, [secret])["valid"], True)

    def test_rotation_either_signature_verifies(self):
        old, new = new_secret(), new_secret()
        headers, body = delivery([new, old])
        self.assertTrue(self.verify(headers, body, [old])["valid"])
        self.assertTrue(self.verify(headers, body, [new])["valid"])

    def test_forgeries_are_refused(self):
        secret, other = new_secret(), new_secret()
        headers, body = delivery([secret])
        cases = {
            "other secret": (delivery([other], body=body)[0], body),
            "body changed": (headers, body.replace(b"1234.5", b"9234.5")),
            "id changed": ({**headers, "webhook-id": "msg_other"}, body),
            "timestamp changed": (
                {
                    **headers,
                    "webhook-timestamp": str(int(headers["webhook-timestamp"]) + 1),
                },
                body,
            ),
            "no signature": ({**headers, "webhook-signature": ""}, body),
            "empty v1": ({**headers, "webhook-signature": "v1,"}, body),
            "v1a claimed for a v1 secret": (
                {
                    **headers,
                    "webhook-signature": "v1a,"
                    + headers["webhook-signature"].split(",", 1)[1],
                },
                body,
            ),
            "stale": delivery([secret], body=body, timestamp=int(time.time()) - 360),
            "from the future": delivery(
                [secret], body=body, timestamp=int(time.time()) + 360
            ),
        }
        for case, (forged_headers, forged_body) in cases.items():
            with self.subTest(case=case):
                result = self.verify(forged_headers, forged_body, [secret])
                self.assertIs(result["valid"], False)
                self.assertTrue(result["reason"])
                self.assertIsNone(result["event"])
        # and our own verifier agrees on the genuine one and the forgeries
        self.assertTrue(verify_standard([secret], headers, body)[0])
        self.assertFalse(verify_standard([secret], *cases["body changed"])[0])

    def test_without_raw_body_nothing_is_accepted(self):
        secret = new_secret()
        headers, body = delivery([secret])
        item = n8n.webhook_item(headers, body)
        del item["binary"]
        item["json"]["body"] = json.loads(body)
        js = n8n.set_constant(self.js, "SECRETS", [secret])
        out, error = n8n.run_code(js, [item])
        self.assertIsNone(error)
        self.assertIs(out[0]["json"]["valid"], False)
        self.assertIn("Raw Body", out[0]["json"]["reason"])

    def test_ed25519_v1a_with_the_public_key(self):
        private, public = new_signing_key()
        headers, body = delivery([private])
        self.assertTrue(headers["webhook-signature"].startswith("v1a,"))
        self.assertTrue(self.verify(headers, body, [public])["valid"])
        _other_private, other_public = new_signing_key()
        self.assertFalse(self.verify(headers, body, [other_public])["valid"])
        tampered = body.replace(b"APR/0001", b"APR/0002")
        self.assertFalse(self.verify(headers, tampered, [public])["valid"])
        # a v1 secret does not accept a v1a signature, nor the reverse
        self.assertFalse(self.verify(headers, body, [new_secret()])["valid"])
        secret = new_secret()
        self.assertFalse(self.verify(*delivery([secret]), [public])["valid"])


class TestN8nSigner(unittest.TestCase):
    """The Sign Code node of the sending workflows signs what we verify."""

    def test_signed_messages_verify_here(self):
        for name, workflow in n8n.workflows().items():
            for node in workflow["nodes"]:
                if node["name"] != "Sign":
                    continue
                with self.subTest(workflow=name):
                    secret = new_secret()
                    js = n8n.set_constant(
                        node["parameters"]["jsCode"], "SECRET", secret
                    )
                    event = {"type": "x.y", "data": {"name": "Zoë", "n": [1, 2.5]}}
                    items = [
                        {"json": {"url": "https://erp.example.com/x", "event": event}}
                    ]
                    out, error = n8n.run_code(js, items)
                    self.assertIsNone(error)
                    message = out[0]["json"]
                    self.assertEqual(message["url"], "https://erp.example.com/x")
                    self.assertEqual(json.loads(message["body"]), event)
                    headers = {
                        "webhook-id": message["id"],
                        "webhook-timestamp": message["timestamp"],
                        "webhook-signature": message["signature"],
                    }
                    body = message["body"].encode()
                    ok, timestamp = verify_standard([secret], headers, body)
                    self.assertTrue(ok)
                    self.assertLess(abs(timestamp - time.time()), 60)
                    self.assertFalse(verify_standard([new_secret()], headers, body)[0])
