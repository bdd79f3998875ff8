# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The checks of the signed trail of verification results: every result
signed over what it found and the result before it, the first signed result
saying from where the chain is keyed, the head each result saw still there,
and every verification of the trail written to the audit log."""

from odoo import api, models
from odoo.tools import SQL

from ..tools.chain import (
    GENESIS_HASH,
    VERIFICATION_FIELDS,
    legacy_verification_digest,
    same_digest,
    verification_signature,
)
from .gov_audit_verification import _signature_key


class GovAuditVerification(models.Model):
    _inherit = "gov.audit.verification"

    @api.model
    def _check_trail(self, initial_keyed_from=None):
        """Check the signed trail of verification results, oldest first.

        Returns a dict: ``problem`` (or None), ``keyed_from`` (the first keyed
        position, as the first signed result says), ``last_ok`` (the last
        intact result whose signature holds), and ``legacy_digest`` (to record
        when the result about to be written is the first signed one).
        """
        rows = self.env.execute_query_dict(
            SQL(
                "SELECT id, signature, %s FROM gov_audit_verification ORDER BY id",
                SQL(", ").join(SQL.identifier(name) for name in VERIFICATION_FIELDS),
            )
        )
        key = _signature_key(self.env)
        trail = {
            "problem": None,
            "keyed_from": 1,
            "last_ok": None,
            "legacy_digest": False,
        }
        unsigned, prev, first = [], GENESIS_HASH, None
        for row in rows:
            if not row["signature"] and first is None:
                unsigned.append(row)
                continue
            reason = self._trail_problem(row, prev, key)
            if not reason and first is None:
                # the first signed result says where the keyed chain starts
                first = row
                trail["keyed_from"] = row["keyed_from_sequence"] or 1
                reason = self._legacy_trail_problem(row, unsigned)
            if reason:
                trail["problem"] = {"reason": reason}
                return trail
            prev = row["signature"]
            if row["result"] == "ok":
                trail["last_ok"] = row
        if first is None:
            if initial_keyed_from:
                trail["keyed_from"] = initial_keyed_from
                if unsigned:
                    trail["legacy_digest"] = legacy_verification_digest(unsigned)
            elif unsigned:
                trail["problem"] = {
                    "reason": self.env._(
                        "No signed verification result vouches for the %(count)s"
                        " unsigned ones: they were written over SQL, or the"
                        " signed results were removed.",
                        count=len(unsigned),
                    )
                }
        return trail

    @api.model
    def _trail_problem(self, row, prev, key):
        if not row["signature"]:
            return self.env._(
                "Verification result #%(id)s carries no signature: it was written"
                " over SQL.",
                id=row["id"],
            )
        if row["prev_signature"] != prev:
            return self.env._(
                "Verification result #%(id)s does not follow the result before it:"
                " a result was removed or inserted.",
                id=row["id"],
            )
        if not same_digest(verification_signature(key, row), row["signature"]):
            return self.env._(
                "Verification result #%(id)s does not match its signature: it was"
                " changed or forged.",
                id=row["id"],
            )
        return None

    @api.model
    def _legacy_trail_problem(self, first, unsigned):
        """The first signed result vouches for the unsigned ones before it."""
        expected = legacy_verification_digest(unsigned) if unsigned else None
        if (first["legacy_digest"] or None) != expected:
            return self.env._(
                "The unsigned verification results recorded before result"
                " #%(id)s were changed, added or removed.",
                id=first["id"],
            )
        return None

    @api.model
    def _check_previous_head(self, head_sequence, previous):
        """The head seen by the last intact (signed) run must still be there."""
        if not previous or not previous["head_sequence"]:
            return None
        if previous["head_sequence"] > head_sequence:
            return {
                "reason": self.env._(
                    "The chain ends at position %(now)s but reached %(then)s on"
                    " %(date)s: events were removed from its end.",
                    now=head_sequence,
                    then=previous["head_sequence"],
                    date=previous["verified_date"],
                ),
                "sequence": head_sequence + 1,
            }
        rows = self.env["gov.audit.event"]._fetch_chain_rows(
            SQL("sequence = %s", previous["head_sequence"]), SQL("sequence"), 1
        )
        if rows[0]["hash"] != previous["head_hash"]:
            return {
                "reason": self.env._(
                    "The event at position %(seq)s no longer has the hash recorded"
                    " on %(date)s: the chain was rewritten.",
                    seq=previous["head_sequence"],
                    date=previous["verified_date"],
                ),
                "sequence": previous["head_sequence"],
                "event_id": rows[0]["id"],
                "company_id": rows[0]["company_id"],
            }
        return None

    @api.model
    def _check_results_audited(self):
        """Every verification is written to the (intact) chain: a result the
        chain mentions must still exist. This reveals the removal of the last
        results, which their own trail cannot show."""
        rows = self.env.execute_query_dict(
            SQL(
                """
                SELECT e.id, e.sequence, e.res_id, e.company_id
                  FROM gov_audit_event e
                 WHERE e.event_type = 'audit.verification'
                   AND e.res_model = %s
                   AND e.sequence IS NOT NULL
                   AND NOT EXISTS (
                        SELECT 1 FROM gov_audit_verification v WHERE v.id = e.res_id
                   )
                 ORDER BY e.sequence
                 LIMIT 1
                """,
                self._name,
            )
        )
        if not rows:
            return None
        return {
            "reason": self.env._(
                "Verification result #%(id)s, written to the chain at position"
                " %(seq)s, is gone: verification results were removed.",
                id=rows[0]["res_id"],
                seq=rows[0]["sequence"],
            ),
            "sequence": rows[0]["sequence"],
            "event_id": rows[0]["id"],
            "company_id": rows[0]["company_id"],
        }
