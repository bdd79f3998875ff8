# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from odoo.addons.gov_base.tools.params import int_param

REASONS = [
    ("content_encoding", "Unsupported content encoding"),
    ("too_large", "Body too large"),
    ("content_type", "Unsupported media type"),
    ("authentication", "Authentication failed"),
    ("timestamp", "Timestamp outside tolerance"),
    ("delivery_id_reuse", "Delivery id reused with another body"),
]


class GovWebhookRejection(models.Model):
    """A refused inbound request: metadata only, never the body."""

    _name = "gov.webhook.rejection"
    _description = "Refused Inbound Webhook Request"
    _order = "id desc"
    _rec_name = "reason"

    endpoint_id = fields.Many2one(
        "gov.webhook.endpoint",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        related="endpoint_id.company_id", store=True, index=True
    )
    reason = fields.Selection(REASONS, required=True, readonly=True)
    remote_addr = fields.Char(string="Source Address", readonly=True)
    size = fields.Integer(readonly=True)
    body_hash = fields.Char(readonly=True)

    @api.autovacuum
    def _gc_rejections(self):
        """Keep refused-request metadata as long as the settings say (30 days
        unless told; 0 keeps it)."""
        days = int_param(self.env, "gov_webhook.rejection_retention_days", 30)
        if days <= 0:
            return
        limit = fields.Datetime.subtract(fields.Datetime.now(), days=days)
        self.sudo().search([("create_date", "<", limit)], limit=10000).unlink()
