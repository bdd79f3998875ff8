# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Every model can ask an AI use case about its records (``_gov_ai_recommend``)."""

from odoo import api, models


class Base(models.AbstractModel):
    _inherit = "base"

    @api.private
    def _gov_ai_recommend(self, use_case):
        """Ask ``use_case`` about these records; returns the recommendations."""
        return self.env["gov.ai.recommendation"]._run(use_case, self)
