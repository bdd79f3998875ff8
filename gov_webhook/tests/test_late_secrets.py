# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Late secrets: stored as markers, resolved in the bytes sent only."""

import json
import unittest
from unittest.mock import patch

from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.gov_base.tools.engine import engine_writes
from odoo.addons.gov_exception.tools.payload import MASK
from odoo.addons.gov_webhook.tools.late_secrets import (
    REDACTED,
    LateSecretError,
    has_markers,
    materialize,
    redact,
    restore_masked,
)
from odoo.addons.gov_webhook.tools.signatures import verify_standard

from .common import ECHO, Receiver


def marker(kind, ref):
    return {"$secret": kind, "ref": ref}


class TestLateSecretTools(unittest.TestCase):
    def test_markers_are_replaced_at_any_depth(self):
        seen = []

        def resolve(kind, ref):
            seen.append((kind, ref))
            return f"{kind}:{ref['user']}"

        data = {
            "request": "PR-1",
            "approvers": [
                {"login": "ann", "token": marker("decision", {"user": 7})},
                {"login": "bob", "token": marker("decision", {"user": 8})},
            ],
            "nested": {"deeper": [[marker("link", {"user": 9})]]},
        }
        resolved = []
        value = materialize(data, resolve, resolved)
        self.assertEqual(value["approvers"][0]["token"], "decision:7")
        self.assertEqual(value["approvers"][1]["token"], "decision:8")
        self.assertEqual(value["nested"]["deeper"][0][0], "link:9")
        self.assertEqual(value["request"], "PR-1")
        self.assertEqual(resolved, ["decision:7", "decision:8", "link:9"])
        self.assertEqual(len(seen), 3)
        # the stored value is left as it was
        self.assertEqual(data["approvers"][0]["token"], marker("decision", {"user": 7}))
        self.assertTrue(has_markers(data))
        self.assertFalse(has_markers(value))

    def test_malformed_markers_and_answers_are_refused(self):
        for bad in (
            {"$secret": "decision"},
            {"$secret": "decision", "ref": 1, "extra": 2},
            {"$secret": 5, "ref": 1},
            {"$secret": "", "ref": 1},
        ):
            with self.subTest(bad=bad), self.assertRaises(LateSecretError):
                materialize({"data": bad}, lambda kind, ref: "x")
        with self.assertRaises(LateSecretError):
            materialize(marker("decision", 1), lambda kind, ref: 42)

    def test_a_failing_resolver_keeps_what_was_resolved_for_redaction(self):
        def resolve(kind, ref):
            if kind == "broken":
                raise RuntimeError("resolver down")
            return "s3cr3t-value"

        resolved = []
        with self.assertRaises(RuntimeError):
            materialize([marker("ok", 1), marker("broken", 2)], resolve, resolved)
        self.assertEqual(resolved, ["s3cr3t-value"])

    def test_redaction_covers_json_escapes(self):
        secret = 'tok"en/é\\1'
        echoed = json.dumps({"token": secret})
        self.assertNotIn(json.dumps(secret)[1:-1], redact(echoed, [secret]))
        self.assertIn(REDACTED, redact(echoed, [secret]))
        text = f"raw {secret} and {json.dumps(secret, ensure_ascii=False)}"
        self.assertNotIn(secret, redact(text, [secret]))
        self.assertEqual(redact("nothing here", [secret, ""]), "nothing here")
        self.assertIsNone(redact(None, [secret]))

    def test_masked_values_of_an_edited_payload_keep_the_stored_ones(self):
        stored = {
            "data": {"amount": 10, "token": marker("decision", 3), "list": [1, "x"]}
        }
        edited = {
            "data": {
                "amount": 12,
                "token": {"$secret": MASK, "ref": 3},
                "list": [1, MASK, MASK],
                "new": MASK,
            }
        }
        self.assertEqual(
            restore_masked(edited, stored, MASK),
            {
                "data": {
                    "amount": 12,
                    "token": marker("decision", 3),
                    "list": [1, "x", MASK],
                    "new": MASK,
                }
            },
        )


@tagged("post_install", "-at_install")
class TestLateSecretDeliveries(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.receiver = Receiver()
        cls.addClassCleanup(cls.receiver.stop)
        cls.env["gov.webhook.allowed.host"].create({"name": "127.0.0.1"})
        cls.subscription = cls.env["gov.webhook.subscription"].create(
            {
                "name": "n8n decisions",
                "target_url": cls.receiver.url,
                "event_types": "decision.*",
            }
        )
        cls.Subscription = cls.env["gov.webhook.subscription"]
        cls.Delivery = cls.env["gov.webhook.delivery"]
        cls.DeliveryClass = type(cls.Delivery)
        cls.manager = new_test_user(
            cls.env,
            login="wh_secret_manager",
            groups="gov_base.gov_base_group_integration_manager",
        )
        cls.auditor = new_test_user(
            cls.env, login="wh_secret_auditor", groups="gov_base.gov_base_group_auditor"
        )

    def setUp(self):
        super().setUp()
        self.receiver.requests.clear()
        self.receiver.script.clear()
        self.resolved = []

    def emit(self, kind="test_decision"):
        return self.Subscription.emit(
            "decision.pending",
            data={
                "request": "PR-7",
                "approvers": [{"login": "ann", "link": marker(kind, {"user": 7})}],
            },
        )

    def a_module_resolving(self, kind):
        """What a module extending ``_resolve_secret`` does, for this test."""
        original = self.DeliveryClass._resolve_secret
        test = self

        def _resolve_secret(self, kind_, ref):
            if kind_ == kind:
                secret = f"tok-{ref['user']}-{len(test.resolved)}-S3CRET"
                test.resolved.append(secret)
                return secret
            return original(self, kind_, ref)

        return patch.object(self.DeliveryClass, "_resolve_secret", _resolve_secret)

    def assertNoSecretStored(self, delivery, secrets):
        self.env.flush_all()
        stored = [delivery.payload, delivery.last_error, delivery.last_response]
        item = delivery.exception_item_id
        if item:
            stored += [item.payload, item.error_message, item.last_error]
            self.env.cr.execute(
                "SELECT error FROM gov_exception_attempt WHERE item_id = %s",
                [item.id],
            )
            stored += [row[0] for row in self.env.cr.fetchall()]
            self.env.cr.execute(
                "SELECT body::text FROM mail_message WHERE model = %s AND res_id = %s",
                ["gov.exception.item", item.id],
            )
            stored += [row[0] for row in self.env.cr.fetchall()]
        self.env.cr.execute(
            "SELECT details::text FROM gov_audit_event WHERE res_model = %s"
            " AND res_id = %s",
            ["gov.webhook.delivery", delivery.id],
        )
        stored += [row[0] for row in self.env.cr.fetchall()]
        for secret in secrets:
            for value in stored:
                self.assertNotIn(secret, value or "")

    def test_the_marker_is_stored_and_shown_and_the_secret_sent_signed(self):
        delivery = self.emit()
        stored = json.loads(delivery.payload)
        self.assertEqual(
            stored["data"]["approvers"][0]["link"],
            marker("test_decision", {"user": 7}),
        )
        # a receiver that echoes what it got: the answer is kept, redacted
        self.receiver.script = [(200, {}, ECHO)]
        with self.a_module_resolving("test_decision"):
            self.Delivery._send_due()
        self.assertEqual(delivery.state, "sent")
        headers, body = self.receiver.requests[0]
        sent = json.loads(body)
        self.assertEqual(sent["data"]["approvers"][0]["link"], self.resolved[0])
        self.assertEqual(sent["data"]["request"], "PR-7")
        ok, _timestamp = verify_standard(
            [self.subscription.sudo().secret], headers, body
        )
        self.assertTrue(ok, "the signature covers the body sent")
        self.assertIn(REDACTED, delivery.last_response)
        self.assertEqual(json.loads(delivery.payload), stored)
        self.assertNoSecretStored(delivery, self.resolved)
        # integration managers and auditors read the marker, over RPC too
        for user in (self.manager, self.auditor):
            [row] = delivery.with_user(user).read(["payload"])
            self.assertEqual(json.loads(row["payload"]), stored)

    def test_each_attempt_resolves_again(self):
        delivery = self.emit()
        self.receiver.script = [(503, {})]
        with self.a_module_resolving("test_decision"):
            self.Delivery._send_due()
            self.assertEqual(delivery.state, "retry")
            delivery.with_user(self.manager).action_resend()
            self.Delivery._send_due()
        self.assertEqual(delivery.state, "sent")
        self.assertEqual(len(self.resolved), 2)
        tokens = [
            json.loads(body)["data"]["approvers"][0]["link"]
            for _headers, body in self.receiver.requests
        ]
        self.assertEqual(tokens, self.resolved)
        self.assertNoSecretStored(delivery, self.resolved)

    def test_an_unknown_kind_is_dead_lettered_never_sent(self):
        delivery = self.emit(kind="nobody_resolves_this")
        self.Delivery._send_due()
        self.assertFalse(self.receiver.requests, "nothing left with the marker")
        self.assertEqual(delivery.state, "dead")
        self.assertIn("nobody_resolves_this", delivery.last_error)
        item = delivery.exception_item_id
        self.assertEqual(item.category, "delivery")
        self.assertIn("nobody_resolves_this", item.last_error)
        # the queue shows the marker, its kind masked like any secret-looking key
        self.assertEqual(
            json.loads(item.payload)["data"]["approvers"][0]["link"],
            {"$secret": MASK, "ref": {"user": 7}},
        )
        # a module resolving the kind is installed: the queue's replay sends it
        with self.a_module_resolving("nobody_resolves_this"):
            item.action_replay()
        self.assertEqual(item.state, "resolved", item.last_error)
        self.assertEqual(delivery.state, "sent")
        [(_headers, body)] = self.receiver.requests
        self.assertEqual(
            json.loads(body)["data"]["approvers"][0]["link"], self.resolved[0]
        )
        self.assertEqual(
            json.loads(delivery.payload)["data"]["approvers"][0]["link"],
            marker("nobody_resolves_this", {"user": 7}),
            "the replay as shown by the queue keeps the marker",
        )
        self.assertNoSecretStored(delivery, self.resolved)

    def test_an_edited_replay_keeps_the_marker(self):
        delivery = self.emit(kind="test_decision")
        with engine_writes("gov.webhook.delivery"):
            delivery.write({"attempts": 9})
        self.receiver.script = [(400, {})]
        with self.a_module_resolving("test_decision"):
            self.Delivery._send_due()
            self.assertEqual(delivery.state, "dead")
            item = delivery.exception_item_id
            shown = json.loads(item.payload)
            shown["data"]["request"] = "PR-7 (fixed)"
            item.replay_with_payload(json.dumps(shown))
        self.assertEqual(item.state, "resolved", item.last_error)
        payload = json.loads(delivery.payload)
        self.assertEqual(payload["data"]["request"], "PR-7 (fixed)")
        self.assertEqual(
            payload["data"]["approvers"][0]["link"],
            marker("test_decision", {"user": 7}),
        )
        sent = json.loads(self.receiver.requests[-1][1])
        self.assertEqual(sent["data"]["approvers"][0]["link"], self.resolved[-1])
        self.assertEqual(sent["data"]["request"], "PR-7 (fixed)")
        self.assertNoSecretStored(delivery, self.resolved)
