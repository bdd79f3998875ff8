# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Learning from reviewers: the decisions people made on a use case's answers
(accepted, rejected, overridden) re-fit the calibration of its confidence,
per company (``tools/calibration.py``); new answers state the calibrated
confidence, within the floor of human review that learning never removes."""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain

from odoo.addons.gov_base.tools.batches import lock_batch, run_batch

from ..tools import calibration

# Latest decisions of one company a fit learns from.
LEARN_LIMIT = 2000
LEARN_BATCH = 20
DECIDED = ("accepted", "rejected", "overridden")
LEARNT_FIELDS = frozenset({"calibration_data", "calibration_date"})


class GovAiUseCase(models.Model):
    _inherit = "gov.ai.use.case"  # pylint: disable=consider-merging-classes-inherited

    learn_from_reviews = fields.Boolean(
        string="Learn from Reviewers",
        default=True,
        help="Re-fit the calibration of the confidence, per company, from what"
        " reviewers decided. Learning never lifts an answer to auto-apply nor"
        " takes a finding away from review.",
    )
    calibration_data = fields.Json(
        string="Learned Calibration", readonly=True, copy=False
    )
    calibration_date = fields.Datetime(
        string="Calibration Learned On", readonly=True, copy=False
    )
    calibration_html = fields.Html(
        string="Learned from Reviewers",
        compute="_compute_calibration_html",
        sanitize=False,
    )

    def write(self, vals):
        """What was learnt is written by the learning only (as the engine)."""
        if not self.env.su and LEARNT_FIELDS & set(vals):
            raise AccessError(
                self.env._("The learned calibration is written by the learning only.")
            )
        return super().write(vals)

    def _calibration_for(self, company):
        """The fitted parameters of ``company`` (``None``: not learnt yet)."""
        self.ensure_one()
        if not self.learn_from_reviews:
            return None
        return (self.sudo().calibration_data or {}).get(str(company.id))

    def _calibrated_confidence(self, raw, company, *, finding):
        """The confidence the policy reads: ``raw`` re-fitted to the
        reviewers of ``company``, within the floor of human review."""
        self.ensure_one()
        params = self._calibration_for(company)
        if not params:
            return raw
        return calibration.bounded(
            calibration.apply(raw, params),
            raw,
            finding=finding,
            review_threshold=self.review_threshold,
            auto_apply_threshold=self.auto_apply_threshold,
        )

    def _learn(self):
        """Fit the calibration of each company from its latest decisions."""
        Recommendation = self.env["gov.ai.recommendation"].sudo()
        for use_case in self:
            data = {}
            base = Domain("use_case_id", "=", use_case.id) & Domain(
                "state", "in", DECIDED
            )
            groups = Recommendation._read_group(base, ["company_id"])
            for (company,) in groups:
                decided = Recommendation.search_fetch(
                    base & Domain("company_id", "=", company.id),
                    ["raw_confidence", "confidence", "state"],
                    order="id desc",
                    limit=LEARN_LIMIT,
                )
                pairs = [
                    (rec.raw_confidence or rec.confidence, rec.state == "accepted")
                    for rec in decided
                ]
                data[str(company.id)] = calibration.fit(pairs)
            use_case.sudo().write(
                {
                    "calibration_data": data or False,
                    "calibration_date": fields.Datetime.now(),
                }
            )
        return True

    @api.model
    def _cron_learn_from_reviews(self, batch_size=LEARN_BATCH):
        """Scheduled action: re-fit one batch of use cases, those not fitted
        for a day first; returns the batch."""
        since = fields.Datetime.subtract(fields.Datetime.now(), days=1)
        domain = Domain("learn_from_reviews", "=", True) & (
            Domain("calibration_date", "=", False)
            | Domain("calibration_date", "<", since)
        )
        Model = self.sudo().with_context(active_test=True)
        return run_batch(
            self.env,
            lambda limit: lock_batch(Model, domain, limit, order="calibration_date"),
            batch_size=batch_size,
            process_batch=lambda batch: batch._learn(),
            count_remaining=lambda: Model.search_count(domain),
        )

    @api.depends("calibration_data")
    def _compute_calibration_html(self):
        for use_case in self:
            data = use_case.sudo().calibration_data or {}
            companies = self.env["res.company"].sudo().browse(int(c) for c in data)
            rows = Markup("").join(
                Markup("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>")
                % (
                    company.name,
                    data[str(company.id)]["n"],
                    _rounded(data[str(company.id)]["brier_before"]),
                    _rounded(data[str(company.id)]["brier_after"]),
                )
                for company in companies.exists()
                if company in self.env.user.company_ids
            )
            use_case.calibration_html = rows and Markup(
                "<table class='table table-sm'><thead><tr><th>%s</th><th>%s</th>"
                "<th>%s</th><th>%s</th></tr></thead><tbody>%s</tbody></table>"
            ) % (
                self.env._("Company"),
                self.env._("Decisions"),
                self.env._("Brier Score as Stated"),
                self.env._("Brier Score Learnt"),
                rows,
            )


def _rounded(value):
    return "" if value is None else f"{value:.4f}"
