# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The exception queue: one governed item per distinct failure.

Other modules call :meth:`GovExceptionItem.capture`. A repeat of an open item
(same fingerprint and company) increments its counter instead of adding a row;
a partial unique index makes that hold under concurrency. Items with a handler
are retried by a scheduled action in batches; each item runs in a savepoint and
its outcome is written in the same transaction as the handler's own effects,
so a crash between the two loses nothing: the item simply stays due.

Items and attempts are written by the queue only (``gov.engine.mixin``): the
entry points below open the queue's grant after their own checks; people
change the owner, team, severity and SLA deadline of the items they may work.
"""

import hashlib
import json
import logging
import time
import traceback
from datetime import timedelta

import psycopg2.errors

from odoo import api, fields, models
from odoo.exceptions import (
    AccessError,
    ConcurrencyError,
    UserError,
    ValidationError,
)
from odoo.tools import SQL

from odoo.addons.gov_base.models.gov_engine_mixin import GovEngineMixin
from odoo.addons.gov_base.tools.chain import canonical_json
from odoo.addons.gov_base.tools.engine import (
    check_acting_user,
    check_granted,
    engine_paused,
    is_granted,
)

from ..exceptions import PERMANENT_ERRORS, GovPermanentError
from ..tools.engine import QUEUE_MODELS, queue_writes
from ..tools.payload import (
    backoff_delay,
    dumps,
    json_diff,
    mask_payload,
    mask_text,
    mask_value,
    parse_patterns,
)
from ..tools.quiet_sql import quiet_sql_errors
from .gov_exception_attempt import ATTEMPT_KINDS
from .gov_exception_policy import CATEGORIES, SEVERITIES, SOURCE_TYPES

_logger = logging.getLogger(__name__)

STATES = [
    ("new", "New"),
    ("assigned", "Assigned"),
    ("in_progress", "In Progress"),
    ("retry", "Retry Scheduled"),
    ("resolved", "Resolved"),
    ("ignored", "Ignored"),
    ("dead", "Dead-Letter"),
]
CLOSED_STATES = ("resolved", "ignored")
# Items a repeat is folded into (the partial unique index covers these).
OPEN_STATES = tuple(code for code, _label in STATES if code not in CLOSED_STATES)
SEVERITY_ORDER = [code for code, _label in SEVERITIES]
# What people who work an item change in it through the ORM; the rest is the
# queue's (see gov.engine.mixin).
PEOPLE_FIELDS = frozenset({"owner_id", "team_id", "severity", "sla_deadline"})
PAYLOAD_PREVIEW = 4000
# What a handler run reads of its item, once per batch.
RUN_FIELDS = [
    "attempt_count",
    "category",
    "company_id",
    "handler_args",
    "handler_method",
    "handler_model",
    "handler_res_id",
    "handler_user_id",
    "max_attempts",
    "payload",
    "payload_attachment_id",
    "payload_is_json",
    "retryable",
    "source",
    "source_type",
    "state",
]
RETRY_BATCH = 100


class GovExceptionItem(models.Model):
    _name = "gov.exception.item"
    _description = "Exception Queue Item"
    _inherit = ["mail.thread", "mail.activity.mixin", "gov.engine.mixin"]
    _order = "id desc"
    _check_company_auto = True
    _gov_engine_free_fields = GovEngineMixin._gov_engine_free_fields | PEOPLE_FIELDS

    name = fields.Char(string="Summary", required=True, readonly=True)
    category = fields.Selection(CATEGORIES, required=True, readonly=True, index=True)
    severity = fields.Selection(
        SEVERITIES, required=True, default="medium", tracking=True, index=True
    )
    source_type = fields.Selection(SOURCE_TYPES, default="module", readonly=True)
    source = fields.Char(readonly=True, help="What raised the item, e.g. an endpoint.")
    res_model = fields.Char(string="Related Model", readonly=True, index=True)
    res_id = fields.Many2oneReference(
        string="Related Record ID", model_field="res_model", readonly=True
    )
    record_name = fields.Char(string="Related Record", readonly=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    owner_id = fields.Many2one(
        "res.users",
        tracking=True,
        index=True,
        domain=[("share", "=", False)],
    )
    team_id = fields.Many2one("res.groups", tracking=True)
    policy_id = fields.Many2one("gov.exception.policy", readonly=True, index=True)
    state = fields.Selection(
        STATES, required=True, default="new", readonly=True, tracking=True, index=True
    )
    sla_deadline = fields.Datetime(string="SLA Deadline", tracking=True)
    sla_breached = fields.Boolean(string="SLA Breached", readonly=True, index=True)
    # Payload: masked at capture; large ones live in an attachment.
    payload = fields.Text(readonly=True)
    payload_is_json = fields.Boolean(string="JSON Payload", readonly=True)
    original_payload = fields.Text(
        readonly=True, help="The payload as captured, kept when a replay edited it."
    )
    payload_attachment_id = fields.Many2one("ir.attachment", readonly=True)
    headers = fields.Text(readonly=True)
    error_message = fields.Text(string="Error", readonly=True)
    error_traceback = fields.Text(string="Traceback", readonly=True)
    last_error = fields.Text(readonly=True)
    correlation_id = fields.Char(readonly=True, index="btree_not_null")
    fingerprint = fields.Char(required=True, readonly=True)
    occurrence_count = fields.Integer(string="Occurrences", default=1, readonly=True)
    first_seen = fields.Datetime(readonly=True, default=fields.Datetime.now)
    last_seen = fields.Datetime(readonly=True, default=fields.Datetime.now)
    attempt_count = fields.Integer(string="Attempts", readonly=True)
    max_attempts = fields.Integer(readonly=True, default=8)
    next_attempt_date = fields.Datetime(string="Next Attempt", readonly=True)
    attempt_ids = fields.One2many("gov.exception.attempt", "item_id", readonly=True)
    # Handler: what a retry or replay runs (set by the engine only).
    handler_model = fields.Char(readonly=True)
    handler_method = fields.Char(readonly=True)
    handler_res_id = fields.Integer(readonly=True)
    handler_args = fields.Text(
        readonly=True, help="JSON: {'args': [...], 'kwargs': {...}}"
    )
    handler_user_id = fields.Many2one(
        "res.users",
        string="Run As",
        readonly=True,
        help="The handler runs as this user.",
    )
    has_handler = fields.Boolean(compute="_compute_has_handler")
    retryable = fields.Boolean(readonly=True)
    resolution_note = fields.Text(readonly=True)
    closed_by_id = fields.Many2one("res.users", readonly=True)
    closed_date = fields.Datetime(string="Closed On", readonly=True, index=True)
    age_hours = fields.Float(
        string="Age (hours)", compute="_compute_age_hours", digits=(16, 1)
    )
    sla_status = fields.Selection(
        [
            ("ok", "On time"),
            ("soon", "Due soon"),
            ("breached", "Breached"),
            ("none", "-"),
        ],
        string="SLA",
        compute="_compute_sla_status",
    )

    # A repeat of an open item must update it, never insert a twin.
    _open_fingerprint_uniq = models.UniqueIndex(
        "(fingerprint, company_id) WHERE state NOT IN ('resolved', 'ignored')",
        "An open item with this fingerprint already exists.",
    )
    _due_idx = models.Index("(next_attempt_date, id) WHERE state = 'retry'")
    _sla_idx = models.Index(
        "(sla_deadline) WHERE sla_breached IS NOT TRUE"
        " AND state NOT IN ('resolved', 'ignored')"
    )

    @api.depends("handler_model", "handler_method")
    def _compute_has_handler(self):
        for item in self:
            item.has_handler = bool(item.handler_model and item.handler_method)

    @api.depends("first_seen", "closed_date")
    def _compute_age_hours(self):
        now = fields.Datetime.now()
        for item in self:
            end = item.closed_date or now
            start = item.first_seen or item.create_date or now
            item.age_hours = (end - start).total_seconds() / 3600.0

    @api.depends("sla_deadline", "sla_breached", "state")
    def _compute_sla_status(self):
        now = fields.Datetime.now()
        for item in self:
            if item.sla_breached:
                item.sla_status = "breached"
            elif not item.sla_deadline or item.state in CLOSED_STATES:
                item.sla_status = "none"
            elif item.sla_deadline <= now:
                item.sla_status = "breached"
            elif item.sla_deadline <= now + timedelta(hours=2):
                item.sla_status = "soon"
            else:
                item.sla_status = "ok"

    # ------------------------------------------------------------------
    # ORM: people assign owners, the queue writes the rest
    # ------------------------------------------------------------------
    def write(self, vals):
        if not vals.get("owner_id") or is_granted(self._name):
            return super().write(vals)
        # a person gave new items an owner: the queue moves them on
        new = self.filtered(lambda i: i.state == "new")
        result = super().write(vals)
        if new:
            with queue_writes():
                new.write({"state": "assigned"})
        return result

    # ------------------------------------------------------------------
    # Capture API
    # ------------------------------------------------------------------
    @api.model
    @api.private
    def capture(
        self,
        category,
        summary,
        *,
        source=None,
        source_type="module",
        record=None,
        payload=None,
        headers=None,
        error=None,
        handler=None,
        retryable=False,
        severity="medium",
        correlation_id=None,
        fingerprint=None,
        company=None,
    ):
        """Put one failure in the queue and return its item.

        :param category: one of :data:`CATEGORIES`
        :param summary: one line a person can read
        :param source: what raised it (endpoint name, cron, module...)
        :param record: the related business record, if any
        :param payload: dict/list (stored as JSON), str or bytes; secrets are
            masked before storing
        :param headers: dict of request headers; secrets masked
        :param error: an exception (its traceback is kept) or a message
        :param handler: ``{"model", "method", "res_id", "args", "kwargs"}``: what
            a retry or a replay calls: ``method`` of the record ``res_id`` (or of
            the model) with ``(payload, *args, **kwargs)``
        :param retryable: whether the scheduled action retries it by itself
        :param fingerprint: what makes two captures "the same failure"; by
            default a hash of category, source, record, handler and payload
        :param company: defaults to the record's company, then the current one
        :return: the new item, or the open item this repeat was folded into
        """
        if handler:
            # the handler runs as the capturing user: nobody captures for another
            check_acting_user(
                self.env, what=self.env._("capturing an item whose handler runs as you")
            )
        if category not in dict(CATEGORIES):
            raise ValueError(f"unknown exception category {category!r}")
        if severity not in SEVERITY_ORDER:
            raise ValueError(f"unknown severity {severity!r}")
        if company is None and record and "company_id" in record._fields:
            company = record.sudo().company_id
        company = company or self.env.company
        patterns = self._mask_patterns()
        payload_text, is_json = (None, False)
        if payload is not None:
            payload_text, is_json = mask_payload(payload, patterns)
        headers_text = dumps(mask_value(dict(headers), patterns)) if headers else False
        message, trace = _describe_error(error, patterns)
        handler_vals = self._prepare_handler(handler)
        if not fingerprint:
            fingerprint = _hash(
                [
                    category,
                    source_type,
                    source,
                    record._name if record else None,
                    record.id if record else None,
                    handler_vals.get("handler_model"),
                    handler_vals.get("handler_method"),
                    handler_vals.get("handler_res_id"),
                    handler_vals.get("handler_args"),
                    payload_text,
                ]
            )
        elif len(fingerprint) > 128:
            fingerprint = _hash([fingerprint])
        with queue_writes():
            return self._capture_one(
                fingerprint,
                company,
                message,
                {
                    "name": (summary or category)[:500],
                    "category": category,
                    "severity": severity,
                    "source": source or False,
                    "source_type": source_type,
                    "res_model": record._name if record else False,
                    "res_id": record.id if record else False,
                    "record_name": record.sudo().display_name if record else False,
                    "company_id": company.id,
                    "headers": headers_text,
                    "error_message": message,
                    "error_traceback": trace,
                    "last_error": message,
                    "correlation_id": correlation_id or False,
                    "fingerprint": fingerprint,
                    "retryable": bool(retryable and handler_vals),
                    **handler_vals,
                    **self._payload_vals(payload_text, is_json),
                },
                retry_after=getattr(error, "retry_after", None),
            )

    @api.model
    def _capture_one(self, fingerprint, company, message, vals, retry_after=None):
        """Fold a repeat into its open item, or insert the routed item."""
        repeated = self._fold_repeat(fingerprint, company.id, message)
        if repeated:
            return repeated
        route = self.env["gov.exception.policy"]._route(
            vals["category"], vals["source_type"], vals["source"], company.id
        )
        now = fields.Datetime.now()
        vals.update(
            severity=route["severity"] or vals["severity"],
            owner_id=route["owner_id"],
            team_id=route["team_id"],
            policy_id=route["policy_id"],
            sla_deadline=now + timedelta(hours=route["sla_hours"])
            if route["sla_hours"]
            else False,
            first_seen=now,
            last_seen=now,
            max_attempts=route["max_attempts"],
        )
        if vals["retryable"] and route["max_attempts"] > 0:
            vals["state"] = "retry"
            vals["next_attempt_date"] = now + timedelta(
                seconds=backoff_delay(
                    1,
                    route["backoff_base"],
                    route["backoff_factor"],
                    route["backoff_max"],
                    route["backoff_jitter"],
                    retry_after=retry_after,
                )
            )
        elif vals["owner_id"]:
            vals["state"] = "assigned"
        item = self._insert_or_fold(vals, message)
        if item.state == "retry":
            self._wake_retry_worker(item.next_attempt_date)
        return item

    @api.model
    def _mask_patterns(self):
        text = (
            self.env["ir.config_parameter"].sudo().get_param("gov_exception.mask_keys")
        )
        return parse_patterns(text)

    @api.model
    def _prepare_handler(self, handler):
        if not handler:
            return {}
        model = handler.get("model")
        method = handler.get("method")
        if model not in self.env or not method or not hasattr(self.env[model], method):
            raise ValueError(f"unknown exception handler {model}.{method}")
        if model in QUEUE_MODELS:
            # a handler runs inside the queue's grant: never on the queue itself
            raise ValueError(f"the exception queue cannot be its own handler: {model}")
        args = {
            "args": list(handler.get("args") or []),
            "kwargs": handler.get("kwargs") or {},
        }
        return {
            "handler_model": model,
            "handler_method": method,
            "handler_res_id": handler.get("res_id") or 0,
            "handler_args": json.dumps(args, sort_keys=True, default=str),
            "handler_user_id": self.env.uid,
        }

    @api.model
    def _payload_vals(self, payload_text, is_json):
        if payload_text is None:
            return {"payload": False, "payload_is_json": False}
        limit = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("gov_exception.payload_attachment_threshold", 256 * 1024)
        )
        if len(payload_text.encode()) <= limit:
            return {"payload": payload_text, "payload_is_json": is_json}
        return {
            "payload": payload_text[:PAYLOAD_PREVIEW],
            "payload_is_json": is_json,
            "_payload_full": payload_text,
        }

    @api.model
    def _fold_repeat(self, fingerprint, company_id, message):
        """Count a repeat on the open item with this fingerprint, if visible."""
        check_granted(self, "write")
        self.flush_model(["state", "fingerprint", "company_id", "occurrence_count"])
        query = SQL(
            """UPDATE gov_exception_item
                      SET occurrence_count = occurrence_count + 1,
                          last_seen = %(now)s,
                          last_error = COALESCE(%(message)s, last_error),
                          write_date = %(now)s,
                          write_uid = %(uid)s
                    WHERE fingerprint = %(fingerprint)s
                      AND company_id = %(company)s
                      AND state IN %(open)s
                RETURNING id""",
            now=fields.Datetime.now(),
            message=message or None,
            uid=self.env.uid,
            fingerprint=fingerprint,
            company=company_id,
            open=OPEN_STATES,
        )
        # Two transactions counting the same row at once: the later one gets a
        # serialization failure, which the request or job layer retries. It is
        # an expected outcome, not an error worth logging.
        self.env.cr.execute(query, log_exceptions=False)
        row = self.env.cr.fetchone()
        if not row:
            return None
        item = self.browse(row[0])
        item.invalidate_recordset(
            ["occurrence_count", "last_seen", "last_error", "write_date", "write_uid"]
        )
        return item

    @api.model
    def _insert_or_fold(self, vals, message):
        full_payload = vals.pop("_payload_full", None)
        try:
            with quiet_sql_errors(), self.env.cr.savepoint():
                item = (
                    self.sudo()
                    .with_context(mail_create_nolog=True, tracking_disable=True)
                    .create(vals)
                )
        except psycopg2.errors.UniqueViolation:
            # Another transaction inserted the same failure first.
            item = self._fold_repeat(vals["fingerprint"], vals["company_id"], message)
            if not item:
                # Its row is not in our snapshot: retry the whole transaction.
                raise ConcurrencyError(
                    "concurrent capture of the same exception fingerprint"
                ) from None
            return item
        if full_payload is not None:
            extension = "json" if vals["payload_is_json"] else "txt"
            attachment = (
                self.env["ir.attachment"]
                .sudo()
                .create(
                    {
                        "name": f"payload-{item.id}.{extension}",
                        "raw": full_payload.encode(),
                        "res_model": self._name,
                        "res_id": item.id,
                        "mimetype": "application/json"
                        if vals["payload_is_json"]
                        else "text/plain",
                    }
                )
            )
            item.write({"payload_attachment_id": attachment.id})
        return item.with_env(self.env)

    @api.model
    def _wake_retry_worker(self, when=None):
        cron = self.env.ref(
            "gov_exception.ir_cron_gov_exception_retry", raise_if_not_found=False
        )
        if cron:
            cron.sudo()._trigger(when)

    # ------------------------------------------------------------------
    # Payload helpers
    # ------------------------------------------------------------------
    def _get_payload_text(self):
        self.ensure_one()
        if self.payload_attachment_id:
            return self.payload_attachment_id.sudo().raw.decode("utf-8", "replace")
        return self.payload or ""

    def _get_payload(self):
        """The payload as the handler receives it (parsed when JSON)."""
        text = self._get_payload_text()
        if self.payload_is_json and text:
            return json.loads(text)
        return text or None

    # ------------------------------------------------------------------
    # Running handlers (retry worker, retry now, replay)
    # ------------------------------------------------------------------
    @api.model
    def _cron_retry_due(self, batch_size=RETRY_BATCH):
        """Scheduled action: run the handlers of due items, batch by batch.

        Each batch is one transaction: the handlers' effects and the items'
        outcomes commit together. Several workers can run at once; each takes
        rows nobody else holds.
        """
        with queue_writes():
            self._retry_due_batches(batch_size)

    @api.model
    def _retry_due_batches(self, batch_size):
        cron = self.env["ir.cron"]
        conflicts = 0
        while True:
            try:
                with quiet_sql_errors():
                    items = self._take_due_batch(batch_size)
            except psycopg2.errors.SerializationFailure:
                # another worker committed a row we were about to lock;
                # nothing of ours is pending: start a fresh transaction
                self.env.cr.rollback()
                conflicts += 1
                if conflicts > 10:
                    return
                continue
            if not items:
                cron._commit_progress(remaining=0)
                return
            items._run_handlers("retry")
            remaining = self.sudo().search_count(self._due_domain())
            if not cron._commit_progress(len(items), remaining=remaining):
                return

    @api.model
    def _due_domain(self):
        return [
            ("state", "=", "retry"),
            ("next_attempt_date", "<=", fields.Datetime.now()),
        ]

    @api.model
    def _take_due_batch(self, batch_size):
        """Lock up to ``batch_size`` due items that no other worker holds."""
        self.flush_model(["state", "next_attempt_date"])
        rows = self.env.execute_query(
            SQL(
                """SELECT id FROM gov_exception_item
                    WHERE state = 'retry' AND next_attempt_date <= %s
                 ORDER BY next_attempt_date, id
                    LIMIT %s
                      FOR UPDATE SKIP LOCKED""",
                fields.Datetime.now(),
                batch_size,
            )
        )
        return self.sudo().browse([row[0] for row in rows])

    def _run_handlers(self, kind, payload_override=None):
        """Run each item's handler in its own savepoint and record the outcome.

        The handler's effects and the outcome are written in one transaction:
        if the process dies before the commit, both vanish together and the
        item is still due. What the runs need is read once for the batch, as a
        failed handler's savepoint rollback empties the record cache.
        """
        rows = {row["id"]: row for row in self.read(RUN_FIELDS, load=None)}
        patterns = self._mask_patterns()
        envs = {}
        attempts = []
        for item in self:
            row = rows[item.id]
            key = (row["handler_user_id"] or self.env.uid, row["company_id"])
            if key not in envs:
                envs[key] = self.env(
                    user=key[0],
                    context=dict(self.env.context, allowed_company_ids=[key[1]]),
                )
            attempts.append(
                item._run_one(row, envs[key], kind, payload_override, patterns)
            )
        if attempts:
            self.env["gov.exception.attempt"].sudo().create(attempts)
            dead = {a["item_id"]: a for a in attempts if a["outcome"] == "dead"}
            if dead:
                self.browse(list(dead)).sudo()._message_log_batch(
                    bodies={
                        item_id: self.env._(
                            "Moved to dead-letter after %(count)s attempt(s):"
                            " %(error)s",
                            count=rows[item_id]["attempt_count"] + 1,
                            error=attempt["error"],
                        )
                        for item_id, attempt in dead.items()
                    }
                )
        return attempts

    def _run_one(self, row, handler_env, kind, payload_override, patterns):
        started = time.monotonic()
        now = fields.Datetime.now()
        attempt_number = row["attempt_count"] + 1
        error = None
        try:
            if payload_override is not None:
                payload = payload_override
            elif row["payload_attachment_id"]:
                payload = self._get_payload()
            elif row["payload_is_json"] and row["payload"]:
                payload = json.loads(row["payload"])
            else:
                payload = row["payload"] or None
            handler = self._resolve_handler(row, handler_env)
            args = json.loads(row["handler_args"] or "{}")
            # the handler is other people's code: the queue's grant is closed
            with self.env.cr.savepoint(), engine_paused():
                handler(payload, *args.get("args", []), **args.get("kwargs", {}))
                self.env.flush_all()
        except Exception as exc:  # noqa: BLE001 - every failure is an outcome
            error = exc
        vals = {"attempt_count": attempt_number}
        attempt = {
            "item_id": row["id"],
            "attempt_date": now,
            "user_id": self.env.uid,
            "kind": kind,
            "duration_ms": int((time.monotonic() - started) * 1000),
        }
        if error is None:
            vals.update(
                state="resolved",
                next_attempt_date=False,
                closed_date=now,
                closed_by_id=self.env.uid,
                resolution_note=self.env._(
                    "Handler succeeded (%(kind)s).", kind=dict(ATTEMPT_KINDS)[kind]
                ),
            )
            attempt["outcome"] = "success"
        else:
            message, _trace = _describe_error(error, patterns)
            vals["last_error"] = message
            attempt["error"] = message
            retry = (
                row["retryable"]
                and not isinstance(error, PERMANENT_ERRORS)
                and attempt_number < row["max_attempts"]
            )
            if retry:
                route = self.env["gov.exception.policy"]._route(
                    row["category"],
                    row["source_type"],
                    row["source"],
                    row["company_id"],
                )
                delay = backoff_delay(
                    attempt_number,
                    route["backoff_base"],
                    route["backoff_factor"],
                    route["backoff_max"],
                    route["backoff_jitter"],
                    retry_after=getattr(error, "retry_after", None),
                )
                vals.update(
                    state="retry", next_attempt_date=now + timedelta(seconds=delay)
                )
                attempt.update(
                    outcome="retry", next_attempt_date=vals["next_attempt_date"]
                )
            elif kind == "retry" or row["state"] in ("retry", "dead"):
                vals.update(state="dead", next_attempt_date=False)
                attempt["outcome"] = "dead"
            else:
                attempt["outcome"] = "failed"
            _logger.info(
                "exception item %s: handler failed (%s): %s", row["id"], kind, message
            )
        self.sudo().with_context(tracking_disable=True).write(vals)
        return attempt

    def _resolve_handler(self, row, handler_env):
        if not (row["handler_model"] and row["handler_method"]):
            raise GovPermanentError(self.env._("This item has no handler to run."))
        if row["handler_model"] in QUEUE_MODELS:
            raise GovPermanentError(
                self.env._("The exception queue cannot be its own handler.")
            )
        if row["handler_model"] not in handler_env:
            raise GovPermanentError(
                self.env._(
                    "The handler model %s is not installed.", row["handler_model"]
                )
            )
        model = handler_env[row["handler_model"]].with_context(
            gov_exception_item_id=row["id"]
        )
        target = model.browse(row["handler_res_id"]) if row["handler_res_id"] else model
        return getattr(target, row["handler_method"])

    # ------------------------------------------------------------------
    # User actions
    # ------------------------------------------------------------------
    def _check_open(self):
        closed = self.filtered(lambda i: i.state in CLOSED_STATES)
        if closed:
            raise UserError(
                self.env._(
                    "%s is already closed.", ", ".join(closed.mapped("display_name"))
                )
            )

    def _work_as(self):
        """Check the current user may work these items; return them in sudo.

        Integration Managers work every item; other users only the items they
        own or whose team they belong to. Auditors never change anything.
        Everyone works in their own name.
        """
        check_acting_user(self.env, what=self.env._("working exception items"))
        user = self.env.user
        self.check_access("read")
        if not user.has_group("gov_base.gov_base_group_integration_manager"):
            if user.has_group("gov_base.gov_base_group_auditor"):
                raise AccessError(
                    self.env._("Auditors read the queue; they do not work it.")
                )
            groups = user.all_group_ids
            foreign = self.filtered(
                lambda i: (
                    i.owner_id != user and (not i.team_id or i.team_id not in groups)
                )
            )
            if foreign:
                raise AccessError(
                    self.env._(
                        "You can only work items you own or your team owns: %s",
                        ", ".join(foreign.mapped("display_name")),
                    )
                )
        return self.sudo()

    def action_assign_to_me(self):
        items = self._work_as()
        items._check_open()
        with queue_writes():
            items.write({"owner_id": self.env.uid})
            items.filtered(lambda i: i.state == "new").write({"state": "assigned"})
        return True

    def action_start(self):
        items = self._work_as()
        items._check_open()
        with queue_writes():
            items.filtered(lambda i: not i.owner_id).write({"owner_id": self.env.uid})
            items.write({"state": "in_progress"})
        return True

    def action_retry_now(self):
        """Run the handlers now, as they are (single or bulk)."""
        items = self._work_as()
        items._check_replayable()
        with queue_writes():
            attempts = items._run_handlers("manual")
        items._audit_runs("exception.retry_now", attempts)
        return items._notify_outcome(attempts)

    def action_replay(self):
        """Replay as-is (single or bulk by filter); the form also offers editing."""
        items = self._work_as()
        items._check_replayable()
        with queue_writes():
            attempts = items._run_handlers("replay")
        items._audit_runs("exception.replay", attempts)
        return items._notify_outcome(attempts)

    def action_open_replay_wizard(self):
        self.ensure_one()
        self._work_as()._check_replayable()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Edit and Replay"),
            "res_model": "gov.exception.replay.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_item_id": self.id},
        }

    def action_open_close_wizard(self):
        self._work_as()._check_open()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Close Items"),
            "res_model": "gov.exception.close.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_item_ids": self.ids,
                "default_resolution": self.env.context.get("gov_close_as", "resolved"),
            },
        }

    def action_open_record(self):
        self.ensure_one()
        if not (self.res_model and self.res_id and self.res_model in self.env):
            return False
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }

    def _check_replayable(self):
        self._check_open()
        missing = self.filtered(lambda i: not i.has_handler)
        if missing:
            raise UserError(
                self.env._(
                    "These items have no handler to run again: %s",
                    ", ".join(missing.mapped("display_name")),
                )
            )

    def replay_with_payload(self, payload_text):
        """Replay one item with an edited payload; the edit is audited."""
        self.ensure_one()
        item = self._work_as()
        with queue_writes():
            return item._replay_with_payload(payload_text)

    def _replay_with_payload(self, payload_text):
        self._check_replayable()
        if self.payload_is_json:
            try:
                new_payload = json.loads(payload_text or "null")
            except ValueError as exc:
                raise ValidationError(
                    self.env._("The payload is not valid JSON: %s", exc)
                ) from exc
            old_payload = self._get_payload()
            diff = json_diff(old_payload, new_payload)
            new_text = dumps(new_payload)
        else:
            new_payload = payload_text or ""
            old_payload = self._get_payload_text()
            diff = (
                [] if old_payload == new_payload else [("$", old_payload, new_payload)]
            )
            new_text = new_payload
        vals = {}
        if diff:
            if not self.original_payload:
                vals["original_payload"] = self._get_payload_text()
            vals.update(self._payload_vals(new_text, self.payload_is_json))
            full = vals.pop("_payload_full", None)
            attachment = self.payload_attachment_id
            if full is None and attachment:
                vals["payload_attachment_id"] = False
            # the item first: outside the queue's grant nothing is written
            self.write(vals)
            if full is not None:
                attachment.sudo().raw = full.encode()
        attempts = self._run_handlers(
            "edited_replay" if diff else "replay", new_payload
        )
        self._audit_runs(
            "exception.replay",
            attempts,
            extra={"payload_diff": [list(change) for change in diff]},
        )
        return attempts[0]

    def close_items(self, resolution, note):
        """Resolve or ignore without replay; a note is required."""
        if resolution not in CLOSED_STATES:
            raise UserError(self.env._("Items are closed as resolved or ignored."))
        if not (note or "").strip():
            raise UserError(
                self.env._("Say why these items are closed without replay.")
            )
        items = self._work_as()
        with queue_writes():
            return items._close_items(resolution, note)

    def _close_items(self, resolution, note):
        self._check_open()
        self.write(
            {
                "state": resolution,
                "resolution_note": note.strip(),
                "closed_by_id": self.env.uid,
                "closed_date": fields.Datetime.now(),
                "next_attempt_date": False,
            }
        )
        self.activity_unlink(["gov_exception.mail_activity_type_exception"])
        Event = self.env["gov.audit.event"]
        for item in self:
            Event.record(
                f"exception.{resolution}",
                self.env._(
                    "%(item)s %(state)s: %(note)s",
                    item=item.name,
                    state=resolution,
                    note=note.strip(),
                )[:1000],
                record=item,
                details={"note": note.strip(), "category": item.category},
                correlation_id=item.correlation_id or None,
            )
        return True

    def _audit_runs(self, event_type, attempts, extra=None):
        Event = self.env["gov.audit.event"]
        by_item = {attempt["item_id"]: attempt for attempt in attempts}
        for item in self:
            attempt = by_item.get(item.id)
            if not attempt:
                continue
            details = {
                "outcome": attempt["outcome"],
                "error": attempt.get("error"),
                **(extra or {}),
            }
            Event.record(
                event_type,
                self.env._(
                    "%(item)s run again by hand: %(outcome)s",
                    item=item.name,
                    outcome=attempt["outcome"],
                ),
                record=item,
                details=details,
                correlation_id=item.correlation_id or None,
            )

    def _notify_outcome(self, attempts):
        succeeded = sum(1 for a in attempts if a["outcome"] == "success")
        failed = len(attempts) - succeeded
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if not failed else "warning",
                "message": self.env._(
                    "%(ok)s succeeded, %(failed)s failed.", ok=succeeded, failed=failed
                ),
                "next": {"type": "ir.actions.act_window_close"}
                if len(self) > 1
                else {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    # ------------------------------------------------------------------
    # SLA
    # ------------------------------------------------------------------
    @api.model
    def _cron_check_sla(self, batch_size=200):
        """Flag breached items, raise their severity, tell owner and team."""
        cron = self.env["ir.cron"]
        domain = [
            ("state", "not in", CLOSED_STATES),
            ("sla_breached", "=", False),
            ("sla_deadline", "<=", fields.Datetime.now()),
        ]
        while True:
            candidates = self.sudo().search(
                domain, limit=batch_size * 2, order="sla_deadline, id"
            )
            items = candidates.try_lock_for_update(limit=batch_size)
            if not items:
                cron._commit_progress(remaining=0)
                return
            with queue_writes():
                items._flag_sla_breach()
            remaining = max(self.sudo().search_count(domain), 0)
            if not cron._commit_progress(len(items), remaining=remaining):
                return

    def _flag_sla_breach(self):
        self.write({"sla_breached": True})
        groups = {
            severity: self.filtered(lambda i, s=severity: i.severity == s)
            for severity in SEVERITY_ORDER[:-1]
        }
        for severity, group in groups.items():
            if group:
                raised = SEVERITY_ORDER[SEVERITY_ORDER.index(severity) + 1]
                group.write({"severity": raised})
        for item in self:
            deadline = fields.Datetime.to_string(item.sla_deadline)
            if item.owner_id:
                item.activity_schedule(
                    "gov_exception.mail_activity_type_exception",
                    user_id=item.owner_id.id,
                    summary=self.env._("SLA breached"),
                    note=self.env._("This item was due by %s.", deadline),
                )
            partners = item.team_id.sudo().all_user_ids.filtered("active").partner_id
            if not partners and item.owner_id:
                partners = item.owner_id.partner_id
            item.message_post(
                body=self.env._(
                    "SLA breached: the item was due by %(deadline)s;"
                    " severity is now %(severity)s.",
                    deadline=deadline,
                    severity=dict(SEVERITIES)[item.severity],
                ),
                partner_ids=partners.ids,
                subtype_xmlid="mail.mt_comment",
                message_type="notification",
            )

    @api.private
    def notify_group(self, group_xmlid):
        """Post a message on each item for the members of a group (used by rules)."""
        group = self.env.ref(group_xmlid, raise_if_not_found=False)
        if not group:
            return False
        partners = group.sudo().all_user_ids.filtered("active").partner_id
        for item in self:
            item.sudo().message_post(
                body=self.env._(
                    "%(severity)s exception: %(name)s",
                    severity=dict(SEVERITIES)[item.severity],
                    name=item.name,
                ),
                partner_ids=partners.ids,
                subtype_xmlid="mail.mt_comment",
                message_type="notification",
            )
        return True

    # ------------------------------------------------------------------
    # Retention
    # ------------------------------------------------------------------
    @api.autovacuum
    def _gc_closed_items(self, chunk=1000):
        """Remove resolved and ignored items past the retention age.

        Dead-letter items are never removed automatically. Returns
        ``(done, remaining)`` so that the vacuum comes back for the rest.
        """
        days = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("gov_exception.retention_days", 90)
        )
        if days <= 0:
            return 0, 0
        domain = [
            ("state", "in", CLOSED_STATES),
            ("closed_date", "<", fields.Datetime.now() - timedelta(days=days)),
        ]
        items = self.sudo().search(domain, limit=chunk, order="closed_date, id")
        done = len(items)
        if items:
            # the ORM removes their messages and attachments with them
            with queue_writes():
                items.unlink()
        remaining = self.sudo().search_count(domain) if done == chunk else 0
        return done, remaining

    # ------------------------------------------------------------------
    # Demo data
    # ------------------------------------------------------------------
    @api.model
    def _create_demo_items(self):
        """A few realistic items for the demo database."""
        partner = self.env.ref("base.res_partner_12", raise_if_not_found=False)
        self.capture(
            "malformed",
            "Order webhook: body is not valid JSON",
            source="shop-orders",
            source_type="endpoint",
            payload='{"order": 1042, "total": 12.5,',
            headers={
                "Content-Type": "application/json",
                "Authorization": "Bearer sk_live_demo",
            },
            error="Expecting property name enclosed in double quotes: line 1 column 31",
            severity="high",
            correlation_id="evt_demo_1042",
        )
        if partner:
            self.capture(
                "handler",
                "CRM contact sync: the update was refused",
                source="crm-contacts",
                source_type="endpoint",
                record=partner,
                payload={"phone": "+32 2 555 01 01", "website": "htp:/broken"},
                error="Invalid website address",
                handler={
                    "model": "res.partner",
                    "method": "write",
                    "res_id": partner.id,
                },
                severity="medium",
            )
        self.capture(
            "business_rule",
            "Vendor bank account changed without a second pair of eyes",
            source="Vendor bank change",
            source_type="automation",
            record=partner,
            payload={
                "old_iban": "BE71 0961 2345 6769",
                "new_iban": "FR76 3000 6000 0112 3456 7890 189",
            },
            severity="medium",
        )
        return True


def _hash(parts):
    return hashlib.sha256(canonical_json(parts).encode()).hexdigest()


def _describe_error(error, patterns):
    """``(message, traceback)`` of an exception or a message, secrets masked."""
    if error is None:
        return False, False
    if isinstance(error, BaseException):
        message = str(error) or error.__class__.__name__
        trace = (
            "".join(traceback.format_exception(error)) if error.__traceback__ else ""
        )
        message = f"{error.__class__.__name__}: {message}"
    else:
        message, trace = str(error), ""
    return mask_text(message, patterns)[:4000], mask_text(trace, patterns) or False
