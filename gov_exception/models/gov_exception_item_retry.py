# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Running handlers: the retry scheduled action, and the runner that the
buttons of ``gov_exception_item_replay.py`` share.

Each item's handler runs in its own savepoint, as the user who captured it,
in the item's company and with the queue's grant closed; its outcome
(resolved, retry with backoff, dead-letter, failed) and an attempt row are
written in the same transaction as the handler's own effects, so a crash
between the two loses nothing: the item simply stays due.
"""

import json
import logging
import time
from collections import defaultdict
from datetime import timedelta
from functools import partial

from odoo import api, fields, models

from odoo.addons.gov_base.tools.batches import run_batch
from odoo.addons.gov_base.tools.engine import check_granted, engine_paused

from ..exceptions import GovPermanentError
from ..tools.engine import QUEUE_MODELS, queue_writes
from ..tools.failure import HandlerFailure, run_outcome
from ..tools.payload import backoff_delay
from ..tools.savepoints import SavepointChain
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
        """Run each item's handler in its own savepoint, then write the
        outcomes of the whole batch; return the attempts (as dicts).

        The handlers' effects and the outcomes are written in one transaction:
        if the process dies before the commit, both vanish together and the
        items are still due. What the runs need is read once for the batch
        (a failed handler's rollback empties the record cache), and the
        writes are grouped: one ``create`` for the attempts, one ``write`` per
        set of identical values.
        """
        check_granted(self, "write")
        rows = self.read(RUN_FIELDS, load=None)
        patterns = self._mask_patterns()
        # handler records of one model are read together, once per rollback
        targets = defaultdict(list)
        for row in rows:
            if row["handler_res_id"]:
                targets[row["handler_model"]].append(row["handler_res_id"])
        envs = {}
        runs = []
        with SavepointChain(self.env.cr) as savepoints:
            for row in rows:
                # the handler runs as the user who captured, in the item's company
                key = (row["handler_user_id"] or self.env.uid, row["company_id"])
                if key not in envs:
                    envs[key] = self.env(
                        user=key[0],
                        context=dict(self.env.context, allowed_company_ids=[key[1]]),
                    )
                started = time.monotonic()
                failure = savepoints.run(
                    partial(
                        self._call_handler,
                        row,
                        envs[key],
                        payload_override,
                        targets[row["handler_model"]],
                    ),
                    on_error=partial(HandlerFailure.of, patterns=patterns),
                )
                runs.append((row, failure, time.monotonic() - started))
        return self._record_runs(kind, runs)

    def _call_handler(self, row, handler_env, payload_override, prefetch_ids=()):
        """Call the handler of the item ``row`` (a dict of ``RUN_FIELDS``) in
        ``handler_env``, reading its record with ``prefetch_ids``."""
        if payload_override is not None:
            payload = payload_override
        elif row["payload_attachment_id"]:
            payload = self.browse(row["id"])._get_payload()
        elif row["payload_is_json"] and row["payload"]:
            payload = json.loads(row["payload"])
        else:
            payload = row["payload"] or None
        handler = self._resolve_handler(row, handler_env, prefetch_ids)
        args = json.loads(row["handler_args"] or "{}")
        # the handler is other people's code: the queue's grant is closed
        with engine_paused():
            handler(payload, *args.get("args", []), **args.get("kwargs", {}))

    def _record_runs(self, kind, runs):
        """Write what the runs ``[(row, failure, seconds)]`` of ``kind`` left:
        the items' outcomes, an attempt each, a note on dead-lettered items."""
        now = fields.Datetime.now()
        succeeded = {
            "state": "resolved",
            "next_attempt_date": False,
            "closed_date": now,
            "closed_by_id": self.env.uid,
            "resolution_note": self.env._(
                "Handler succeeded (%(kind)s).", kind=dict(ATTEMPT_KINDS)[kind]
            ),
        }
        updates = defaultdict(list)
        attempts = []
        dead_notes = {}
        for row, failure, seconds in runs:
            number = row["attempt_count"] + 1
            outcome = run_outcome(
                failure,
                kind=kind,
                state=row["state"],
                retryable=row["retryable"],
                attempt=number,
                max_attempts=row["max_attempts"],
            )
            vals = {"attempt_count": number}
            attempt = {
                "item_id": row["id"],
                "company_id": row["company_id"],
                "attempt_date": now,
                "user_id": self.env.uid,
                "kind": kind,
                "outcome": outcome,
                "duration_ms": int(seconds * 1000),
            }
            if outcome == "success":
                vals.update(succeeded)
            else:
                vals["last_error"] = attempt["error"] = failure.message
                _logger.info(
                    "exception item %s: handler failed (%s): %s",
                    row["id"],
                    kind,
                    failure.message,
                )
            if outcome == "retry":
                vals["state"] = "retry"
                vals["next_attempt_date"] = attempt["next_attempt_date"] = (
                    now + timedelta(seconds=self._retry_delay(row, number, failure))
                )
            elif outcome == "dead":
                vals.update(state="dead", next_attempt_date=False)
                dead_notes[row["id"]] = self.env._(
                    "Moved to dead-letter after %(count)s attempt(s): %(error)s",
                    count=number,
                    error=failure.message,
                )
            updates[tuple(sorted(vals.items()))].append(row["id"])
            attempts.append(attempt)
        items = self.sudo().with_context(tracking_disable=True)
        # what the handlers' rollbacks emptied, read again at once for the
        # writes below (automation rules compare old and new values)
        items.fetch()
        for vals, ids in updates.items():
            items.browse(ids).with_prefetch(self._prefetch_ids).write(dict(vals))
        self.env["gov.exception.attempt"].sudo().create(attempts)
        if dead_notes:
            items.browse(list(dead_notes))._message_log_batch(bodies=dead_notes)
        return attempts

    def _retry_delay(self, row, attempt, failure):
        """Seconds before the next attempt, by the schedule of the item's route."""
        route = self.env["gov.exception.policy"]._route(
            row["category"], row["source_type"], row["source"], row["company_id"]
        )
        return backoff_delay(
            attempt,
            route["backoff_base"],
            route["backoff_factor"],
            route["backoff_max"],
            route["backoff_jitter"],
            retry_after=failure.retry_after,
        )

    def _resolve_handler(self, row, handler_env, prefetch_ids=()):
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
        target = model
        if row["handler_res_id"]:
            target = model.browse(row["handler_res_id"]).with_prefetch(prefetch_ids)
        return getattr(target, row["handler_method"])
