# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import secrets
import threading
import time
from datetime import timedelta

import jsonschema

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

from odoo.addons.gov_exception.exceptions import GovPermanentError

from ..tools.mapping import dig
from ..tools.public_url import public_base_url
from ..tools.rotation import rotation_values
from ..tools.signatures import new_standard_secret

PROFILES = [
    ("standard", "Standard Webhooks"),
    ("stripe", "Stripe"),
    ("github", "GitHub"),
    ("shopify", "Shopify"),
    ("token", "Bearer or header token"),
]
# Profiles whose signature covers a timestamp.
TIMESTAMPED = ("standard", "stripe")
# Per-process token buckets: {(dbname, endpoint id): [tokens, last refill]}.
_BUCKETS = {}
_BUCKETS_LOCK = threading.Lock()


class GovWebhookEndpoint(models.Model):
    """An inbound webhook: one unguessable URL, one verification profile.

    The path key identifies the endpoint; it is never the secret. Secrets are
    write-only: nobody can read them back through the ORM.
    """

    _name = "gov.webhook.endpoint"
    _description = "Inbound Webhook Endpoint"
    _inherit = ["gov.cached.config.mixin", "gov.chatter.mixin"]
    _order = "name"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(
        default=True,
        tracking=True,
        help="Archived endpoints answer 410 Gone, so that senders stop retrying.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    path_key = fields.Char(
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: secrets.token_urlsafe(18),
        help="Identifies the endpoint in its URL. It is not a secret: requests are"
        " authenticated by their signature or token.",
    )
    url = fields.Char(string="URL", compute="_compute_url")
    profile = fields.Selection(
        PROFILES, required=True, default="standard", tracking=True
    )
    secret = fields.Char(groups=fields.NO_ACCESS, copy=False)
    previous_secret = fields.Char(groups=fields.NO_ACCESS, copy=False)
    previous_secret_until = fields.Datetime(
        string="Previous Secret Valid Until",
        readonly=True,
        copy=False,
        help="During rotation both secrets are accepted until this time.",
    )
    has_secret = fields.Boolean(compute="_compute_has_secret")
    token_header = fields.Char(
        default="Authorization",
        help="For the token profile: the header that carries the token"
        " (Authorization expects 'Bearer <token>').",
    )
    require_delivery_id = fields.Boolean(
        string="Require Delivery Id",
        help="Refuse requests without an Idempotency-Key (or the profile's delivery"
        " header) with 400, instead of deduplicating on the body hash.",
    )
    tolerance_seconds = fields.Integer(
        string="Timestamp Tolerance (s)",
        default=300,
        help="Signed timestamps older or newer than this are refused.",
    )
    max_body_bytes = fields.Integer(string="Maximum Body (bytes)", default=1024 * 1024)
    rate_limit_per_minute = fields.Integer(
        string="Rate Limit (per minute)",
        default=600,
        help="Requests above this rate get 429 with Retry-After (0: no limit).",
    )
    json_schema = fields.Text(
        string="JSON Schema",
        help="Optional: payloads that do not match are answered 422 (synchronous)"
        " or quarantined with field errors.",
    )
    processing = fields.Selection(
        [
            ("async", "Asynchronous (store, answer 202, process)"),
            ("sync", "Synchronous"),
        ],
        required=True,
        default="async",
    )
    handler_type = fields.Selection(
        [
            ("server_action", "Run a server action"),
            ("map", "Map the payload onto records"),
            ("store", "Only store"),
        ],
        required=True,
        default="server_action",
        ondelete={"map": "set default"},
    )
    map_model_id = fields.Many2one(
        "ir.model",
        string="Target Model",
        ondelete="cascade",
        help="Records of this model are created or updated from each payload.",
    )
    map_line_ids = fields.One2many(
        "gov.webhook.field.map", "endpoint_id", string="Field Mapping", copy=True
    )
    map_create = fields.Boolean(
        string="Create When No Match",
        default=True,
        help="Without it, a payload whose keys match no record is quarantined.",
    )
    server_action_id = fields.Many2one(
        "ir.actions.server",
        domain=[("usage", "=", "ir_actions_server")],
        help="Runs with the parsed payload in `payload`.",
    )
    run_as_user_id = fields.Many2one(
        "res.users",
        string="Run As",
        required=True,
        default=lambda self: self.env.ref(
            "gov_webhook.res_users_webhook_runner", raise_if_not_found=False
        ),
        help="The handler runs as this technical user, in the endpoint's company."
        " Give it only the rights the handler needs.",
    )
    event_types = fields.Char(
        help="Comma-separated event types this endpoint handles (the payload's"
        " 'type'). Others are stored as ignored. Empty: every type.",
    )
    inbox_ids = fields.One2many("gov.webhook.inbox", "endpoint_id")
    count_accepted_24h = fields.Integer(
        compute="_compute_counts", string="Accepted (24 h)"
    )
    count_failed_24h = fields.Integer(compute="_compute_counts", string="Failed (24 h)")
    count_rejected_24h = fields.Integer(
        compute="_compute_counts", string="Rejected (24 h)"
    )

    _path_key_uniq = models.UniqueIndex("(path_key)", "The path key must be unique.")
    _positive_limits = models.Constraint(
        "CHECK (max_body_bytes > 0 AND tolerance_seconds > 0"
        " AND rate_limit_per_minute >= 0)",
        "Body limit and tolerance must be positive; the rate limit cannot be negative.",
    )

    @api.depends("path_key")
    def _compute_url(self):
        base = public_base_url(self.env)
        for endpoint in self:
            endpoint.url = f"{base}/gov/webhook/{endpoint.path_key}"

    def _compute_has_secret(self):
        rows = dict(
            self.env.execute_query(
                tools.SQL(
                    "SELECT id, secret IS NOT NULL FROM gov_webhook_endpoint"
                    " WHERE id IN %s",
                    tuple(self.ids) or (0,),
                )
            )
        )
        for endpoint in self:
            endpoint.has_secret = bool(rows.get(endpoint.id))

    def _compute_counts(self):
        since = fields.Datetime.now() - timedelta(days=1)
        Inbox = self.env["gov.webhook.inbox"]
        groups = Inbox._read_group(
            [("endpoint_id", "in", self.ids), ("received_at", ">=", since)],
            ["endpoint_id", "state"],
            ["__count"],
        )
        counts = {}
        for endpoint, state, count in groups:
            key = "failed" if state in ("failed", "quarantined") else "accepted"
            counts.setdefault(endpoint.id, {}).setdefault(key, 0)
            counts[endpoint.id][key] += count
        rejected = dict(
            self.env["gov.webhook.rejection"]._read_group(
                [("endpoint_id", "in", self.ids), ("create_date", ">=", since)],
                ["endpoint_id"],
                ["__count"],
            )
        )
        for endpoint in self:
            endpoint.count_accepted_24h = counts.get(endpoint.id, {}).get("accepted", 0)
            endpoint.count_failed_24h = counts.get(endpoint.id, {}).get("failed", 0)
            endpoint.count_rejected_24h = rejected.get(endpoint, 0)

    @api.constrains("json_schema")
    def _check_json_schema(self):
        for endpoint in self.filtered("json_schema"):
            try:
                schema = json.loads(endpoint.json_schema)
                jsonschema.validators.validator_for(schema).check_schema(schema)
            except (ValueError, jsonschema.SchemaError) as exc:
                raise ValidationError(
                    self.env._("The JSON Schema is not valid: %s", exc)
                ) from exc

    @api.constrains("handler_type", "server_action_id", "map_model_id", "map_line_ids")
    def _check_handler(self):
        for endpoint in self:
            if (
                endpoint.handler_type == "server_action"
                and not endpoint.server_action_id
            ):
                raise ValidationError(
                    self.env._("Choose the server action this endpoint runs.")
                )
            if endpoint.handler_type == "map" and not (
                endpoint.map_model_id and endpoint.map_line_ids
            ):
                raise ValidationError(
                    self.env._("Choose the target model and map at least one field.")
                )

    # ------------------------------------------------------------------
    # Secrets: write-only
    # ------------------------------------------------------------------
    def _set_secret(self, secret, grace_hours=0, origin="generated"):
        """Store a new secret; keep the old one valid for ``grace_hours``.

        ``origin`` says where it comes from: ``generated`` here, or
        ``provider`` (issued by the sender and entered by hand).
        """
        self.ensure_one()
        self.check_access("write")
        old = self.sudo().secret
        vals = {"secret": secret}
        vals.update(rotation_values(old, grace_hours))
        self.sudo().write(vals)
        self.env["gov.audit.event"].record(
            "webhook.secret_rotated" if old else "webhook.secret_set",
            self.env._("Secret of endpoint %s changed", self.name),
            record=self,
            details={"grace_hours": grace_hours if old else 0, "origin": origin},
        )

    def action_generate_secret(self):
        """Generate a secret and show it once."""
        self.ensure_one()
        secret = (
            new_standard_secret()
            if self.profile == "standard"
            else secrets.token_urlsafe(32)
        )
        grace = 24 if self.has_secret else 0
        self._set_secret(secret, grace_hours=grace)
        return self.env["gov.webhook.secret.wizard"]._show_once(
            {"endpoint_id": self.id, "secret_shown": secret, "grace_hours": grace}
        )

    def action_enter_provider_secret(self):
        """Open the write-only dialog where the sender's own secret (or, for
        Standard Webhooks v1a, its public key) is entered."""
        self.ensure_one()
        return self.env["gov.webhook.secret.entry.wizard"]._open_for(self)

    def action_open_inbox(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "gov_webhook.gov_webhook_inbox_action"
        )
        action["domain"] = [("endpoint_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------------
    # Request path (cached configuration; no ORM record reads per request)
    # ------------------------------------------------------------------
    @api.model
    @tools.ormcache("path_key")
    def _config_for_key(self, path_key):
        """Everything the controller needs, or None for an unknown key."""
        rows = self.env.execute_query(
            tools.SQL(
                """SELECT id, active, company_id, profile, secret, previous_secret,
                          previous_secret_until, token_header, require_delivery_id,
                          tolerance_seconds, max_body_bytes, rate_limit_per_minute,
                          processing
                     FROM gov_webhook_endpoint WHERE path_key = %s""",
                path_key,
            )
        )
        if not rows:
            return None
        (
            endpoint_id,
            active,
            company_id,
            profile,
            secret,
            previous,
            previous_until,
            token_header,
            require_delivery_id,
            tolerance,
            max_body,
            rate,
            processing,
        ) = rows[0]
        return {
            "id": endpoint_id,
            "active": active,
            "company_id": company_id,
            "profile": profile,
            "secret": secret,
            "previous_secret": previous,
            "previous_until": previous_until,
            "token_header": token_header or "Authorization",
            "require_delivery_id": require_delivery_id,
            "tolerance": tolerance,
            "max_body": max_body,
            "rate": rate,
            "processing": processing,
        }

    @api.model
    def _secrets_for(self, config):
        found = [config["secret"]] if config["secret"] else []
        if (
            config["previous_secret"]
            and config["previous_until"]
            and config["previous_until"] > fields.Datetime.now()
        ):
            found.append(config["previous_secret"])
        return found

    @api.model
    def _take_token(self, config):
        """Token bucket per endpoint; returns seconds to wait or 0.

        Buckets live in each server process, without a database round trip on
        the hot path; with several worker processes each one gets an equal
        share of the endpoint's rate, so the endpoint as a whole never accepts
        more than its limit.
        """
        if not config["rate"]:
            return 0
        rate = config["rate"] / max(1, tools.config.get("workers") or 1)
        key = (self.env.cr.dbname, config["id"])
        now = time.monotonic()
        with _BUCKETS_LOCK:
            tokens, last = _BUCKETS.get(key, (float(rate), now))
            tokens = min(float(rate), tokens + (now - last) * rate / 60.0)
            if tokens < 1:
                _BUCKETS[key] = (tokens, now)
                return max(1, int((1 - tokens) * 60.0 / rate) + 1)
            _BUCKETS[key] = (tokens - 1, now)
            return 0

    def action_send_test(self):
        """Sign a test delivery with the endpoint's secret and receive it."""
        self.ensure_one()
        return self.env["gov.webhook.inbox"]._send_test(self)

    # ------------------------------------------------------------------
    # Processing helpers
    # ------------------------------------------------------------------
    def _schema_errors(self, payload):
        """Field errors of ``payload`` against the endpoint's JSON Schema."""
        self.ensure_one()
        if not self.json_schema:
            return []
        schema = json.loads(self.json_schema)
        validator = jsonschema.validators.validator_for(schema)(schema)
        return [
            {
                "loc": list(error.absolute_path),
                "type": error.validator,
                "msg": error.message[:300],
            }
            for error in sorted(
                validator.iter_errors(payload), key=lambda e: list(e.path)
            )[:50]
        ]

    def _run_handler(self, payload, inbox):
        """Run the endpoint's handler as its technical user, in its company.

        Each handler type is a method ``_handle_<type>(payload, inbox, env)``;
        modules add types with ``selection_add`` and their method.
        """
        self.ensure_one()
        handler = getattr(self, f"_handle_{self.handler_type}", None)
        if handler is None:
            return None
        return handler(payload, inbox, self._handler_env(inbox))

    def _handler_env(self, inbox):
        return self.env(
            user=self.run_as_user_id.id,
            su=False,
            context=dict(
                self.env.context,
                allowed_company_ids=[self.company_id.id],
                gov_webhook_inbox_id=inbox.id,
                gov_audit_channel="webhook",
            ),
        )

    def _handle_server_action(self, payload, inbox, env):
        return self.server_action_id.with_env(env)._gov_run_with_payload(payload)

    def _handle_map(self, payload, inbox, env):
        """Create or update one record of the target model from the payload.

        Key lines find the record to update; a payload that cannot be mapped
        (missing or ill-typed values, several matches) is a permanent error:
        the inbox item is quarantined with its payload, nothing is half-done.
        """
        Model = env[self.map_model_id.model]
        values = {}
        for line in self.map_line_ids:
            found, raw = dig(payload, line.json_path)
            if not found or raw is None:
                if line.required or line.is_key:
                    raise GovPermanentError(
                        self.env._("The payload has no value at %s.", line.json_path)
                    )
                continue
            values[line.field_id.name] = line._convert(raw, Model)
        keys = self.map_line_ids.filtered("is_key").field_id.mapped("name")
        record = Model.browse()
        if keys:
            record = Model.search([(name, "=", values[name]) for name in keys], limit=2)
        if len(record) > 1:
            raise GovPermanentError(
                self.env._(
                    "Several %(model)s records match the payload's keys.",
                    model=self.map_model_id.name,
                )
            )
        if record:
            record.write(values)
            return record
        if not self.map_create:
            raise GovPermanentError(
                self.env._(
                    "No %(model)s record matches the payload's keys.",
                    model=self.map_model_id.name,
                )
            )
        return Model.create(values)
