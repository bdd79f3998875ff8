# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A reviewer's decision on a possible duplicate bill leaves a note in the
bill's chatter: who decided, when, and what."""

from odoo import models


class GovAiRecommendation(models.Model):
    _inherit = "gov.ai.recommendation"

    def _record_decisions(self, state, reason, override_value):
        result = super()._record_decisions(state, reason, override_value)
        for rec in self.filtered(
            lambda r: r.task == "duplicate" and r.res_model == "account.move"
        ):
            bill = self.env["account.move"].sudo().browse(rec.res_id).exists()
            if bill:
                bill.message_post(
                    body=bill._gov_ai_duplicate_note(rec),
                    message_type="comment",
                    subtype_xmlid="mail.mt_note",
                    author_id=self.env.user.partner_id.id,
                )
        return result
