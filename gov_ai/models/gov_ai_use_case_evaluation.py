# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""How good the answers of a use case are, from what its reviewers decided:
precision, calibration, coverage and drift (the *Evaluation* tab and the
dashboard). The measures themselves are pure functions of
``tools/evaluation.py``; this file reads the recommendations they need."""

from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models

from ..tools import evaluation

# Evaluation reads at most this many of the latest answers of a use case.
EVALUATION_LIMIT = 5000
DECIDED = ("accepted", "rejected", "overridden")
UNFINISHED = ("queued", "waiting")


def _measure(string, help_text=None, digits=None):
    """A figure of the *Evaluation* tab, computed with the others from the
    latest answers of the use case."""
    return fields.Float(
        string=string, digits=digits, help=help_text, compute="_compute_evaluation"
    )


class GovAiUseCase(models.Model):
    """The *Evaluation* tab: its period, and measures computed on read."""

    _inherit = "gov.ai.use.case"  # pylint: disable=consider-merging-classes-inherited

    evaluation_days = fields.Integer(
        string="Evaluation Period (Days)",
        default=30,
        help="Drift compares the answers of this many last days with those of"
        " the same number of days before.",
    )
    eval_decided = fields.Integer(
        string="Reviewed Answers", compute="_compute_evaluation"
    )
    eval_precision = _measure(
        "Precision", "Share of reviewed answers that reviewers accepted."
    )
    eval_brier = _measure(
        "Brier Score",
        "Mean squared gap between the stated confidence and the reviewers'"
        " outcome (1 accepted, 0 rejected or overridden): 0 is perfect, 0.25 is"
        " what a coin would score.",
        digits=(3, 4),
    )
    eval_ece = _measure(
        "Calibration Error",
        "Expected calibration error: how far, on average over confidence"
        " bands, the stated confidence is from the share of answers accepted.",
        digits=(3, 4),
    )
    eval_coverage = _measure(
        "Coverage",
        "Share of the answers confident enough to be shown (not fallen"
        " back to a person, not failed).",
    )
    eval_acceptance_now = _measure("Accepted, Last Period")
    eval_acceptance_before = _measure("Accepted, Period Before")
    eval_score_psi = _measure(
        "Score Drift (PSI)",
        "Population stability index of the scores of the last period"
        " against the period before: under 0.1 stable, 0.1 to 0.25 a shift"
        " worth a look, above 0.25 the data or the provider changed.",
        digits=(3, 4),
    )
    eval_bands_html = fields.Html(
        string="Calibration by Confidence",
        compute="_compute_evaluation",
        sanitize=False,
    )

    @api.depends("evaluation_days")
    def _compute_evaluation(self):
        """Precision, calibration, coverage and drift of each use case, from
        its latest answers (counts and confidences only: what the answers
        say stays behind the recommendations' own access rights)."""
        Recommendation = self.env["gov.ai.recommendation"].sudo()
        now = fields.Datetime.now()
        for use_case in self:
            empty = {
                "eval_decided": 0,
                "eval_precision": 0.0,
                "eval_brier": 0.0,
                "eval_ece": 0.0,
                "eval_coverage": 0.0,
                "eval_acceptance_now": 0.0,
                "eval_acceptance_before": 0.0,
                "eval_score_psi": 0.0,
                "eval_bands_html": False,
            }
            if not isinstance(use_case.id, int):
                use_case.update(empty)
                continue
            answers = Recommendation.search_fetch(
                [("use_case_id", "=", use_case.id), ("state", "!=", "outdated")],
                ["state", "confidence", "score", "create_date"],
                order="id desc",
                limit=EVALUATION_LIMIT,
            )
            quality = _reviewed(answers)
            finished = answers.filtered(lambda r: r.state not in UNFINISHED)
            shown = finished.filtered(lambda r: r.state not in ("fallback", "failed"))
            period = timedelta(days=max(use_case.evaluation_days, 1))
            split, start = now - period, now - 2 * period
            recent = answers.filtered_domain([("create_date", ">=", split)])
            before = answers.filtered_domain(
                [("create_date", ">=", start), ("create_date", "<", split)]
            )
            use_case.update(
                dict(
                    empty,
                    eval_decided=quality["n"],
                    eval_precision=quality["precision"] or 0.0,
                    eval_brier=quality["brier"] or 0.0,
                    eval_ece=quality["ece"] or 0.0,
                    eval_coverage=len(shown) / len(finished) if finished else 0.0,
                    eval_acceptance_now=_reviewed(recent)["precision"] or 0.0,
                    eval_acceptance_before=_reviewed(before)["precision"] or 0.0,
                    eval_score_psi=evaluation.population_stability(
                        before.mapped("score"), recent.mapped("score")
                    )
                    or 0.0,
                    eval_bands_html=use_case._render_bands(quality["bands"]),
                )
            )

    def _render_bands(self, bands):
        if not bands:
            return False
        rows = Markup("").join(
            Markup("<tr><td>%s - %s</td><td>%s</td><td>%s</td><td>%s</td></tr>")
            % (
                f"{band['low']:.0%}",
                f"{band['high']:.0%}",
                band["n"],
                f"{band['confidence']:.0%}",
                f"{band['accepted']:.0%}",
            )
            for band in bands
        )
        return Markup(
            "<table class='table table-sm'><thead><tr><th>%s</th><th>%s</th>"
            "<th>%s</th><th>%s</th></tr></thead><tbody>%s</tbody></table>"
        ) % (
            self.env._("Confidence"),
            self.env._("Reviewed"),
            self.env._("Stated (mean)"),
            self.env._("Accepted"),
            rows,
        )


def _reviewed(answers):
    """Calibration of the reviewed ones among ``answers`` (their precision
    is the share accepted)."""
    return evaluation.calibration(
        (r.confidence, r.state == "accepted") for r in answers if r.state in DECIDED
    )
