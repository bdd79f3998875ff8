# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class IrActionsServer(models.Model):
    """Server action type "Request Approval", for Automation Rules."""

    _inherit = "ir.actions.server"

    state = fields.Selection(
        selection_add=[("gov_approval_request", "Request Approval")],
        ondelete={"gov_approval_request": "cascade"},
    )
    gov_approval_action = fields.Selection(
        selection=lambda self: self.env["gov.approval.matrix"]._selection_action(),
        string="Governed Action",
        help="The records' approval is requested for this action, by the"
        " matrices configured for it.",
    )

    @api.constrains("state", "gov_approval_action", "model_id")
    def _check_gov_approval_action(self):
        for action in self.filtered(lambda a: a.state == "gov_approval_request"):
            model = (action.gov_approval_action or "").partition(":")[0]
            if model != action.model_id.model:
                raise ValidationError(
                    self.env._(
                        "Pick a governed action of %(model)s for %(action)s.",
                        model=action.model_id.name,
                        action=action.name,
                    )
                )

    def _run_action_gov_approval_request_multi(self, eval_context=None):
        records = self._gov_records(eval_context)
        if records:
            records._gov_approval_request(self.gov_approval_action.partition(":")[2])
        return False
