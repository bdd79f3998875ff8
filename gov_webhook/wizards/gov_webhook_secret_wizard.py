# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

# hours a replaced secret stays valid by default
GRACE_HOURS = 24


class GovWebhookSecretWizard(models.TransientModel):
    """Shows a freshly generated secret once; it cannot be read back later."""

    _name = "gov.webhook.secret.wizard"
    _description = "New Webhook Secret"
    _transient_max_hours = 0.1

    endpoint_id = fields.Many2one("gov.webhook.endpoint", readonly=True)
    subscription_id = fields.Many2one("gov.webhook.subscription", readonly=True)
    secret_shown = fields.Char(string="Secret", readonly=True)
    grace_hours = fields.Integer(readonly=True)
    is_public_key = fields.Boolean(
        readonly=True, help="What is shown is a public key: give it to the receiver."
    )

    @api.model
    def _show_once(self, vals):
        """The dialog that shows a new secret to whoever generated it."""
        wizard = self.create(vals)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Secret"),
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_done(self):
        self.write({"secret_shown": False})
        return {"type": "ir.actions.act_window_close"}
