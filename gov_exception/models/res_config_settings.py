# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from ..tools.payload import DEFAULT_MASK_PATTERNS


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    gov_exception_retention_days = fields.Integer(
        string="Keep closed exceptions (days)",
        default=90,
        help="Resolved and ignored items older than this are removed; 0 keeps them."
        " Dead-letter items are never removed automatically.",
    )
    gov_exception_mask_keys = fields.Char(
        string="Secret keys to mask",
        config_parameter="gov_exception.mask_keys",
        default=",".join(DEFAULT_MASK_PATTERNS),
        help="Comma-separated parts of key names whose values are masked in payloads"
        " and headers before they are stored.",
    )
    gov_exception_payload_threshold = fields.Integer(
        string="Payloads above this size go to an attachment (bytes)",
        config_parameter="gov_exception.payload_attachment_threshold",
        default=256 * 1024,
    )

    @api.model
    def _gov_int_params(self):
        return {
            **super()._gov_int_params(),
            "gov_exception_retention_days": ("gov_exception.retention_days", 90),
        }
