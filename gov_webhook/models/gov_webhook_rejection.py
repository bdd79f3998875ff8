# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

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
        """Keep refused-request metadata for 30 days."""
        limit = fields.Datetime.subtract(fields.Datetime.now(), days=30)
        self.sudo().search([("create_date", "<", limit)], limit=10000).unlink()
