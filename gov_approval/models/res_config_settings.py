# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The approval engine's part of the Governance settings."""

from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    gov_approval_matrix_four_eyes = fields.Boolean(
        related="company_id.gov_approval_matrix_four_eyes", readonly=False
    )
    gov_approval_reminder_hours = fields.Integer(
        string="Remind approvers after (hours)",
        default=24,
        help="What a new matrix starts with; each matrix can say otherwise."
        " 0: no reminders.",
    )
    gov_approval_link_validity_hours = fields.Integer(
        string="E-mail links valid for (hours)",
        config_parameter="gov_approval.link_validity_hours",
        default=72,
        help="What a new matrix that sends approval links starts with.",
    )

    @api.model
    def _gov_int_params(self):
        return {
            **super()._gov_int_params(),
            "gov_approval_reminder_hours": ("gov_approval.reminder_hours", 24),
        }
