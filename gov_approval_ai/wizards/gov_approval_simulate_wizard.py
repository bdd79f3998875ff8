# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import models


class GovApprovalSimulateWizard(models.TransientModel):
    _inherit = "gov.approval.simulate.wizard"

    def _describe(self, matrix, line, amount, record):
        """The route, and what the band's AI condition may do to it (the
        simulator asks no AI: it has no side effects)."""
        description = super()._describe(matrix, line, amount, record)
        if line and line.step_ids and line.ai_policy_display:
            description += Markup("<p class='text-info'>%s</p>") % self.env._(
                "AI condition: %(policy)s; otherwise the steps above decide.",
                policy=line.ai_policy_display,
            )
        return description
