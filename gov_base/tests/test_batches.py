# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged

from ..tools.batches import lock_batch, run_batch


@tagged("post_install", "-at_install")
class TestBatches(TransactionCase):
    def test_a_batch_skips_rows_another_worker_holds(self):
        Partner = self.env["res.partner"].sudo()
        held, free = Partner.search([], order="id", limit=2)
        with self.registry.cursor() as other:
            other_env = api.Environment(other, SUPERUSER_ID, {})
            other_env["res.partner"].browse(held.id).lock_for_update()
            batch = lock_batch(Partner, [("id", "in", (held | free).ids)], 10, "id")
            self.assertEqual(batch, free)
            other.rollback()

    def test_one_batch_per_call_savepoint_per_item(self):
        # a real transaction: each batch commits its progress
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            partners = env["res.partner"].create(
                [{"name": f"Batch {n}"} for n in range(5)]
            )
        self.addCleanup(self._remove, partners.ids)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self._run(env, partners.with_env(env))

    def _remove(self, ids):
        with self.registry.cursor() as cr:
            api.Environment(cr, SUPERUSER_ID, {})["res.partner"].browse(ids).unlink()

    def _run(self, env, partners):
        Partner = env["res.partner"]
        domain = [("id", "in", partners.ids), ("comment", "=", False)]
        failed = []

        def process(partner):
            partner.comment = "done"
            if partner == partners[1]:
                raise ValueError("this one fails")

        first = run_batch(
            env,
            lambda size: lock_batch(Partner, domain, size, "id"),
            batch_size=3,
            process=process,
            count_remaining=lambda: Partner.search_count(domain),
            on_error=lambda partner, error: failed.append((partner, str(error))),
        )
        self.assertEqual(first, partners[:3])
        self.assertEqual(failed, [(partners[1], "this one fails")])
        # the failing item rolled back alone
        partners.invalidate_recordset()
        self.assertEqual(
            [bool(c) for c in partners.mapped("comment")[:3]], [True, False, True]
        )
        second = run_batch(
            env,
            lambda size: lock_batch(
                Partner, domain + [("id", "!=", partners[1].id)], size, "id"
            ),
            batch_size=3,
            process_batch=lambda batch: batch.write({"comment": "grouped"}),
        )
        self.assertEqual(second, partners[3:])
        nothing = run_batch(
            env,
            lambda size: lock_batch(Partner, [("id", "=", 0)], size),
            batch_size=3,
            process=process,
        )
        self.assertFalse(nothing)
