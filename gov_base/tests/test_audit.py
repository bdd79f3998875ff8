# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

import psycopg2

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import GovBaseCase


@tagged("post_install", "-at_install")
class TestAuditEvent(GovBaseCase):
    def test_record_fills_every_column(self):
        partner = self.env["res.partner"].create({"name": "Audited Vendor"})
        delegator = self.users["approver"]
        event = self.Event.with_user(self.users["admin"]).record(
            "test.decision",
            "Approved the vendor",
            record=partner,
            details={"before": {"state": "pending"}, "after": {"state": "approved"}},
            channel="email",
            on_behalf_of=delegator,
            correlation_id="corr-42",
        )
        event = event.sudo()
        self.assertEqual(event.event_type, "test.decision")
        self.assertEqual(event.summary, "Approved the vendor")
        self.assertEqual(event.user_id, self.users["admin"])
        self.assertEqual(event.on_behalf_of_id, delegator)
        self.assertEqual((event.res_model, event.res_id), ("res.partner", partner.id))
        self.assertEqual(event.record_name, "Audited Vendor")
        self.assertEqual(event.channel, "email")
        self.assertEqual(event.correlation_id, "corr-42")
        self.assertEqual(event.company_id, self.env.company)
        self.assertEqual(
            event.details,
            '{"after":{"state":"approved"},"before":{"state":"pending"}}',
        )
        self.assertEqual(
            json.loads(event.details_display)["after"]["state"], "approved"
        )
        self.assertFalse(event.is_sealed, "sealing happens after commit")

    def test_channel_is_guessed(self):
        self.assertEqual(
            self.Event.record("test.channel", "no request").channel, "system"
        )
        in_cron = self.Event.with_context(cron_id=1).record("test.channel", "cron")
        self.assertEqual(in_cron.channel, "cron")

    def test_orm_refuses_create_write_unlink_even_as_superuser(self):
        event = self.Event.record("test.immutable", "Original")
        for env_user in (self.env.user, self.users["admin"]):
            as_user = event.with_user(env_user).sudo()
            with self.assertRaises(AccessError):
                as_user.write({"summary": "Forged"})
            with self.assertRaises(AccessError):
                as_user.unlink()
            with self.assertRaises(AccessError):
                as_user.copy()
        with self.assertRaises(AccessError):
            self.Event.sudo().create({"event_type": "forged", "summary": "Forged"})
        self.assertEqual(event.summary, "Original")

    def _assert_sql_refused(self, query, *params):
        with (
            self.assertRaises(psycopg2.errors.InsufficientPrivilege),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(query, params)

    def test_database_refuses_update_delete_truncate(self):
        event = self.Event.record("test.immutable", "Original")
        self.env.flush_all()
        self._assert_sql_refused(
            "UPDATE gov_audit_event SET summary = 'Forged' WHERE id = %s", event.id
        )
        self._assert_sql_refused("DELETE FROM gov_audit_event WHERE id = %s", event.id)
        self._assert_sql_refused("TRUNCATE gov_audit_event CASCADE")
        # Sealing columns can be filled once, never rewritten.
        self.Event._seal_pending()
        self._assert_sql_refused(
            "UPDATE gov_audit_event SET hash = repeat('0', 64) WHERE id = %s", event.id
        )
        # Sealing may not smuggle a content change in.
        other = self.Event.record("test.immutable", "Second")
        self.env.flush_all()
        self._assert_sql_refused(
            "UPDATE gov_audit_event SET hash = 'x', sequence = -1, summary = 'Forged'"
            " WHERE id = %s",
            other.id,
        )
        self.env.cr.execute(
            "SELECT summary FROM gov_audit_event WHERE id = %s", [event.id]
        )
        self.assertEqual(self.env.cr.fetchone()[0], "Original")

    def test_trigger_is_recreated_idempotently(self):
        self.Event.init()
        self.Event.init()
        self.env.cr.execute(
            "SELECT count(*) FROM pg_trigger"
            " WHERE tgrelid = 'gov_audit_event'::regclass AND NOT tgisinternal"
        )
        self.assertEqual(self.env.cr.fetchone()[0], 2)

    def test_record_query_budget(self):
        partner = self.env["res.partner"].create({"name": "Budget"})
        self.Event.record("test.warmup", "warm", record=partner)
        self.env.flush_all()
        with self.assertQueryCount(3):
            self.Event.record(
                "test.budget", "one event", record=partner, details={"a": 1}
            )
            self.env.flush_all()

    def test_record_rejects_several_records(self):
        partners = self.env["res.partner"].create([{"name": "A"}, {"name": "B"}])
        with self.assertRaises(ValueError):
            self.Event.record("test.many", "two records", record=partners)


@tagged("post_install", "-at_install")
class TestAuditRpc(HttpCase):
    def test_record_is_not_callable_over_rpc(self):
        self.authenticate("admin", "admin")
        with mute_logger("odoo.http"):
            response = self.url_open(
                "/web/dataset/call_kw/gov.audit.event/record",
                data=json.dumps(
                    {
                        "jsonrpc": "2.0",
                        "method": "call",
                        "id": 1,
                        "params": {
                            "model": "gov.audit.event",
                            "method": "record",
                            "args": ["forged.event", "Forged over RPC"],
                            "kwargs": {},
                        },
                    }
                ),
                headers={"Content-Type": "application/json"},
            )
        self.assertIn("error", response.json())
        self.assertFalse(
            self.env["gov.audit.event"]
            .sudo()
            .search([("event_type", "=", "forged.event")])
        )

    def test_create_is_not_callable_over_rpc(self):
        self.authenticate("admin", "admin")
        with mute_logger("odoo.http"):
            response = self.url_open(
                "/web/dataset/call_kw/gov.audit.event/create",
                data=json.dumps(
                    {
                        "jsonrpc": "2.0",
                        "method": "call",
                        "id": 1,
                        "params": {
                            "model": "gov.audit.event",
                            "method": "create",
                            "args": [
                                {"event_type": "forged.event", "summary": "Forged"}
                            ],
                            "kwargs": {"context": {"gov_audit_record": True}},
                        },
                    }
                ),
                headers={"Content-Type": "application/json"},
            )
        self.assertEqual(
            response.json()["error"]["data"]["name"], "odoo.exceptions.AccessError"
        )
