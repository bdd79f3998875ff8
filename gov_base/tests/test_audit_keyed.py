# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The audit log against someone who holds a database connection but not the
key: forged, re-hashed and downgraded events, forged, rewritten and removed
verification results, and a database upgraded from the unkeyed chain."""

import secrets
from contextlib import contextmanager

import psycopg2

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL, mute_logger

from odoo.addons.gov_base.models.gov_audit_verification import start_keyed_chain
from odoo.addons.gov_base.tools.chain import GENESIS_HASH, event_hash

from .common import GovBaseCase

TABLES = ("gov_audit_event", "gov_audit_verification")


class AuditTamperCase(GovBaseCase):
    """What an attacker with an SQL connection does, as helpers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Verification = cls.env["gov.audit.verification"]

    @contextmanager
    def tampering(self):
        """Raw SQL with the append-only triggers off, as the table owner can."""
        cr = self.env.cr
        self.env.flush_all()
        for table in TABLES:
            cr.execute(
                SQL("ALTER TABLE %s DISABLE TRIGGER USER", SQL.identifier(table))
            )
        try:
            yield cr
        finally:
            for table in TABLES:
                cr.execute(
                    SQL("ALTER TABLE %s ENABLE TRIGGER USER", SQL.identifier(table))
                )
            self.env.invalidate_all()

    def verify(self, expect_broken=False):
        self.Event._seal_pending()
        if not expect_broken:
            run = self.Verification._verify()
            self.assertEqual(run.result, "ok", run.reason)
            return run
        with self.assertLogs(
            "odoo.addons.gov_base.models.gov_audit_verification", "ERROR"
        ):
            run = self.Verification._verify()
        self.assertEqual(run.result, "broken")
        return run

    def head(self):
        rows = self.env.execute_query(
            SQL(
                "SELECT sequence, hash FROM gov_audit_event"
                " WHERE sequence IS NOT NULL ORDER BY sequence DESC LIMIT 1"
            )
        )
        return tuple(rows[0]) if rows else (0, GENESIS_HASH)

    def insert_row(self, table, **values):
        """INSERT one row over SQL (the triggers let INSERT through)."""
        now = fields.Datetime.now()
        values = {
            "create_uid": self.env.uid,
            "create_date": now,
            "write_uid": self.env.uid,
            "write_date": now,
            **values,
        }
        return self.env.execute_query(
            SQL(
                "INSERT INTO %s (%s) VALUES %s RETURNING id",
                SQL.identifier(table),
                SQL(", ").join(SQL.identifier(name) for name in values),
                tuple(values.values()),
            )
        )[0][0]

    def insert_event(self, summary="Forged", **values):
        """An unsealed event, INSERTed over SQL."""
        values = {
            "event_date": fields.Datetime.now(),
            "event_type": "forged.event",
            "summary": summary,
            "channel": "system",
            "user_id": self.users["admin"].id,
            "company_id": self.env.company.id,
            **values,
        }
        return self.insert_row("gov_audit_event", **values)

    def seal_as_first_version(self, event_id, chain_version=None):
        """Seal an event over SQL the way the unkeyed chain did: plain SHA-256
        of its content, position and the previous hash. The trigger accepts
        this UPDATE: it fills the seal columns of an unsealed row."""
        sequence, prev = self.head()
        row = self.Event._fetch_chain_rows(SQL("id = %s", event_id), SQL("id"), 1)[0]
        row.update(sequence=sequence + 1, prev_hash=prev)
        self.env.execute_query(
            SQL(
                "UPDATE gov_audit_event SET sequence = %s, prev_hash = %s, hash = %s,"
                " chain_version = %s, sealed_date = now() WHERE id = %s",
                sequence + 1,
                prev,
                event_hash(row),
                chain_version,
                event_id,
            )
        )
        self.env.invalidate_all()
        return sequence + 1

    def rehash_over_sql(self, from_sequence, chain_version="keep"):
        """Recompute every hash from ``from_sequence`` on without the key."""
        with self.tampering() as cr:
            rows = self.Event._fetch_chain_rows(
                SQL("sequence >= %s", from_sequence), SQL("sequence"), 100000
            )
            prev = rows[0]["prev_hash"]
            for row in rows:
                if chain_version != "keep":
                    row["chain_version"] = chain_version
                row["prev_hash"] = prev
                prev = event_hash(row)
                cr.execute(
                    SQL(
                        "UPDATE gov_audit_event SET prev_hash = %s, hash = %s,"
                        " chain_version = %s WHERE id = %s",
                        row["prev_hash"],
                        prev,
                        row["chain_version"],
                        row["id"],
                    )
                )


@tagged("post_install", "-at_install")
class TestKeyedChain(AuditTamperCase):
    def test_events_are_sealed_with_the_key(self):
        events = self.record_events(2)
        self.Event._seal_pending()
        events.invalidate_recordset()
        self.assertEqual(set(events.mapped("chain_version")), {2})
        self.assertTrue(all(events.mapped("entry_signature")))
        for event in events:
            row = self.Event._fetch_chain_rows(SQL("id = %s", event.id), SQL("id"), 1)
            self.assertNotEqual(event.hash, event_hash(row[0]), "not plain SHA-256")

    def test_forged_event_sealed_like_the_unkeyed_chain_is_detected(self):
        """INSERT an event and seal it over SQL with a correct SHA-256 hash,
        exactly as the unkeyed chain sealed its events."""
        self.record_events(2)
        self.verify()
        forged = self.insert_event()
        sequence = self.seal_as_first_version(forged)
        run = self.verify(expect_broken=True)
        self.assertEqual(run.broken_sequence, sequence)
        self.assertEqual(run.broken_event_id.id, forged)
        self.assertIn("not sealed with the key", run.reason)

    def test_forged_event_claiming_the_keyed_version_is_detected(self):
        self.record_events(2)
        self.verify()
        forged = self.insert_event()
        sequence = self.seal_as_first_version(forged, chain_version=2)
        run = self.verify(expect_broken=True)
        self.assertEqual(run.broken_sequence, sequence)
        self.assertIn("without the key", run.reason)

    def test_event_inserted_over_sql_is_never_sealed(self):
        """The sealer chains only what the suite wrote and signed: neither an
        unsigned row nor a row carrying another event's signature."""
        genuine = self.record_events(1)
        self.verify()
        self.Event._seal_pending()
        unsigned = self.insert_event()
        copied = self.insert_event(
            summary="Changed", entry_signature=genuine.entry_signature
        )
        self.assertEqual(self.Event._seal_pending(), 0)
        self.env.invalidate_all()
        self.assertFalse(self.Event.browse([unsigned, copied]).filtered("hash"))
        run = self.verify(expect_broken=True)
        self.assertEqual(run.broken_event_id.id, unsigned)
        self.assertIn("not written by the suite", run.reason)
        self.assertEqual(run.unsealed_count, 2)

    def test_full_rehash_without_the_key_is_detected(self):
        self.record_events(3)
        self.verify()
        self.rehash_over_sql(1)
        run = self.verify(expect_broken=True)
        self.assertEqual(run.broken_sequence, 1)
        self.assertIn("without the key", run.reason)

    def test_full_rehash_as_unkeyed_chain_is_detected(self):
        """Passing the whole chain off as the unkeyed chain of an upgraded
        database: no signed result says it ever was one."""
        self.record_events(3)
        self.verify()
        self.rehash_over_sql(1, chain_version=None)
        run = self.verify(expect_broken=True)
        self.assertEqual(run.broken_sequence, 1)
        self.assertIn("not sealed with the key", run.reason)


@tagged("post_install", "-at_install")
class TestVerificationTrail(AuditTamperCase):
    def _assert_sql_refused(self, query):
        with (
            self.assertRaises(psycopg2.errors.InsufficientPrivilege),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(query)

    def test_results_are_signed_and_chained(self):
        first = self.verify()
        second = self.verify()
        self.assertTrue(first.signature)
        self.assertEqual(second.prev_signature, first.signature)
        self.assertEqual(second.keyed_from_sequence, 1)
        self.assertNotEqual(first.signature, second.signature)

    def test_database_refuses_update_delete_truncate(self):
        run = self.verify()
        self.env.flush_all()
        self._assert_sql_refused(
            SQL("UPDATE gov_audit_verification SET result = 'ok' WHERE id = %s", run.id)
        )
        self._assert_sql_refused(
            SQL("DELETE FROM gov_audit_verification WHERE id = %s", run.id)
        )
        self._assert_sql_refused(SQL("TRUNCATE gov_audit_verification CASCADE"))
        with self.assertRaises(AccessError):
            run.sudo().write({"reason": "Forged"})
        self.env.cr.execute(
            SQL("SELECT count(*) FROM gov_audit_verification WHERE id = %s", run.id)
        )
        self.assertEqual(self.env.cr.fetchone()[0], 1)

    def _fake_result(self, **values):
        sequence, head_hash = self.head()
        return self.insert_row(
            "gov_audit_verification",
            verified_date=fields.Datetime.now(),
            result="ok",
            checked_count=sequence,
            head_sequence=sequence,
            head_hash=head_hash,
            **values,
        )

    def test_inserted_unsigned_result_is_detected(self):
        self.record_events(2)
        self.verify()
        fake = self._fake_result()
        run = self.verify(expect_broken=True)
        self.assertIn(f"#{fake} carries no signature", run.reason)

    def test_inserted_result_with_a_made_up_signature_is_detected(self):
        self.record_events(2)
        last = self.verify()
        fake = self._fake_result(
            prev_signature=last.signature,
            keyed_from_sequence=1,
            signature=secrets.token_hex(32),
        )
        run = self.verify(expect_broken=True)
        self.assertIn(f"#{fake} does not match its signature", run.reason)

    def test_rewritten_result_is_detected(self):
        """The head an intact run saw is changed to hide a later rewrite."""
        self.record_events(2)
        run = self.verify()
        with self.tampering() as cr:
            cr.execute(
                SQL(
                    "UPDATE gov_audit_verification SET head_hash = %s WHERE id = %s",
                    "f" * 64,
                    run.id,
                )
            )
        broken = self.verify(expect_broken=True)
        self.assertIn(f"#{run.id} does not match its signature", broken.reason)

    def test_broken_result_rewritten_as_intact_is_detected(self):
        self.record_events(2)
        self.verify()
        self.rehash_over_sql(1)
        broken = self.verify(expect_broken=True)
        with self.tampering() as cr:
            cr.execute(
                SQL(
                    "UPDATE gov_audit_verification SET result = 'ok', reason = NULL,"
                    " broken_sequence = NULL, broken_event_id = NULL WHERE id = %s",
                    broken.id,
                )
            )
        self.verify(expect_broken=True)

    def test_removed_result_is_detected(self):
        self.verify()
        middle = self.verify()
        self.verify()
        with self.tampering() as cr:
            cr.execute(
                SQL("DELETE FROM gov_audit_verification WHERE id = %s", middle.id)
            )
        run = self.verify(expect_broken=True)
        self.assertIn("a result was removed or inserted", run.reason)

    def test_removed_last_result_is_detected(self):
        """The trail cannot show its own end cut off; the chain, which records
        every verification, can."""
        self.verify()
        last = self.verify()
        self.Event._seal_pending()
        with self.tampering() as cr:
            cr.execute(SQL("DELETE FROM gov_audit_verification WHERE id = %s", last.id))
        run = self.verify(expect_broken=True)
        self.assertIn(f"#{last.id}", run.reason)
        self.assertIn("is gone", run.reason)


@tagged("post_install", "-at_install")
class TestUpgradedChain(AuditTamperCase):
    """A database whose events the first version sealed without a key."""

    def setUp(self):
        super().setUp()
        # back to the state of a database of the first version
        with self.tampering() as cr:
            cr.execute("DELETE FROM gov_audit_verification")
            cr.execute("DELETE FROM gov_audit_event")
        self.legacy = []
        for index in range(4):
            event = self.insert_event(summary=f"Legacy {index}", event_type="legacy")
            self.seal_as_first_version(event)
            self.legacy.append(event)
        sequence, head_hash = self.head()
        self.old_result = self.insert_row(
            "gov_audit_verification",
            verified_date=fields.Datetime.now(),
            user_id=self.env.uid,
            result="ok",
            checked_count=sequence,
            head_sequence=sequence,
            head_hash=head_hash,
            unsealed_count=0,
        )
        # written by the first version, unsealed when the server stopped
        self.left_unsealed = self.insert_event(summary="Unsealed", event_type="legacy")

    def upgrade(self):
        checkpoint = start_keyed_chain(self.env)
        self.assertEqual(checkpoint.result, "ok", checkpoint.reason)
        return checkpoint

    def versions(self):
        return dict(
            self.env.execute_query(
                SQL(
                    "SELECT sequence, chain_version FROM gov_audit_event"
                    " WHERE sequence IS NOT NULL"
                )
            )
        )

    def test_upgraded_database_still_verifies(self):
        checkpoint = self.upgrade()
        self.assertEqual(checkpoint.keyed_from_sequence, 5)
        self.assertTrue(checkpoint.legacy_digest)
        self.assertEqual(checkpoint.prev_signature, GENESIS_HASH)
        self.assertEqual(checkpoint.checked_count, 5)
        self.assertFalse(start_keyed_chain(self.env), "runs once")
        self.record_events(3)
        run = self.verify()
        self.assertEqual(run.keyed_from_sequence, 5)
        versions = self.versions()
        self.assertEqual(run.checked_count, len(versions))
        self.assertEqual({versions[seq] for seq in range(1, 5)}, {None})
        self.assertEqual(
            {version for seq, version in versions.items() if seq >= 5}, {2}
        )
        self.assertEqual(self.Event.browse(self.left_unsealed).sequence, 5)

    def test_edited_unkeyed_event_is_detected(self):
        self.upgrade()
        self.verify()
        with self.tampering() as cr:
            cr.execute(
                SQL(
                    "UPDATE gov_audit_event SET summary = 'Edited' WHERE id = %s",
                    self.legacy[1],
                )
            )
        run = self.verify(expect_broken=True)
        self.assertEqual(run.broken_sequence, 2)
        self.assertIn("edited", run.reason)

    def test_rehashed_unkeyed_part_is_detected(self):
        """The unkeyed part can be re-hashed without the key, but its head is
        bound into the first keyed event."""
        self.upgrade()
        with self.tampering() as cr:
            cr.execute(
                SQL(
                    "UPDATE gov_audit_event SET summary = 'Edited' WHERE id = %s",
                    self.legacy[0],
                )
            )
            rows = self.Event._fetch_chain_rows(
                SQL("sequence <= 4"), SQL("sequence"), 10
            )
            prev = GENESIS_HASH
            for row in rows:
                row["prev_hash"] = prev
                prev = event_hash(row)
                cr.execute(
                    SQL(
                        "UPDATE gov_audit_event SET prev_hash = %s, hash = %s"
                        " WHERE id = %s",
                        row["prev_hash"],
                        prev,
                        row["id"],
                    )
                )
        run = self.verify(expect_broken=True)
        self.assertEqual(run.broken_sequence, 5)
        self.assertIn("link to the previous event", run.reason)

    def test_keyed_events_passed_off_as_unkeyed_are_detected(self):
        self.upgrade()
        self.record_events(2)
        self.verify()
        self.rehash_over_sql(5, chain_version=None)
        run = self.verify(expect_broken=True)
        self.assertEqual(run.broken_sequence, 5)
        self.assertIn("not sealed with the key", run.reason)

    def test_unkeyed_event_appended_after_the_upgrade_is_detected(self):
        self.upgrade()
        self.verify()
        forged = self.insert_event()
        sequence = self.seal_as_first_version(forged)
        run = self.verify(expect_broken=True)
        self.assertEqual(run.broken_sequence, sequence)

    def test_removed_signed_results_are_detected(self):
        """Without the result that says where the keyed chain starts, the
        unkeyed events are no longer accepted."""
        self.upgrade()
        self.verify()
        with self.tampering() as cr:
            cr.execute("DELETE FROM gov_audit_verification WHERE signature IS NOT NULL")
        run = self.verify(expect_broken=True)
        self.assertEqual(run.broken_sequence, 1)

    def test_changed_unsigned_result_is_detected(self):
        self.upgrade()
        with self.tampering() as cr:
            cr.execute(
                SQL(
                    "UPDATE gov_audit_verification SET head_sequence = 99"
                    " WHERE id = %s",
                    self.old_result,
                )
            )
        run = self.verify(expect_broken=True)
        self.assertIn("unsigned verification results", run.reason)


@tagged("post_install", "-at_install")
class TestVerificationCompanies(AuditTamperCase):
    def test_results_naming_an_event_of_another_company_are_hidden(self):
        company_b = self.env["res.company"].create({"name": "Governed B"})
        auditor_b = new_test_user(
            self.env,
            login="gov_test_auditor_b",
            groups="gov_base.gov_base_group_auditor",
            company_id=company_b.id,
            company_ids=[company_b.id],
        )
        event = self.Event.record("test.company", "Of company A")
        intact = self.verify()
        with self.tampering() as cr:
            cr.execute(
                SQL("UPDATE gov_audit_event SET summary = 'x' WHERE id = %s", event.id)
            )
        broken = self.verify(expect_broken=True)
        self.assertEqual(broken.company_id, self.env.company)
        self.assertFalse(intact.company_id)
        Verification = self.Verification.with_user(auditor_b)
        visible = Verification.search([("id", "in", (intact | broken).ids)])
        self.assertEqual(visible.ids, intact.ids)
        with self.assertRaises(AccessError):
            broken.with_user(auditor_b).read(["broken_event_id"])
        # an auditor of B who finds the break is told, without the details
        with self.assertLogs(
            "odoo.addons.gov_base.models.gov_audit_verification", "ERROR"
        ):
            action = Verification.action_verify()
        self.assertEqual(action["tag"], "display_notification")
        latest = self.Verification.search([], limit=1)
        self.assertEqual(
            (latest.result, latest.user_id, latest.company_id),
            ("broken", auditor_b, self.env.company),
        )
        auditor_a = self.users["auditor"]
        self.assertEqual(
            self.Verification.with_user(auditor_a).search(
                [("id", "in", (intact | broken | latest).ids)]
            ),
            intact | broken | latest,
        )
