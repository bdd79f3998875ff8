# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Inbound deliveries under real concurrency: transactions that commit.

Rows these tests commit are removed again at the end of each test.
"""

import json
import logging
import threading
import time
import uuid

import requests
from psycopg2.errors import LockNotAvailable

from odoo import SUPERUSER_ID, Command, api
from odoo.service import server
from odoo.service.model import retrying
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from .common import WebhookFixtures, new_secret


@tagged("post_install", "-at_install")
class TestInboundConcurrency(WebhookFixtures, TransactionCase):
    def setUp(self):
        super().setUp()
        self.tag = f"conc-{uuid.uuid4().hex[:12]}"
        self.secret = new_secret()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            runner = env.ref("gov_webhook.res_users_webhook_runner")
            runner.group_ids = [Command.link(env.ref("base.group_partner_manager").id)]
            action = env["ir.actions.server"].create(
                {
                    "name": self.tag,
                    "model_id": env["ir.model"]._get("res.partner").id,
                    "state": "code",
                    "code": "env['res.partner'].create("
                    "{'name': payload['data']['name']})",
                }
            )
            endpoint = env["gov.webhook.endpoint"].create(
                {
                    "name": self.tag,
                    "server_action_id": action.id,
                    "run_as_user_id": runner.id,
                    "rate_limit_per_minute": 0,
                }
            )
            endpoint._set_secret(self.secret)
            self.endpoint_id, self.path_key, self.action_id = (
                endpoint.id,
                endpoint.path_key,
                action.id,
            )
            self.endpoint_ids = [endpoint.id]
            self.cron_id = env.ref("gov_webhook.ir_cron_gov_webhook_process_inbox").id
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            endpoint_ids = tuple(self.endpoint_ids)
            cr.execute(
                "DELETE FROM gov_webhook_inbox WHERE endpoint_id IN %s", [endpoint_ids]
            )
            cr.execute(
                "DELETE FROM gov_webhook_rejection WHERE endpoint_id IN %s",
                [endpoint_ids],
            )
            cr.execute("DELETE FROM ir_cron_trigger WHERE cron_id = %s", [self.cron_id])
            sources = [f"endpoint:{self.tag}"]
            sources += [f"endpoint:{endpoint_id}" for endpoint_id in endpoint_ids]
            cr.execute(
                "DELETE FROM gov_exception_item WHERE source IN %s", [tuple(sources)]
            )
            env["gov.webhook.endpoint"].browse(endpoint_ids).unlink()
            env["ir.actions.server"].browse(self.action_id).unlink()
            env["res.partner"].search([("name", "=like", f"{self.tag}%")]).unlink()

    def _receive(self, body, headers):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            return retrying(lambda: self._receive_in(env, body, headers), env)

    def _receive_in(self, env, body, headers, path_key=None):
        lowered = {k.lower(): v for k, v in headers.items()}
        return env["gov.webhook.inbox"]._receive(
            path_key or self.path_key,
            "POST",
            lowered,
            lambda limit: body,
            len(body),
            "127.0.0.1",
        )

    def _delivery(self, name):
        body = json.dumps({"type": "x", "data": {"name": f"{self.tag}-{name}"}})
        return body.encode(), self.signed_headers(body.encode())

    def _waiting_triggers(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM ir_cron_trigger"
                " WHERE cron_id = %s AND call_at <= now() AT TIME ZONE 'UTC'",
                [self.cron_id],
            )
            return cr.fetchone()[0]

    def _start_run(self):
        """A cron run has begun: it consumed the triggers, its transaction is open."""
        run_cr = self.registry.cursor()
        self.addCleanup(run_cr.close)
        api.Environment(run_cr, SUPERUSER_ID, {})["ir.cron"]._clear_schedule(
            {"id": self.cron_id}
        )
        return run_cr

    def _run_inbox_worker(self):
        with self.registry.cursor() as cr:
            api.Environment(cr, SUPERUSER_ID, {})[
                "gov.webhook.inbox"
            ]._process_pending()

    def _contacts(self, name):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            return env["res.partner"].search_count(
                [("name", "=", f"{self.tag}-{name}")]
            )

    def test_many_deliveries_leave_one_waiting_trigger(self):
        for number in range(3):
            self.assertEqual(self._receive(*self._delivery(number)).status, 202)
        self.assertEqual(self._waiting_triggers(), 1)

    def test_a_delivery_during_a_run_gets_its_own_trigger(self):
        self._receive(*self._delivery("first"))
        run_cr = self._start_run()
        # the run found nothing more to do before this delivery committed
        self.assertEqual(self._receive(*self._delivery("late")).status, 202)
        run_cr.commit()
        self.assertEqual(self._waiting_triggers(), 1, "the late one is not stranded")

    def test_a_waiting_trigger_covers_later_deliveries(self):
        self._receive(*self._delivery("first"))
        self._receive(*self._delivery("second"))
        self.assertEqual(self._waiting_triggers(), 1)
        # the run that takes it looks for work after both were committed
        self._start_run().commit()
        self._run_inbox_worker()
        self.assertEqual(self._contacts("first") + self._contacts("second"), 2)

    def test_a_delivery_holds_the_waiting_trigger_until_it_commits(self):
        self._receive(*self._delivery("first"))
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.assertEqual(self._receive_in(env, *self._delivery("held")).status, 202)
            self.assertFalse(cr.postcommit, "the waiting trigger is enough")
            with (
                self.assertRaises(LockNotAvailable),
                mute_logger("odoo.sql_db"),
                self.registry.cursor() as run_cr,
            ):
                run_cr.execute("SET LOCAL lock_timeout = '200ms'")
                api.Environment(run_cr, SUPERUSER_ID, {})["ir.cron"]._clear_schedule(
                    {"id": self.cron_id}
                )
        # once it is committed, the run takes the trigger and sees the delivery
        self._start_run().commit()
        self._run_inbox_worker()
        self.assertEqual(self._contacts("held"), 1)

    def test_a_trigger_consumed_since_the_transaction_began_is_replaced(self):
        self._receive(*self._delivery("first"))
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            cr.execute("SELECT 1")  # the transaction's snapshot is taken
            self._start_run().commit()
            self.assertEqual(
                self._receive_in(env, *self._delivery("after")).status, 202
            )
        self.assertEqual(self._waiting_triggers(), 1)

    def test_fifty_concurrent_deliveries_of_one_id_are_processed_once(self):
        body = json.dumps({"type": "x", "data": {"name": f"{self.tag}-once"}}).encode()
        headers = self.signed_headers(body, msg_id=f"msg_{self.tag}")
        barrier = threading.Barrier(50)
        statuses, errors = [], []

        def send():
            try:
                barrier.wait(timeout=30)
                statuses.append(self._receive(body, headers).status)
            except Exception as exc:  # reported below
                errors.append(exc)

        threads = [threading.Thread(target=send) for _ in range(50)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        self.assertFalse(errors, errors)
        self.assertEqual(statuses.count(202), 1, statuses)
        self.assertEqual(statuses.count(200), 49, statuses)
        for _ in range(2):
            with self.registry.cursor() as cr:
                api.Environment(cr, SUPERUSER_ID, {})[
                    "gov.webhook.inbox"
                ]._cron_process_inbox()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.assertEqual(
                env["res.partner"].search_count([("name", "=", f"{self.tag}-once")]), 1
            )
            inbox = env["gov.webhook.inbox"].search(
                [("endpoint_id", "=", self.endpoint_id)]
            )
            self.assertEqual(len(inbox), 1)
            self.assertEqual(inbox.state, "done")

    def test_a_crash_between_store_and_process_is_processed_once_after_restart(self):
        body = json.dumps({"type": "x", "data": {"name": f"{self.tag}-crash"}}).encode()
        reply = self._receive(body, self.signed_headers(body))
        self.assertEqual(reply.status, 202)
        # the processor dies half-way: its transaction never commits
        with self.assertRaises(KeyboardInterrupt), self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["gov.webhook.inbox"]._process_pending()
            raise KeyboardInterrupt("worker killed before commit")
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.assertFalse(
                env["res.partner"].search([("name", "=", f"{self.tag}-crash")])
            )
            inbox = env["gov.webhook.inbox"].search(
                [("endpoint_id", "=", self.endpoint_id)]
            )
            self.assertEqual(inbox.state, "received")
        for _ in range(2):  # restart, and a second run finds nothing left
            with self.registry.cursor() as cr:
                api.Environment(cr, SUPERUSER_ID, {})[
                    "gov.webhook.inbox"
                ]._cron_process_inbox()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.assertEqual(
                env["res.partner"].search_count([("name", "=", f"{self.tag}-crash")]), 1
            )

    # -- two copies of one delivery in flight, through the HTTP stack ------
    def _token_endpoint(self, token):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            endpoint = env["gov.webhook.endpoint"].create(
                {
                    "name": f"{self.tag}-token",
                    "profile": "token",
                    "server_action_id": self.action_id,
                    "run_as_user_id": env.ref(
                        "gov_webhook.res_users_webhook_runner"
                    ).id,
                    "rate_limit_per_minute": 0,
                }
            )
            endpoint._set_secret(token)
            self.endpoint_ids.append(endpoint.id)
            return endpoint.id, endpoint.path_key

    def _post(self, path_key, body, headers):
        url = (
            f"http://127.0.0.1:{server.server.httpd.server_port}/gov/webhook/{path_key}"
        )
        headers = {**headers, "X-Odoo-Database": self.env.cr.dbname}
        return requests.post(url, data=body, headers=headers, timeout=60)

    def _wait_for_a_blocked_insert(self):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with self.registry.cursor() as cr:
                cr.execute(
                    """SELECT count(*) FROM pg_stat_activity
                        WHERE datname = current_database()
                          AND wait_event_type = 'Lock'
                          AND query LIKE '%%INSERT INTO gov_webhook_inbox%%'"""
                )
                if cr.fetchone()[0]:
                    return
            time.sleep(0.05)
        self.fail("the request never waited for its twin")

    def _twins(self, path_key, body, headers):
        """Store a delivery and, before it commits, let the HTTP server receive
        its twin: the server's insert waits for ours, fails to serialize once
        ours commits, and Odoo serves the request again."""
        responses = []
        thread = threading.Thread(
            target=lambda: responses.append(self._post(path_key, body, headers))
        )
        # (the level as a number: Odoo names another level "INFO" too)
        with self.assertLogs("odoo.service.model", logging.INFO) as logs:
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                self.assertEqual(
                    self._receive_in(env, body, headers, path_key).status, 202
                )
                thread.start()
                self._wait_for_a_blocked_insert()
            # ours is committed now
            thread.join(timeout=60)
        self.assertIn("SERIALIZATION_FAILURE", "\n".join(logs.output))
        self.assertEqual(len(responses), 1)
        return responses[0]

    def _rows(self, endpoint_id):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM gov_webhook_inbox WHERE endpoint_id = %s",
                [endpoint_id],
            )
            inboxes = cr.fetchone()[0]
            cr.execute(
                "SELECT reason FROM gov_webhook_rejection WHERE endpoint_id = %s",
                [endpoint_id],
            )
            rejections = [row[0] for row in cr.fetchall()]
            cr.execute(
                "SELECT count(*) FROM gov_exception_item WHERE source = %s",
                [f"endpoint:{endpoint_id}"],
            )
            return inboxes, rejections, cr.fetchone()[0]

    def test_a_signed_twin_served_again_is_a_duplicate(self):
        body, headers = self._delivery("twin")
        response = self._twins(self.path_key, body, headers)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.headers["Idempotent-Replayed"], "true")
        self.assertEqual(self._rows(self.endpoint_id), (1, [], 0))

    def test_a_token_twin_with_a_key_served_again_is_a_duplicate(self):
        token = f"tok-{uuid.uuid4().hex}"
        endpoint_id, path_key = self._token_endpoint(token)
        body = self._delivery("keyed")[0]
        headers = {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {token}",
            "Idempotency-Key": f"key-{self.tag}",
        }
        response = self._twins(path_key, body, headers)
        self.assertEqual(response.status_code, 200, response.text)
        # no false "delivery id reused" security item
        self.assertEqual(self._rows(endpoint_id), (1, [], 0))

    def test_a_token_twin_without_a_key_is_stored_once(self):
        token = f"tok-{uuid.uuid4().hex}"
        endpoint_id, path_key = self._token_endpoint(token)
        body = self._delivery("unkeyed")[0]
        headers = {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {token}",
        }
        response = self._twins(path_key, body, headers)
        self.assertEqual(response.status_code, 200, response.text)
        # no phantom empty delivery next to the real one
        self.assertEqual(self._rows(endpoint_id), (1, [], 0))
