# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The wizard that rejects or overrides recommendations, with a reason."""

from odoo import fields, models


class GovAiDecisionWizard(models.TransientModel):
    """Reject or override recommendations; the reason is required."""

    _name = "gov.ai.decision.wizard"
    _description = "Decide on AI Recommendations"

    recommendation_ids = fields.Many2many("gov.ai.recommendation", required=True)
    decision = fields.Selection(
        [("rejected", "Reject"), ("overridden", "Override")],
        required=True,
        default="rejected",
    )
    override_value = fields.Char(help="The answer to use instead of the proposed one.")
    reason = fields.Text(required=True, help="Kept in the audit log.")

    def action_confirm(self):
        self.ensure_one()
        self.recommendation_ids._decide(
            self.decision, reason=self.reason, override_value=self.override_value
        )
        return {"type": "ir.actions.act_window_close"}
