# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""No payment to a vendor bank account that waits for approval.

A bank account with a pending request of the approval matrix (a held change
of its number, holder or trust, or its creation not yet approved) or still
archived cannot receive a payment: posting it is refused, by the payment
form and by the register-payment wizard alike (the wizard posts through
``action_post``).
"""

from odoo import models
from odoo.exceptions import UserError


class AccountPayment(models.Model):
    _inherit = "account.payment"

    def action_post(self):
        self._gov_check_payable_bank()
        return super().action_post()

    def _gov_check_payable_bank(self):
        """Refuse payments whose recipient bank account waits for approval."""
        banks = self.partner_bank_id
        if not banks:
            return
        requests = (
            self.env["gov.approval.request"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "res.partner.bank"),
                    ("res_id", "in", banks.ids),
                    ("state", "=", "pending"),
                ]
            )
        )
        pending = {request.res_id: request for request in requests}
        for payment in self:
            bank = payment.partner_bank_id.sudo()
            if not bank:
                continue
            request = pending.get(bank.id)
            if request:
                raise UserError(
                    self.env._(
                        "The payment %(payment)s cannot be posted: the bank"
                        " account %(account)s waits for approval (%(request)s).",
                        payment=payment.display_name,
                        account=bank.display_name,
                        request=request.name,
                    )
                )
            if not bank.with_context(active_test=False).active:
                raise UserError(
                    self.env._(
                        "The payment %(payment)s cannot be posted: the bank"
                        " account %(account)s is archived.",
                        payment=payment.display_name,
                        account=bank.display_name,
                    )
                )
