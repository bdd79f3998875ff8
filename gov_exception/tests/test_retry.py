# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from odoo.addons.gov_exception.tools.engine import queue_writes
from odoo.addons.gov_exception.tools.payload import backoff_delay, json_diff
from odoo.addons.gov_exception.tools.savepoints import SavepointChain

from .common import GovExceptionCase

# Queries of the retry of one batch: its own (more when other modules add to
# the writes), and for each item (a savepoint, a rollback when it fails,
# reading the handler again after a rollback).
BATCH_QUERIES = 30
ITEM_QUERIES = 2.5


@tagged("post_install", "-at_install")
class TestRetry(GovExceptionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["gov.exception.policy"].create(
            {
                "name": "Test schedule",
                "backoff_base": 60,
                "backoff_factor": 2,
                "backoff_max": 600,
                "backoff_jitter": 0,
                "max_attempts": 3,
            }
        )

    def _due(self, item):
        return self.queue_write(
            item, {"next_attempt_date": fields.Datetime.now() - timedelta(seconds=1)}
        )

    def _make_due(self, actions, count, tag):
        """``count`` due items whose handlers run ``actions`` in turn, out of
        the cache."""
        items = self.Item
        for index in range(count):
            items |= self.capture(
                handler=self.handler(actions[index % len(actions)]),
                retryable=True,
                payload={"name": f"{tag}-{index}"},
            )
        self._due(items)
        self.env.flush_all()
        self.env.invalidate_all()
        return items

    def _run_due(self):
        items = self.Item._take_due_batch(50)
        with queue_writes():
            items._run_handlers("retry")
        return items

    def test_success_resolves_and_applies_the_handler(self):
        item = self._due(
            self.capture(
                handler=self.handler(self.action_write),
                retryable=True,
                payload={"name": "Renamed by retry"},
            )
        )
        self.assertIn(item, self._run_due())
        self.assertEqual(item.state, "resolved")
        self.assertEqual(self.partner.name, "Renamed by retry")
        self.assertEqual(item.attempt_count, 1)
        self.assertEqual(item.attempt_ids.outcome, "success")
        self.assertEqual(item.attempt_ids.kind, "retry")
        self.assertTrue(item.closed_date)

    def test_retryable_error_reschedules_with_backoff_then_dead_letters(self):
        item = self.capture(handler=self.handler(self.action_busy), retryable=True)
        now = fields.Datetime.now()
        self._due(item)
        self._run_due()
        self.assertEqual(item.state, "retry")
        self.assertEqual(item.attempt_count, 1)
        self.assertIn("receiver busy", item.last_error)
        # Retry-After (120 s) is a floor above the first wait (60 s)
        wait = (item.next_attempt_date - now).total_seconds()
        self.assertTrue(119 <= wait <= 125, wait)
        self._due(item)
        self._run_due()
        self.assertEqual(item.state, "retry")
        self._due(item)
        self._run_due()
        self.assertEqual(item.state, "dead", "three attempts exhaust the policy")
        self.assertFalse(item.next_attempt_date)
        self.assertEqual(item.attempt_ids.mapped("outcome"), ["dead", "retry", "retry"])
        self.assertIn("dead-letter", item.message_ids[0].body)

    def test_permanent_error_goes_to_dead_letter_at_once(self):
        item = self._due(
            self.capture(handler=self.handler(self.action_broken), retryable=True)
        )
        self._run_due()
        self.assertEqual(item.state, "dead")
        self.assertEqual(item.attempt_count, 1)
        self.assertIn("contract violated", item.last_error)

    def test_validation_errors_are_permanent(self):
        item = self._due(
            self.capture(
                handler=self.handler(self.action_write),
                retryable=True,
                payload={"no_such_field": 1},
            )
        )
        self._run_due()
        self.assertEqual(item.state, "dead")

    def test_unknown_errors_are_retried_when_the_item_is_retryable(self):
        crash = self._due(
            self.capture(handler=self.handler(self.action_crash), retryable=True)
        )
        self._run_due()
        self.assertEqual(crash.state, "retry")
        self.assertIn("ZeroDivisionError", crash.last_error)
        # not retryable: a manual run records the failure and leaves it to a person
        manual = self.capture(handler=self.handler(self.action_crash), payload={"n": 2})
        manual.action_retry_now()
        self.assertEqual(manual.state, "new")
        self.assertEqual(manual.attempt_ids.outcome, "failed")

    def test_failed_handler_effects_are_rolled_back(self):
        action = self._code_action(
            "Half done",
            'record.write({"name": "half"})\nraise GovRetryableError("then failed")',
        )
        item = self._due(self.capture(handler=self.handler(action), retryable=True))
        self._run_due()
        self.assertEqual(item.state, "retry")
        self.assertEqual(self.partner.name, "Queue Test Partner")

    def test_handler_on_a_deleted_record_is_permanent(self):
        partner = self.env["res.partner"].create({"name": "Short-lived"})
        item = self._due(
            self.capture(
                handler={
                    "model": "res.partner",
                    "method": "write",
                    "res_id": partner.id,
                },
                retryable=True,
            )
        )
        partner.unlink()
        self._run_due()
        self.assertEqual(item.state, "dead")
        self.assertIn("MissingError", item.last_error)

    def test_handler_runs_as_the_capturing_user_in_the_item_company(self):
        whoami = self._code_action(
            "Who am I",
            'raise GovPermanentError("%s/%s" % (env.user.login, env.company.id))',
        )
        manager = self.users["integration_manager"]
        Item = self.Item.with_user(manager).sudo()
        item = Item.capture(
            "handler", "as manager", handler=self.handler(whoami, record=False)
        )
        self.assertEqual(item.handler_user_id, manager)
        item.action_retry_now()
        self.assertIn(f"{manager.login}/{self.env.company.id}", item.last_error)
        # least privilege: the manager may not edit contacts, nor may its handler
        writer = Item.capture(
            "handler", "edit contact", handler=self.handler(self.action_write)
        )
        with self.assertLogs("odoo.addons.base.models.ir_actions", "WARNING"):
            writer.action_retry_now()
        self.assertEqual(writer.state, "new")
        self.assertIn("AccessError", writer.last_error)
        self.assertEqual(self.partner.name, "Queue Test Partner")

    def test_items_not_due_or_not_retrying_are_left_alone(self):
        later = self.capture(handler=self.handler(self.action_write), retryable=True)
        manual = self.capture(handler=self.handler(self.action_write), payload={"x": 1})
        taken = self._run_due()
        self.assertNotIn(later, taken)
        self.assertNotIn(manual, taken)
        self.assertEqual(later.state, "retry")
        self.assertEqual(manual.state, "new")

    def test_queries_per_item_do_not_grow_with_the_batch(self):
        counts = {}
        for size in (5, 20):
            items = self._make_due([self.action_write], size, f"batch{size}")
            before = self.cr.sql_log_count
            with queue_writes():
                items._run_handlers("retry")
            self.env.flush_all()
            counts[size] = self.cr.sql_log_count - before
            self.assertEqual(set(items.mapped("state")), {"resolved"})
        per_item_small = counts[5] / 5
        per_item_large = counts[20] / 20
        self.assertLessEqual(per_item_large, per_item_small, counts)
        self.assertLessEqual(per_item_large, 12, counts)

    def test_retry_of_a_batch_query_budget(self):
        """A batch costs a few queries of its own (lock, read, grouped writes,
        attempts) and about one savepoint per item, whatever its size; what
        the handlers themselves query comes on top."""
        # the benchmark's mix: 7 in 10 succeed, 2 are retried, 1 goes dead
        accept = self._code_action("Accept", "result = payload")
        mix = [accept] * 7 + [self.action_busy] * 2 + [self.action_broken]

        counts = {}
        for size in (10, 40):
            items = self._make_due(mix, size, f"budget{size}")
            before = self.cr.sql_log_count
            budget = round(BATCH_QUERIES + ITEM_QUERIES * size)
            with self.assertQueryCount(budget), queue_writes():
                batch = self.Item._take_due_batch(size)
                batch._run_handlers("retry")
            counts[size] = self.cr.sql_log_count - before
            self.assertEqual(batch, items)
            outcomes = items.attempt_ids.grouped("outcome")
            self.assertEqual(len(outcomes["success"]), size * 7 // 10)
            self.assertEqual(len(outcomes["retry"]), size * 2 // 10)
            self.assertEqual(len(outcomes["dead"]), size // 10)
        self.assertLessEqual(counts[40] / 40, counts[10] / 10, counts)
        # each item more costs the same, whatever the size of the batch
        self.assertLessEqual((counts[40] - counts[10]) / 30, ITEM_QUERIES, counts)

    def test_backoff_and_diff_helpers(self):
        self.assertEqual(
            [backoff_delay(n, 60, 2, 600, 0) for n in (1, 2, 3, 4, 5)],
            [60, 120, 240, 480, 600],
        )
        self.assertEqual(backoff_delay(1, 60, 2, 600, 0, retry_after=300), 300)

        class Highest:
            def uniform(self, low, high):
                return high

        self.assertAlmostEqual(backoff_delay(2, 60, 2, 600, 0.2, rng=Highest()), 144)
        spread = {round(backoff_delay(3, 60, 2, 600, 0.2)) for _ in range(50)}
        self.assertTrue(all(192 <= value <= 288 for value in spread), spread)
        self.assertGreater(len(spread), 1, "jitter spreads retries")
        self.assertEqual(
            json_diff({"a": 1, "b": [1, 2]}, {"a": 2, "b": [1], "c": 3}),
            [("a", 1, 2), ("b[1]", 2, None), ("c", None, 3)],
        )

    def test_policy_shows_its_schedule(self):
        policy = self.env["gov.exception.policy"].create(
            {
                "name": "Preview",
                "backoff_base": 60,
                "backoff_factor": 2,
                "backoff_max": 3600,
                "max_attempts": 4,
            }
        )
        self.assertIn("60s, 2min, 4min, 8min", policy.schedule_preview)


@tagged("post_install", "-at_install")
class TestSavepointChain(GovExceptionCase):
    def test_each_call_is_rolled_back_alone(self):
        partners = self.env["res.partner"].create(
            [{"name": f"Chain {index}"} for index in range(4)]
        )

        def rename(partner, name, fail=False):
            partner.write({"name": name})
            if fail:
                raise ValueError(name)

        self.env.flush_all()
        with (
            patch.object(self.cr, "execute", wraps=self.cr.execute) as execute,
            SavepointChain(self.cr) as chain,
        ):
            errors = [
                chain.run(lambda: rename(partners[0], "one"), str),
                chain.run(lambda: rename(partners[1], "two", fail=True), str),
                chain.run(lambda: rename(partners[2], "three", fail=True), str),
                chain.run(lambda: rename(partners[3], "four"), str),
            ]
        self.assertEqual(errors, [None, "two", "three", None])
        statements = [
            str(getattr(call.args[0], "code", call.args[0])).split()[0]
            for call in execute.call_args_list
        ]
        # the failed calls reuse the savepoint they rolled back to
        self.assertEqual(
            [s for s in statements if s in ("SAVEPOINT", "ROLLBACK", "RELEASE")],
            ["SAVEPOINT", "SAVEPOINT", "ROLLBACK", "ROLLBACK", "RELEASE"],
        )
        self.env.invalidate_all()
        self.assertEqual(partners.mapped("name"), ["one", "Chain 1", "Chain 2", "four"])
