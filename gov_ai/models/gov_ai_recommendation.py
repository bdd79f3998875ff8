# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Recommendations: what a provider answered, what the policy made of it, and
who decided. This file holds the record itself, who may read it (those who
can read the record it is about) and the guard that only the engine writes it.

Only the engine creates or changes recommendations (``gov.engine.mixin``):
asking a use case (``gov_ai_recommendation_pipeline.py``), the scheduled
queue and an asynchronous provider's answer (``..._queue.py``) and a
reviewer's decision (``..._review.py``) open its grant, after their own
checks; the private helpers never do."""

import json

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain

from odoo.addons.gov_base.tools.engine import check_granted

from .gov_ai_use_case import TASKS

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
DECIDED_STATES = ("accepted", "rejected", "overridden")


class GovAiRecommendation(models.Model):
    """One answer about one record, kept with its input fingerprint,
    evidence and decision for the audit; read access follows the record."""

    _name = "gov.ai.recommendation"
    _description = "AI Recommendation"
    _inherit = ["gov.chatter.mixin", "mail.activity.mixin", "gov.engine.mixin"]
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
    raw_confidence = fields.Float(
        string="Confidence Before Learning",
        readonly=True,
        digits=(3, 4),
        help="The provider's own confidence, before the calibration learnt"
        " from reviewers' decisions.",
    )
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
    history_watermark = fields.Integer(
        readonly=True,
        help="A queued question is answered against the history it was"
        " asked in: the records of its model up to this id.",
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
