# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Running handlers: the retry scheduled action, "Retry now", and the runner
that replay shares.

Each item's handler runs in its own savepoint, as the user who captured it,
in the item's company and with the queue's grant closed; its outcome
(resolved, retry with backoff, dead-letter, failed) and an attempt row are
written in the same transaction as the handler's own effects, so a crash
between the two loses nothing: the item simply stays due.
"""

import json
import logging
import time
from datetime import timedelta

from odoo import api, fields, models

from odoo.addons.gov_base.tools.batches import run_batch
from odoo.addons.gov_base.tools.engine import engine_paused

from ..exceptions import PERMANENT_ERRORS, GovPermanentError
from ..tools.engine import QUEUE_MODELS, queue_writes
from ..tools.failure import describe_error
from ..tools.payload import backoff_delay
from .gov_exception_attempt import ATTEMPT_KINDS

_logger = logging.getLogger(__name__)

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
    """The handler runner and the retry worker of the queue."""

    _inherit = "gov.exception.item"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _cron_retry_due(self, batch_size=RETRY_BATCH):
        """Scheduled action: run the handlers of one batch of due items.

        The handlers' effects and the items' outcomes commit together; Odoo
        calls again while items remain due. Several workers can run at once;
        each takes rows nobody else holds. Returns the batch run.
        """
        with queue_writes():
            return run_batch(
                self.env,
                self._take_due_batch,
                batch_size=batch_size,
                process_batch=lambda items: items._run_handlers("retry"),
                count_remaining=lambda: self.sudo().search_count(self._due_domain()),
            )

    @api.model
    def _due_domain(self):
        return [
            ("state", "=", "retry"),
            ("next_attempt_date", "<=", fields.Datetime.now()),
        ]

    @api.model
    def _take_due_batch(self, batch_size):
        """Lock up to ``batch_size`` due items that no other worker holds."""
        return self._lock_batch(self._due_domain(), batch_size, "next_attempt_date, id")

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
            message, _trace = describe_error(error, patterns)
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

    def action_retry_now(self):
        """Run the handlers now, as they are (single or bulk)."""
        items = self._work_as()
        items._check_replayable()
        with queue_writes():
            attempts = items._run_handlers("manual")
        items._audit_runs("exception.retry_now", attempts)
        return items._notify_outcome(attempts)
