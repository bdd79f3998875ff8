# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Currencies: the list of currencies Odoo caches (with their decimals, which
an approval's snapshot reads) follows a change of rounding too."""

from odoo import models


class ResCurrency(models.Model):
    _inherit = "res.currency"

    def write(self, vals):
        res = super().write(vals)
        if "rounding" in vals:
            # Odoo refreshes the list for the fields it shows, not for the
            # rounding the decimals come from
            self.env.registry.clear_cache("stable")
        return res
