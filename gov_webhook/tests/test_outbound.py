# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The outbox against a real receiver started on loopback by the test."""

import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import TransactionCase, tagged

from odoo.addons.gov_base.tools.engine import engine_writes
from odoo.addons.gov_webhook.tools.signatures import verify_standard

from .common import Receiver


@tagged("post_install", "-at_install")
class TestOutbound(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.receiver = Receiver()
        cls.addClassCleanup(cls.receiver.stop)
        cls.env["gov.webhook.allowed.host"].create(
            {"name": "127.0.0.1", "note": "tests"}
        )
        cls.partner_model = cls.env["ir.model"]._get("res.partner")
        cls.subscription = cls.env["gov.webhook.subscription"].create(
            {
                "name": "n8n contacts",
                "target_url": cls.receiver.url,
                "event_types": "contact.*",
                "model_id": cls.partner_model.id,
                "field_ids": [
                    Command.set(
                        cls.env["ir.model.fields"]
                        .search(
                            [
                                ("model", "=", "res.partner"),
                                ("name", "in", ("name", "email")),
                            ]
                        )
                        .ids
                    )
                ],
                "extra_headers": json.dumps({"X-Tenant": "acme"}),
            }
        )
        cls.partner = cls.env["res.partner"].create(
            {
                "name": "Outbound Contact",
                "email": "out@example.com",
                "phone": "secret phone",
            }
        )
        cls.Subscription = cls.env["gov.webhook.subscription"]
        cls.Delivery = cls.env["gov.webhook.delivery"]

    def setUp(self):
        super().setUp()
        self.receiver.requests.clear()
        self.receiver.script.clear()

    def _due(self, deliveries):
        with engine_writes("gov.webhook.delivery"):
            deliveries.write(
                {"next_attempt_date": fields.Datetime.now() - timedelta(seconds=1)}
            )

    def test_event_is_signed_whitelisted_and_sent_after_the_fact(self):
        delivery = self.Subscription.emit("contact.updated", record=self.partner)
        self.assertEqual(len(delivery), 1)
        self.assertEqual(delivery.state, "pending")
        self.assertFalse(
            self.receiver.requests, "nothing is sent in the business transaction"
        )
        self.Delivery._send_due()
        self.assertEqual(delivery.state, "sent")
        headers, body = self.receiver.requests[0]
        payload = json.loads(body)
        self.assertEqual(payload["type"], "contact.updated")
        self.assertEqual(payload["data"]["name"], "Outbound Contact")
        self.assertEqual(payload["data"]["email"], "out@example.com")
        self.assertNotIn("phone", payload["data"], "only whitelisted fields leave")
        self.assertEqual(headers["x-tenant"], "acme")
        self.assertEqual(headers["webhook-id"], delivery.webhook_id)
        secret = self.subscription.sudo().secret
        ok, _timestamp = verify_standard([secret], headers, body)
        self.assertTrue(ok, "the receiver can verify the signature")

    def test_events_nobody_listens_to_write_nothing(self):
        self.Subscription._routing()  # cached by every worker once
        partner = self.partner.browse(self.partner.id)
        self.env.invalidate_all()
        with self.assertQueryCount(0, flush=False):
            # not even the record's company is read
            self.assertFalse(self.Subscription.emit("invoice.posted", record=partner))
        self.assertFalse(
            self.Subscription.emit("contact.updated", record=self.env.user)
        )

    def test_emit_costs_one_insert_per_event(self):
        self.Subscription.emit("contact.updated", record=self.partner)
        self.env.flush_all()
        with self.assertQueryCount(1):
            # the INSERT: fields are read once, the sender is woken once, after
            # the commit (see test_wake)
            self.Subscription.emit("contact.updated", record=self.partner)
            self.env.flush_all()

    def test_a_rolled_back_change_emits_nothing(self):
        before = self.Delivery.search_count([])
        with self.assertRaises(ValueError), self.env.cr.savepoint():
            self.Subscription.emit("contact.created", record=self.partner)
            raise ValueError("business change failed")
        self.assertEqual(self.Delivery.search_count([]), before)

    def test_receiver_down_then_back_gets_every_event_once_with_stable_ids(self):
        deliveries = self.Delivery
        for index in range(3):
            deliveries |= self.Subscription.emit(
                "contact.updated", record=self.partner, data={"n": index}
            )
        self.receiver.script = [(503, {})] * 3
        self.Delivery._send_due()
        self.assertEqual(set(deliveries.mapped("state")), {"retry"})
        first_ids = [h["webhook-id"] for h, _b in self.receiver.requests]
        self.receiver.requests.clear()
        self._due(deliveries)
        self.Delivery._send_due()
        self.assertEqual(set(deliveries.mapped("state")), {"sent"})
        second_ids = [h["webhook-id"] for h, _b in self.receiver.requests]
        self.assertEqual(
            sorted(first_ids), sorted(second_ids), "webhook-id stable across retries"
        )
        self.assertEqual(len(set(second_ids)), 3)
        self.Delivery._send_due()
        self.assertEqual(
            len(self.receiver.requests), 3, "nothing sent twice once delivered"
        )

    def test_retry_after_is_honoured_and_the_schedule_backs_off(self):
        delivery = self.Subscription.emit("contact.updated", record=self.partner)
        self.receiver.script = [(429, {"Retry-After": "600"})]
        now = fields.Datetime.now()
        self.Delivery._send_due()
        self.assertEqual(delivery.state, "retry")
        self.assertGreaterEqual((delivery.next_attempt_date - now).total_seconds(), 599)
        self.receiver.script = [(500, {})]
        self._due(delivery)
        self.Delivery._send_due()
        wait = (delivery.next_attempt_date - fields.Datetime.now()).total_seconds()
        self.assertTrue(250 <= wait <= 340, wait)

    def test_retry_after_as_an_http_date_is_honoured(self):
        delivery = self.Subscription.emit("contact.updated", record=self.partner)
        when = datetime.now(UTC) + timedelta(seconds=120)
        self.receiver.script = [
            (503, {"Retry-After": format_datetime(when, usegmt=True)})
        ]
        now = fields.Datetime.now()
        self.Delivery._send_due()
        self.assertEqual(delivery.state, "retry")
        wait = (delivery.next_attempt_date - now).total_seconds()
        self.assertTrue(115 <= wait <= 122, wait)
        # a date years ahead is capped at a day
        far = datetime.now(UTC) + timedelta(days=400)
        self.receiver.script = [
            (429, {"Retry-After": format_datetime(far, usegmt=True)})
        ]
        self._due(delivery)
        self.Delivery._send_due()
        wait = (delivery.next_attempt_date - fields.Datetime.now()).total_seconds()
        self.assertTrue(86000 <= wait <= 86400, wait)
        # a date in the past or nonsense: the schedule's own wait (5 min)
        for value in ("Wed, 21 Oct 2015 07:28:00 GMT", "tomorrow"):
            with engine_writes("gov.webhook.delivery"):
                delivery.write({"attempts": 1})
            self._due(delivery)
            self.receiver.script = [(503, {"Retry-After": value})]
            self.Delivery._send_due()
            wait = (delivery.next_attempt_date - fields.Datetime.now()).total_seconds()
            self.assertTrue(250 <= wait <= 340, (value, wait))

    def test_event_timestamps_are_rfc3339_with_their_zone(self):
        create_date = self.env["ir.model.fields"]._get("res.partner", "create_date")
        self.subscription.field_ids |= create_date
        delivery = self.Subscription.emit(
            "contact.updated",
            record=self.partner,
            data={"due": fields.Datetime.now(), "day": fields.Date.today()},
        )
        payload = json.loads(delivery.payload)
        stamp = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"
        self.assertRegex(payload["timestamp"], stamp)
        self.assertRegex(payload["data"]["create_date"], stamp)
        self.assertRegex(payload["data"]["due"], stamp)
        self.assertRegex(payload["data"]["day"], r"^\d{4}-\d\d-\d\d$")
        self.assertEqual(
            payload["data"]["create_date"],
            self.partner.create_date.strftime("%Y-%m-%dT%H:%M:%SZ"),
        )

    def test_last_failure_dead_letters_to_the_exception_queue_and_resend_works(self):
        delivery = self.Subscription.emit("contact.updated", record=self.partner)
        with engine_writes("gov.webhook.delivery"):
            delivery.write({"attempts": 9})
        self.receiver.script = [(500, {})]
        self.Delivery._send_due()
        self.assertEqual(delivery.state, "dead")
        item = delivery.exception_item_id
        self.assertEqual(item.category, "delivery")
        self.assertEqual(item.correlation_id, delivery.webhook_id)
        # the receiver is fixed: replaying the queue item sends it again
        item.action_replay()
        self.assertEqual(item.state, "resolved", item.last_error)
        self.assertEqual(delivery.state, "sent")
        self.assertEqual(
            self.receiver.requests[-1][0]["webhook-id"], delivery.webhook_id
        )

    def test_410_disables_the_subscription(self):
        delivery = self.Subscription.emit("contact.updated", record=self.partner)
        self.receiver.script = [(410, {})]
        self.Delivery._send_due()
        self.assertFalse(self.subscription.active)
        self.assertIn("410", self.subscription.disabled_reason)
        self.assertEqual(delivery.state, "dead")
        self.assertFalse(self.Subscription.emit("contact.updated", record=self.partner))

    def test_private_targets_are_refused_unless_allowed(self):
        for url in (
            "http://10.1.2.3/hook",
            "http://169.254.169.254/latest",
            "http://localhost:9/x",
            "ftp://example.com/x",
        ):
            with self.assertRaises(ValidationError, msg=url):
                self.Subscription.create({"name": "bad", "target_url": url})

    def test_deliveries_cannot_be_forged(self):
        with self.assertRaises(AccessError):
            self.Delivery.create({"subscription_id": self.subscription.id})
        delivery = self.Subscription.emit("contact.updated", record=self.partner)
        with self.assertRaises(AccessError):
            delivery.write({"state": "sent"})


@tagged("post_install", "-at_install")
class TestRecordTriggers(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Fields = cls.env["ir.model.fields"]
        cls.env["gov.webhook.allowed.host"].create({"name": "127.0.0.1"})
        cls.subscription = cls.env["gov.webhook.subscription"].create(
            {
                "name": "Contacts to CRM",
                "target_url": "http://127.0.0.1:9/contacts",
                "event_types": "crm.*",
                "model_id": cls.env["ir.model"]._get_id("res.partner"),
                "field_ids": [Command.set([Fields._get("res.partner", "email").id])],
                "trigger": "on_create_or_write",
                "trigger_field_ids": [
                    Command.set([Fields._get("res.partner", "email").id])
                ],
            }
        )

    def setUp(self):
        super().setUp()
        # automation rules patch models when they change; a rolled-back test
        # that deleted one leaves the patches behind: put them in line again
        self.env["base.automation"]._update_registry()

    def deliveries(self):
        return self.env["gov.webhook.delivery"].search(
            [("subscription_id", "=", self.subscription.id)], order="id"
        )

    def test_watched_changes_send_events_in_the_same_transaction(self):
        automation = self.subscription.automation_id
        self.assertTrue(automation.active)
        self.assertIn("res.partner.changed", self.subscription.event_types)
        partner = self.env["res.partner"].create(
            {"name": "Trigger", "email": "a@x.example"}
        )
        self.assertEqual(len(self.deliveries()), 1)
        partner.phone = "+32 2 000 00 00"
        self.assertEqual(len(self.deliveries()), 1)
        partner.email = "b@x.example"
        deliveries = self.deliveries()
        self.assertEqual(len(deliveries), 2)
        payload = json.loads(deliveries[-1].payload)
        self.assertEqual(payload["type"], "res.partner.changed")
        self.assertEqual(payload["data"]["email"], "b@x.example")
        self.assertNotIn("phone", payload["data"])

    def test_switching_back_to_events_disables_the_rule(self):
        automation = self.subscription.automation_id
        self.subscription.trigger = "events"
        self.assertFalse(automation.active)
        self.env["res.partner"].create({"name": "Quiet", "email": "q@x.example"})
        self.assertFalse(self.deliveries())
        self.subscription.trigger = "on_create"
        self.assertEqual(self.subscription.automation_id, automation)
        self.assertEqual(automation.trigger, "on_create")
        self.env["res.partner"].create({"name": "Loud"})
        self.assertEqual(
            json.loads(self.deliveries().payload)["type"], "res.partner.created"
        )
        self.subscription.unlink()
        self.assertFalse(automation.exists())

    def test_record_triggers_need_a_model(self):
        with self.assertRaises(ValidationError):
            self.subscription.model_id = False
