# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError

ADMIN = "gov_base.gov_base_group_admin"


class GovWebhookSubscription(models.Model):
    """Which subscriptions may carry approvers' decision tokens.

    Whoever receives a token decides as the approver it was made for: a
    Governance Administrator allows a subscription to carry them (four eyes
    with the Integration Manager who set it up), and a new target URL
    withdraws the permission unless that administrator sets it.
    """

    _inherit = "gov.webhook.subscription"

    approval_tokens = fields.Boolean(
        string="Carries Decision Tokens",
        readonly=True,
        tracking=True,
        help="Approval events sent to this subscription carry one decision"
        " token per approver. Only a Governance Administrator allows it; a"
        " change of the target URL by someone else withdraws it.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self._may_allow_tokens():
            vals_list = [dict(vals, approval_tokens=False) for vals in vals_list]
        return super().create(vals_list)

    def _may_allow_tokens(self):
        return self.env.su or self.env.user.has_group(ADMIN)

    def write(self, vals):
        admin = self._may_allow_tokens()
        if "approval_tokens" in vals and not admin:
            raise AccessError(
                self.env._(
                    "Only a Governance Administrator lets a subscription carry"
                    " decision tokens."
                )
            )
        if "target_url" in vals and not admin:
            vals = dict(vals, approval_tokens=False)
        return super().write(vals)

    def action_allow_approval_tokens(self):
        if not self._may_allow_tokens():
            raise AccessError(
                self.env._(
                    "Only a Governance Administrator lets a subscription carry"
                    " decision tokens."
                )
            )
        # written in sudo below: only subscriptions of the administrator's
        # companies
        self.check_access("read")
        self.sudo().write({"approval_tokens": True})
        for subscription in self:
            self.env["gov.audit.event"].record(
                "webhook.approval_tokens_allowed",
                self.env._(
                    "%(name)s may carry approvers' decision tokens",
                    name=subscription.name,
                ),
                record=subscription,
                details={"target_url": subscription.target_url},
            )
        return True
