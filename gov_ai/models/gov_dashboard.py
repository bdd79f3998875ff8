# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The AI section of the governance dashboard: answers to review, and per use
case how often reviewers accept and override, its calibration and drift."""

from odoo import api, fields, models

# Dashboard warnings: a calibration error or a score drift this large.
ECE_WARNING = 0.2
PSI_WARNING = 0.25
DECIDED = ("accepted", "rejected", "overridden")


class GovDashboard(models.AbstractModel):
    _inherit = "gov.dashboard"

    @api.model
    def _gov_dashboard_sections(self):
        sections = super()._gov_dashboard_sections()
        if self._gov_overseer("approver"):
            sections.append(self._gov_dashboard_ai())
        return sections

    @api.model
    def _gov_dashboard_ai(self):
        Recommendation = self.env["gov.ai.recommendation"]
        action = "gov_ai.gov_ai_recommendation_action"
        groups = Recommendation._read_group([], ["use_case_id", "state"], ["__count"])
        counts = {}
        for use_case, state, count in groups:
            counts.setdefault(use_case, {})[state] = count
        to_review = sum(c.get("proposed", 0) for c in counts.values())
        kpis = [
            self._gov_kpi(
                self.env._("To review"),
                to_review,
                severity="warning" if to_review else "ok",
                action=self._gov_action(
                    "gov_ai.gov_ai_recommendation_action_review",
                    [("state", "=", "proposed")],
                ),
            )
        ]
        for use_case, by_state in sorted(counts.items(), key=lambda i: i[0].id):
            decided = sum(
                by_state.get(s, 0) for s in ("accepted", "rejected", "overridden")
            )
            if not decided:
                continue
            accepted = by_state.get("accepted", 0) * 100 // decided
            overridden = by_state.get("overridden", 0) * 100 // decided
            kpis.append(
                self._gov_kpi(
                    self.env._(
                        "%(name)s: accepted / overridden", name=use_case.display_name
                    ),
                    f"{accepted}% / {overridden}%",
                    severity="warning" if overridden >= 30 else "ok",
                    action=self._gov_action(
                        action, [("use_case_id", "=", use_case.id)]
                    ),
                    help_text=self.env._(
                        "%s decisions. Only findings are reviewed, so the"
                        " accepted share is the precision against human"
                        " outcomes; overridden findings had the wrong answer.",
                        decided,
                    ),
                )
            )
            evaluated = use_case.sudo()
            kpis.append(
                self._gov_kpi(
                    self.env._(
                        "%(name)s: calibration error / score drift",
                        name=use_case.display_name,
                    ),
                    f"{evaluated.eval_ece:.2f} / {evaluated.eval_score_psi:.2f}",
                    severity="warning"
                    if evaluated.eval_ece >= ECE_WARNING
                    or evaluated.eval_score_psi >= PSI_WARNING
                    else "ok",
                    action=self._gov_action(
                        action, [("use_case_id", "=", use_case.id)]
                    ),
                    help_text=self.env._(
                        "How far the stated confidence is from the share of"
                        " answers accepted (0 is perfect), and how much the"
                        " scores of the last %(days)s days moved from the %(days)s"
                        " days before (over 0.25: the data or the provider"
                        " changed). See the use case's Evaluation tab.",
                        days=evaluated.evaluation_days,
                    ),
                )
            )
        since, before = self._gov_periods()
        current = self._gov_ai_acceptance(since)
        previous = self._gov_ai_acceptance(before, since)
        if current[1] or previous[1]:
            kpis.insert(
                1,
                self._gov_kpi(
                    self.env._("Accepted, %s days", self.PERIOD_DAYS),
                    f"{current[2]} %" if current[2] is not None else "-",
                    action=self._gov_action(action, current[0]),
                    trend=self._gov_trend(
                        current[2], previous[2], lower_is_better=False
                    ),
                    help_text=self.env._(
                        "Share of the %s findings reviewed that reviewers"
                        " accepted: the precision of the findings.",
                        current[1],
                    ),
                ),
            )
        return {
            "key": "ai",
            "sequence": 40,
            "title": self.env._("AI recommendations"),
            "kpis": kpis,
            "charts": [self._gov_chart_ai_reviews()],
            "analysis": self._gov_action(action, views=["graph", "pivot"]),
        }

    @api.model
    def _gov_ai_acceptance(self, start, end=None):
        """Findings reviewed in ``[start, end)`` (no end: until now):
        domain, count, % accepted."""
        domain = [
            ("state", "in", DECIDED),
            ("decided_date", ">=", fields.Datetime.to_string(start)),
        ]
        if end:
            domain.append(("decided_date", "<", fields.Datetime.to_string(end)))
        by_state = dict(
            self.env["gov.ai.recommendation"]._read_group(
                domain, ["state"], ["__count"]
            )
        )
        decided = sum(by_state.values())
        rate = round(100 * by_state.get("accepted", 0) / decided) if decided else None
        return domain, decided, rate

    @api.model
    def _gov_chart_ai_reviews(self):
        Recommendation = self.env["gov.ai.recommendation"]
        rows = []
        for start, end, label in self._gov_weeks():
            bounds = [
                ("decided_date", ">=", fields.Datetime.to_string(start)),
                ("decided_date", "<", fields.Datetime.to_string(end)),
            ]
            values = []
            for states in (("accepted",), ("rejected", "overridden")):
                domain = [*bounds, ("state", "in", states)]
                count = Recommendation.search_count(domain)
                values.append(
                    self._gov_bar(
                        count,
                        self._gov_action("gov_ai.gov_ai_recommendation_action", domain)
                        if count
                        else None,
                    )
                )
            rows.append({"label": label, "values": values})
        return self._gov_chart(
            "ai_reviews",
            self.env._("Findings reviewed by week"),
            rows,
            series=[self.env._("Accepted"), self.env._("Rejected or overridden")],
        )
