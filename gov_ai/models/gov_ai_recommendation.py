# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Recommendations: what a provider answered, what the policy made of it,
and who decided. Only the engine below creates or changes them."""

import json
import logging
import time

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain

from .gov_ai_use_case import TASKS

_logger = logging.getLogger(__name__)

# A Python object cannot travel through JSON-RPC: no caller can forge it.
_ENGINE = object()

STATES = [
    ("proposed", "To Review"),
    ("accepted", "Accepted"),
    ("rejected", "Rejected"),
    ("overridden", "Overridden"),
    ("auto_applied", "Auto-Applied"),
    ("fallback", "Fallback"),
    ("failed", "Failed"),
    ("clear", "No Finding"),
]
DECIDED_STATES = ("accepted", "rejected", "overridden")
# Bookkeeping of mail.thread that is not a decision.
FREE_FIELDS = frozenset(
    {"message_main_attachment_id", "activity_ids", "message_follower_ids"}
)


class GovAiRecommendation(models.Model):
    _name = "gov.ai.recommendation"
    _description = "AI Recommendation"
    _inherit = ["mail.thread", "mail.activity.mixin"]
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
    confidence = fields.Float(readonly=True, digits=(3, 4))
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
    latency_ms = fields.Integer(string="Latency (ms)", readonly=True)
    tokens = fields.Integer(readonly=True)
    cost = fields.Float(readonly=True, digits=(16, 6))

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
    # Engine-only writes
    # ------------------------------------------------------------------
    def _engine(self):
        return self.sudo().with_context(gov_ai_engine=_ENGINE)

    def _is_engine(self):
        return self.env.context.get("gov_ai_engine") is _ENGINE

    def _refuse_outside_engine(self):
        if not self._is_engine():
            raise AccessError(
                self.env._("AI recommendations are written by the AI engine only.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._refuse_outside_engine()
        return super().create(vals_list)

    def write(self, vals):
        if set(vals) - FREE_FIELDS:
            self._refuse_outside_engine()
            if self.filtered(lambda r: r.state != "proposed"):
                raise AccessError(
                    self.env._("A decided AI recommendation never changes.")
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        if self._is_engine():
            return
        raise AccessError(self.env._("AI recommendations are never deleted by hand."))

    # ------------------------------------------------------------------
    # Running a use case
    # ------------------------------------------------------------------
    @api.model
    @api.private
    def _run(self, use_case, records):
        """Ask ``use_case`` about each of ``records``; return the recommendations."""
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
        result = self.browse()
        for record in records:
            result |= self._run_one(use_case, record)
        return result

    def _run_one(self, use_case, record):
        provider = use_case.provider_id
        data, fingerprint = use_case._minimised_input(record)
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
        started = time.monotonic()
        answer = None
        try:
            with self.env.cr.savepoint():
                answer = provider._gov_ai_predict(use_case, record, data)
        except UserError as exc:
            vals.update(state="fallback", error_message=str(exc), confidence=0.0)
        except Exception as exc:  # a detector bug must not break the caller
            _logger.info(
                "AI use case %s failed on %s", use_case.id, record, exc_info=True
            )
            vals.update(state="failed", error_message=repr(exc), confidence=0.0)
        vals["latency_ms"] = int((time.monotonic() - started) * 1000)
        if answer is not None:
            vals.update(
                label=answer.get("label"),
                score=answer.get("score") or 0.0,
                summary=answer.get("summary"),
                suggested_action=answer.get("suggested_action"),
                confidence=min(max(float(answer.get("confidence") or 0.0), 0.0), 1.0),
                explanation=answer.get("explanation"),
                evidence=answer.get("evidence"),
                detector_version=answer.get("detector_version"),
                tokens=answer.get("tokens") or 0,
                cost=answer.get("cost") or 0.0,
            )
            vals["state"] = self._apply_policy(
                use_case, vals["confidence"], finding=answer.get("finding", True)
            )
        vals["name"] = f"{use_case.name}: {vals['record_name']}"[:200]
        if vals["state"] in ("fallback", "failed"):
            vals["exception_item_id"] = self._capture_fallback(
                use_case, record, vals
            ).id
        recommendation = self._engine().create(vals)
        recommendation._after_policy(use_case, record)
        return recommendation.with_env(self.env)

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
        if not self.env.user.has_group("gov_base.gov_base_group_approver"):
            raise AccessError(
                self.env._("Only approvers decide on AI recommendations.")
            )
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
        """Record a reviewer's decision; the only way out of 'proposed'."""
        if state not in DECIDED_STATES:
            raise UserError(self.env._("Unknown decision %s.", state))
        if state in ("rejected", "overridden") and not (reason or "").strip():
            raise UserError(self.env._("Rejecting or overriding needs a reason."))
        if state == "overridden" and not (override_value or "").strip():
            raise UserError(self.env._("An override needs the value to use instead."))
        self._check_reviewer()
        now = fields.Datetime.now()
        for rec in self:
            rec._engine().write(
                {
                    "state": state,
                    "decided_by_id": self.env.user.id,
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
