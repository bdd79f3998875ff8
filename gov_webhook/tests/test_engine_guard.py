# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Inbound and outbound deliveries are written by the gateway's engine only."""

import json

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import WebhookFixtures


@tagged("post_install", "-at_install")
class TestEngineGuard(WebhookFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_webhook_fixtures()
        cls.env["gov.webhook.allowed.host"].create({"name": "127.0.0.1"})
        cls.subscription = cls.env["gov.webhook.subscription"].create(
            {
                "name": "Guarded",
                "target_url": "http://127.0.0.1:9/guarded",
                "event_types": "guard.*",
            }
        )
        cls.Inbox = cls.env["gov.webhook.inbox"]
        cls.Delivery = cls.env["gov.webhook.delivery"]

    def setUp(self):
        super().setUp()
        self.delivery = self.env["gov.webhook.subscription"].emit(
            "guard.tested", data={"n": 1}
        )
        body = self.body("Guarded Contact")
        headers = {k.lower(): v for k, v in self.signed_headers(body).items()}
        reply = self.Inbox._receive(
            self.endpoint.path_key, "POST", headers, lambda _l: body, len(body), "::1"
        )
        self.assertEqual(reply.status, 202)
        self.inbox = self.Inbox.search([("endpoint_id", "=", self.endpoint.id)])

    def run_code(self, code):
        action = self.env["ir.actions.server"].create(
            {
                "name": "Tamper",
                "model_id": self.env["ir.model"]._get_id("res.partner"),
                "state": "code",
                "code": code,
            }
        )
        return action.run()

    def test_the_old_context_key_opens_nothing(self):
        delivery = self.delivery.sudo().with_context(gov_webhook_engine=True)
        inbox = self.inbox.sudo().with_context(gov_webhook_engine=True)
        with self.assertRaises(AccessError):
            delivery.write({"state": "sent"})
        with self.assertRaises(AccessError):
            inbox.write({"state": "done"})
        with self.assertRaises(AccessError):
            delivery.create(
                {
                    "subscription_id": self.subscription.id,
                    "company_id": self.env.company.id,
                    "event_type": "guard.forged",
                    "webhook_id": "msg_forged",
                    "payload": "{}",
                    "state": "sent",
                }
            )
        with self.assertRaises(AccessError):
            inbox.create(
                {
                    "endpoint_id": self.endpoint.id,
                    "delivery_id": "forged",
                    "received_at": "2026-01-01 00:00:00",
                    "body_hash": "0",
                    "state": "done",
                }
            )
        with self.assertRaises(AccessError):
            delivery.unlink()
        with self.assertRaises(AccessError):
            inbox.unlink()
        self.assertEqual(self.delivery.state, "pending")
        self.assertEqual(self.inbox.state, "received")

    def test_code_server_actions_cannot_change_a_state(self):
        delivery = f"env['gov.webhook.delivery'].browse({self.delivery.id})"
        inbox = f"env['gov.webhook.inbox'].browse({self.inbox.id})"
        forced = ".with_context(gov_webhook_engine=True)"
        attempts = [
            f"{delivery}{forced}.write({{'state': 'sent'}})",
            f"{inbox}{forced}.write({{'state': 'done'}})",
            # the sender's helpers: one attempt, the dead-letter
            f"{delivery}._send_once()",
            f"{delivery}._dead_letter()",
            # the processor's helpers
            f"{inbox}._process()",
            f"{inbox}._finish(True, {{}}, 0, 'done', 200, False, 'forged')",
        ]
        for code in attempts:
            with self.subTest(code=code), self.assertRaises(AccessError):
                self.run_code(code)
        self.assertEqual(self.delivery.state, "pending")
        self.assertEqual(self.delivery.attempts, 0)
        self.assertFalse(self.delivery.exception_item_id)
        self.assertEqual(self.inbox.state, "received")
        self.assertFalse(
            self.env["res.partner"].search([("name", "=", "Guarded Contact")])
        )

    def test_code_server_actions_still_send_events_and_run_the_engine(self):
        self.run_code(
            "env['gov.webhook.subscription'].emit('guard.from_action', data={'n': 2})"
        )
        emitted = self.Delivery.search([("event_type", "=", "guard.from_action")])
        self.assertEqual(json.loads(emitted.payload)["data"], {"n": 2})
        # the processor is an entry point: it checks and records on its own
        self.run_code("env['gov.webhook.inbox']._process_pending()")
        self.assertEqual(self.inbox.state, "done")
        self.assertTrue(
            self.env["res.partner"].search([("name", "=", "Guarded Contact")])
        )

    def test_queue_handlers_only_take_items_of_the_queue(self):
        # a handler called outside the exception queue finds no item to work
        with self.assertRaises(ValueError):
            self.run_code(
                f"env['gov.webhook.delivery'].browse({self.delivery.id})"
                "._gov_resend({'type': 'guard.forged', 'data': {}})"
            )
        with self.assertRaises(ValueError):
            self.run_code(
                f"env['gov.webhook.inbox'].browse({self.inbox.id})"
                "._gov_replay({'type': 'x', 'data': {'name': 'Forged'}})"
            )
        self.assertEqual(self.delivery.state, "pending")
        self.assertNotIn("guard.forged", self.delivery.payload)
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Forged")]))

    def test_resend_is_for_integration_managers_after_their_checks(self):
        manager = new_test_user(
            self.env,
            login="wh_guard_manager",
            groups="gov_base.gov_base_group_integration_manager",
        )
        auditor = new_test_user(
            self.env, login="wh_guard_auditor", groups="gov_base.gov_base_group_auditor"
        )
        self.Delivery._send_due()
        self.assertEqual(self.delivery.state, "retry", "nothing listens on port 9")
        with self.assertRaises(AccessError):
            self.delivery.with_user(auditor).action_resend()
        with self.assertRaises(AccessError):
            self.delivery.with_user(manager).write({"state": "pending"})
        self.delivery.with_user(manager).action_resend()
        self.assertEqual(self.delivery.state, "pending")
        self.assertEqual(self.delivery.attempts, 0)
        event = self.env["gov.audit.event"].search(
            [
                ("event_type", "=", "webhook.delivery_resent"),
                ("res_id", "=", self.delivery.id),
            ]
        )
        self.assertEqual(event.user_id, manager)
