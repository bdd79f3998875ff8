# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Online payments of quotations that wait for approval.

Odoo confirms a quotation once it is paid; when the confirmation waits for
an approval, the order is not counted as confirmed, so the customer is told
that their payment was received (not that their order is confirmed).
"""

from odoo import models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _check_amount_and_confirm_order(self):
        confirmed = super()._check_amount_and_confirm_order()
        return confirmed.filtered(lambda order: order.state == "sale")
