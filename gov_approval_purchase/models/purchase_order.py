# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class PurchaseOrder(models.Model):
    _name = "purchase.order"
    _inherit = ["purchase.order", "gov.approval.mixin"]

    _gov_approval_actions = {
        "confirm": {
            "label": "Confirm purchase order",
            "method": "button_confirm",
            "state_field": "state",
            "from_states": ("draft", "sent", "to approve"),
            "to_states": ("purchase",),
        },
    }
    _gov_approval_amount_field = "amount_total"
    _gov_approval_currency_field = "currency_id"
    _gov_approval_date_field = "date_order"
    _gov_approval_watched_fields = ("partner_id", "amount_untaxed")
    _gov_approval_line_field = "order_line"
    _gov_approval_line_summary_fields = (
        "product_id",
        "product_qty",
        "price_unit",
        "price_subtotal",
    )
    _gov_approval_line_watched_fields = (
        "product_id",
        "product_qty",
        "product_uom_id",
        "price_unit",
        "discount",
        "tax_ids",
        "analytic_distribution",
    )

    def button_confirm(self):
        cleared = self._gov_approval_gate("confirm")
        result = super(PurchaseOrder, cleared).button_confirm() if cleared else True
        return self._gov_approval_result(cleared, result)
