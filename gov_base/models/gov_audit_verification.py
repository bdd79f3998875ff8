# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from ..tools.chain import GENESIS_HASH, event_hash

_logger = logging.getLogger(__name__)

VERIFY_BATCH = 5000
_VERIFY_SENTINEL = object()


class GovAuditVerification(models.Model):
    """One run of the audit chain verification and what it found.

    Each run also remembers the chain head it saw; the next run checks that
    this head is still there, which reveals a chain cut short at its end.
    """

    _name = "gov.audit.verification"
    _description = "Audit Chain Verification"
    _inherit = ["mail.thread"]
    _order = "id desc"

    name = fields.Char(compute="_compute_name")
    verified_date = fields.Datetime(
        string="Verified On", required=True, readonly=True, default=fields.Datetime.now
    )
    user_id = fields.Many2one(
        "res.users", string="Run By", readonly=True, ondelete="restrict"
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

    @api.depends("verified_date", "result")
    def _compute_name(self):
        labels = dict(self._fields["result"]._description_selection(self.env))
        for run in self:
            run.name = self.env._(
                "%(result)s on %(date)s",
                result=labels.get(run.result, ""),
                date=run.verified_date,
            )

    @api.model_create_multi
    def create(self, vals_list):
        if self.env.context.get("gov_audit_verification") is not _VERIFY_SENTINEL:
            raise AccessError(
                self.env._("Verification results are written by the verification only.")
            )
        return super().create(vals_list)

    def write(self, vals):
        if self.env.context.get("gov_audit_verification") is not _VERIFY_SENTINEL:
            raise AccessError(self.env._("Verification results cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_verification(self):
        raise AccessError(self.env._("Verification results cannot be deleted."))

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
        """Walk the sealed chain in position order and record the first break."""
        vals = self._check_chain()
        run = (
            self.sudo()
            .with_context(
                gov_audit_verification=_VERIFY_SENTINEL, mail_create_nolog=True
            )
            .create(vals)
        )
        self.env["gov.audit.event"].record(
            "audit.verification",
            self.env._("Audit chain verified: %(result)s", result=run.name),
            record=run,
            details={
                key: vals[key] for key in ("result", "checked_count", "head_sequence")
            },
        )
        if run.result == "broken":
            _logger.error(
                "Audit chain broken at position %s: %s", run.broken_sequence, run.reason
            )
            alert = (
                self.env["ir.config_parameter"]
                .sudo()
                .get_param("gov_base.audit_break_alert", "inbox")
            )
            if alert == "inbox":
                run._notify_broken()
        return run.with_env(self.env)

    @api.model
    def _check_chain(self):
        Event = self.env["gov.audit.event"]
        Event.flush_model()
        vals = {
            "user_id": self.env.user.id,
            "result": "ok",
            "checked_count": 0,
            "head_sequence": 0,
            "head_hash": GENESIS_HASH,
            "unsealed_count": Event.search_count([("hash", "=", False)]),
        }
        expected_seq, prev = 1, GENESIS_HASH
        while True:
            rows = Event._fetch_chain_rows(
                SQL("sequence IS NOT NULL AND sequence >= %s", expected_seq),
                SQL("sequence"),
                VERIFY_BATCH,
            )
            for row in rows:
                problem = None
                if row["sequence"] != expected_seq:
                    problem = self.env._(
                        "Position %(expected)s is missing: the chain jumps to %(found)s"
                        " (an event was removed).",
                        expected=expected_seq,
                        found=row["sequence"],
                    )
                elif row["prev_hash"] != prev:
                    problem = self.env._(
                        "The link to the previous event does not match (an event"
                        " before it was replaced or removed)."
                    )
                elif event_hash(row) != row["hash"]:
                    problem = self.env._(
                        "The content of this event does not match its hash (the"
                        " event was edited)."
                    )
                if problem:
                    vals.update(
                        result="broken",
                        broken_sequence=expected_seq,
                        broken_event_id=row["id"],
                        reason=problem,
                    )
                    return vals
                vals["checked_count"] += 1
                expected_seq += 1
                prev = row["hash"]
            if len(rows) < VERIFY_BATCH:
                break
        vals.update(head_sequence=expected_seq - 1, head_hash=prev)
        problem = self._check_previous_head(expected_seq - 1)
        if problem:
            reason, sequence, event_id = problem
            vals.update(
                result="broken",
                broken_sequence=sequence,
                broken_event_id=event_id,
                reason=reason,
            )
        return vals

    @api.model
    def _check_previous_head(self, head_sequence):
        """The head seen by the last intact run must still be in the chain.

        Returns None, or (reason, broken position, broken event id).
        """
        previous = self.search([("result", "=", "ok")], limit=1, order="id desc")
        if not previous or not previous.head_sequence:
            return None
        if previous.head_sequence > head_sequence:
            reason = self.env._(
                "The chain ends at position %(now)s but reached %(then)s on %(date)s:"
                " events were removed from its end.",
                now=head_sequence,
                then=previous.head_sequence,
                date=previous.verified_date,
            )
            return reason, head_sequence + 1, False
        rows = self.env["gov.audit.event"]._fetch_chain_rows(
            SQL("sequence = %s", previous.head_sequence), SQL("sequence"), 1
        )
        if rows[0]["hash"] != previous.head_hash:
            reason = self.env._(
                "The event at position %(seq)s no longer has the hash recorded on"
                " %(date)s: the chain was rewritten.",
                seq=previous.head_sequence,
                date=previous.verified_date,
            )
            return reason, previous.head_sequence, rows[0]["id"]
        return None

    def _notify_broken(self):
        """Tell auditors and governance administrators, in their inbox."""
        users = (
            self.env.ref("gov_base.gov_base_group_auditor").all_user_ids
            | self.env.ref("gov_base.gov_base_group_admin").all_user_ids
        ).filtered(lambda u: u.active and not u.share)
        partners = users.partner_id - self.env.ref("base.partner_root")
        body = Markup("<p>%s</p><p>%s</p>") % (
            self.env._(
                "The audit chain is broken at position %(seq)s.",
                seq=self.broken_sequence,
            ),
            self.reason or "",
        )
        for run in self:
            run.sudo().message_post(
                body=body,
                partner_ids=partners.ids,
                message_type="notification",
                subtype_xmlid="mail.mt_comment",
            )
