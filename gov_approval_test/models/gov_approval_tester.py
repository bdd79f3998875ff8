# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class GovApprovalTester(models.Model):
    """A tiny governed document: the reference of a bridge, and what the
    approval engine's tests run on.

    Confirming it is the governed action: the class attributes below are all
    a bridge declares, and :meth:`action_confirm` shows the gate around the
    business method.
    """

    _name = "gov.approval.tester"
    _description = "Approval Engine Tester"
    _inherit = ["mail.thread", "gov.approval.mixin"]
    _order = "id desc"

    _gov_approval_actions = {
        "confirm": {
            "label": "Confirm tester document",
            "method": "action_confirm",
            "state_field": "state",
            "from_states": ("draft",),
            "to_states": ("confirmed",),
        },
    }
    _gov_approval_amount_field = "amount"
    _gov_approval_currency_field = "currency_id"
    _gov_approval_date_field = "date"
    # what an approval covers besides the amount: the partner, and the fields
    # that name approvers (a step may route to the document's user or group)
    _gov_approval_watched_fields = ("partner_id", "user_id", "group_id")
    _gov_approval_line_field = "line_ids"
    _gov_approval_line_summary_fields = ("name", "quantity", "price_unit")
    _gov_approval_line_watched_fields = ("name", "quantity", "price_unit")

    name = fields.Char(required=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
    )
    amount = fields.Monetary(compute="_compute_amount", store=True)
    date = fields.Date(default=fields.Date.context_today)
    partner_id = fields.Many2one("res.partner")
    user_id = fields.Many2one("res.users", string="Responsible")
    group_id = fields.Many2one("res.groups", string="Approving Team")
    state = fields.Selection(
        [("draft", "Draft"), ("confirmed", "Confirmed"), ("cancel", "Cancelled")],
        default="draft",
        required=True,
        copy=False,
    )
    line_ids = fields.One2many("gov.approval.tester.line", "tester_id", copy=True)

    @api.depends("line_ids.quantity", "line_ids.price_unit")
    def _compute_amount(self):
        for tester in self:
            tester.amount = sum(
                line.quantity * line.price_unit for line in tester.line_ids
            )

    def action_confirm(self):
        """The governed action: documents that need an approval wait for it;
        the others (and approved ones) are confirmed."""
        if any(tester.state != "draft" for tester in self):
            raise UserError(self.env._("Only draft documents can be confirmed."))
        cleared = self._gov_approval_gate("confirm")
        cleared.write({"state": "confirmed"})
        return self._gov_approval_result(cleared, True)

    def action_cancel(self):
        self.write({"state": "cancel"})
        return True

    def action_draft(self):
        self.write({"state": "draft"})
        return True
