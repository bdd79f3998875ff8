# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The approval engine's part of the Governance settings."""

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    gov_approval_matrix_four_eyes = fields.Boolean(
        related="company_id.gov_approval_matrix_four_eyes", readonly=False
    )
