# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Record rule domains are expressions an administrator wrote: they are
evaluated sandboxed (see ``tools/engine.py``)."""

from odoo import models

from ..tools.engine import sandboxed


class IrRule(models.Model):
    _inherit = "ir.rule"

    def _compute_domain(self, model_name, mode="read"):
        with sandboxed(self.env.uid):
            return super()._compute_domain(model_name, mode)
