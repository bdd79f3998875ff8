# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import GovExceptionCase


@tagged("post_install", "-at_install")
class TestCapture(GovExceptionCase):
    def test_capture_stores_everything_given(self):
        try:
            raise RuntimeError("socket closed")
        except RuntimeError as exc:
            error = exc
        item = self.capture(
            record=self.partner,
            error=error,
            correlation_id="corr-1",
            severity="high",
            handler=self.handler(self.action_write),
        )
        self.assertEqual(item.state, "new")
        self.assertEqual(item.severity, "high")
        self.assertEqual(item.res_model, "res.partner")
        self.assertEqual(item.res_id, self.partner.id)
        self.assertEqual(item.record_name, "Queue Test Partner")
        self.assertEqual(item.error_message, "RuntimeError: socket closed")
        self.assertIn("Traceback", item.error_traceback)
        self.assertEqual(item.correlation_id, "corr-1")
        self.assertTrue(item.payload_is_json)
        self.assertEqual(json.loads(item.payload), {"name": "From payload"})
        self.assertEqual(item.occurrence_count, 1)
        self.assertEqual(item.company_id, self.env.company)
        self.assertTrue(item.has_handler)
        self.assertFalse(item.retryable, "not retryable unless asked")
        self.assertEqual(item.handler_user_id, self.env.user)
        # default route: unassigned, 24 h SLA
        self.assertFalse(item.owner_id)
        self.assertAlmostEqual(
            (item.sla_deadline - item.first_seen).total_seconds(), 24 * 3600, delta=5
        )

    def test_repeat_of_an_open_item_increments_it(self):
        first = self.capture(error="boom 1")
        second = self.capture(error="boom 2")
        self.assertEqual(first, second)
        first.invalidate_recordset()
        self.assertEqual(first.occurrence_count, 2)
        self.assertEqual(first.last_error, "boom 2")
        self.assertEqual(first.error_message, "boom 1", "the first error is kept")
        self.assertEqual(
            self.Item.search_count([("fingerprint", "=", first.fingerprint)]), 1
        )

    def test_a_different_payload_is_a_different_item(self):
        first = self.capture(payload={"id": 1})
        second = self.capture(payload={"id": 2})
        self.assertNotEqual(first, second)

    def test_explicit_fingerprint_groups_different_payloads(self):
        first = self.capture(payload={"id": 1}, fingerprint="endpoint-x-signature")
        second = self.capture(payload={"id": 2}, fingerprint="endpoint-x-signature")
        self.assertEqual(first, second)

    def test_a_repeat_after_closing_opens_a_new_item(self):
        first = self.capture()
        first.close_items("resolved", "fixed upstream")
        second = self.capture()
        self.assertNotEqual(first, second)
        self.assertEqual(second.occurrence_count, 1)

    def test_repeat_is_counted_per_company(self):
        other = self.env["res.company"].create({"name": "Queue Other Co"})
        first = self.capture()
        second = self.capture(company=other)
        self.assertNotEqual(first, second)
        self.assertEqual(second.company_id, other)

    def test_secrets_are_masked_before_storing(self):
        item = self.capture(
            payload={
                "order": 7,
                "password": "hunter2",
                "nested": {"client_secret": "abc", "items": [{"api-key": "k1"}]},
                "note": "callback?access_token=tok123&x=1",
            },
            headers={"Authorization": "Bearer sk_live_123456", "X-Request-Id": "r-1"},
            error="POST https://api.example/v1?api_key=KEY987 failed: 401",
        )
        self.assertEqual(
            item.error_message, "POST https://api.example/v1?api_key=*** failed: 401"
        )
        stored = json.loads(item.payload)
        self.assertEqual(stored["order"], 7)
        self.assertEqual(stored["password"], "***")
        self.assertEqual(stored["nested"]["client_secret"], "***")
        self.assertEqual(stored["nested"]["items"][0]["api-key"], "***")
        self.assertEqual(stored["note"], "callback?access_token=***&x=1")
        headers = json.loads(item.headers)
        self.assertEqual(headers["Authorization"], "***")
        self.assertEqual(headers["X-Request-Id"], "r-1")
        for secret in ("hunter2", "abc", "k1", "tok123", "sk_live_123456"):
            self.assertNotIn(secret, item.payload + item.headers)

    def test_raw_text_payload_is_masked_too(self):
        item = self.capture(
            payload=b"user=bob&password=hunter2&Authorization: Basic dXNlcjpwYXNz"
        )
        self.assertFalse(item.payload_is_json)
        self.assertNotIn("hunter2", item.payload)
        self.assertNotIn("dXNlcjpwYXNz", item.payload)
        self.assertIn("user=bob", item.payload)

    def test_masking_patterns_are_configurable(self):
        self.env["ir.config_parameter"].set_param("gov_exception.mask_keys", "iban")
        item = self.capture(payload={"iban": "BE71096123456769", "password": "kept"})
        stored = json.loads(item.payload)
        self.assertEqual(stored["iban"], "***")
        self.assertEqual(stored["password"], "kept")

    def test_large_payloads_go_to_an_attachment(self):
        self.env["ir.config_parameter"].set_param(
            "gov_exception.payload_attachment_threshold", "1000"
        )
        body = {"lines": [{"n": index, "text": "x" * 20} for index in range(200)]}
        item = self.capture(payload=body, handler=self.handler(self.action_write))
        self.assertTrue(item.payload_attachment_id)
        self.assertLess(len(item.payload), 5000)
        self.assertEqual(item._get_payload(), body)
        self.assertEqual(item.payload_attachment_id.res_id, item.id)

    def test_routing_by_policy(self):
        Policy = self.env["gov.exception.policy"]
        manager = self.users["integration_manager"]
        Policy.create(
            {
                "name": "Everything else",
                "sequence": 50,
                "sla_hours": 48,
            }
        )
        Policy.create(
            {
                "name": "Shop endpoints",
                "sequence": 5,
                "category": "malformed",
                "source_type": "endpoint",
                "source": "SHOP",
                "owner_id": manager.id,
                "team_id": self.groups["integration_manager"].id,
                "severity": "critical",
                "sla_hours": 2,
            }
        )
        routed = self.capture(
            category="malformed", source="shop-orders", source_type="endpoint"
        )
        self.assertEqual(routed.owner_id, manager)
        self.assertEqual(routed.state, "assigned")
        self.assertEqual(routed.severity, "critical")
        self.assertEqual(routed.team_id, self.groups["integration_manager"])
        self.assertAlmostEqual(
            (routed.sla_deadline - routed.first_seen).total_seconds(), 7200, delta=5
        )
        fallback = self.capture(
            category="malformed", source="crm", source_type="endpoint"
        )
        self.assertEqual(fallback.policy_id.name, "Everything else")
        self.assertFalse(fallback.owner_id)
        self.assertAlmostEqual(
            (fallback.sla_deadline - fallback.first_seen).total_seconds(),
            48 * 3600,
            delta=5,
        )

    def test_policy_owner_must_belong_to_the_team(self):
        with self.assertRaises(Exception) as caught:
            self.env["gov.exception.policy"].create(
                {
                    "name": "Wrong team",
                    "owner_id": self.users["plain"].id,
                    "team_id": self.groups["integration_manager"].id,
                }
            )
        self.assertIn("not a member", str(caught.exception))

    def test_retryable_capture_is_scheduled_with_the_policy_backoff(self):
        self.env["gov.exception.policy"].create(
            {"name": "Fast", "backoff_base": 30, "backoff_jitter": 0, "max_attempts": 3}
        )
        before = fields.Datetime.now()
        item = self.capture(handler=self.handler(self.action_write), retryable=True)
        self.assertEqual(item.state, "retry")
        self.assertEqual(item.max_attempts, 3)
        delay = (item.next_attempt_date - before).total_seconds()
        self.assertTrue(29 <= delay <= 32, delay)
        trigger = self.env["ir.cron.trigger"].search(
            [
                (
                    "cron_id",
                    "=",
                    self.env.ref("gov_exception.ir_cron_gov_exception_retry").id,
                )
            ],
            order="id desc",
            limit=1,
        )
        self.assertTrue(trigger, "the retry worker is woken when the item is due")
        self.assertLessEqual(
            abs(trigger.call_at - item.next_attempt_date), timedelta(seconds=1)
        )

    def test_retryable_without_handler_is_not_scheduled(self):
        item = self.capture(retryable=True)
        self.assertEqual(item.state, "new")
        self.assertFalse(item.retryable)

    def test_bad_calls_are_refused_clearly(self):
        with self.assertRaisesRegex(ValueError, "unknown exception category"):
            self.capture(category="nonsense")
        with self.assertRaisesRegex(ValueError, "unknown severity"):
            self.capture(severity="apocalyptic")
        with self.assertRaisesRegex(ValueError, "unknown exception handler"):
            self.capture(handler={"model": "res.partner", "method": "no_such_method"})
        with self.assertRaisesRegex(ValueError, "unknown exception handler"):
            self.capture(handler={"model": "no.such.model", "method": "write"})

    def test_engine_fields_cannot_be_forged(self):
        item = self.capture(handler=self.handler(self.action_write))
        manager_item = item.with_user(self.users["integration_manager"])
        for vals in (
            {"state": "resolved"},
            {"handler_method": "unlink"},
            {"handler_model": "res.users"},
            {"payload": "{}"},
            {"occurrence_count": 0},
            {"resolution_note": "forged"},
            {"name": "renamed"},
        ):
            with self.assertRaises(AccessError):
                manager_item.write(vals)
            with self.assertRaises(AccessError):
                item.sudo().write(vals)
        with self.assertRaises(AccessError):
            self.Item.with_user(self.users["integration_manager"]).create(
                {
                    "name": "forged",
                    "category": "other",
                    "handler_model": "res.users",
                    "handler_method": "unlink",
                }
            )
        with self.assertRaises(AccessError):
            manager_item.sudo().unlink()
        with self.assertRaises(AccessError):
            item.attempt_ids.sudo().create(
                {"item_id": item.id, "kind": "manual", "outcome": "success"}
            )

    def test_items_are_raised_through_the_queue_only(self):
        """No item is created by hand, not even a harmless one: people raise
        items through the capture API or the "Raise Exception to Queue"
        server action."""
        for Item in (
            self.Item.with_user(self.users["integration_manager"]),
            self.Item.sudo(),
        ):
            with self.assertRaises(AccessError):
                Item.create(
                    {
                        "name": "Bank file missing",
                        "category": "other",
                        "fingerprint": "x",
                    }
                )

    def test_the_queue_is_never_its_own_handler(self):
        victim = self.capture()
        for model in ("gov.exception.item", "gov.exception.attempt"):
            with self.assertRaisesRegex(ValueError, "its own handler"):
                self.capture(
                    handler={"model": model, "method": "write", "res_id": victim.id},
                    payload={"state": "resolved"},
                )
        self.assertEqual(victim.state, "new")

    def test_owner_team_severity_and_deadline_are_people_fields(self):
        item = self.capture()
        manager_item = item.with_user(self.users["integration_manager"])
        deadline = fields.Datetime.now() + timedelta(days=3)
        manager_item.write(
            {
                "team_id": self.groups["integration_manager"].id,
                "severity": "low",
                "sla_deadline": deadline,
            }
        )
        self.assertEqual(item.severity, "low")
        self.assertEqual(item.sla_deadline, deadline)
        self.assertEqual(item.state, "new", "no owner yet")

    def test_assigning_an_owner_moves_new_to_assigned(self):
        item = self.capture()
        item.with_user(self.users["integration_manager"]).owner_id = self.users["user"]
        self.assertEqual(item.state, "assigned")

    def test_repeat_capture_query_budget(self):
        self.capture(error="first")
        self.env.flush_all()
        # one UPDATE ... RETURNING folds the repeat; settings come from cache
        with self.assertQueryCount(1):
            self.capture(error="again")
