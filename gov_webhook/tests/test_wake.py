# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Waking the sender: once per committed transaction, never twice for nothing.

These tests commit, and listen to the notifications the cron workers get;
what they commit is removed again at the end of each test.
"""

import select
import time
import uuid
from datetime import timedelta

import psycopg2

from odoo import SUPERUSER_ID, api, fields, sql_db
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestWakeSender(TransactionCase):
    def setUp(self):
        super().setUp()
        self.tag = f"wake-{uuid.uuid4().hex[:12]}"
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            host = env["gov.webhook.allowed.host"].create({"name": "127.0.0.42"})
            subscription = env["gov.webhook.subscription"].create(
                {
                    "name": self.tag,
                    "target_url": "http://127.0.0.42:9/hook",
                    "event_types": f"{self.tag}.*",
                }
            )
            partner = env["res.partner"].create({"name": self.tag})
            self.host_id, self.subscription_id, self.partner_id = (
                host.id,
                subscription.id,
                partner.id,
            )
            self.cron_id = env.ref("gov_webhook.ir_cron_gov_webhook_send").id
            cr.execute("DELETE FROM ir_cron_trigger WHERE cron_id = %s", [self.cron_id])
        self.addCleanup(self._cleanup)
        self.listener = self._listen()

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            cr.execute("DELETE FROM ir_cron_trigger WHERE cron_id = %s", [self.cron_id])
            env["gov.webhook.subscription"].browse(self.subscription_id).unlink()
            env["gov.webhook.allowed.host"].browse(self.host_id).unlink()
            env["res.partner"].browse(self.partner_id).unlink()

    def _listen(self):
        """A connection listening as the cron workers do."""
        _dbname, info = sql_db.connection_info_for("postgres")
        connection = psycopg2.connect(**info)
        self.addCleanup(connection.close)
        connection.autocommit = True
        with connection.cursor() as cr:
            cr.execute("LISTEN cron_trigger")
        return connection

    def _notifications(self):
        """The cron workers' notifications about this database since last call."""
        connection = self.listener
        deadline = time.monotonic() + 0.5
        while time.monotonic() < deadline:
            select.select([connection], [], [], 0.1)
            connection.poll()
        found = [n for n in connection.notifies if n.payload == self.cr.dbname]
        connection.notifies.clear()
        return len(found)

    def _waiting_triggers(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM ir_cron_trigger WHERE cron_id = %s",
                [self.cron_id],
            )
            return cr.fetchone()[0]

    def _emit(self, *numbers):
        """Emit one event per number in one transaction; queries of each."""
        queries = []
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            partner = env["res.partner"].browse(self.partner_id)
            for number in numbers:
                before = cr.sql_log_count
                env["gov.webhook.subscription"].emit(
                    f"{self.tag}.changed", record=partner, data={"n": number}
                )
                env.flush_all()
                queries.append(cr.sql_log_count - before)
        return queries

    def test_a_transaction_of_several_events_wakes_the_sender_once(self):
        queries = self._emit(1, 2, 3)
        self.assertEqual(queries[1:], [1, 1], "a second event adds only its INSERT")
        self.assertEqual(self._waiting_triggers(), 1)
        self.assertEqual(self._notifications(), 1)

    def test_a_waiting_trigger_covers_the_next_transactions(self):
        self._emit(1)
        self.assertEqual(self._notifications(), 1)
        self._emit(2)
        self._emit(3)
        self.assertEqual(self._waiting_triggers(), 1)
        self.assertEqual(self._notifications(), 0)

    def test_a_trigger_taken_by_a_run_does_not_cover_new_events(self):
        self._emit(1)
        with self.registry.cursor() as run_cr:
            # a run begins: it deletes the triggers it consumes
            api.Environment(run_cr, SUPERUSER_ID, {})["ir.cron"]._clear_schedule(
                {"id": self.cron_id}
            )
            self._emit(2)
        self.assertEqual(self._waiting_triggers(), 1, "a trigger for the next run")
        self.assertEqual(self._notifications(), 2)

    def test_a_rolled_back_transaction_wakes_nobody(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["gov.webhook.subscription"].emit(
                f"{self.tag}.changed", record=env["res.partner"].browse(self.partner_id)
            )
            cr.rollback()
        self.assertEqual(self._waiting_triggers(), 0)
        self.assertEqual(self._notifications(), 0)

    def _triggers(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT call_at FROM ir_cron_trigger"
                " WHERE cron_id = %s ORDER BY call_at",
                [self.cron_id],
            )
            return [row[0] for row in cr.fetchall()]

    def _consume_triggers(self):
        """What a run does first: take the waiting triggers."""
        with self.registry.cursor() as cr:
            cr.execute("DELETE FROM ir_cron_trigger WHERE cron_id = %s", [self.cron_id])

    def _fail_once(self, *numbers):
        """Emit and commit, then try to send (the receiver is down) in a
        transaction of its own; returns the retry times scheduled."""
        self._emit(*numbers)
        self._consume_triggers()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            deliveries = env["gov.webhook.delivery"]._send_due()
            return sorted(deliveries.mapped("next_attempt_date"))

    def test_a_retry_wakes_the_sender_at_its_time(self):
        [retry_at] = self._fail_once(1)
        now = fields.Datetime.now()
        self.assertTrue(now < retry_at <= now + timedelta(seconds=6), retry_at)
        self.assertEqual(self._triggers(), [retry_at], "woken at the retry time")

    def test_retries_of_one_transaction_add_one_trigger_at_the_earliest(self):
        retries = self._fail_once(1, 2, 3, 4)
        self.assertEqual(len(retries), 4)
        self.assertEqual(self._triggers(), [retries[0]])
        # a later transaction whose retry the waiting trigger covers adds none
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["ir.cron"]._gov_wake_at(
                "gov_webhook.ir_cron_gov_webhook_send",
                retries[0] + timedelta(seconds=30),
            )
        self.assertEqual(self._triggers(), [retries[0]])

    def test_a_run_plans_the_next_retry_waiting(self):
        retries = self._fail_once(1)
        self._consume_triggers()
        # a run with nothing due yet still wakes the sender for that retry
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.assertFalse(env["gov.webhook.delivery"]._cron_send())
        self.assertEqual(self._triggers(), retries)
