# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime
import hashlib
from contextlib import contextmanager
from decimal import Decimal
from itertools import pairwise

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.gov_base.models.gov_audit_event import chain_key
from odoo.addons.gov_base.tools.chain import (
    GENESIS_HASH,
    KEYED_CHAIN_VERSION,
    canonical_json,
    event_hash,
)

from .common import GovBaseCase


class TestCanonicalForm(GovBaseCase):
    def test_canonical_json_is_stable(self):
        value = {"b": 1, "a": [Decimal("1.10"), datetime.date(2026, 1, 2)], "é": "ü"}
        self.assertEqual(
            canonical_json(value), '{"a":["1.10","2026-01-02"],"b":1,"é":"ü"}'
        )
        with self.assertRaises(ValueError):
            canonical_json({"x": float("nan")})

    def test_event_hash_covers_every_field(self):
        row = {
            "sequence": 1,
            "prev_hash": GENESIS_HASH,
            "event_date": datetime.datetime(2026, 1, 2, 3, 4, 5),
            "user_id": 2,
            "on_behalf_of_id": None,
            "company_id": 1,
            "event_type": "x",
            "res_model": "res.partner",
            "res_id": 7,
            "record_name": "P",
            "summary": "S",
            "details": '{"a":1}',
            "channel": "ui",
            "correlation_id": "c",
        }
        reference = event_hash(row)
        self.assertEqual(len(reference), 64)
        expected = hashlib.sha256(
            canonical_json({**row, "event_date": "2026-01-02 03:04:05"}).encode()
        ).hexdigest()
        self.assertEqual(reference, expected)
        for key, other in (("summary", "T"), ("sequence", 2), ("prev_hash", "f" * 64)):
            with self.subTest(key=key):
                self.assertNotEqual(event_hash({**row, key: other}), reference)

    def test_keyed_hash_needs_the_key(self):
        row = {
            "sequence": 1,
            "prev_hash": GENESIS_HASH,
            "event_date": datetime.datetime(2026, 1, 2, 3, 4, 5),
            "event_type": "x",
            "summary": "S",
            "chain_version": KEYED_CHAIN_VERSION,
        }
        key = chain_key(self.env)
        keyed = event_hash(row, key)
        self.assertEqual(len(keyed), 64)
        self.assertNotEqual(keyed, event_hash(row), "not the unkeyed SHA-256")
        self.assertNotEqual(keyed, event_hash(row, b"another key"))
        self.assertNotEqual(keyed, event_hash({**row, "chain_version": None}, key))
        self.assertEqual(keyed, event_hash(dict(row), key), "deterministic")


@tagged("post_install", "-at_install")
class TestAuditChain(GovBaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Verification = cls.env["gov.audit.verification"]

    @contextmanager
    def tampering(self):
        """Run raw SQL with the append-only trigger off, as an attacker would."""
        cr = self.env.cr
        self.env.flush_all()
        cr.execute(
            "ALTER TABLE gov_audit_event DISABLE TRIGGER gov_audit_event_append_only"
        )
        try:
            yield cr
        finally:
            cr.execute(
                "ALTER TABLE gov_audit_event ENABLE TRIGGER gov_audit_event_append_only"
            )
            self.env.invalidate_all()

    def verify(self, expect_broken=False):
        self.Event._seal_pending()
        if not expect_broken:
            return self.Verification._verify()
        with self.assertLogs(
            "odoo.addons.gov_base.models.gov_audit_verification", "ERROR"
        ):
            return self.Verification._verify()

    def test_sealing_builds_one_chain(self):
        events = self.record_events(5)
        unsealed = self.Event.search_count([("hash", "=", False)])
        self.assertGreaterEqual(unsealed, 5)
        self.assertEqual(self.Event._seal_pending(), unsealed)
        events.invalidate_recordset()
        ordered = events.sorted("sequence")
        self.assertEqual(ordered.ids, sorted(events.ids), "sealed in insertion order")
        for previous, current in pairwise(ordered):
            self.assertEqual(current.sequence, previous.sequence + 1)
            self.assertEqual(current.prev_hash, previous.hash)
        self.assertTrue(all(events.mapped("is_sealed")))
        self.assertEqual(self.Event._seal_pending(), 0, "nothing left to seal")

    def test_verify_intact_chain(self):
        events = self.record_events(3)
        run = self.verify()
        self.assertEqual(run.result, "ok")
        self.assertGreaterEqual(run.checked_count, 3)
        last = events[-1]
        last.invalidate_recordset()
        self.assertEqual((run.head_sequence, run.head_hash), (last.sequence, last.hash))
        self.assertEqual(run.unsealed_count, 0)
        # The verification itself is audited.
        audit = self.Event.search(
            [("res_model", "=", run._name), ("res_id", "=", run.id)], limit=1
        )
        self.assertEqual(audit.event_type, "audit.verification")

    def test_edited_event_is_detected(self):
        events = self.record_events(4)
        self.verify()
        target = events[1]
        with self.tampering() as cr:
            cr.execute(
                "UPDATE gov_audit_event SET summary = 'Nothing to see' WHERE id = %s",
                [target.id],
            )
        run = self.verify(expect_broken=True)
        self.assertEqual(run.result, "broken")
        self.assertEqual(run.broken_event_id, target)
        self.assertEqual(run.broken_sequence, target.sequence)
        self.assertIn("edited", run.reason)

    def test_removed_event_is_detected(self):
        events = self.record_events(4)
        self.Event._seal_pending()
        target = events[2]
        target.invalidate_recordset()
        sequence = target.sequence
        with self.tampering() as cr:
            cr.execute("DELETE FROM gov_audit_event WHERE id = %s", [target.id])
        run = self.verify(expect_broken=True)
        self.assertEqual(run.broken_sequence, sequence)
        self.assertIn("missing", run.reason)

    def _rehash_from(self, target, key):
        """Edit ``target`` and recompute every later hash, over SQL."""
        with self.tampering() as cr:
            cr.execute(
                "UPDATE gov_audit_event SET summary = 'Rewritten' WHERE id = %s",
                [target.id],
            )
            target.invalidate_recordset()
            rows = self.Event._fetch_chain_rows(
                SQL("sequence >= %s", target.sequence), SQL("sequence"), 100000
            )
            prev = rows[0]["prev_hash"]
            for row in rows:
                row["prev_hash"] = prev
                prev = event_hash(row, key)
                cr.execute(
                    "UPDATE gov_audit_event SET prev_hash = %s, hash = %s"
                    " WHERE id = %s",
                    [row["prev_hash"], prev, row["id"]],
                )

    def test_rehashed_chain_without_the_key_is_detected(self):
        """An attacker who edits an event and recomputes every later hash
        without the key breaks the chain at the edited event."""
        events = self.record_events(3)
        self.verify()
        target = events[0]
        self._rehash_from(target, key=None)
        run = self.verify(expect_broken=True)
        self.assertEqual(run.broken_event_id, target)
        self.assertEqual(run.broken_sequence, target.sequence)
        self.assertIn("edited", run.reason)

    def test_rehashed_chain_with_the_key_is_detected(self):
        """Even someone holding the key who edits an event and recomputes
        every later hash breaks the head signed by the previous verification."""
        events = self.record_events(3)
        first = self.verify()
        self._rehash_from(events[0], key=chain_key(self.env))
        run = self.verify(expect_broken=True)
        self.assertEqual(run.broken_sequence, first.head_sequence)
        self.assertIn("rewritten", run.reason)

    def test_truncated_tail_is_detected(self):
        events = self.record_events(3)
        first = self.verify()
        with self.tampering() as cr:
            cr.execute(
                "DELETE FROM gov_audit_event WHERE sequence >= %s",
                [first.head_sequence - 1],
            )
        run = self.verify(expect_broken=True)
        self.assertIn("removed from its end", run.reason)
        self.assertEqual(run.broken_sequence, run.head_sequence + 1)
        self.assertFalse(self.Event.search([("id", "in", events[1:].ids)]))

    def test_broken_chain_notifies_auditors(self):
        auditor = self.users["auditor"]
        events = self.record_events(2)
        self.Event._seal_pending()
        with self.tampering() as cr:
            cr.execute(
                "UPDATE gov_audit_event SET details = '{}' WHERE id = %s",
                [events[0].id],
            )
        run = self.verify(expect_broken=True)
        message = run.message_ids.filtered(
            lambda m: auditor.partner_id in m.partner_ids
        )
        self.assertTrue(message, "auditors are told in their inbox")
        self.assertIn(str(run.broken_sequence), message[0].body)

    def test_broken_chain_alert_can_be_log_only(self):
        self.env["ir.config_parameter"].set_param("gov_base.audit_break_alert", "log")
        events = self.record_events(2)
        self.Event._seal_pending()
        with self.tampering() as cr:
            cr.execute(
                "UPDATE gov_audit_event SET details = '{}' WHERE id = %s",
                [events[0].id],
            )
        run = self.verify(expect_broken=True)
        self.assertFalse(run.message_ids.filtered("partner_ids"))

    def test_verification_needs_an_auditor(self):
        for role in ("user", "approver", "integration_manager"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                self.Verification.with_user(self.users[role]).action_verify()
        action = self.Verification.with_user(self.users["auditor"]).action_verify()
        run = self.Verification.browse(action["res_id"])
        self.assertEqual(run.result, "ok")
        self.assertEqual(run.user_id, self.users["auditor"])

    def test_verification_results_are_immutable(self):
        run = self.verify()
        with self.assertRaises(AccessError):
            run.sudo().write({"result": "broken"})
        with self.assertRaises(AccessError):
            run.sudo().unlink()
        with self.assertRaises(AccessError):
            self.Verification.sudo().create({"result": "ok"})

    def test_cron_seals_and_verifies(self):
        self.record_events(2)
        cron = self.env.ref("gov_base.ir_cron_audit_verify")
        self.assertEqual(cron.code.strip(), "model._cron_verify()")
        self.env[cron.model_id.model]._cron_verify()
        run = self.Verification.search([], limit=1)
        self.assertEqual(run.result, "ok")
        self.assertEqual(run.unsealed_count, 0)
