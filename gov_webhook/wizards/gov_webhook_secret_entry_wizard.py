# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Entering a secret someone else issued: the sender's for an endpoint
(Stripe, Shopify, GitHub, a Svix sender; for Standard Webhooks v1a its public
key), the receiver's for a subscription. Write-only: the dialog forgets it on
confirmation, and nobody reads it back afterwards."""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.secret_formats import check_secret
from .gov_webhook_secret_wizard import GRACE_HOURS


class GovWebhookSecretEntryWizard(models.TransientModel):
    _name = "gov.webhook.secret.entry.wizard"
    _description = "Enter a Webhook Secret"
    _transient_max_hours = 0.1

    endpoint_id = fields.Many2one("gov.webhook.endpoint", readonly=True)
    subscription_id = fields.Many2one("gov.webhook.subscription", readonly=True)
    profile = fields.Char(compute="_compute_profile")
    has_secret = fields.Boolean(compute="_compute_profile")
    secret = fields.Char(
        help="Pasted from the provider's or receiver's settings. It is stored"
        " write-only: nobody can read it back."
    )
    grace_hours = fields.Integer(
        string="Previous Secret Valid For (hours)",
        default=GRACE_HOURS,
        help="The secret it replaces stays valid this long (0: at once no more).",
    )

    _grace_range = models.Constraint(
        "CHECK (grace_hours BETWEEN 0 AND 168)",
        "The grace period is between 0 and 168 hours.",
    )

    @api.depends("endpoint_id", "subscription_id")
    def _compute_profile(self):
        for wizard in self:
            target = wizard.endpoint_id or wizard.subscription_id
            wizard.profile = (
                wizard.endpoint_id.profile if wizard.endpoint_id else "receiver"
            )
            wizard.has_secret = bool(target and target.sudo().secret)

    @api.constrains("secret", "endpoint_id", "subscription_id")
    def _check_secret_format(self):
        """Refuse a malformed secret before it is stored at all (the dialog
        is saved before its button runs): what was pasted by mistake, a
        private key or another credential, is never kept."""
        for wizard in self.filtered("secret"):
            _secret, problem = check_secret(wizard.profile, wizard.secret)
            if problem:
                raise ValidationError(wizard._problem_message(problem))

    @api.model
    def _open_for(self, target):
        """The dialog for an endpoint or a subscription (writers only)."""
        target.check_access("write")
        endpoint = target._name == "gov.webhook.endpoint"
        field = "endpoint_id" if endpoint else "subscription_id"
        if field == "subscription_id" and target.signature_scheme == "v1a":
            raise UserError(
                self.env._(
                    "Subscription %s signs with Ed25519 (v1a): the receiver gets"
                    " its public key, it does not issue a secret.",
                    target.name,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Enter the Provider's Secret")
            if field == "endpoint_id"
            else self.env._("Enter the Receiver's Secret"),
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": {f"default_{field}": target.id},
        }

    def action_confirm(self):
        """Check the secret's format, store it, forget it here (audited)."""
        self.ensure_one()
        target = self.endpoint_id or self.subscription_id
        if not target:
            raise UserError(self.env._("Choose an endpoint or a subscription."))
        target.check_access("write")
        if self.subscription_id and self.subscription_id.signature_scheme == "v1a":
            raise UserError(
                self.env._(
                    "This subscription signs with Ed25519 (v1a): the receiver"
                    " gets its public key, it does not issue a secret."
                )
            )
        secret, problem = check_secret(self.profile, self.secret)
        if problem:
            raise UserError(self._problem_message(problem))
        grace = self.grace_hours if target.sudo().secret else 0
        # forget the secret before anything else can read it
        self.write({"secret": False})
        target._set_secret(secret, grace_hours=grace, origin=self._origin_kind())
        return {"type": "ir.actions.act_window_close"}

    def _origin_kind(self):
        return "provider" if self.endpoint_id else "receiver"

    def _problem_message(self, problem):
        messages = {
            "empty": self.env._("Paste the secret first."),
            "too_long": self.env._("This is too long to be a webhook secret."),
            "whitespace": self.env._(
                "A secret has no spaces, line breaks or non-ASCII characters:"
                " check that it was copied whole."
            ),
            "standard_prefix": self.env._(
                "A Standard Webhooks secret starts with whsec_ (or, for Ed25519"
                " v1a signatures on an endpoint, the sender's public key with"
                " whpk_)."
            ),
            "standard_base64": self.env._(
                "After whsec_, a Standard Webhooks secret is base64: this part"
                " does not decode."
            ),
            "standard_length": self.env._(
                "A Standard Webhooks secret holds 24 to 64 bytes once decoded."
            ),
            "public_key": self.env._(
                "After whpk_, the sender's public key is 32 bytes in base64."
            ),
            "private_key": self.env._(
                "This is a private key (whsk_): it must never leave its owner."
                " Ask the sender for its public key (whpk_)."
            ),
            "stripe_format": self.env._(
                "A Stripe signing secret is whsec_ followed by letters and digits"
                " (Developers > Webhooks > Signing secret)."
            ),
            "too_short": self.env._(
                "This secret is too short: at least 16 characters."
            ),
        }
        return messages[problem]
