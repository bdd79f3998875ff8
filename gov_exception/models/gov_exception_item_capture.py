# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Capture: how a failure enters the queue.

Secrets are masked before anything is stored, large payloads go to an
attachment, and a repeat of an open item (same fingerprint and company) is
counted on it by one ``UPDATE ... RETURNING`` instead of adding a row; the
partial unique index on open fingerprints makes that hold under concurrency.
A new item is routed by the first matching policy (owner, team, SLA, retry
schedule) and, when retryable, wakes the retry worker for its first attempt.
"""

import json
from datetime import timedelta

import psycopg2.errors

from odoo import api, fields, models
from odoo.exceptions import ConcurrencyError
from odoo.tools import SQL

from odoo.addons.gov_base.tools.engine import check_acting_user, check_granted
from odoo.addons.gov_base.tools.params import int_param

from ..tools.engine import QUEUE_MODELS, queue_writes
from ..tools.failure import describe_error, fingerprint_of
from ..tools.payload import (
    backoff_delay,
    dumps,
    mask_payload,
    mask_value,
    parse_patterns,
)
from ..tools.quiet_sql import quiet_sql_errors
from .gov_exception_item import OPEN_STATES, SEVERITY_ORDER
from .gov_exception_policy import CATEGORIES

# characters of a large payload kept on the item, the rest in an attachment
PAYLOAD_PREVIEW = 4000


class GovExceptionItem(models.Model):
    """Capture API of the queue: masking, fingerprint, dedup and routing."""

    _inherit = "gov.exception.item"  # pylint: disable=consider-merging-classes-inherited

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
        message, trace = describe_error(error, patterns)
        handler_vals = self._prepare_handler(handler)
        if not fingerprint:
            fingerprint = fingerprint_of(
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
            fingerprint = fingerprint_of([fingerprint])
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
        limit = int_param(
            self.env, "gov_exception.payload_attachment_threshold", 256 * 1024
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
    # Payload as stored, and as a handler receives it
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
