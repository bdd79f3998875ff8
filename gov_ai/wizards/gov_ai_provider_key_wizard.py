# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The wizard that sets a provider's API key without ever showing it."""

from odoo import fields, models


class GovAiProviderKeyWizard(models.TransientModel):
    """Sets a provider's API key; the key is never shown again."""

    _name = "gov.ai.provider.key.wizard"
    _description = "Set AI Provider API Key"
    _transient_max_hours = 0.1

    provider_id = fields.Many2one("gov.ai.provider", required=True, ondelete="cascade")
    api_key = fields.Char(string="API Key", help="Leave empty to remove the key.")

    def action_confirm(self):
        self.ensure_one()
        key = self.api_key
        self.write({"api_key": False})
        self.provider_id._set_api_key(key)
        return {"type": "ir.actions.act_window_close"}
