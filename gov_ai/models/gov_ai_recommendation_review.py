# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Reviewers' decisions on proposed answers (accept, reject, override), in
their own name, audited; and the buttons of the recommendation form."""

from odoo import fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.gov_base.tools.engine import check_acting_user

from ..tools.engine import recommendation_writes
from .gov_ai_recommendation import DECIDED_STATES, STATES


class GovAiRecommendation(models.Model):
    """What a reviewer can do with a proposed answer."""

    _inherit = "gov.ai.recommendation"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Human decisions
    # ------------------------------------------------------------------
    def _check_reviewer(self):
        """Approvers decide, in their own name, on proposed answers they may
        read, about records they may read."""
        check_acting_user(
            self.env, what=self.env._("a decision on an AI recommendation")
        )
        if not self.env.user.has_group("gov_base.gov_base_group_approver"):
            raise AccessError(
                self.env._("Only approvers decide on AI recommendations.")
            )
        self.check_access("read")
        for rec in self:
            if rec.state != "proposed":
                raise UserError(
                    self.env._("%s is not waiting for a review.", rec.display_name)
                )
            # a reviewer must be allowed to see what the answer is about
            target = self.env[rec.res_model].browse(rec.res_id).exists()
            if target:
                target.check_access("read")

    def _decide(self, state, reason=None, override_value=None):
        """Record a reviewer's decision; the only way out of 'proposed', and
        an entry point of the engine (its checks first)."""
        if state not in DECIDED_STATES:
            raise UserError(self.env._("Unknown decision %s.", state))
        if state in ("rejected", "overridden") and not (reason or "").strip():
            raise UserError(self.env._("Rejecting or overriding needs a reason."))
        if state == "overridden" and not (override_value or "").strip():
            raise UserError(self.env._("An override needs the value to use instead."))
        self._check_reviewer()
        with recommendation_writes():
            self._record_decisions(state, reason, override_value)
        return True

    def _record_decisions(self, state, reason, override_value):
        now = fields.Datetime.now()
        for rec in self:
            rec.sudo().write(
                {
                    "state": state,
                    "decided_by_id": self.env.uid,
                    "decided_date": now,
                    "decision_reason": reason or False,
                    "override_value": override_value or False,
                }
            )
            rec.sudo().activity_ids.action_feedback(
                feedback=self.env._("Decided: %s", dict(STATES)[state])
            )
            if state == "accepted":
                target = self.env[rec.res_model].browse(rec.res_id).exists()
                if target:
                    rec._apply_on_record(target)
            self.env["gov.audit.event"].record(
                "ai.decision",
                self.env._(
                    "AI recommendation %(name)s %(decision)s",
                    name=rec.name,
                    decision=dict(STATES)[state].lower(),
                ),
                record=rec,
                details=rec._audit_details(),
                company=rec.company_id,
            )
        return True

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    def action_accept(self):
        return self._decide("accepted")

    def _action_open_decision(self, decision):
        self._check_reviewer()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Decide on AI Recommendation"),
            "res_model": "gov.ai.decision.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_recommendation_ids": self.ids,
                "default_decision": decision,
            },
        }

    def action_open_reject(self):
        return self._action_open_decision("rejected")

    def action_open_override(self):
        return self._action_open_decision("overridden")

    def action_open_record(self):
        self.ensure_one()
        return self.env[self.res_model].browse(self.res_id)._get_records_action()
