# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class GovExceptionCloseWizard(models.TransientModel):
    """Resolve or ignore items without replay; the note is required."""

    _name = "gov.exception.close.wizard"
    _description = "Close Exceptions"

    item_ids = fields.Many2many("gov.exception.item", required=True)
    resolution = fields.Selection(
        [("resolved", "Resolved"), ("ignored", "Ignored")],
        required=True,
        default="resolved",
    )
    note = fields.Text(
        required=True, help="Why no replay is needed; kept in the audit log."
    )

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        # only people who may work the items open it (never auditors)
        wizards.item_ids._work_as()
        return wizards

    def action_close(self):
        self.ensure_one()
        self.item_ids.close_items(self.resolution, self.note)
        return {"type": "ir.actions.act_window_close"}
