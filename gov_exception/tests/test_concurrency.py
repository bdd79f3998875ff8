# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The queue under real concurrency: transactions that commit, two at a time.

Rows these tests commit are removed again at the end of each test.
"""

import threading
import uuid
from datetime import timedelta
from unittest.mock import patch

from odoo import SUPERUSER_ID, api, fields
from odoo.service.model import retrying
from odoo.tests import TransactionCase, tagged

from odoo.addons.gov_exception.tools.engine import queue_writes


@tagged("post_install", "-at_install")
class TestQueueConcurrency(TransactionCase):
    def setUp(self):
        super().setUp()
        self.tag = f"conc-{uuid.uuid4()}"
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            items = env["gov.exception.item"].search([("source", "=", self.tag)])
            with queue_writes():
                items.unlink()
            env["res.partner"].search([("name", "=like", f"{self.tag}%")]).unlink()
            env["ir.actions.server"].search([("name", "=", self.tag)]).unlink()

    def _env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {})

    def _threads(self, *targets):
        errors = []

        def run(target):
            try:
                target()
            except Exception as exc:  # reported by the assertion below
                errors.append(exc)

        threads = [threading.Thread(target=run, args=(t,)) for t in targets]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        self.assertFalse(errors, errors)

    def _create_action(self, code):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            return (
                env["ir.actions.server"]
                .create(
                    {
                        "name": self.tag,
                        "model_id": env["ir.model"]._get("res.partner").id,
                        "state": "code",
                        "code": code,
                    }
                )
                .id
            )

    def _handler(self, action_id):
        return {
            "model": "ir.actions.server",
            "method": "_gov_run_with_payload",
            "res_id": action_id,
        }

    def _capture_due(self, count, code):
        """``count`` committed due items whose handler is a code action."""
        action_id = self._create_action(code)
        with self.registry.cursor() as cr:
            env = self._env(cr)
            Item = env["gov.exception.item"]
            items = Item
            for index in range(count):
                items |= Item.capture(
                    "delivery",
                    f"due #{index}",
                    source=self.tag,
                    payload={"n": index},
                    handler=self._handler(action_id),
                    retryable=True,
                )
            with queue_writes():
                items.write(
                    {"next_attempt_date": fields.Datetime.now() - timedelta(seconds=1)}
                )
            return items.ids

    def test_concurrent_captures_of_one_fingerprint_make_one_item(self):
        first_inserted = threading.Event()

        def capture(env):
            return env["gov.exception.item"].capture(
                "signature",
                "bad signature",
                source=self.tag,
                payload={"same": True},
                fingerprint=f"{self.tag}-fp",
            )

        def first():
            with self.registry.cursor() as cr:
                capture(self._env(cr))
                cr.flush()
                first_inserted.set()
                # keep the row uncommitted while the second one tries
                threading.Event().wait(1.0)

        def second():
            first_inserted.wait(timeout=30)
            with self.registry.cursor() as cr:
                env = self._env(cr)
                retrying(lambda: capture(env), env)

        self._threads(first, second)
        with self.registry.cursor() as cr:
            items = self._env(cr)["gov.exception.item"].search(
                [("source", "=", self.tag)]
            )
            self.assertEqual(len(items), 1)
            self.assertEqual(items.occurrence_count, 2)

    def test_many_concurrent_captures_count_exactly(self):
        barrier = threading.Barrier(4)

        def worker():
            barrier.wait(timeout=30)
            for _index in range(10):
                with self.registry.cursor() as cr:
                    env = self._env(cr)
                    retrying(
                        lambda env=env: env["gov.exception.item"].capture(
                            "delivery",
                            "flaky",
                            source=self.tag,
                            fingerprint=f"{self.tag}-many",
                        ),
                        env,
                    )

        self._threads(*(worker for _ in range(4)))
        with self.registry.cursor() as cr:
            items = self._env(cr)["gov.exception.item"].search(
                [("source", "=", self.tag)]
            )
            self.assertEqual(len(items), 1)
            self.assertEqual(items.occurrence_count, 40)

    def test_two_workers_never_run_the_same_item(self):
        ids = self._capture_due(
            40, f'env["res.partner"].create({{"name": "{self.tag}-%s" % payload["n"]}})'
        )

        def worker():
            # one batch per call: call until nothing is left, as Odoo does
            while True:
                with self.registry.cursor() as cr:
                    env = self._env(cr)
                    if not env["gov.exception.item"]._cron_retry_due(batch_size=5):
                        return

        self._threads(worker, worker)
        with self.registry.cursor() as cr:
            env = self._env(cr)
            items = env["gov.exception.item"].browse(ids)
            self.assertEqual(set(items.mapped("state")), {"resolved"})
            self.assertEqual(set(items.mapped("attempt_count")), {1})
            names = (
                env["res.partner"]
                .search([("name", "=like", f"{self.tag}-%")])
                .mapped("name")
            )
            self.assertEqual(len(names), 40, "each handler ran")
            self.assertEqual(len(set(names)), 40, "and only once")

    def test_one_batch_per_call_and_the_remainder_reported(self):
        ids = self._capture_due(
            7, f'env["res.partner"].create({{"name": "{self.tag}-batch"}})'
        )
        with self.registry.cursor() as cr:
            env = self._env(cr)
            cron = env.ref("gov_exception.ir_cron_gov_exception_retry")
            cron, progress = cron._add_progress()
            progress_id = progress.id
            Item = env["gov.exception.item"].with_context(
                ir_cron_progress_id=progress_id, cron_id=cron.id
            )
            self.assertEqual(len(Item._cron_retry_due(batch_size=3)), 3)
        with self.registry.cursor() as cr:
            env = self._env(cr)
            progress = env["ir.cron.progress"].browse(progress_id)
            self.assertEqual((progress.done, progress.remaining), (3, 4))
            items = env["gov.exception.item"].browse(ids)
            self.assertEqual(items.mapped("state").count("resolved"), 3)
        sizes = []
        while True:
            with self.registry.cursor() as cr:
                batch = self._env(cr)["gov.exception.item"]._cron_retry_due(
                    batch_size=3
                )
                sizes.append(len(batch))
                if not batch:
                    break
        self.assertEqual(sizes, [3, 1, 0])
        with self.registry.cursor() as cr:
            env = self._env(cr)
            items = env["gov.exception.item"].browse(ids)
            self.assertEqual(set(items.mapped("state")), {"resolved"})
            env["ir.cron.progress"].browse(progress_id).unlink()

    def test_a_crash_between_handler_and_outcome_loses_nothing(self):
        ids = self._capture_due(
            3, f'env["res.partner"].create({{"name": "{self.tag}-ran"}})'
        )

        def crash(*args, **kwargs):
            raise KeyboardInterrupt("process killed")

        with (
            self.assertRaises(KeyboardInterrupt),
            # the registry class: automation rules wrap its write
            patch.object(self.registry["gov.exception.item"], "write", crash),
            self.registry.cursor() as cr,
        ):
            self._env(cr)["gov.exception.item"]._cron_retry_due(batch_size=10)
        # the exception left the cursor uncommitted: the work died with it
        with self.registry.cursor() as cr:
            env = self._env(cr)
            items = env["gov.exception.item"].browse(ids)
            self.assertEqual(set(items.mapped("state")), {"retry"}, "still due")
            self.assertEqual(set(items.mapped("attempt_count")), {0})
            self.assertFalse(items.attempt_ids)
            self.assertFalse(
                env["res.partner"].search([("name", "=", f"{self.tag}-ran")])
            )
        # the next run does the work exactly once
        with self.registry.cursor() as cr:
            self._env(cr)["gov.exception.item"]._cron_retry_due(batch_size=10)
        with self.registry.cursor() as cr:
            env = self._env(cr)
            items = env["gov.exception.item"].browse(ids)
            self.assertEqual(set(items.mapped("state")), {"resolved"})
            self.assertEqual(
                env["res.partner"].search_count([("name", "=", f"{self.tag}-ran")]), 3
            )

    def test_the_scheduled_action_runs_the_worker(self):
        ids = self._capture_due(
            2, f'env["res.partner"].create({{"name": "{self.tag}-cron"}})'
        )
        with self.registry.cursor() as cr:
            env = self._env(cr)
            env.ref("gov_exception.ir_cron_gov_exception_retry").method_direct_trigger()
        with self.registry.cursor() as cr:
            env = self._env(cr)
            items = env["gov.exception.item"].browse(ids)
            self.assertEqual(set(items.mapped("state")), {"resolved"})
            self.assertEqual(set(items.attempt_ids.mapped("kind")), {"retry"})

    def test_the_sla_scheduled_action_flags_breaches(self):
        with self.registry.cursor() as cr:
            item = self._env(cr)["gov.exception.item"].capture(
                "other", "late", source=self.tag, severity="low"
            )
            # a person moved the deadline into the past
            item.sla_deadline = fields.Datetime.now() - timedelta(minutes=1)
            item_id = item.id
        with self.registry.cursor() as cr:
            env = self._env(cr)
            env.ref("gov_exception.ir_cron_gov_exception_sla").method_direct_trigger()
        with self.registry.cursor() as cr:
            item = self._env(cr)["gov.exception.item"].browse(item_id)
            self.assertTrue(item.sla_breached)
            self.assertEqual(item.severity, "medium")

    def test_the_sla_scheduled_action_takes_one_batch_per_call(self):
        with self.registry.cursor() as cr:
            Item = self._env(cr)["gov.exception.item"]
            items = Item
            for index in range(3):
                items |= Item.capture(
                    "other",
                    f"late #{index}",
                    source=self.tag,
                    payload={"n": index},
                    severity="low",
                )
            items.sla_deadline = fields.Datetime.now() - timedelta(minutes=1)
            ids = items.ids
        sizes = []
        for _call in range(3):
            with self.registry.cursor() as cr:
                Item = self._env(cr)["gov.exception.item"]
                sizes.append(len(Item._cron_check_sla(batch_size=2)))
        self.assertEqual(sizes, [2, 1, 0])
        with self.registry.cursor() as cr:
            items = self._env(cr)["gov.exception.item"].browse(ids)
            self.assertEqual(set(items.mapped("sla_breached")), {True})
            self.assertEqual(set(items.mapped("severity")), {"medium"})
