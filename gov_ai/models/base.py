# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Every model can ask an AI use case about its records (``_gov_ai_recommend``)."""

from odoo import api, models
from odoo.exceptions import AccessError


class Base(models.AbstractModel):
    _inherit = "base"

    @api.private
    def _gov_ai_recommend(self, use_case):
        """Ask ``use_case`` about these records; returns the recommendations.

        The caller needs to read these records, and the use case must be
        shared or of one of the caller's companies; its configuration (the
        fields it may see, their roles, the provider) is the engine's to read,
        so that users of the business documents need no access to field
        definitions or to the use cases themselves.
        """
        if not self.env.su:
            self.check_access("read")
            company = use_case.sudo().company_id
            if company and company not in self.env.user.company_ids:
                raise AccessError(
                    self.env._(
                        "The AI use case %s belongs to a company you do not work for.",
                        use_case.sudo().display_name,
                    )
                )
        return self.env["gov.ai.recommendation"]._run(use_case.sudo(), self)
