# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models

from .gov_approval_request import DECISION_KIND


class GovWebhookDelivery(models.Model):
    """Approval decision tokens, made in the bytes sent and nowhere else."""

    _inherit = "gov.webhook.delivery"

    def _resolve_secret(self, kind, ref):
        """The decision token of ``ref`` = ``[step id, approver id]``.

        Made only for the delivery of the ``approval.step_pending`` event of
        that step's request, to a subscription allowed to carry tokens, while
        the approver still has to decide; otherwise the event goes out with
        an empty token (a stale event decides nothing anyway).
        """
        if kind != DECISION_KIND:
            return super()._resolve_secret(kind, ref)
        step_id, user_id = ref
        step = self.env["gov.approval.request.step"].sudo().browse(step_id).exists()
        request = step.request_id
        if not (
            step
            and self.subscription_id.sudo().approval_tokens
            and self.event_type == "approval.step_pending"
            and self.res_model == request._name
            and self.res_id == request.id
            and step.state == "pending"
            and user_id in step.pending_approver_ids.ids
            and not request._confirms_identity()
        ):
            return ""
        user = self.env["res.users"].browse(user_id)
        return request._link_token(step, user)
