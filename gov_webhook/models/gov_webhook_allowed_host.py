# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import ipaddress
import socket
from urllib.parse import urlsplit

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError


class GovWebhookAllowedHost(models.Model):
    """A host in a private range that outbound deliveries may reach anyway."""

    _name = "gov.webhook.allowed.host"
    _inherit = ["gov.cached.config.mixin"]
    _description = "Allowed Private Webhook Host"
    _order = "name"

    name = fields.Char(string="Host", required=True, help="Host name or IP address.")
    note = fields.Char(help="Why this private host is trusted.")

    _name_uniq = models.UniqueIndex("(lower(name))", "This host is already allowed.")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals["name"] = (vals.get("name") or "").strip().lower()
        return super().create(vals_list)

    def write(self, vals):
        if "name" in vals:
            vals["name"] = (vals["name"] or "").strip().lower()
        return super().write(vals)

    @api.model
    @tools.ormcache()
    def _allowed(self):
        return frozenset(self.sudo().search([("name", "!=", False)]).mapped("name"))

    @api.model
    def _check_url(self, url):
        """Refuse URLs that reach private, loopback or link-local addresses.

        Resolves the host now; the sender checks again before each delivery,
        so a DNS answer that changes later cannot slip through.
        """
        parts = urlsplit(url or "")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValidationError(self.env._("%s is not an http(s) URL.", url))
        host = parts.hostname.lower()
        if host in self._allowed():
            return True
        try:
            infos = socket.getaddrinfo(
                host, parts.port or 443, proto=socket.IPPROTO_TCP
            )
        except OSError as exc:
            raise ValidationError(
                self.env._(
                    "The host %(host)s cannot be resolved: %(error)s",
                    host=host,
                    error=exc,
                )
            ) from exc
        for info in infos:
            address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
            if not address.is_global:
                raise ValidationError(
                    self.env._(
                        "%(host)s resolves to %(address)s, a private, loopback or"
                        " link-local address. An Integration Manager must allow this"
                        " host explicitly.",
                        host=host,
                        address=address,
                    )
                )
        return True
