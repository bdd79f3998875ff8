# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Answers that come later: the queue of calls to external providers, worked
off the request path by a scheduled action, and the answers of asynchronous
providers, which arrive on their own or fall back at their deadline.

The scheduled action takes its work like every worker of the suite
(``gov_base/tools/batches.py``): one batch per call, locked with SKIP LOCKED,
a savepoint per recommendation, its progress committed; Odoo calls it again
while work remains."""

import logging
import uuid
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL

from odoo.addons.gov_base.tools.batches import lock_batch, run_batch
from odoo.addons.gov_base.tools.engine import engine_paused

from ..tools import llm
from ..tools.engine import recommendation_writes
from .gov_ai_recommendation_pipeline import unanswered

_logger = logging.getLogger(__name__)

QUEUE_BATCH = 20


class GovAiRecommendation(models.Model):
    """Recommendations whose answer is not given in the transaction that
    asks: queued for the scheduled action, or waiting for an asynchronous
    provider."""

    _inherit = "gov.ai.recommendation"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # The scheduled action
    # ------------------------------------------------------------------
    def _wake_worker(self):
        """Have the scheduled action run once this transaction is committed
        (one trigger per transaction, however many questions it queues)."""
        woken = self.env.cr.precommit.data.setdefault("gov_ai.worker_woken", set())
        if self.env.cr.dbname in woken:
            return
        # the id from the cache of external ids: the trigger reads the
        # scheduled action anyway, no need to check first that it exists
        cron_id = self.env["ir.model.data"]._xmlid_to_res_id(
            "gov_ai.ir_cron_gov_ai_process", raise_if_not_found=False
        )
        if cron_id:
            self.env["ir.cron"].sudo().browse(cron_id)._trigger()
            woken.add(self.env.cr.dbname)

    @api.model
    def _history_watermark(self, record):
        """The newest id of ``record``'s model now: a queued question is
        answered against the records up to it, those that existed when it
        was asked (a bill entered later is not the original of one entered
        before it).

        Ids only grow, and the rows other transactions commit meanwhile stay
        invisible to this one: the newest id is read once per transaction
        and table (a bill saved asks two use cases), a later question counts
        the rows read then and its own record, made since (not the records
        made after it). A record created in this transaction is the newest
        this transaction sees but for those it made after it: its own id is
        the watermark."""
        if self._created_here(record):
            return record.id
        watermarks = self.env.cr.precommit.data.setdefault(
            "gov_ai.history_watermarks", {}
        )
        if record._table not in watermarks:
            [(watermark,)] = self.env.execute_query(
                SQL("SELECT max(id) FROM %s", SQL.identifier(record._table))
            )
            watermarks[record._table] = watermark or 0
        watermarks[record._table] = max(watermarks[record._table], record.id)
        return watermarks[record._table]

    def _as_asked(self, use_case):
        """``use_case`` reading the history this recommendation was asked in."""
        if not self.history_watermark:
            return use_case
        return use_case.with_context(gov_ai_history_watermark=self.history_watermark)

    def _answer_now(self):
        """Answer this queued recommendation in the current transaction (a
        caller needs the answer now); left to the scheduled action when it
        is already being answered there."""
        self.ensure_one()
        taken = self.sudo().try_lock_for_update(allow_referencing=True)
        if taken.filtered(lambda r: r.state == "queued"):
            taken._work_off_queue()

    @api.model
    def _queue_domain(self):
        """The scheduled action's work: queued recommendations to ask their
        provider about, and waiting ones whose answer is overdue."""
        overdue = Domain("state", "=", "waiting") & Domain(
            "answer_deadline", "<", fields.Datetime.now()
        )
        return Domain("state", "=", "queued") | overdue

    @api.model
    def _take_queue_batch(self, batch_size):
        return lock_batch(self.sudo(), self._queue_domain(), batch_size, order="id")

    @api.model
    def _cron_process(self, batch_size=QUEUE_BATCH):
        """Scheduled action: answer one batch of queued recommendations and
        expire the overdue ones; returns the batch."""
        with recommendation_writes():
            return run_batch(
                self.env,
                self._take_queue_batch,
                batch_size=batch_size,
                process=lambda rec: rec._work_off_queue(),
                count_remaining=lambda: self.sudo().search_count(self._queue_domain()),
                on_error=self._queue_item_failed,
            )

    def _work_off_queue(self):
        """Expire this overdue waiting recommendation, or ask the provider
        about this queued one."""
        self.ensure_one()
        if self.state == "waiting":
            return self._complete(
                unanswered(
                    "fallback",
                    self.env._(
                        "No answer from %(name)s before %(deadline)s.",
                        name=self.provider_id.name,
                        deadline=self.answer_deadline,
                    ),
                )
            )
        use_case = self._as_asked(self.use_case_id)
        record = self.env[self.res_model].browse(self.res_id).exists()
        if not record:
            return self._complete(
                unanswered("failed", self.env._("The record no longer exists."))
            )
        if use_case.provider_id._gov_ai_is_async():
            self.sudo().write({"state": "waiting"})
            return self._ask_async(use_case, record)
        return self._complete(
            self._answer_vals(
                use_case, record, self.input_data, company=self.company_id
            )
        )

    @api.model
    def _queue_item_failed(self, rec, error):
        """One bad item must not block the queue: it fails alone (its
        savepoint rolled back) and a person is told."""
        _logger.info("Queued AI recommendation %s failed", rec.id, exc_info=error)
        rec._complete(unanswered("failed", repr(error)))

    # ------------------------------------------------------------------
    # Asynchronous providers: the answer comes back later
    # ------------------------------------------------------------------
    def _ask_async(self, use_case, record):
        """Hand the question to an asynchronous provider; it answers through
        :meth:`_gov_ai_receive_answer` before the deadline, or the
        recommendation falls back."""
        self.ensure_one()
        provider = use_case.provider_id
        self.sudo().write(
            {
                "correlation_id": uuid.uuid4().hex,
                "answer_deadline": fields.Datetime.now()
                + timedelta(seconds=provider.timeout),
            }
        )
        try:
            with self.env.cr.savepoint(), engine_paused():
                provider._gov_ai_request(self, use_case, record)
        except UserError as exc:
            self._complete(unanswered("fallback", str(exc)))

    @api.model
    @api.private
    def _gov_ai_receive_answer(self, correlation_id, answer, *, company=None):
        """Complete the waiting recommendation ``correlation_id`` with the
        asynchronous provider's ``answer`` (the contract of
        :data:`~odoo.addons.gov_ai.tools.llm.ANSWER_SCHEMA`, plus optional
        ``tokens`` and ``cost``). An unusable answer ends in the fallback.

        Raises :class:`UserError` when no recommendation of ``company`` waits
        for this correlation id: the caller must not retry.
        """
        rec = self.sudo().search(
            [("correlation_id", "=", correlation_id or "-"), ("state", "=", "waiting")]
            + ([("company_id", "=", company.id)] if company else []),
            limit=1,
        )
        if not correlation_id or not rec:
            raise UserError(
                self.env._(
                    "No AI recommendation waits for the answer %s.", correlation_id
                )
            )
        rec = rec.try_lock_for_update(allow_referencing=True).filtered(
            lambda r: r.state == "waiting"
        )
        if not rec:
            raise UserError(
                self.env._(
                    "The AI recommendation %s is being answered.", correlation_id
                )
            )
        with recommendation_writes():
            rec._complete(rec._answer_vals_of(correlation_id, answer))
        return rec.with_env(self.env)

    def _answer_vals_of(self, correlation_id, answer):
        """The values an asynchronous ``answer`` gives this waiting
        recommendation; an unusable answer ends in the fallback."""
        self.ensure_one()
        use_case = self.use_case_id
        record = self.env[self.res_model].browse(self.res_id).exists()
        latency = int((fields.Datetime.now() - self.create_date).total_seconds() * 1000)
        provider = use_case.provider_id
        try:
            with provider._gov_ai_answer_contract():
                checked = llm.check_answer(answer, use_case._llm_custom_schema())
                llm.usable(checked)
        except UserError as exc:
            return unanswered("fallback", str(exc), latency_ms=latency)
        result = provider._gov_ai_llm_result(
            use_case, record, self.input_data, checked, mode="async"
        )
        result["tokens"] = _non_negative(answer.get("tokens"), int)
        result["cost"] = _non_negative(answer.get("cost"), float)
        result["evidence"]["correlation_id"] = correlation_id
        vals = self._answer_to_vals(use_case, result, company=self.company_id)
        vals["latency_ms"] = latency
        return vals


def _non_negative(value, kind):
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        return kind(0)
    return kind(value)
