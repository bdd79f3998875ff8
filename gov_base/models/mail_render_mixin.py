# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Mail templates hold expressions an editor wrote: they render sandboxed
(see ``tools/engine.py``)."""

from odoo import models

from ..tools.engine import sandboxed


class MailRenderMixin(models.AbstractModel):
    _inherit = "mail.render.mixin"

    def _render_template(self, template_src, model, res_ids, *args, **kwargs):
        with sandboxed(self.env.uid):
            return super()._render_template(
                template_src, model, res_ids, *args, **kwargs
            )
