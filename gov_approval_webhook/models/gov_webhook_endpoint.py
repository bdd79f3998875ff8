# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.gov_base.tools.engine import acting_as
from odoo.addons.gov_exception.exceptions import GovPermanentError


class GovWebhookEndpoint(models.Model):
    _inherit = "gov.webhook.endpoint"

    handler_type = fields.Selection(
        selection_add=[("approval_decision", "Decide an approval request")],
        ondelete={"approval_decision": "set default"},
    )

    def _handle_approval_decision(self, payload, inbox, env):
        """Record the decision of the approver a signed token stands for.

        The payload carries ``data.token`` (the per-approver, expiring,
        single-use token of an ``approval.step_pending`` event),
        ``data.decision`` (approve or reject) and ``data.reason``. Who decides
        is proven by the token, never by a name or login in the payload, and
        the engine applies the same checks as in Odoo. A refused decision is a
        permanent error: retrying would not change the answer.
        """
        data = payload.get("data") if isinstance(payload, dict) else None
        if not isinstance(data, dict):
            raise GovPermanentError(self.env._("The payload has no data object."))
        decision, reason = data.get("decision"), data.get("reason")
        if decision not in ("approve", "reject"):
            raise GovPermanentError(
                self.env._("data.decision must be approve or reject.")
            )
        if reason is not None and not isinstance(reason, str):
            raise GovPermanentError(self.env._("data.reason must be text."))
        Request = self.env["gov.approval.request"].sudo()
        try:
            step, user = Request._from_link_token(data.get("token") or "")
            request = step.request_id.with_user(user).with_context(
                allowed_company_ids=[step.request_id.company_id.id],
                gov_audit_channel="webhook",
            )
            # the token proves who decides: that user acts, nobody else
            with acting_as(user.id):
                # on the step the token was made for (steps may run in parallel)
                request._decide(decision, reason, channel="webhook", step=step)
        except UserError as error:
            raise GovPermanentError(error.args[0]) from error
        return request
