# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The approval settings a company keeps for itself."""

from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    gov_approval_matrix_four_eyes = fields.Boolean(
        string="Matrix Changes Need a Second Matrix Manager",
        help="A change of an active approval matrix (its settings, bands or"
        " steps, its activation, a roll back) waits for another Matrix Manager"
        " than its author; the matrix keeps its applied version until then.",
    )
