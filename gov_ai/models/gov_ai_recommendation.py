# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Recommendations: what a provider answered, what the policy made of it,
and who decided. Only the engine below creates or changes them
(``gov.engine.mixin``): asking a use case, the scheduled queue, an
asynchronous provider's answer and a reviewer's decision open its grant,
after their own checks; the private helpers never do."""

import json
import logging
import time
import uuid
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import SQL

from odoo.addons.gov_base.tools.engine import (
    check_acting_user,
    check_granted,
    engine_paused,
)

from ..tools import llm
from ..tools.engine import recommendation_writes
from .gov_ai_use_case import TASKS

_logger = logging.getLogger(__name__)

STATES = [
    ("proposed", "To Review"),
    ("accepted", "Accepted"),
    ("rejected", "Rejected"),
    ("overridden", "Overridden"),
    ("auto_applied", "Auto-Applied"),
    ("fallback", "Fallback"),
    ("failed", "Failed"),
    ("clear", "No Finding"),
    ("queued", "Queued"),
    ("waiting", "Waiting for Answer"),
    ("outdated", "Outdated"),
]
# States a recommendation is still open in (the engine may still write it).
OPEN_STATES = ("proposed", "queued", "waiting")
QUEUE_BATCH = 20
DECIDED_STATES = ("accepted", "rejected", "overridden")


class GovAiRecommendation(models.Model):
    _name = "gov.ai.recommendation"
    _description = "AI Recommendation"
    _inherit = ["mail.thread", "mail.activity.mixin", "gov.engine.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="Title", readonly=True)
    use_case_id = fields.Many2one(
        "gov.ai.use.case", required=True, readonly=True, index=True, ondelete="restrict"
    )
    task = fields.Selection(TASKS, readonly=True)
    impact = fields.Selection(related="use_case_id.impact")
    res_model = fields.Char(string="Model", required=True, readonly=True, index=True)
    res_id = fields.Many2oneReference(
        string="Record ID", model_field="res_model", readonly=True, index=True
    )
    record_name = fields.Char(string="Record", readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True
    )
    provider_id = fields.Many2one("gov.ai.provider", readonly=True)
    provider_model = fields.Char(readonly=True)
    detector_version = fields.Char(readonly=True)
    input_fingerprint = fields.Char(readonly=True, index=True)
    input_data = fields.Json(string="Minimised Input", readonly=True)
    label = fields.Char(readonly=True)
    score = fields.Float(readonly=True, digits=(16, 4))
    summary = fields.Text(readonly=True)
    suggested_action = fields.Char(readonly=True)
    confidence = fields.Float(readonly=True, digits=(3, 4), aggregator="avg")
    explanation = fields.Text(readonly=True)
    evidence = fields.Json(string="Evidence Data", readonly=True)
    evidence_text = fields.Text(string="Evidence", compute="_compute_evidence_text")
    state = fields.Selection(
        STATES, required=True, readonly=True, index=True, tracking=True
    )
    decided_by_id = fields.Many2one("res.users", readonly=True)
    decided_date = fields.Datetime(string="Decided On", readonly=True)
    decision_reason = fields.Text(readonly=True)
    override_value = fields.Char(readonly=True)
    exception_item_id = fields.Many2one("gov.exception.item", readonly=True)
    error_message = fields.Text(string="Error", readonly=True)
    latency_ms = fields.Integer(string="Latency (ms)", readonly=True, aggregator="avg")
    tokens = fields.Integer(readonly=True)
    cost = fields.Float(readonly=True, digits=(16, 6))
    correlation_id = fields.Char(
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Ties an asynchronous provider's answer to this recommendation.",
    )
    answer_deadline = fields.Datetime(
        readonly=True,
        help="An asynchronous answer not received by then ends in the fallback.",
    )

    _confidence_range = models.Constraint(
        "CHECK (confidence >= 0 AND confidence <= 1)",
        "Confidence lies between 0 and 1.",
    )

    @api.depends("evidence")
    def _compute_evidence_text(self):
        for rec in self:
            rec.evidence_text = (
                json.dumps(rec.evidence, indent=2, sort_keys=True, default=str)
                if rec.evidence
                else False
            )

    # ------------------------------------------------------------------
    # Read access follows the target record
    # ------------------------------------------------------------------
    @api.model
    def _readable_targets_domain(self):
        """Recommendations whose target record the current user may read.

        Each target model contributes a sub-query of the records the user can
        read (its access rights and record rules), so that search, counts and
        limits stay exact and stay in SQL. Models the user cannot read at all,
        and targets that no longer exist, contribute nothing.
        """
        models_seen = (
            self.env["gov.ai.use.case"]
            .sudo()
            .with_context(active_test=False)
            .search_fetch([], ["model_name"])
            .mapped("model_name")
        )
        branches = []
        for model_name in sorted(set(models_seen)):
            if model_name not in self.env:
                continue
            Target = self.env[model_name]
            if not Target.has_access("read"):
                continue
            readable = Target.with_context(active_test=False)._search([])
            branches.append(
                Domain("res_model", "=", model_name) & Domain("res_id", "in", readable)
            )
        return Domain.OR(branches) if branches else Domain.FALSE

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None, **kwargs):
        if self.env.su or kwargs.get("bypass_access"):
            return super()._search(domain, offset, limit, order, **kwargs)
        domain = Domain(domain) & self._readable_targets_domain()
        return super()._search(domain, offset, limit, order, **kwargs)

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if operation != "read" or not self._ids:
            return result
        candidates = self - result[0] if result else self
        forbidden = self.browse()
        by_model = {}
        for rec in candidates.sudo():
            by_model.setdefault(rec.res_model, {}).setdefault(rec.res_id, []).append(
                rec.id
            )
        for model_name, by_target in by_model.items():
            allowed = set()
            if model_name in self.env and self.env[model_name].has_access("read"):
                targets = self.env[model_name].browse(list(by_target)).exists()
                allowed = set(targets._filtered_access("read").ids)
            for res_id, rec_ids in by_target.items():
                if res_id not in allowed:
                    forbidden |= self.browse(rec_ids)
        if not forbidden:
            return result
        if result:
            forbidden |= result[0]
        return forbidden, lambda: AccessError(
            self.env._(
                "You may not read these AI recommendations: you cannot read"
                " the records they are about."
            )
        )

    # ------------------------------------------------------------------
    # Engine-only writes (gov.engine.mixin); a decided answer never changes
    # ------------------------------------------------------------------
    def write(self, vals):
        if set(vals) - self._gov_engine_free_fields:
            check_granted(self, "write")
            if self.sudo().filtered(lambda r: r.state not in OPEN_STATES):
                raise AccessError(
                    self.env._("A decided AI recommendation never changes.")
                )
        return super().write(vals)

    # ------------------------------------------------------------------
    # Running a use case
    # ------------------------------------------------------------------
    @api.model
    @api.private
    def _run(self, use_case, records, *, queue=False):
        """Ask ``use_case`` about each of ``records``; return the recommendations.

        With ``queue``, an external provider is not called in this
        transaction: the recommendations wait in the *Queued* state for the
        scheduled action, woken after commit (unless the use case asks for
        synchronous calls).
        """
        use_case.ensure_one()
        if not use_case.active:
            raise UserError(self.env._("Use case %s is archived.", use_case.name))
        if records._name != use_case.model_name:
            raise UserError(
                self.env._(
                    "Use case %(name)s is about %(model)s, not %(given)s.",
                    name=use_case.name,
                    model=use_case.model_name,
                    given=records._name,
                )
            )
        queue = (
            queue
            and not use_case.synchronous
            and use_case.provider_id._gov_ai_calls_out()
        )
        result = self.browse()
        with recommendation_writes():
            for record in records:
                result |= self._run_one(use_case, record, queue=queue)
        return result

    def _run_one(self, use_case, record, *, queue=False):
        provider = use_case.provider_id
        data, fingerprint = use_case._minimised_input(record)
        # asked again while an answer about the same input is still open: that
        # answer stands; open answers about an earlier input are outdated
        still_open = self._open_about(use_case, record)
        same_input = still_open.filtered(lambda r: r.input_fingerprint == fingerprint)
        if same_input:
            return same_input[:1].with_env(self.env)
        still_open._outdate()
        company = (
            record.sudo().company_id
            if "company_id" in record._fields and record.sudo().company_id
            else use_case.company_id or self.env.company
        )
        vals = {
            "use_case_id": use_case.id,
            "task": use_case.task,
            "res_model": record._name,
            "res_id": record.id,
            "record_name": record.sudo().display_name,
            "company_id": company.id,
            "provider_id": provider.id,
            "provider_model": provider.model_name or provider.kind,
            "input_fingerprint": fingerprint,
            "input_data": data,
        }
        vals["name"] = f"{use_case.name}: {vals['record_name']}"[:200]
        if queue:
            recommendation = self.sudo().create(dict(vals, state="queued"))
            recommendation._wake_worker()
            return recommendation.with_env(self.env)
        if provider._gov_ai_is_async():
            recommendation = self.sudo().create(dict(vals, state="waiting"))
            recommendation._ask_async(use_case, record)
            return recommendation.with_env(self.env)
        vals.update(self._answer_vals(use_case, record, data))
        if vals["state"] in ("fallback", "failed"):
            vals["exception_item_id"] = self._capture_fallback(
                use_case, record, vals
            ).id
        recommendation = self.sudo().create(vals)
        recommendation._after_policy(use_case, record)
        return recommendation.with_env(self.env)

    @api.model
    def _open_about(self, use_case, record):
        """Open recommendations of ``use_case`` about ``record``, newest first."""
        return self.sudo().search(
            [
                ("use_case_id", "=", use_case.id),
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
                ("state", "in", OPEN_STATES),
            ],
            order="id desc",
        )

    def _outdate(self):
        """Retire open recommendations whose record has changed since: nobody
        reviews them any more, and a late answer to them is refused."""
        if not self:
            return
        self.sudo().write({"state": "outdated"})
        self.sudo().activity_ids.unlink()

    @api.model
    def _answer_vals(self, use_case, record, data):
        """Ask the provider; the values its answer (or failure) gives."""
        vals = {}
        started = time.monotonic()
        answer = None
        try:
            # providers are other modules' code: the engine's grant is closed
            with self.env.cr.savepoint(), engine_paused():
                answer = use_case.provider_id._gov_ai_predict(use_case, record, data)
        except UserError as exc:
            vals.update(state="fallback", error_message=str(exc), confidence=0.0)
        except Exception as exc:  # a detector bug must not break the caller
            _logger.info(
                "AI use case %s failed on %s", use_case.id, record, exc_info=True
            )
            vals.update(state="failed", error_message=repr(exc), confidence=0.0)
        vals["latency_ms"] = int((time.monotonic() - started) * 1000)
        if answer is not None:
            vals.update(self._answer_to_vals(use_case, answer))
        return vals

    @api.model
    def _answer_to_vals(self, use_case, answer):
        """Recommendation values of a provider's ``answer`` (a dict, see
        :meth:`gov.ai.provider._gov_ai_predict`), with the state the policy
        gives it."""
        vals = {
            "label": answer.get("label"),
            "score": answer.get("score") or 0.0,
            "summary": answer.get("summary"),
            "suggested_action": answer.get("suggested_action"),
            "confidence": min(max(float(answer.get("confidence") or 0.0), 0.0), 1.0),
            "explanation": answer.get("explanation"),
            "evidence": answer.get("evidence"),
            "detector_version": answer.get("detector_version"),
            "tokens": answer.get("tokens") or 0,
            "cost": answer.get("cost") or 0.0,
        }
        vals["state"] = self._apply_policy(
            use_case, vals["confidence"], finding=answer.get("finding", True)
        )
        return vals

    def _complete(self, vals):
        """Give an open (queued or waiting) recommendation its answer values,
        then run the side effects of its new state, as the engine."""
        self.ensure_one()
        use_case = self.use_case_id
        record = self.env[self.res_model].browse(self.res_id).exists()
        if vals["state"] in ("fallback", "failed"):
            target = record or self.env[self.res_model].browse()
            vals["exception_item_id"] = self._capture_fallback(
                use_case,
                target,
                dict(
                    vals,
                    name=self.name,
                    input_fingerprint=self.input_fingerprint,
                    company_id=self.company_id.id,
                ),
            ).id
        self.sudo().write(vals)
        self.sudo()._after_policy(use_case, record)
        return True

    # ------------------------------------------------------------------
    # Queued calls to external providers (off the request path)
    # ------------------------------------------------------------------
    def _wake_worker(self):
        cron = self.env.ref("gov_ai.ir_cron_gov_ai_process", raise_if_not_found=False)
        if cron:
            cron.sudo()._trigger()

    @api.model
    def _cron_process(self, batch_size=QUEUE_BATCH):
        """Scheduled action: answer queued recommendations, expire unanswered
        asynchronous ones; one batch per commit."""
        cron = self.env["ir.cron"]
        self._expire_waiting(batch_size)
        while True:
            done = self._process_queued(batch_size)
            if not done:
                cron._commit_progress(remaining=0)
                return
            remaining = self.sudo().search_count([("state", "=", "queued")])
            if not cron._commit_progress(len(done), remaining=remaining):
                return

    @api.model
    def _lock_batch(self, where, batch_size):
        self.flush_model(["state", "answer_deadline"])
        rows = self.env.execute_query(
            SQL(
                "SELECT id FROM gov_ai_recommendation WHERE %s"
                " ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED",
                where,
                batch_size,
            )
        )
        return self.sudo().browse([row[0] for row in rows])

    @api.model
    def _process_queued(self, batch_size=QUEUE_BATCH):
        """Ask the provider for up to ``batch_size`` queued recommendations
        nobody else holds; return them (a step of the scheduled action)."""
        batch = self._lock_batch(SQL("state = 'queued'"), batch_size)
        with recommendation_writes():
            for rec in batch:
                try:
                    with self.env.cr.savepoint():
                        rec._process_one_queued()
                except Exception as exc:  # one bad item must not block the queue
                    _logger.info(
                        "Queued AI recommendation %s failed", rec.id, exc_info=True
                    )
                    rec._complete(
                        {
                            "state": "failed",
                            "confidence": 0.0,
                            "error_message": repr(exc),
                        }
                    )
        return batch

    def _process_one_queued(self):
        use_case = self.use_case_id
        record = self.env[self.res_model].browse(self.res_id).exists()
        if not record:
            return self._complete(
                {
                    "state": "failed",
                    "confidence": 0.0,
                    "error_message": self.env._("The record no longer exists."),
                }
            )
        if use_case.provider_id._gov_ai_is_async():
            self.sudo().write({"state": "waiting"})
            return self._ask_async(use_case, record)
        return self._complete(self._answer_vals(use_case, record, self.input_data))

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
            self._complete(
                {"state": "fallback", "confidence": 0.0, "error_message": str(exc)}
            )

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
        try:
            checked = llm.check_answer(answer, use_case._llm_custom_schema())
        except llm.AnswerError as exc:
            return {
                "state": "fallback",
                "confidence": 0.0,
                "latency_ms": latency,
                "error_message": self.env._(
                    "Unusable answer from %(name)s: %(error)s",
                    name=use_case.provider_id.name,
                    error=str(exc),
                ),
            }
        if checked["abstain"]:
            return {
                "state": "fallback",
                "confidence": 0.0,
                "latency_ms": latency,
                "error_message": self.env._(
                    "Provider %(name)s abstained: %(why)s",
                    name=use_case.provider_id.name,
                    why=checked["rationale"],
                ),
            }
        result = use_case.provider_id._gov_ai_llm_result(
            use_case, record, self.input_data, checked, mode="async"
        )
        result["tokens"] = _non_negative(answer.get("tokens"), int)
        result["cost"] = _non_negative(answer.get("cost"), float)
        result["evidence"]["correlation_id"] = correlation_id
        vals = self._answer_to_vals(use_case, result)
        vals["latency_ms"] = latency
        return vals

    @api.model
    def _expire_waiting(self, batch_size=QUEUE_BATCH):
        """Recommendations whose asynchronous answer is overdue fall back (a
        step of the scheduled action)."""
        batch = self._lock_batch(
            SQL("state = 'waiting' AND answer_deadline < %s", fields.Datetime.now()),
            batch_size,
        )
        with recommendation_writes():
            for rec in batch:
                rec._complete(
                    {
                        "state": "fallback",
                        "confidence": 0.0,
                        "error_message": self.env._(
                            "No answer from %(name)s before %(deadline)s.",
                            name=rec.provider_id.name,
                            deadline=rec.answer_deadline,
                        ),
                    }
                )
        return batch

    @api.model
    def _apply_policy(self, use_case, confidence, *, finding=True):
        """The state an answer gets. Auto-apply needs low impact, checked here
        again because a configuration can be changed behind the form's back."""
        if not finding:
            return "clear"
        if (
            use_case.auto_apply
            and use_case.impact == "low"
            and confidence >= use_case.auto_apply_threshold
        ):
            return "auto_applied"
        if confidence >= use_case.review_threshold:
            return "proposed"
        return "fallback"

    def _after_policy(self, use_case, record):
        """Side effects of the state the policy chose (as the engine)."""
        self.ensure_one()
        Audit = self.env["gov.audit.event"]
        if self.state == "proposed":
            if use_case.reviewer_id:
                self.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Review AI recommendation"),
                    note=self.summary,
                    user_id=use_case.reviewer_id.id,
                )
        elif self.state == "auto_applied":
            if record:
                self._apply_on_record(record)
            Audit.record(
                "ai.auto_applied",
                self.env._("AI recommendation applied automatically: %s", self.name),
                record=self,
                details=self._audit_details(),
                channel="system",
                company=self.company_id,
            )
        elif self.state in ("fallback", "failed"):
            Audit.record(
                f"ai.{self.state}",
                self.env._("AI recommendation fell back to a person: %s", self.name),
                record=self,
                details=self._audit_details(),
                channel="system",
                company=self.company_id,
            )

    @api.model
    def _capture_fallback(self, use_case, record, vals):
        """An exception item asking a person for the deterministic check."""
        return self.env["gov.exception.item"].capture(
            "ai_low_confidence" if vals["state"] == "fallback" else "handler",
            self.env._("AI recommendation needs the manual check: %s", vals["name"]),
            source=use_case.name,
            source_type="module",
            record=record,
            payload={
                "use_case": use_case.id,
                "confidence": vals.get("confidence"),
                "label": vals.get("label"),
                "error": vals.get("error_message"),
                "input_fingerprint": vals["input_fingerprint"],
            },
            severity="high" if use_case.impact == "high" else "medium",
            fingerprint=f"gov_ai:{use_case.id}:{record._name}:{record.id}"
            f":{vals['input_fingerprint']}",
            company=self.env["res.company"].browse(vals["company_id"]),
        )

    def _apply_on_record(self, record):
        action = self.use_case_id.apply_action_id
        if action:
            action.sudo().with_context(
                active_model=record._name,
                active_id=record.id,
                active_ids=record.ids,
                gov_ai_recommendation=self.id,
            ).run()

    def _audit_details(self):
        return {
            "use_case": self.use_case_id.id,
            "res_model": self.res_model,
            "res_id": self.res_id,
            "label": self.label,
            "confidence": self.confidence,
            "state": self.state,
            "input_fingerprint": self.input_fingerprint,
            "detector_version": self.detector_version,
            "reason": self.decision_reason,
            "override_value": self.override_value,
        }

    # ------------------------------------------------------------------
    # Human decisions
    # ------------------------------------------------------------------
    def _check_reviewer(self):
        """Approvers decide, in their own name, on proposed answers they may
        read, about records they may read."""
        check_acting_user(
            self.env, what=self.env._("a decision on an AI recommendation")
        )
        if not self.env.user.has_group("gov_base.gov_base_group_approver"):
            raise AccessError(
                self.env._("Only approvers decide on AI recommendations.")
            )
        self.check_access("read")
        for rec in self:
            if rec.state != "proposed":
                raise UserError(
                    self.env._("%s is not waiting for a review.", rec.display_name)
                )
            # a reviewer must be allowed to see what the answer is about
            target = self.env[rec.res_model].browse(rec.res_id).exists()
            if target:
                target.check_access("read")

    def _decide(self, state, reason=None, override_value=None):
        """Record a reviewer's decision; the only way out of 'proposed', and
        an entry point of the engine (its checks first)."""
        if state not in DECIDED_STATES:
            raise UserError(self.env._("Unknown decision %s.", state))
        if state in ("rejected", "overridden") and not (reason or "").strip():
            raise UserError(self.env._("Rejecting or overriding needs a reason."))
        if state == "overridden" and not (override_value or "").strip():
            raise UserError(self.env._("An override needs the value to use instead."))
        self._check_reviewer()
        with recommendation_writes():
            self._record_decisions(state, reason, override_value)
        return True

    def _record_decisions(self, state, reason, override_value):
        now = fields.Datetime.now()
        for rec in self:
            rec.sudo().write(
                {
                    "state": state,
                    "decided_by_id": self.env.uid,
                    "decided_date": now,
                    "decision_reason": reason or False,
                    "override_value": override_value or False,
                }
            )
            rec.sudo().activity_ids.action_feedback(
                feedback=self.env._("Decided: %s", dict(STATES)[state])
            )
            if state == "accepted":
                target = self.env[rec.res_model].browse(rec.res_id).exists()
                if target:
                    rec._apply_on_record(target)
            self.env["gov.audit.event"].record(
                "ai.decision",
                self.env._(
                    "AI recommendation %(name)s %(decision)s",
                    name=rec.name,
                    decision=dict(STATES)[state].lower(),
                ),
                record=rec,
                details=rec._audit_details(),
                company=rec.company_id,
            )
        return True

    def action_accept(self):
        return self._decide("accepted")

    def _action_open_decision(self, decision):
        self._check_reviewer()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Decide on AI Recommendation"),
            "res_model": "gov.ai.decision.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_recommendation_ids": self.ids,
                "default_decision": decision,
            },
        }

    def action_open_reject(self):
        return self._action_open_decision("rejected")

    def action_open_override(self):
        return self._action_open_decision("overridden")

    def action_open_record(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }


def _non_negative(value, kind):
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        return kind(0)
    return kind(value)
