# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models

POST = {
    "method": "action_post",
    "state_field": "state",
    "from_states": ("draft",),
    "to_states": ("posted",),
}


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "gov.approval.mixin"]

    _gov_approval_actions = {
        "post_bill": dict(
            POST,
            label="Post vendor bill or refund",
            domain=[("move_type", "in", ("in_invoice", "in_refund"))],
        ),
        "post_credit_note": dict(
            POST,
            label="Post customer credit note",
            domain=[("move_type", "=", "out_refund")],
        ),
    }
    _gov_approval_amount_field = "amount_total"
    _gov_approval_currency_field = "currency_id"
    _gov_approval_date_field = "invoice_date"
    _gov_approval_watched_fields = ("partner_id", "amount_untaxed", "partner_bank_id")
    _gov_approval_line_field = "invoice_line_ids"
    _gov_approval_line_summary_fields = (
        "product_id",
        "name",
        "quantity",
        "price_unit",
        "price_subtotal",
    )
    _gov_approval_line_watched_fields = (
        "product_id",
        "quantity",
        "price_unit",
        "discount",
        "tax_ids",
        "analytic_distribution",
        "account_id",
    )

    def action_post(self):
        cleared = self._gov_approval_gate("post_bill")
        cleared &= cleared._gov_approval_gate("post_credit_note")
        result = super(AccountMove, cleared).action_post() if cleared else False
        return self._gov_approval_result(cleared, result)
