# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Concurrency of the audit chain, with real transactions that commit.

These tests leave committed, sealed events in the test database; the chain
stays valid, so the other tests are not affected.
"""

import threading
import uuid

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestAuditConcurrency(TransactionCase):
    def _run_together(self, *targets):
        barrier = threading.Barrier(len(targets))
        errors = []

        def run(target):
            try:
                barrier.wait(timeout=20)
                target()
            except Exception as exc:  # reported by the assertion below
                errors.append(exc)

        threads = [threading.Thread(target=run, args=(t,)) for t in targets]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertFalse(errors, errors)

    def _check_chain(self, correlation_ids, expected):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            events = env["gov.audit.event"].search(
                [("correlation_id", "in", correlation_ids)]
            )
            self.assertEqual(len(events), expected)
            self.assertTrue(all(events.mapped("is_sealed")), "every event was sealed")
            self.assertEqual(len(set(events.mapped("sequence"))), expected)
            result = env["gov.audit.verification"]._check_chain()
            self.assertEqual(result["result"], "ok", result.get("reason"))
            self.assertEqual(result["unsealed_count"], 0)

    def test_two_writers_committing_at_once_keep_one_chain(self):
        tags = [f"writer-{uuid.uuid4()}" for _ in range(2)]

        def writer(tag):
            def write():
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    for index in range(25):
                        env["gov.audit.event"].record(
                            "test.concurrent", f"{tag} #{index}", correlation_id=tag
                        )
                # leaving the block commits; sealing runs right after commit

            return write

        self._run_together(*(writer(tag) for tag in tags))
        self._check_chain(tags, 50)

    def test_two_sealers_at_once_seal_each_event_once(self):
        tag = f"sealers-{uuid.uuid4()}"
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            for index in range(300):
                env["gov.audit.event"].record(
                    "test.concurrent", f"unsealed #{index}", correlation_id=tag
                )
            cr.postcommit.clear()  # as if the process died right after commit
        Event = self.env["gov.audit.event"]
        sealed = []
        self._run_together(
            lambda: sealed.append(Event._seal_in_new_transaction()),
            lambda: sealed.append(Event._seal_in_new_transaction()),
        )
        self.assertEqual(sum(sealed), 300, "each event sealed exactly once")
        self._check_chain([tag], 300)
