# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Benford screen: the first digits of the counterpart's amounts (or the whole
model's), counted in PostgreSQL, against Benford's law (``tools/benford.py``).
A screen, not a verdict, and its explanation says so."""

from odoo import models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL

from ...tools import answers, benford


class GovAiUseCase(models.Model):
    _inherit = "gov.ai.use.case"  # pylint: disable=consider-merging-classes-inherited

    def _gov_ai_detect_benford(self, record, data):
        self.ensure_one()
        if not self.amount_field_id:
            raise UserError(self.env._("The Benford screen needs an amount field."))
        Model = self._history()
        domain = self._company_domain(Model, record)
        scope = self.env._("the whole model")
        partner_ids = []
        if self.partner_field_id:
            partner_ids = self._partner_identity(data)
            domain &= Domain(self.partner_field_id.name, "in", partner_ids or [0])
            scope = self.env._("the partner")
        counts = self._sql_first_digits(Model, domain)
        result = benford.screen(counts, min_sample=self.benford_min_sample)
        evidence = {
            "scope": "partner" if self.partner_field_id else "model",
            "partner_ids": partner_ids,
            "screen": result,
        }
        caveat = self.env._(
            "This is a screen, not a verdict: prices, fees, thresholds and"
            " recurring bills legitimately depart from Benford's law, so a"
            " departure is only a reason to look at the history."
        )
        if not result["sufficient"]:
            return answers.build(
                "insufficient_history",
                version=benford.VERSION,
                summary=self.env._("Too few amounts for a Benford screen."),
                explanation=self.env._(
                    "%(n)s non-zero amounts in the history of %(scope)s; the"
                    " screen needs at least %(minimum)s. %(caveat)s",
                    n=result["n"],
                    scope=scope,
                    minimum=result["min_sample"],
                    caveat=caveat,
                ),
                evidence=evidence,
            )
        departures = ", ".join(
            self.env._(
                "digit %(digit)s %(observed)s%% observed against %(expected)s%%",
                digit=item["digit"],
                observed=round(item["observed"] * 100, 1),
                expected=round(item["expected"] * 100, 1),
            )
            for item in result["largest_departures"]
        )
        explanation = self.env._(
            "First digits of %(n)s amounts of %(scope)s: mean absolute deviation"
            " %(mad)s from Benford's proportions (%(band)s; nonconformity above"
            " %(limit)s), chi-square %(chi2)s (p = %(p)s); a history is"
            " flagged only when both say it departs. Largest departures:"
            " %(departures)s. %(caveat)s",
            n=result["n"],
            scope=scope,
            mad=result["mad"],
            band=result["band"],
            limit=benford.NONCONFORMITY,
            chi2=result["chi2"],
            p=result["p_value"],
            departures=departures,
            caveat=caveat,
        )
        return answers.build(
            "nonconforming" if result["nonconforming"] else "conforming",
            version=benford.VERSION,
            score=result["mad"],
            confidence=result["confidence"],
            finding=result["nonconforming"],
            action="review",
            summary=self.env._(
                "Benford screen: %(band)s (MAD %(mad)s, n=%(n)s)",
                band=result["band"],
                mad=result["mad"],
                n=result["n"],
            ),
            explanation=explanation,
            evidence=evidence,
        )

    def _sql_first_digits(self, Model, domain):
        """``{digit: count}`` of the first significant digits of the amounts."""
        fname = self.amount_field_id.name
        query = Model._search(domain)
        column = Model._field_to_sql(Model._table, fname, query)
        query.add_where(SQL("%s <> 0", column))
        digit = SQL(
            "substr(ltrim(replace(abs(%s)::numeric::text, '.', ''), '0'), 1, 1) AS d",
            column,
        )
        rows = self.env.execute_query(
            SQL("SELECT d, count(*) FROM (%s) h GROUP BY d", query.select(digit))
        )
        return {int(d): count for d, count in rows if d and d in "123456789"}
