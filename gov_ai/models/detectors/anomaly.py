# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Amount anomalies: the robust baseline of the counterpart's amounts (or the
whole model's when the counterpart has little history), aggregated in
PostgreSQL, and the modified z-score of ``tools/anomaly.py`` against it."""

from odoo import models
from odoo.fields import Domain
from odoo.tools import SQL

from ...tools import anomaly, answers


class GovAiUseCase(models.Model):
    _inherit = "gov.ai.use.case"  # pylint: disable=consider-merging-classes-inherited

    def _gov_ai_detect_anomaly(self, record, data):
        self.ensure_one()
        Model = self._history()
        amount = self._role_value(data, "amount_field_id")
        base = Domain("id", "!=", record.id) & self._company_domain(Model, record)
        partner_ids = self._partner_identity(data)
        partner_baseline = None
        if partner_ids:
            partner_baseline = self._sql_baseline(
                Model, base & Domain(self.partner_field_id.name, "in", partner_ids)
            )
        # the whole model's history is only read when the partner's is thin
        global_baseline = None
        if not partner_baseline or partner_baseline[0] < self.min_history:
            global_baseline = self._sql_baseline(Model, base)
        result = anomaly.assess(
            amount, partner_baseline, global_baseline, min_history=self.min_history
        )
        evidence = {
            "features": {"amount": amount},
            "partner_baseline": anomaly.baseline_json(partner_baseline),
            "global_baseline": anomaly.baseline_json(global_baseline),
            "assessment": result,
        }
        if result is None:
            return answers.unknown(
                version=anomaly.VERSION,
                summary=self.env._("Not enough history to judge the amount."),
                explanation=self.env._(
                    "Fewer than %s earlier records with a positive amount.",
                    self.min_history,
                ),
                evidence=evidence,
            )
        scope = (
            self.env._("the partner's")
            if result["baseline"] == "partner"
            else self.env._("the whole model's")
        )
        explanation = self.env._(
            "Amount %(amount)s is %(ratio)s x %(scope)s median %(median)s"
            " (n=%(n)s); robust z-score |M|=%(z)s against a limit of %(limit)s.",
            amount=amount,
            ratio=result["ratio"],
            scope=scope,
            median=result["median"],
            n=result["n"],
            z=abs(result["z"]),
            limit=anomaly.THRESHOLD,
        )
        return answers.build(
            "anomaly" if result["anomalous"] else "normal",
            version=anomaly.VERSION,
            score=abs(result["z"]),
            confidence=result["confidence"],
            finding=result["anomalous"],
            action="review",
            summary=explanation,
            explanation=explanation,
            evidence=evidence,
        )

    def _sql_baseline(self, Model, domain):
        """``(n, median, mad)`` of log amounts, aggregated in PostgreSQL."""
        fname = self.amount_field_id.name
        query = Model._search(domain & Domain(fname, ">", 0))
        column = Model._field_to_sql(Model._table, fname, query)
        history = query.select(SQL("ln(%s::float) AS v", column))
        [(count, median, mad)] = self.env.execute_query(
            SQL(
                """WITH h AS (%s),
                        m AS (SELECT count(*) AS n,
                                     percentile_cont(0.5)
                                         WITHIN GROUP (ORDER BY v) AS med
                                FROM h)
                   SELECT m.n, m.med,
                          (SELECT percentile_cont(0.5)
                                  WITHIN GROUP (ORDER BY abs(h.v - m.med)) FROM h)
                     FROM m""",
                history,
            )
        )
        return (count, median, mad)
