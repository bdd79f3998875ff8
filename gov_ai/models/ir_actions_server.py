# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The server action type *Ask AI Recommendation*, through which automation
rules ask a use case (queued when the provider calls out, or when a rule
asks the built-in detectors inside a save)."""

from odoo import fields, models


class IrActionsServer(models.Model):
    """Server action type "Ask AI Recommendation", for Automation Rules and
    Scheduled Actions (the records of its domain, see gov_base)."""

    _inherit = "ir.actions.server"

    state = fields.Selection(
        selection_add=[("gov_ai_recommend", "Ask AI Recommendation")],
        ondelete={"gov_ai_recommend": "cascade"},
    )
    gov_ai_use_case_id = fields.Many2one(
        "gov.ai.use.case",
        string="AI Use Case",
        domain="[('model_id', '=', model_id)]",
        ondelete="restrict",
    )

    def _run_action_gov_ai_recommend_multi(self, eval_context=None):
        records = self._gov_records(eval_context)
        use_case = self.gov_ai_use_case_id
        # an archived use case is switched off: the rules that ask it go quiet
        # instead of refusing the business change that triggered them
        if records and use_case.active:
            # an automation rule asks inside somebody's save
            self.env["gov.ai.recommendation"]._run(
                use_case, records, queue=True, in_save=bool(self.base_automation_id)
            )
        return False
