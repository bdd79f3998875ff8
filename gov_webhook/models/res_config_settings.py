# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The public URL for integrations in Settings (administrators)."""

from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    gov_webhook_public_url = fields.Char(
        string="Public URL for integrations",
        help="The address senders and receivers reach this database at, used in"
        " endpoint URLs and the answer address of asynchronous AI providers."
        " Empty: the server's base URL (web.base.url).",
    )

    gov_webhook_delivery_retention_days = fields.Integer(
        string="Keep sent deliveries (days)",
        default=30,
        help="Sent and cancelled outbound deliveries older than this are"
        " removed; failed ones stay until someone acts. 0 keeps them.",
    )
    gov_webhook_rejection_retention_days = fields.Integer(
        string="Keep refused requests (days)",
        default=30,
        help="What is kept of refused inbound requests (address, size, reason)"
        " is removed after this. 0 keeps it.",
    )

    @api.model
    def get_values(self):
        res = super().get_values()
        res["gov_webhook_public_url"] = self.env[
            "gov.webhook.public.url.wizard"
        ]._current_public_url()
        return res

    def set_values(self):
        res = super().set_values()
        self.env["gov.webhook.public.url.wizard"]._gov_set_public_url(
            self.gov_webhook_public_url
        )
        return res

    @api.model
    def _gov_int_params(self):
        return {
            **super()._gov_int_params(),
            "gov_webhook_delivery_retention_days": (
                "gov_webhook.delivery_retention_days",
                30,
            ),
            "gov_webhook_rejection_retention_days": (
                "gov_webhook.rejection_retention_days",
                30,
            ),
        }
