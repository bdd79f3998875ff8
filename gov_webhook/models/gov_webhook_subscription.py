# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import fnmatch
import json
import uuid

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.fields import Command

from odoo.addons.gov_base.tools.engine import engine_writes

from ..tools.rotation import rotation_values
from ..tools.signatures import new_signing_key, new_standard_secret, public_key_of
from ..tools.timestamps import json_default, rfc3339

SCHEMES = [
    ("v1", "HMAC-SHA256 (v1, shared secret)"),
    ("v1a", "Ed25519 (v1a, public key)"),
]
# hours the previous secret keeps signing after a rotation
ROTATION_GRACE_HOURS = 24


class GovWebhookSubscription(models.Model):
    """An outbound receiver (n8n, a SaaS) and the events it wants."""

    _name = "gov.webhook.subscription"
    _description = "Outbound Webhook Subscription"
    _inherit = ["gov.cached.config.mixin", "gov.chatter.mixin"]
    _order = "name"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    target_url = fields.Char(string="Target URL", required=True, tracking=True)
    secret = fields.Char(groups=fields.NO_ACCESS, copy=False)
    previous_secret = fields.Char(groups=fields.NO_ACCESS, copy=False)
    previous_secret_until = fields.Datetime(
        string="Previous Secret Signs Until",
        readonly=True,
        copy=False,
        help="During a rotation deliveries carry two signatures, with the new"
        " and with the previous secret, until this time.",
    )
    signature_scheme = fields.Selection(
        SCHEMES,
        required=True,
        default="v1",
        tracking=True,
        help="v1: an HMAC under a secret the receiver shares. v1a: an Ed25519"
        " signature; the receiver holds only the public key, which cannot sign."
        " Changing it makes a new key; the previous one keeps signing for"
        " 24 hours.",
    )
    public_key = fields.Char(
        readonly=True,
        copy=False,
        help="For v1a: the key the receiver verifies signatures with (whpk_...)."
        " It is public: it cannot sign.",
    )
    event_types = fields.Char(
        required=True,
        default="*",
        help="Comma-separated event types, '*' as a wildcard: e.g."
        " 'account.move.posted, purchase.order.*'.",
    )
    model_id = fields.Many2one(
        "ir.model",
        string="Records Of",
        ondelete="cascade",
        help="Only events about records of this model (empty: any).",
    )
    field_ids = fields.Many2many(
        "ir.model.fields",
        string="Fields Sent",
        domain="[('model_id', '=', model_id), ('store', '=', True)]",
        help="The record's fields included in the payload; nothing else leaves.",
    )
    trigger = fields.Selection(
        [
            ("events", "Events sent by automation rules or code"),
            ("on_create", "When a record is created"),
            (
                "on_create_or_write",
                "When a record is created or a watched field changes",
            ),
        ],
        string="Send",
        required=True,
        default="events",
        help="Record triggers keep an automation rule in step with the subscription:"
        " events <model>.created or <model>.changed are sent in the transaction of"
        " the change.",
    )
    trigger_field_ids = fields.Many2many(
        "ir.model.fields",
        relation="gov_webhook_subscription_trigger_field_rel",
        column1="subscription_id",
        column2="field_id",
        string="Watched Fields",
        domain="[('model_id', '=', model_id), ('store', '=', True)]",
        help="Changes of these fields send an event (empty: any field).",
    )
    automation_id = fields.Many2one(
        "base.automation",
        string="Automation Rule",
        readonly=True,
        ondelete="set null",
        copy=False,
    )
    extra_headers = fields.Text(
        help='JSON object of extra headers, e.g. {"X-Tenant": "acme"}.'
    )
    timeout = fields.Integer(string="Timeout (s)", default=15)
    delivery_ids = fields.One2many("gov.webhook.delivery", "subscription_id")
    delivery_count = fields.Integer(compute="_compute_delivery_count")
    disabled_reason = fields.Char(readonly=True)

    _timeout_range = models.Constraint(
        "CHECK (timeout BETWEEN 1 AND 30)", "The timeout is between 1 and 30 seconds."
    )

    def _compute_delivery_count(self):
        counts = dict(
            self.env["gov.webhook.delivery"]._read_group(
                [("subscription_id", "in", self.ids)], ["subscription_id"], ["__count"]
            )
        )
        for subscription in self:
            subscription.delivery_count = counts.get(subscription, 0)

    @api.constrains("target_url")
    def _check_target_url(self):
        for subscription in self:
            self.env["gov.webhook.allowed.host"]._check_url(subscription.target_url)

    @api.constrains("extra_headers")
    def _check_extra_headers(self):
        for subscription in self.filtered("extra_headers"):
            try:
                headers = json.loads(subscription.extra_headers)
            except ValueError as exc:
                raise ValidationError(
                    self.env._("Extra headers must be JSON: %s", exc)
                ) from exc
            if not isinstance(headers, dict) or not all(
                isinstance(v, str) for v in headers.values()
            ):
                raise ValidationError(
                    self.env._("Extra headers must be a JSON object of strings.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        subscriptions = super().create(vals_list)
        for subscription in subscriptions:
            subscription.sudo().write(subscription._new_key_vals())
        subscriptions._sync_automation()
        return subscriptions

    def write(self, vals):
        changed = self.browse()
        if "signature_scheme" in vals:
            changed = self.filtered(
                lambda s: s.signature_scheme != vals["signature_scheme"]
            )
        res = super().write(vals)
        for subscription in changed:
            # a new key of the new scheme; the old one still signs a while
            subscription._set_secret(
                subscription._new_key_vals()["secret"],
                grace_hours=ROTATION_GRACE_HOURS,
                origin="scheme_changed",
            )
        if {"trigger", "trigger_field_ids", "model_id", "active", "name"} & set(vals):
            self._sync_automation()
        return res

    def unlink(self):
        automations = self.sudo().automation_id
        res = super().unlink()
        automations.unlink()
        return res

    @api.constrains("trigger", "model_id")
    def _check_trigger(self):
        for subscription in self:
            if subscription.trigger != "events" and not subscription.model_id:
                raise ValidationError(
                    self.env._("Record triggers need the model whose records to watch.")
                )

    def _trigger_event_type(self):
        suffix = "created" if self.trigger == "on_create" else "changed"
        return f"{self.model_id.model}.{suffix}"

    def _sync_automation(self):
        """Keep the automation rule that sends this subscription's record events."""
        for subscription in self.sudo():
            automation = subscription.automation_id
            if subscription.trigger == "events" or not subscription.active:
                automation.active = False
                continue
            event_type = subscription._trigger_event_type()
            patterns = [
                p.strip()
                for p in (subscription.event_types or "").split(",")
                if p.strip()
            ]
            if not any(fnmatch.fnmatchcase(event_type, p) for p in patterns):
                subscription.event_types = ", ".join([*patterns, event_type])
            action_vals = {
                "name": self.env._("Send %(event)s", event=event_type),
                "model_id": subscription.model_id.id,
                "state": "gov_webhook_event",
                "gov_webhook_event_type": event_type,
            }
            vals = {
                "name": self.env._(
                    "Webhook subscription: %(name)s", name=subscription.name
                ),
                "model_id": subscription.model_id.id,
                "trigger": subscription.trigger,
                "trigger_field_ids": [Command.set(subscription.trigger_field_ids.ids)],
                "active": True,
            }
            if automation:
                automation.write(vals)
                automation.action_server_ids.write(action_vals)
            else:
                vals["action_server_ids"] = [Command.create(action_vals)]
                subscription.automation_id = self.env["base.automation"].create(vals)

    # ------------------------------------------------------------------
    # Secrets: write-only; a rotation signs with both for a grace period
    # ------------------------------------------------------------------
    def _new_key_vals(self):
        """A new signing secret of the subscription's scheme (not stored)."""
        if self.signature_scheme == "v1a":
            secret, public = new_signing_key()
            return {"secret": secret, "public_key": public}
        return {"secret": new_standard_secret(), "public_key": False}

    def _set_secret(self, secret, grace_hours=0, origin="generated"):
        """Store a new signing secret; the old one keeps signing for
        ``grace_hours`` (deliveries then carry both signatures). Audited."""
        self.ensure_one()
        self.check_access("write")
        old = self.sudo().secret
        vals = {"secret": secret, "public_key": public_key_of(secret) or False}
        vals.update(rotation_values(old, grace_hours))
        self.sudo().write(vals)
        self.env["gov.audit.event"].record(
            "webhook.subscription_secret_rotated",
            self.env._("Secret of subscription %s rotated", self.name),
            record=self,
            details={
                "grace_hours": grace_hours if old else 0,
                "origin": origin,
                "scheme": self.signature_scheme,
            },
        )

    def _signing_secrets(self):
        """The secrets that sign a delivery now: the current one, and the
        previous one during its grace period."""
        self.ensure_one()
        subscription = self.sudo()
        found = [subscription.secret] if subscription.secret else []
        if (
            subscription.previous_secret
            and subscription.previous_secret_until
            and subscription.previous_secret_until > fields.Datetime.now()
        ):
            found.append(subscription.previous_secret)
        return found

    def action_show_secret_once(self):
        """Rotate the secret and show the new one once (v1a: make a new key
        pair; the receiver gets the public key, shown on the subscription).
        The previous secret keeps signing for 24 hours."""
        self.ensure_one()
        self.check_access("write")
        vals = self._new_key_vals()
        grace = ROTATION_GRACE_HOURS if self.sudo().secret else 0
        self._set_secret(vals["secret"], grace_hours=grace)
        return self.env["gov.webhook.secret.wizard"]._show_once(
            {
                "subscription_id": self.id,
                "secret_shown": vals["public_key"] or vals["secret"],
                "grace_hours": grace,
                "is_public_key": bool(vals["public_key"]),
            }
        )

    def action_enter_receiver_secret(self):
        """Open the write-only dialog where a secret the receiver issued is
        entered (v1 only: for v1a the receiver gets our public key)."""
        self.ensure_one()
        return self.env["gov.webhook.secret.entry.wizard"]._open_for(self)

    def action_open_deliveries(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "gov_webhook.gov_webhook_delivery_action"
        )
        action["domain"] = [("subscription_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------------
    # Emitting events (outbox)
    # ------------------------------------------------------------------
    @api.model
    @tools.ormcache()
    def _routing(self):
        """Active subscriptions as plain tuples (hot path: every event)."""
        rows = []
        for subscription in self.sudo().search([("active", "=", True)]):
            rows.append(
                (
                    subscription.id,
                    subscription.company_id.id,
                    tuple(
                        t.strip()
                        for t in (subscription.event_types or "").split(",")
                        if t.strip()
                    ),
                    subscription.model_id.model or None,
                    tuple(subscription.field_ids.mapped("name")),
                )
            )
        return tuple(rows)

    @api.model
    @api.private
    def emit(self, event_type, record=None, data=None, company=None):
        """Write one outbox delivery per matching subscription and return them.

        Runs in the caller's transaction: if it rolls back, nothing is sent;
        once it commits, the sender takes the deliveries after commit.
        ``data`` may carry late secret markers instead of secrets (see
        ``gov.webhook.delivery``).
        """
        if record is not None and len(record) > 1:
            raise ValueError("an event is about at most one record")
        model = record._name if record else None
        listeners = [
            row
            for row in self._routing()
            if (row[3] is None or row[3] == model)
            and any(fnmatch.fnmatchcase(event_type, pattern) for pattern in row[2])
        ]
        if not listeners:
            # nobody listens, whatever the company: nothing to read or write
            return self.env["gov.webhook.delivery"]
        if company is None and record and "company_id" in record._fields:
            company = record.sudo().company_id
        company_id = (company or self.env.company).id
        matches = [row for row in listeners if row[1] == company_id]
        if not matches:
            return self.env["gov.webhook.delivery"]
        wanted = sorted({name for row in matches for name in row[4]})
        values = {}
        if record and wanted:
            values = record.sudo().read(wanted, load=None)[0]
        now = fields.Datetime.now()
        vals_list = []
        for subscription_id, _company, _types, _model, names in matches:
            payload = {
                "type": event_type,
                "timestamp": rfc3339(now),
                "data": {
                    **({"model": model, "id": record.id} if record else {}),
                    **{name: values.get(name) for name in names},
                    **(data or {}),
                },
            }
            vals_list.append(
                {
                    "subscription_id": subscription_id,
                    "company_id": company_id,
                    "event_type": event_type,
                    "webhook_id": f"msg_{uuid.uuid4().hex}",
                    "payload": json.dumps(
                        payload, default=json_default, sort_keys=True
                    ),
                    "state": "pending",
                    "next_attempt_date": now,
                    "res_model": model,
                    "res_id": record.id if record else False,
                }
            )
        with engine_writes("gov.webhook.delivery"):
            deliveries = self.env["gov.webhook.delivery"].sudo().create(vals_list)
        deliveries._wake_sender()
        return deliveries.with_env(self.env)
