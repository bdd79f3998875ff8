# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The inbound endpoint type that hands an asynchronous provider's answer to
the AI engine."""

from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.gov_exception.exceptions import GovPermanentError


class GovWebhookEndpoint(models.Model):
    _inherit = "gov.webhook.endpoint"

    handler_type = fields.Selection(
        selection_add=[("ai_answer", "Answer an AI recommendation")],
        ondelete={"ai_answer": "set default"},
    )

    def _handle_ai_answer(self, payload, inbox, env):
        """Complete the recommendation waiting for ``data.correlation_id``.

        ``data.answer`` follows the answer schema sent with the question
        (label, confidence, rationale, abstain), with optional ``tokens`` and
        ``cost`` beside it. An answer that breaks the schema still completes
        the recommendation, in the fallback state; an unknown, expired or
        already answered correlation id is a permanent error.
        """
        data = payload.get("data") if isinstance(payload, dict) else None
        if not isinstance(data, dict):
            raise GovPermanentError(self.env._("The payload has no data object."))
        correlation_id = data.get("correlation_id")
        if not isinstance(correlation_id, str) or not correlation_id:
            raise GovPermanentError(self.env._("data.correlation_id is missing."))
        answer = data.get("answer")
        if isinstance(answer, dict):
            answer = dict(answer, tokens=data.get("tokens"), cost=data.get("cost"))
        try:
            return env["gov.ai.recommendation"]._gov_ai_receive_answer(
                correlation_id, answer, company=self.company_id
            )
        except UserError as error:
            raise GovPermanentError(error.args[0]) from error
