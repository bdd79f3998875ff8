# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Verification of the audit chain, and its results as a signed trail.

Each result is append-only (the ORM and the database refuse changes) and
signed with a key the database does not hold, over what it found and the
signature of the result before it. The next verification checks that trail
first: a result rewritten, inserted or removed over SQL is reported. The
trail also says from which position the chain is keyed: earlier events are
those of a database upgraded from the unkeyed chain, vouched for by the
first signed result, which the upgrade writes.
"""

import logging

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from ..tools.chain import (
    GENESIS_HASH,
    KEYED_CHAIN_VERSION,
    entry_signature,
    event_hash,
    same_digest,
    verification_signature,
)
from ..tools.engine import engine_writes, is_granted
from ..tools.keyring import derive_key
from .gov_audit_event import chain_key, entry_key, seal_pending

_logger = logging.getLogger(__name__)

VERIFY_BATCH = 5000
SIGNATURE_KEY_PURPOSE = "audit.verification"


def _signature_key(env):
    return derive_key(env.cr.dbname, SIGNATURE_KEY_PURPOSE)


def _record_run(Verification, vals):
    """Sign one verification result, chained to the last one, and store it.

    A module function, not a method: code Odoo evaluates can call methods
    whose name starts with one underscore, and must never have values of its
    choice signed.
    """
    env = Verification.env
    latest = env.execute_query(
        SQL(
            "SELECT signature FROM gov_audit_verification"
            " WHERE signature IS NOT NULL ORDER BY id DESC LIMIT 1"
        )
    )
    vals = dict(
        vals,
        verified_date=fields.Datetime.now(),
        prev_signature=latest[0][0] if latest else GENESIS_HASH,
    )
    vals["signature"] = verification_signature(_signature_key(env), vals)
    with engine_writes(Verification._name):
        return (
            Verification.sudo()
            .with_context(mail_create_nolog=True)
            .create(vals)
            .with_env(env)
        )


def run_verification(Verification, initial_keyed_from=None):
    """Verify the chain, store the signed result, audit it, alert on a break.

    ``initial_keyed_from`` (the first keyed position) only counts while no
    signed result exists: the upgrade from the unkeyed chain passes it once.
    """
    env = Verification.env
    vals = Verification._check_chain(initial_keyed_from)
    # read as superuser: a result naming an event of a company the user
    # cannot see is still recorded, audited and alerted
    run = _record_run(Verification, vals).sudo()
    env["gov.audit.event"].record(
        "audit.verification",
        env._("Audit chain verified: %(result)s", result=run.name),
        record=run,
        details={
            key: vals[key] for key in ("result", "checked_count", "head_sequence")
        },
    )
    # the head, published outside the database: compare it with a later one
    _logger.info(
        "Audit chain verification %s: %s, head %s %s, signature %s",
        run.id,
        run.result,
        run.head_sequence,
        run.head_hash,
        run.signature,
    )
    if run.result == "broken":
        _logger.error(
            "Audit chain broken at position %s: %s", run.broken_sequence, run.reason
        )
        alert = (
            env["ir.config_parameter"]
            .sudo()
            .get_param("gov_base.audit_break_alert", "inbox")
        )
        if alert == "inbox":
            run._notify_broken()
    return run.with_env(env)


def start_keyed_chain(env):
    """Close the unkeyed chain of a database upgraded from the first version.

    Seals the events that version left unsealed (with the key), then records
    the first signed verification result: it says from which position the
    chain is keyed and vouches for the unsigned results written before. Run
    once by the upgrade; nothing happens once a signed result exists.
    """
    Verification = env["gov.audit.verification"]
    if env.execute_query(
        SQL("SELECT 1 FROM gov_audit_verification WHERE signature IS NOT NULL LIMIT 1")
    ):
        return Verification
    seal_pending(env["gov.audit.event"], trust_unsigned=True)
    last_unkeyed = env.execute_query(
        SQL(
            "SELECT max(sequence) FROM gov_audit_event"
            " WHERE chain_version IS NULL AND sequence IS NOT NULL"
        )
    )[0][0]
    return run_verification(Verification, initial_keyed_from=(last_unkeyed or 0) + 1)


class GovAuditVerification(models.Model):
    """One run of the audit chain verification and what it found.

    Each run also remembers the chain head it saw; the next run checks that
    this head is still there, which reveals a chain cut short at its end.
    """

    _name = "gov.audit.verification"
    _description = "Audit Chain Verification"
    _inherit = ["gov.chatter.mixin"]
    _order = "id desc"

    name = fields.Char(compute="_compute_name")
    verified_date = fields.Datetime(
        string="Verified On", required=True, readonly=True, default=fields.Datetime.now
    )
    user_id = fields.Many2one(
        "res.users", string="Run By", readonly=True, ondelete="restrict"
    )
    # set at creation only, never computed: the rows are never rewritten
    company_id = fields.Many2one(
        "res.company",
        readonly=True,
        index=True,
        ondelete="restrict",
        help="The company of the first broken event, whose users alone read"
        " this result; empty when the result names no event of a company.",
    )
    result = fields.Selection(
        [("ok", "Chain intact"), ("broken", "Chain broken")],
        required=True,
        readonly=True,
        tracking=True,
    )
    checked_count = fields.Integer(string="Events Checked", readonly=True)
    head_sequence = fields.Integer(string="Head Position", readonly=True)
    head_hash = fields.Char(readonly=True)
    unsealed_count = fields.Integer(
        string="Unsealed Events",
        readonly=True,
        help="Events written but not yet sealed into the chain at verification time.",
    )
    broken_sequence = fields.Integer(string="First Broken Position", readonly=True)
    broken_event_id = fields.Many2one(
        "gov.audit.event",
        string="First Broken Event",
        readonly=True,
        ondelete="restrict",
    )
    reason = fields.Text(readonly=True)
    keyed_from_sequence = fields.Integer(
        string="Keyed From Position",
        readonly=True,
        help="Events from this position on are sealed with the key; earlier"
        " ones with the unkeyed SHA-256 chain of the first version.",
    )
    legacy_digest = fields.Char(
        readonly=True,
        help="On the first signed result of an upgraded database: the digest"
        " of the unsigned results written before it.",
    )
    prev_signature = fields.Char(string="Previous Signature", readonly=True)
    signature = fields.Char(
        readonly=True,
        help="HMAC of this result and of the previous signature, under a key"
        " the database does not hold.",
    )

    _prev_signature_uniq = models.UniqueIndex(
        "(prev_signature) WHERE prev_signature IS NOT NULL",
        "Another verification finished at the same moment: run it again.",
    )

    @api.depends("verified_date", "result")
    def _compute_name(self):
        labels = dict(self._fields["result"]._description_selection(self.env))
        for run in self:
            run.name = self.env._(
                "%(result)s on %(date)s",
                result=labels.get(run.result, ""),
                date=run.verified_date,
            )

    # ------------------------------------------------------------------
    # Append-only guards (ORM side; the database guards itself in init()).
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not is_granted(self._name):
            raise AccessError(
                self.env._("Verification results are written by the verification only.")
            )
        return super().create(vals_list)

    def write(self, vals):
        """Results are never changed, by anyone (the database refuses too)."""
        if vals:
            raise AccessError(self.env._("Verification results cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_verification(self):
        raise AccessError(self.env._("Verification results cannot be deleted."))

    def init(self):
        """Make the table append-only for everyone, database owners included."""
        res = super().init()
        self.env.cr.execute(
            SQL(
                """
CREATE OR REPLACE FUNCTION gov_audit_verification_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'gov_audit_verification is append-only: %% refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS gov_audit_verification_append_only ON gov_audit_verification;
CREATE TRIGGER gov_audit_verification_append_only
    BEFORE UPDATE OR DELETE ON gov_audit_verification
    FOR EACH ROW EXECUTE FUNCTION gov_audit_verification_append_only();
DROP TRIGGER IF EXISTS gov_audit_verification_no_truncate ON gov_audit_verification;
CREATE TRIGGER gov_audit_verification_no_truncate
    BEFORE TRUNCATE ON gov_audit_verification
    FOR EACH STATEMENT EXECUTE FUNCTION gov_audit_verification_append_only();
"""
            )
        )
        return res

    # ------------------------------------------------------------------
    @api.model
    def action_verify(self):
        """Verify the whole chain now and open the result."""
        if not self.env.user.has_group(
            "gov_base.gov_base_group_auditor"
        ) and not self.env.user.has_group("gov_base.gov_base_group_admin"):
            raise AccessError(
                self.env._(
                    "Only auditors and governance administrators verify the chain."
                )
            )
        run = self._verify()
        if not run.has_access("read"):
            # it names an event of a company the user does not work for
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "danger",
                    "sticky": True,
                    "title": self.env._("Chain broken"),
                    "message": self.env._(
                        "The audit chain is broken at position %(seq)s, in an"
                        " event of a company you do not work for. Auditors of"
                        " that company see the details.",
                        seq=run.sudo().broken_sequence,
                    ),
                },
            }
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": run.id,
            "views": [(False, "form")],
            "target": "current",
        }

    @api.model
    def _cron_verify(self):
        self.env["gov.audit.event"]._cron_seal_pending()
        self._verify()

    @api.model
    def _verify(self):
        """Verify the trail of results and the chain; record the first break."""
        return run_verification(self)

    # ------------------------------------------------------------------
    # The checks (read only: they return what a result would record)
    # ------------------------------------------------------------------
    @api.model
    def _check_chain(self, initial_keyed_from=None):
        """What a verification finds now, as the values of its result."""
        Event = self.env["gov.audit.event"]
        Event.flush_model()
        trail = self._check_trail(initial_keyed_from)
        vals = {
            "user_id": self.env.user.id,
            "company_id": False,
            "result": "ok",
            "checked_count": 0,
            "head_sequence": 0,
            "head_hash": GENESIS_HASH,
            "unsealed_count": self.env.execute_query(
                SQL("SELECT count(*) FROM gov_audit_event WHERE hash IS NULL")
            )[0][0],
            "broken_sequence": False,
            "broken_event_id": False,
            "reason": False,
            "keyed_from_sequence": trail["keyed_from"],
            "legacy_digest": trail["legacy_digest"],
        }
        problem = self._check_events(vals, trail["keyed_from"])
        if not problem:
            problem = (
                self._check_unsealed()
                or trail["problem"]
                or self._check_previous_head(vals["head_sequence"], trail["last_ok"])
                or self._check_results_audited()
            )
        if problem:
            vals.update(
                result="broken",
                broken_sequence=problem.get("sequence") or False,
                broken_event_id=problem.get("event_id") or False,
                company_id=problem.get("company_id") or False,
                reason=problem["reason"],
            )
        return vals

    @api.model
    def _check_events(self, vals, keyed_from):
        """Walk the sealed chain in position order; fill the head and count
        of ``vals``, return the first problem (a dict) or None."""
        Event = self.env["gov.audit.event"]
        key = chain_key(self.env)
        expected_seq, prev = 1, GENESIS_HASH
        while True:
            rows = Event._fetch_chain_rows(
                SQL("sequence IS NOT NULL AND sequence >= %s", expected_seq),
                SQL("sequence"),
                VERIFY_BATCH,
            )
            for row in rows:
                reason = self._event_problem(row, expected_seq, prev, keyed_from, key)
                if reason:
                    return {
                        "reason": reason,
                        "sequence": expected_seq,
                        "event_id": row["id"],
                        "company_id": row["company_id"],
                    }
                vals["checked_count"] += 1
                expected_seq += 1
                prev = row["hash"]
            if len(rows) < VERIFY_BATCH:
                break
        vals.update(head_sequence=expected_seq - 1, head_hash=prev)
        return None

    @api.model
    def _event_problem(self, row, expected_seq, prev, keyed_from, key):
        if row["sequence"] != expected_seq:
            return self.env._(
                "Position %(expected)s is missing: the chain jumps to %(found)s"
                " (an event was removed).",
                expected=expected_seq,
                found=row["sequence"],
            )
        if row["prev_hash"] != prev:
            return self.env._(
                "The link to the previous event does not match (an event"
                " before it was replaced or removed)."
            )
        if expected_seq < keyed_from:
            # the unkeyed chain of an upgraded database
            if row["chain_version"] is None and event_hash(row) == row["hash"]:
                return None
        elif row["chain_version"] != KEYED_CHAIN_VERSION:
            return self.env._(
                "This event is not sealed with the key, although the chain is"
                " keyed from position %(keyed)s: it was written or re-sealed"
                " over SQL.",
                keyed=keyed_from,
            )
        elif same_digest(event_hash(row, key), row["hash"]):
            return None
        return self.env._(
            "The content of this event does not match its hash (the event was"
            " edited, or written over SQL without the key)."
        )

    @api.model
    def _check_unsealed(self):
        """An event waiting to be sealed without a valid entry signature was
        not written by the suite: it will never be sealed."""
        Event = self.env["gov.audit.event"]
        key = entry_key(self.env)
        last_id = 0
        while True:
            rows = Event._fetch_chain_rows(
                SQL("hash IS NULL AND id > %s", last_id), SQL("id"), VERIFY_BATCH
            )
            for row in rows:
                if not same_digest(entry_signature(key, row), row["entry_signature"]):
                    return {
                        "reason": self.env._(
                            "Event #%(id)s, waiting to be sealed, was not written"
                            " by the suite (its entry signature is missing or"
                            " false): it was inserted over SQL and will never be"
                            " sealed.",
                            id=row["id"],
                        ),
                        "event_id": row["id"],
                        "company_id": row["company_id"],
                    }
            if len(rows) < VERIFY_BATCH:
                return None
            last_id = rows[-1]["id"]

    def _notify_broken(self):
        """Tell auditors and governance administrators, in their inbox."""
        users = (
            self.env.ref("gov_base.gov_base_group_auditor").all_user_ids
            | self.env.ref("gov_base.gov_base_group_admin").all_user_ids
        ).filtered(lambda u: u.active and not u.share)
        partners = users.partner_id - self.env.ref("base.partner_root")
        for run in self:
            headline = (
                self.env._(
                    "The audit chain is broken at position %(seq)s.",
                    seq=run.broken_sequence,
                )
                if run.broken_sequence
                else self.env._("The audit log was tampered with.")
            )
            body = Markup("<p>%s</p><p>%s</p>") % (headline, run.reason or "")
            run.sudo().message_post(
                body=body,
                partner_ids=partners.ids,
                message_type="notification",
                subtype_xmlid="mail.mt_comment",
            )
