# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""QWeb templates are code an administrator can edit: they render sandboxed
(see ``tools/engine.py``)."""

from odoo import models

from ..tools.engine import sandboxed


class IrQweb(models.AbstractModel):
    _inherit = "ir.qweb"

    def _render(self, template, values=None, **options):
        with sandboxed(self.env.uid):
            return super()._render(template, values=values, **options)
