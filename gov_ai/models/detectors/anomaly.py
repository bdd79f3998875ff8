# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Amount anomalies: the robust baseline of the counterpart's amounts (or the
whole model's when the counterpart has little history), aggregated in
PostgreSQL, and the modified z-score of ``tools/anomaly.py`` against it.
A module that knows what a record is made of (the lines of a bill) adds its
own signal through :meth:`GovAiUseCase._anomaly_context`."""

from odoo import models
from odoo.fields import Domain
from odoo.tools import SQL

from ...tools import anomaly, answers, seasonal

# Most recent records of one partner read for its baseline.
HISTORY_LIMIT = 500
# Most recent records of all partners read for the spread of peers.
PEER_LIMIT = 1000


class GovAiUseCase(models.Model):
    _inherit = "gov.ai.use.case"  # pylint: disable=consider-merging-classes-inherited

    def _gov_ai_detect_anomaly(self, record, data):
        self.ensure_one()
        Model = self._history()
        amount = self._role_value(data, "amount_field_id")
        day = self._role_value(data, "date_field_id")
        month = int(str(day)[5:7]) if day else None
        base = Domain("id", "!=", record.id) & self._company_domain(Model, record)
        partner_ids = self._partner_identity(data)
        partner_baseline = own = None
        context = {}
        if partner_ids:
            partner_domain = base & Domain(
                self.partner_field_id.name, "in", partner_ids
            )
            rows = self._history_rows(Model, partner_domain)
            partner_baseline = anomaly.baseline([a for _m, a in rows])
            if len(rows) < self.min_history:
                peer_spread = self._peer_spread(Model, base)
                own = seasonal.baseline(
                    rows, month, min_history=self.min_history, peer_spread=peer_spread
                )
            else:
                own = seasonal.baseline(rows, month, min_history=self.min_history)
            context = self._anomaly_context(record, partner_domain)
        result = seasonal.assess(amount, own)
        global_baseline = None
        if result is None:
            # the whole model's history is only read when the partner's is thin
            global_baseline = self._sql_baseline(Model, base)
            result = anomaly.assess(
                amount, partner_baseline, global_baseline, min_history=self.min_history
            )
        evidence = {
            "features": {"amount": amount, "month": month},
            "partner_baseline": anomaly.baseline_json(partner_baseline),
            "global_baseline": anomaly.baseline_json(global_baseline),
            "assessment": result,
            **(context.get("evidence") or {}),
        }
        finding = context.get("finding")
        version = "+".join(filter(None, [anomaly.VERSION, context.get("version")]))
        if result is None and finding:
            return self._anomaly_context_answer(finding, None, evidence, version)
        if result is None:
            return answers.unknown(
                version=version,
                summary=self.env._("Not enough history to judge the amount."),
                explanation=self.env._(
                    "Fewer than %s earlier records with a positive amount.",
                    self.min_history,
                ),
                evidence=evidence,
            )
        scope = {
            "partner": self.env._("the partner's"),
            "peers": self.env._("the partner's (spread of its peers)"),
        }.get(result["baseline"], self.env._("the whole model's"))
        explanation = self.env._(
            "Amount %(amount)s is %(ratio)s x the expected amount (%(scope)s"
            " median %(median)s, n=%(n)s); robust z-score |M|=%(z)s against a"
            " limit of %(limit)s.",
            amount=amount,
            ratio=result["ratio"],
            scope=scope,
            median=result["median"],
            n=result["n"],
            z=abs(result["z"]),
            limit=anomaly.THRESHOLD,
        )
        if result.get("by_multiple"):
            explanation += " " + self.env._(
                "Unusual all the same: at least %(multiple)s x the expected amount"
                " and beyond |M|=%(z)s, which the partner's spread rarely reaches"
                " above its usual.",
                multiple=seasonal.MULTIPLE,
                z=seasonal.MULTIPLE_Z,
            )
        if result.get("season"):
            explanation += " " + self.env._(
                "Bills of this month of the year run at %s x the partner's usual.",
                result["season"],
            )
        if finding:
            return self._anomaly_context_answer(
                finding, result, evidence, version, explanation
            )
        if context.get("note"):
            explanation += " " + context["note"]
        return answers.build(
            "anomaly" if result["anomalous"] else "normal",
            version=version,
            score=abs(result["z"]),
            confidence=result["confidence"],
            finding=result["anomalous"],
            action="review",
            summary=explanation,
            explanation=explanation,
            evidence=evidence,
        )

    def _anomaly_context(self, record, domain):
        """What the parts of ``record`` say about its amount, beyond the
        total: a module that knows them (the lines of a bill) overrides
        this. ``domain``: the counterpart's history the amount is judged
        against.

        Returns a dict, empty when nothing is known, with the optional keys

        - ``finding``: ``{"score", "confidence", "summary", "explanation"}``,
          a part of ``record`` unusual on its own, whatever the total says;
        - ``note``: a sentence added to the explanation;
        - ``evidence``: what the answer's evidence shows of them;
        - ``version``: the version of the check of the parts, added to the
          detector's own when it judged something.
        """
        return {}

    def _anomaly_context_answer(
        self, finding, result, evidence, version, explanation=None
    ):
        """The answer when a part of the record is unusual (``finding`` of
        :meth:`_anomaly_context`), with the judgement of the total amount
        (``result``, ``None`` when the history is too thin for it)."""
        if result is None:
            explanation = self.env._(
                "The total amount is not judged: too little history."
            )
        summary, words = finding["summary"], [finding["explanation"], explanation]
        if result and result["anomalous"]:
            # the total leads when it is unusual itself
            summary, words = explanation, words[::-1]
        return answers.build(
            "anomaly",
            version=version,
            score=max(finding["score"], abs(result["z"]) if result else 0.0),
            confidence=max(
                finding["confidence"],
                result["confidence"] if result and result["anomalous"] else 0.0,
            ),
            finding=True,
            action="review",
            summary=summary,
            explanation=" ".join(words),
            evidence=evidence,
        )

    def _history_rows(self, Model, domain):
        """``(month, amount)`` of the most recent records of ``domain`` with a
        positive amount (month ``None`` without a date role): one query."""
        fname = self.amount_field_id.name
        query = Model._search(
            domain & Domain(fname, ">", 0), order="id desc", limit=HISTORY_LIMIT
        )
        amount = Model._field_to_sql(Model._table, fname, query)
        month = SQL("NULL")
        if self.date_field_id:
            column = Model._field_to_sql(Model._table, self.date_field_id.name, query)
            month = SQL("extract(month FROM %s)::int", column)
        return self.env.execute_query(query.select(month, amount))

    def _peer_spread(self, Model, domain):
        """How much one partner's amounts usually spread around its own
        median, from the most recent records of all partners: the spread
        a partner with a thin history borrows."""
        partner = self.partner_field_id.name
        fname = self.amount_field_id.name
        query = Model._search(
            domain & Domain(fname, ">", 0), order="id desc", limit=PEER_LIMIT
        )
        rows = self.env.execute_query(
            query.select(
                Model._field_to_sql(Model._table, partner, query),
                Model._field_to_sql(Model._table, fname, query),
            )
        )
        groups = {}
        for partner_id, amount in rows:
            groups.setdefault(partner_id, []).append(amount)
        return seasonal.within_spread(groups.values())

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
