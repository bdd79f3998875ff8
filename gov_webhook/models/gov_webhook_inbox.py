# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Inbound deliveries: checked, stored first, then processed.

:meth:`GovWebhookInbox._receive` is the whole request path, called by the
controller with the raw request. Checks run cheapest first; the delivery is
inserted with ``ON CONFLICT DO NOTHING`` on ``(endpoint, delivery id)``, so
concurrent duplicates are stored once; processing happens after commit (or in
a savepoint for synchronous endpoints) and failures go to the exception queue,
whose retries and replays call :meth:`_gov_replay`.
"""

import base64
import hashlib
import json
import logging
import re
import time

import psycopg2.errors

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from odoo.addons.gov_base.tools.batches import lock_batch, run_batch
from odoo.addons.gov_base.tools.engine import engine_writes
from odoo.addons.gov_exception.exceptions import (
    PERMANENT_ERRORS,
    GovPermanentError,
    GovRetryableError,
)
from odoo.addons.gov_exception.tools.payload import dumps, mask_payload, mask_value

from ..tools import strict_json
from ..tools.signatures import DELIVERY_ID_HEADERS, VERIFIERS
from .gov_webhook_endpoint import TIMESTAMPED

_logger = logging.getLogger(__name__)

STATES = [
    ("received", "Received"),
    ("done", "Processed"),
    ("ignored", "Ignored"),
    ("quarantined", "Quarantined"),
    ("failed", "Failed"),
]
JSON_TYPE = re.compile(r"^application/(?:[\w.+-]+\+)?json$")
DELIVERY_ID = re.compile(r"^[\x21-\x7e]{1,255}$")
PROCESS_BATCH = 50
INBOX_CRON = "gov_webhook.ir_cron_gov_webhook_process_inbox"
# Text PostgreSQL or UTF-8 cannot hold: refused as unprocessable content.
UNSTORABLE_TEXT = ("json_lone_surrogate", "json_nul_character")


class Reply:
    """What the controller answers: status, headers and a JSON body."""

    def __init__(self, status, body, headers=None):
        self.status = status
        self.body = body
        self.headers = headers or {}


def _unauthorized():
    # the same answer whatever check failed
    return Reply(401, {"error": "unauthorized"})


class GovWebhookInbox(models.Model):
    """One received delivery, kept as it arrived. Written by the engine only
    (``gov.engine.mixin``): the request path, the processor and the exception
    queue's replays."""

    _name = "gov.webhook.inbox"
    _inherit = ["gov.engine.mixin"]
    _description = "Inbound Webhook Delivery"
    _order = "id desc"
    _rec_name = "delivery_id"

    endpoint_id = fields.Many2one(
        "gov.webhook.endpoint",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        "res.company", related="endpoint_id.company_id", store=True, index=True
    )
    delivery_id = fields.Char(required=True, readonly=True)
    received_at = fields.Datetime(required=True, readonly=True, index=True)
    body_hash = fields.Char(required=True, readonly=True)
    raw_body = fields.Binary(attachment=False, readonly=True)
    size = fields.Integer(readonly=True)
    headers = fields.Text(readonly=True)
    content_type = fields.Char(readonly=True)
    remote_addr = fields.Char(string="Source Address", readonly=True)
    state = fields.Selection(STATES, required=True, readonly=True, index=True)
    attempts = fields.Integer(readonly=True)
    outcome_code = fields.Integer(
        readonly=True,
        help="The HTTP status class of the processing outcome (202 while waiting).",
    )
    outcome = fields.Text(readonly=True)
    error_reason = fields.Char(readonly=True)
    processing_ms = fields.Integer(
        string="Processing (ms)", readonly=True, aggregator="avg"
    )
    processed_at = fields.Datetime(readonly=True)
    correlation_id = fields.Char(readonly=True, index="btree_not_null")
    exception_item_id = fields.Many2one("gov.exception.item", readonly=True)
    body_preview = fields.Text(compute="_compute_body_preview")

    _delivery_uniq = models.UniqueIndex(
        "(endpoint_id, delivery_id)", "This delivery was already received."
    )
    _pending_idx = models.Index("(id) WHERE state = 'received'")

    def _compute_body_preview(self):
        for inbox in self:
            raw = base64.b64decode(inbox.raw_body) if inbox.raw_body else b""
            inbox.body_preview = raw[:20000].decode("utf-8", "backslashreplace")

    # ------------------------------------------------------------------
    # The request path
    # ------------------------------------------------------------------
    @api.model
    def _receive(
        self, path_key, method, headers, read_body, content_length, remote_addr
    ):
        """Check, store and (for synchronous endpoints) process one request.

        :param headers: request headers with lower-case names
        :param read_body: ``read_body(limit)``: the body, or None past ``limit``
        :return: a :class:`Reply`
        """
        if method != "POST":
            return Reply(405, {"error": "method_not_allowed"}, {"Allow": "POST"})
        Endpoint = self.env["gov.webhook.endpoint"].sudo()
        config = Endpoint._config_for_key(path_key or "")
        if config is None:
            return Reply(404, {"error": "not_found"})
        if not config["active"]:
            return Reply(410, {"error": "gone"})
        encoding = (headers.get("content-encoding") or "identity").strip().lower()
        if encoding != "identity":
            self._reject(config, "content_encoding", remote_addr)
            return Reply(415, {"error": "unsupported_content_encoding"})
        if content_length is not None and content_length > config["max_body"]:
            self._reject(config, "too_large", remote_addr, size=content_length)
            return Reply(
                413, {"error": "payload_too_large", "limit": config["max_body"]}
            )
        if not _json_content_type(headers.get("content-type")):
            self._reject(config, "content_type", remote_addr)
            return Reply(415, {"error": "unsupported_media_type"})
        wait = Endpoint._take_token(config)
        if wait:
            return Reply(429, {"error": "rate_limited"}, {"Retry-After": str(wait)})
        body = read_body(config["max_body"])
        if body is None or len(body) > config["max_body"]:
            self._reject(config, "too_large", remote_addr)
            return Reply(
                413, {"error": "payload_too_large", "limit": config["max_body"]}
            )
        body_hash = hashlib.sha256(body).hexdigest()
        refusal = self._authenticate(config, headers, body, body_hash, remote_addr)
        if refusal:
            return refusal
        delivery_id = next(
            (
                headers[name]
                for name in DELIVERY_ID_HEADERS[config["profile"]]
                if name in headers
            ),
            None,
        )
        if delivery_id is None:
            delivery_id = headers.get("idempotency-key")
        if delivery_id is None:
            if config["require_delivery_id"]:
                return Reply(400, {"error": "delivery_id_required"})
            delivery_id = f"sha256:{body_hash}"
        elif not DELIVERY_ID.match(delivery_id):
            return Reply(400, {"error": "delivery_id_invalid"})
        inbox_id = self._store(
            config, delivery_id, body, body_hash, headers, remote_addr
        )
        if inbox_id is None:
            return self._answer_duplicate(config, delivery_id, body_hash, remote_addr)
        inbox = self.sudo().browse(inbox_id)
        if config["processing"] == "sync":
            with engine_writes(self._name):
                inbox._process()
            return inbox._sync_reply()
        return Reply(202, {"status": "accepted", "delivery_id": delivery_id})

    @api.model
    def _authenticate(self, config, headers, body, body_hash, remote_addr):
        """None when the signature (and its timestamp) hold, else the 401."""
        secrets_ = self.env["gov.webhook.endpoint"].sudo()._secrets_for(config)
        verifier = VERIFIERS[config["profile"]]
        if config["profile"] == "token":
            ok, timestamp = verifier(secrets_, headers, body, config["token_header"])
        else:
            ok, timestamp = verifier(secrets_, headers, body)
        if not (secrets_ and ok):
            self._reject(config, "authentication", remote_addr, body, body_hash)
            return _unauthorized()
        if config["profile"] in TIMESTAMPED and (
            timestamp is None or abs(time.time() - timestamp) > config["tolerance"]
        ):
            self._reject(config, "timestamp", remote_addr, body, body_hash)
            return _unauthorized()
        return None

    @api.model
    def _reject(
        self, config, reason, remote_addr, body=None, body_hash=None, size=None
    ):
        """Keep metadata of a refused request: never its body."""
        self.env.execute_query(
            SQL(
                """INSERT INTO gov_webhook_rejection
                       (endpoint_id, company_id, reason, remote_addr, size,
                        body_hash, create_date, write_date)
                   VALUES (%s, %s, %s, %s, %s, %s, %s, %s)""",
                config["id"],
                config["company_id"],
                reason,
                remote_addr,
                size if size is not None else (len(body) if body is not None else None),
                body_hash,
                fields.Datetime.now(),
                fields.Datetime.now(),
            )
        )

    @api.model
    def _store(self, config, delivery_id, body, body_hash, headers, remote_addr):
        """Insert the delivery unless it exists; return its id or None.

        For asynchronous endpoints, the same statement holds a trigger of the
        inbox worker already waiting (``ir.cron._gov_hold_waiting_trigger_sql``);
        without one, the worker is woken after commit.
        """
        patterns = self.env["gov.exception.item"]._mask_patterns()
        safe_headers = dumps(mask_value(dict(headers), patterns))
        now = fields.Datetime.now()
        waiting_trigger = (
            SQL("FALSE")
            if config["processing"] == "sync"
            else self.env["ir.cron"]._gov_hold_waiting_trigger_sql(INBOX_CRON)
        )
        query = SQL(
            """WITH stored AS (
                INSERT INTO gov_webhook_inbox
                   (endpoint_id, company_id, delivery_id, received_at, body_hash,
                    raw_body, size, headers, content_type, remote_addr, state,
                    attempts, outcome_code,
                    correlation_id, create_uid, create_date, write_uid, write_date)
               VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 'received', 0, 202,
                       %s, %s, %s, %s, %s)
               ON CONFLICT (endpoint_id, delivery_id) DO NOTHING
               RETURNING id
            )
            SELECT id, %s FROM stored""",
            config["id"],
            config["company_id"],
            delivery_id,
            now,
            body_hash,
            psycopg2.Binary(base64.b64encode(body)),
            len(body),
            safe_headers,
            (headers.get("content-type") or "")[:200],
            remote_addr,
            headers.get("x-correlation-id") or delivery_id,
            self.env.uid,
            now,
            self.env.uid,
            now,
            waiting_trigger,
        )
        # a concurrent twin committed after our snapshot raises a serialization
        # failure: the HTTP layer retries the request, which then sees the twin
        self.env.cr.execute(query, log_exceptions=False)
        row = self.env.cr.fetchone()
        if not row:
            return None
        inbox_id, waiting_trigger = row
        if config["processing"] != "sync" and not waiting_trigger:
            self._wake_processor()
        return inbox_id

    @api.model
    def _answer_duplicate(self, config, delivery_id, body_hash, remote_addr):
        rows = self.env.execute_query(
            SQL(
                """SELECT id, body_hash, state, outcome_code FROM gov_webhook_inbox
                    WHERE endpoint_id = %s AND delivery_id = %s""",
                config["id"],
                delivery_id,
            )
        )
        inbox_id, stored_hash, state, outcome_code = rows[0]
        if stored_hash != body_hash:
            self._reject(config, "delivery_id_reuse", remote_addr, body_hash=body_hash)
            self.env["gov.exception.item"].sudo().capture(
                "security",
                self.env._("Delivery id reused with a different body"),
                source=f"endpoint:{config['id']}",
                source_type="endpoint",
                record=self.sudo().browse(inbox_id),
                payload={
                    "delivery_id": delivery_id,
                    "stored_body_hash": stored_hash,
                    "new_body_hash": body_hash,
                    "remote_addr": remote_addr,
                },
                severity="high",
                correlation_id=delivery_id,
                fingerprint=f"webhook-reuse:{config['id']}:{delivery_id}:{body_hash}",
                company=self.env["res.company"].browse(config["company_id"]),
            )
            return Reply(422, {"error": "delivery_id_conflict"})
        return Reply(
            200,
            {
                "status": "duplicate",
                "delivery_id": delivery_id,
                "state": state,
                "outcome_code": outcome_code,
            },
            {"Idempotent-Replayed": "true"},
        )

    def _sync_reply(self):
        self.ensure_one()
        body = {"status": self.state, "delivery_id": self.delivery_id}
        if self.error_reason:
            body["error"] = self.error_reason
        if self.state == "failed" and self.outcome_code == 503:
            return Reply(503, body, {"Retry-After": "60"})
        return Reply(self.outcome_code or 200, body)

    @api.model
    def _wake_processor(self):
        self.env["ir.cron"]._gov_wake_once(INBOX_CRON)

    # ------------------------------------------------------------------
    # Processing
    # ------------------------------------------------------------------
    @api.model
    def _take_received(self, batch_size):
        """Up to ``batch_size`` stored deliveries nobody else holds, locked."""
        return lock_batch(self.sudo(), [("state", "=", "received")], batch_size, "id")

    @api.model
    def _cron_process_inbox(self, batch_size=PROCESS_BATCH):
        """Scheduled action: process one batch of stored deliveries per call."""
        with engine_writes(self._name):
            return run_batch(
                self.env,
                self._take_received,
                batch_size=batch_size,
                process=lambda inbox: inbox._process(),
                count_remaining=lambda: self.sudo().search_count(
                    [("state", "=", "received")]
                ),
            )

    @api.model
    def _process_pending(self, batch_size=PROCESS_BATCH):
        """Lock and process up to ``batch_size`` stored deliveries, without
        committing; returns them."""
        inboxes = self._take_received(batch_size)
        with engine_writes(self._name):
            for inbox in inboxes:
                with self.env.cr.savepoint():
                    inbox._process()
        return inboxes

    def _process(self, payload=None, capture=True):
        """Parse, validate and hand over one delivery; record the outcome.

        ``payload`` replaces the stored body (a replay with an edited payload);
        without ``capture``, a failure opens no exception item (a replay's
        item is already in the queue).
        """
        self.ensure_one()
        started = time.monotonic()
        endpoint = self.endpoint_id
        vals = {"attempts": self.attempts + 1, "processed_at": fields.Datetime.now()}
        try:
            if payload is None:
                raw = base64.b64decode(self.raw_body or b"")
                payload = strict_json.loads(raw)
            elif isinstance(payload, str | bytes):
                raw = payload.encode() if isinstance(payload, str) else payload
                payload = strict_json.loads(raw)
            if not isinstance(payload, dict):
                raise strict_json.StrictJSONError(
                    "json_shape", "the body must be a JSON object"
                )
        except strict_json.StrictJSONError as exc:
            code = 422 if exc.reason in UNSTORABLE_TEXT else 400
            return self._finish(
                capture,
                vals,
                started,
                "quarantined",
                code,
                exc.reason,
                str(exc),
                quarantine=True,
            )
        plain = strict_json.to_plain(payload)
        event_type = plain.get("type")
        allowed = [
            t.strip() for t in (endpoint.event_types or "").split(",") if t.strip()
        ]
        if allowed and event_type not in allowed:
            return self._finish(
                capture,
                vals,
                started,
                "ignored",
                202,
                "event_type_ignored",
                f"type {event_type!r} not handled",
            )
        errors = endpoint._schema_errors(plain)
        if errors:
            return self._finish(
                capture,
                vals,
                started,
                "quarantined",
                422,
                "schema",
                json.dumps(errors),
                quarantine=True,
                payload=plain,
            )
        if endpoint.handler_type == "store":
            return self._finish(capture, vals, started, "done", 200, False, "stored")
        try:
            with self.env.cr.savepoint():
                endpoint._run_handler(plain, self)
                self.env.flush_all()
        except Exception as exc:  # noqa: BLE001 - every failure is an outcome
            retryable = not isinstance(exc, PERMANENT_ERRORS) or isinstance(
                exc, GovRetryableError
            )
            if isinstance(exc, psycopg2.errors.OperationalError):
                retryable = True
            code = 503 if retryable else 403 if isinstance(exc, AccessError) else 422
            return self._finish(
                capture,
                vals,
                started,
                "failed",
                code,
                "handler_retryable" if retryable else "handler_failed",
                f"{exc.__class__.__name__}: {exc}",
                error=exc,
                retryable=retryable,
                payload=plain,
            )
        return self._finish(capture, vals, started, "done", 200, False, "processed")

    def _finish(
        self,
        capture,
        vals,
        started,
        state,
        code,
        reason,
        outcome,
        quarantine=False,
        error=None,
        retryable=False,
        payload=None,
    ):
        vals.update(
            state=state,
            outcome_code=code,
            error_reason=reason or False,
            outcome=(outcome or "")[:4000],
            processing_ms=int((time.monotonic() - started) * 1000),
        )
        if capture and state in ("quarantined", "failed"):
            item = self._capture_failure(
                quarantine, reason, outcome, error, retryable, payload
            )
            vals["exception_item_id"] = item.id
        self.write(vals)
        return state

    def _capture_failure(self, quarantine, reason, outcome, error, retryable, payload):
        endpoint = self.endpoint_id
        if payload is None:
            raw = base64.b64decode(self.raw_body or b"")
            payload = raw.decode("utf-8", "backslashreplace")
        return (
            self.env["gov.exception.item"]
            .sudo()
            .capture(
                "malformed" if quarantine else "handler",
                self.env._(
                    "%(endpoint)s: %(reason)s", endpoint=endpoint.name, reason=reason
                ),
                source=f"endpoint:{endpoint.name}",
                source_type="endpoint",
                record=self,
                payload=payload,
                error=error or outcome,
                handler={
                    "model": self._name,
                    "method": "_gov_replay",
                    "res_id": self.id,
                },
                retryable=retryable,
                severity="high" if quarantine else "medium",
                correlation_id=self.correlation_id,
                company=endpoint.company_id,
            )
        )

    def _gov_replay(self, payload):
        """Exception-queue handler: process this delivery again.

        A payload identical to the stored one (as the queue shows it, secrets
        masked) means "as is": the original bytes are used. Anything else is an
        edited payload. Failures raise, so the queue records them.
        """
        self.ensure_one()
        inbox = self.sudo()
        if not inbox.exception_item_id:
            raise GovPermanentError(
                self.env._(
                    "Only deliveries in the exception queue are replayed from it."
                )
            )
        original = base64.b64decode(inbox.raw_body or b"")
        if _same_as_stored(
            payload, original, self.env["gov.exception.item"]._mask_patterns()
        ):
            payload = None
        with engine_writes(self._name):
            state = inbox._process_for_replay(payload)
        if state == "failed":
            if inbox.outcome_code == 503:
                raise GovRetryableError(inbox.outcome or "handler failed")
            raise GovPermanentError(inbox.outcome or "handler failed")
        if state == "quarantined":
            raise GovPermanentError(inbox.outcome or "payload refused")
        return state

    def _process_for_replay(self, payload):
        # the queue already holds the item: do not open a second one
        item = self.exception_item_id
        state = self._process(payload, capture=False)
        if item:
            self.write({"exception_item_id": item.id})
        return state


def _json_content_type(value):
    if not value:
        return False
    media, *params = [part.strip() for part in value.split(";")]
    if not JSON_TYPE.match(media.lower()):
        return False
    for param in params:
        name, _sep, charset = param.partition("=")
        if name.strip().lower() == "charset" and charset.strip().strip(
            '"'
        ).lower() not in (
            "utf-8",
            "utf8",
        ):
            return False
    return True


def _same_as_stored(payload, original, patterns):
    if payload is None:
        return True
    try:
        parsed = strict_json.to_plain(strict_json.loads(original))
    except strict_json.StrictJSONError:
        text = original.decode("utf-8", "backslashreplace")
        return payload == mask_payload(text, patterns)[0]
    masked = json.loads(mask_payload(parsed, patterns)[0])
    return payload == masked
