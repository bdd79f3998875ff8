# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models

from odoo.addons.gov_webhook.tools.timestamps import rfc3339

DECISION_KIND = "approval_token"


class GovApprovalRequest(models.Model):
    """Approval events for webhook subscriptions (n8n, chat tools)."""

    _inherit = "gov.approval.request"

    def _start_step(self, step):
        res = super()._start_step(step)
        if step:
            self._emit_event("approval.step_pending", step)
        return res

    def _close(self, state, reason=None):
        res = super()._close(state, reason)
        self._emit_event(f"approval.{state}")
        return res

    def _emit_event(self, event_type, step=None):
        """Write the event to the outbox of matching subscriptions.

        ``approval.step_pending`` carries one signed decision token per
        approver, for a decision sent back to an endpoint of type "Decide an
        approval request" (none when the matrix wants approvers to confirm
        their password in Odoo). The token is made when the delivery is sent,
        only for subscriptions a Governance Administrator allowed to carry
        tokens, and is never stored: nobody reads it in Odoo.
        """
        Subscription = self.env["gov.webhook.subscription"].sudo()
        if not Subscription._routing():
            return
        data = {
            "request": self.name,
            "request_id": self.id,
            "document": {"model": self.res_model, "id": self.res_id},
            "action": self.action_label,
            "amount": self.amount,
            "currency": self.currency_id.name,
            "requester": self.requester_id.login,
            "state": self.state,
            "reason": self.close_reason or None,
        }
        if step:
            # no token where approvers confirm their password in Odoo
            tokens = not self._confirms_identity()
            data["step"] = {
                "name": step.name,
                "needed": step.min_approvals,
                "approved": step.approved_count,
                "deadline": rfc3339(step.deadline),
            }
            # the token is not in the stored event: a late secret marker the
            # outbox resolves in the bytes it sends (gov_webhook_delivery.py)
            data["approvers"] = [
                {
                    "login": user.login,
                    "name": user.name,
                    "email": user.email or None,
                    "token": {"$secret": DECISION_KIND, "ref": [step.id, user.id]}
                    if tokens
                    else None,
                }
                for user in step.pending_approver_ids
            ]
        Subscription.emit(event_type, record=self, data=data, company=self.company_id)
