# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The public URL for integrations, set by an Integration Manager without
Settings rights (an administrator sets the same value in Settings)."""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.public_url import PUBLIC_URL_PARAM, normalize_public_url

INTEGRATION_MANAGER = "gov_base.gov_base_group_integration_manager"


class GovWebhookPublicUrlWizard(models.TransientModel):
    _name = "gov.webhook.public.url.wizard"
    _description = "Public URL for Integrations"
    _transient_max_hours = 0.1

    public_url = fields.Char(
        string="Public URL",
        default=lambda self: self._current_public_url(),
        help="The address senders and receivers reach this database at, e.g."
        " https://erp.example.com. Empty: the server's own base URL.",
    )
    base_url = fields.Char(
        string="Server Base URL",
        readonly=True,
        default=lambda self: (
            self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        ),
    )

    @api.model
    def _current_public_url(self):
        return self.env["ir.config_parameter"].sudo().get_param(PUBLIC_URL_PARAM, "")

    @api.model
    def _gov_set_public_url(self, value):
        """Store the public URL (checked; empty clears it) and audit the
        change. Callers check who may set it."""
        url = normalize_public_url(value)
        if url is None:
            raise UserError(
                self.env._(
                    "The public URL is an http or https address such as"
                    " https://erp.example.com, without a query, a fragment or"
                    " credentials."
                )
            )
        old = self._current_public_url()
        if url == old:
            return url
        self.env["ir.config_parameter"].sudo().set_param(PUBLIC_URL_PARAM, url)
        self.env["gov.audit.event"].record(
            "webhook.public_url_set",
            self.env._("Public URL for integrations set to %s", url or "-"),
            details={"old": old, "new": url},
        )
        return url

    def action_apply(self):
        """Integration Managers set the public URL here."""
        self.ensure_one()
        if not self.env.user.has_group(INTEGRATION_MANAGER):
            raise AccessError(
                self.env._("Only Integration Managers set the public URL.")
            )
        self._gov_set_public_url(self.public_url)
        return {"type": "ir.actions.act_window_close"}
