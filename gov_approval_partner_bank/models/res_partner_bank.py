# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Changes of a vendor bank account that Odoo would refuse once approved
are refused when they are made, before any request is asked.

Odoo does not let a new number or holder be written on an account trusted
for outgoing payments (*Send Money*) unless the same write withdraws the
trust, which only the users who validate bank accounts may do. A held
change is written by the requester once approved: held as it is, it would
be approved and then fail to apply.
"""

from odoo import models
from odoo.exceptions import UserError

# what Odoo locks on a trusted account
LOCKED_FIELDS = ("acc_number", "partner_id")


class ResPartnerBank(models.Model):
    _inherit = "res.partner.bank"

    def _gov_approval_changes(self, vals, config):
        held = super()._gov_approval_changes(vals, config)
        if held:
            self._gov_check_applicable(vals, held)
        return held

    def _gov_check_applicable(self, vals, held):
        """Refuse a held change of the number or holder of a trusted
        account, which Odoo would refuse to apply once approved."""
        self.ensure_one()
        locked = [name for name in LOCKED_FIELDS if name in held]
        if not locked or not self.allow_out_payment:
            return
        labels = ", ".join(
            self._fields[name]._description_string(self.env) for name in locked
        )
        # Odoo accepts the change when the same write withdraws the trust
        if "allow_out_payment" not in vals or vals["allow_out_payment"] is not False:
            raise UserError(
                self.env._(
                    "The bank account %(account)s is trusted for outgoing"
                    " payments (Send Money): Odoo does not let its %(fields)s"
                    " change. Withdraw the trust first (or in the same"
                    " change), then change it.",
                    account=self.display_name,
                    fields=labels,
                )
            )
        # the requester writes the change once approved, without superuser
        if not self.env.user.has_group("account.group_validate_bank_account"):
            raise UserError(
                self.env._(
                    "The bank account %(account)s is trusted for outgoing"
                    " payments (Send Money): only the users who validate bank"
                    " accounts may withdraw its trust. Ask one of them to"
                    " withdraw it, then change the %(fields)s.",
                    account=self.display_name,
                    fields=labels,
                )
            )
