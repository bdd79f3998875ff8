# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Duplicate detection: the candidates a record is compared with, found in
SQL (the same normalised reference first, then the closest records of the
same counterpart by date or amount), scored by ``tools/duplicates.py``."""

import functools

from odoo import fields, models
from odoo.fields import Domain
from odoo.tools import SQL

from ...tools import answers, duplicates, series
from ..gov_ai_use_case_prompt import jsonable

# Most records a new one is compared with.
CANDIDATE_LIMIT = 200


def normalised_reference_sql(column):
    """SQL twin of :func:`~odoo.addons.gov_ai.tools.duplicates.normalize_reference`
    (immutable, so that an expression index can serve it)."""
    return SQL(
        "regexp_replace(regexp_replace(translate(upper(%s), 'OQILSB', '001158'),"
        " '(^|[^0-9])0+(?=[0-9])', '\\1', 'g'), '[^A-Z0-9]', '', 'g')",
        column,
    )


def weigh_similar_name(rescore, similar_names, target, match, candidates):
    """``rescore`` (see :func:`~odoo.addons.gov_ai.tools.duplicates.find_duplicates`),
    then a match on a record of a twin found by its similar name only weighs
    :data:`~odoo.addons.gov_ai.tools.series.SIMILAR_NAME_WEIGHT` of its score,
    and says which names are alike."""
    score, reasons = rescore(target, match, candidates)
    partner = next(row.get("partner") for row in candidates if row["id"] == match["id"])
    twin = similar_names.get(partner)
    if not twin:
        return score, reasons
    match["similar_name"] = twin
    reason = series.similar_name_reason(twin["name"], twin["like"], twin["similarity"])
    return round(score * series.SIMILAR_NAME_WEIGHT, 4), [*reasons, reason]


class GovAiUseCase(models.Model):
    _inherit = "gov.ai.use.case"  # pylint: disable=consider-merging-classes-inherited

    def _gov_ai_detect_duplicate(self, record, data):
        self.ensure_one()
        Model = self._history()
        target = {
            "reference": self._role_value(data, "reference_field_id"),
            "amount": self._role_value(data, "amount_field_id"),
            "date": self._role_value(data, "date_field_id"),
        }
        partner_ids, similar_names = self._partner_twins(data, similar_names=True)
        candidates = self._duplicate_rows(
            Model,
            self._duplicate_candidates(Model, record, data, target, partner_ids),
        )
        context = self._duplicate_context(record, candidates)
        rescore = functools.partial(
            self._duplicate_rescore, cleared=context.get("cleared") or {}
        )
        if similar_names:
            rescore = functools.partial(weigh_similar_name, rescore, similar_names)
        matches = duplicates.find_duplicates(
            target,
            candidates,
            tolerance=self.amount_tolerance,
            window_days=self.date_window_days,
            rescore=rescore,
        )
        evidence = {
            "features": {k: v for k, v in target.items() if v not in (None, False)},
            "normalised_reference": duplicates.normalize_reference(target["reference"]),
            "candidates_compared": len(candidates),
            "similar_records": [
                dict(match, model=self.model_name) for match in matches
            ],
            **(context.get("evidence") or {}),
        }
        if context.get("finding"):
            return self._duplicate_context_finding(context, matches, evidence)
        answer = self._duplicate_answer(Model, candidates, matches, evidence)
        if context.get("note"):
            answer["explanation"] += " " + context["note"]
        return answer

    def _duplicate_context(self, record, candidates):
        """What the documents behind ``record`` say about it, beyond its
        reference, amount and date: a module that knows them (the purchase
        order of a bill) overrides this. ``candidates`` are the rows compared.

        Returns a dict, empty when nothing is known, with the optional keys

        - ``cleared``: ``{candidate id: reason}``, candidates that these
          documents show to be another legitimate record (another part of
          one order): their score stays below the review threshold;
        - ``finding``: ``{"score", "summary", "explanation"}``, a reason to
          look at ``record`` whatever its candidates look like, and the
          records it stems from as ``similar_records`` (``id``, ``reasons``);
        - ``note``: a sentence added to the explanation;
        - ``evidence``: what the answer's evidence shows of them.
        """
        return {}

    def _duplicate_rescore(self, target, match, candidates, *, cleared):
        """The score of a match once the counterpart's rhythm
        (``tools/series.py``) and the record's own documents are known."""
        score, reasons = series.adjust(
            target, match, candidates, tolerance=self.amount_tolerance
        )
        reason = cleared.get(match["id"])
        if reason:
            # still shown as the closest record, never asked about
            ceiling = max(0.0, round(self.review_threshold - 0.01, 4))
            return min(score, ceiling), [*reasons, reason]
        return score, reasons

    def _duplicate_context_finding(self, context, matches, evidence):
        """The answer when the record's documents alone call for a look
        (``finding`` of :meth:`_duplicate_context`)."""
        finding = context["finding"]
        explanation = finding["explanation"]
        if matches and matches[0]["score"] >= self.review_threshold:
            best = matches[0]
            explanation += " " + self.env._(
                "It also looks like %(name)s (id %(id)s), score %(score)s:"
                " %(reasons)s.",
                name=self._history().browse(best["id"]).display_name,
                id=best["id"],
                score=best["score"],
                reasons=", ".join(best["reasons"]),
            )
        score = max([finding["score"], *(match["score"] for match in matches[:1])])
        shown = {row["id"] for row in evidence["similar_records"]}
        evidence["similar_records"] += [
            dict(row, model=self.model_name, score=finding["score"])
            for row in finding.get("similar_records") or []
            if row["id"] not in shown
        ]
        return answers.build(
            "duplicate",
            version=duplicates.VERSION,
            score=score,
            confidence=score,
            finding=True,
            action="block",
            summary=finding["summary"],
            explanation=explanation,
            evidence=evidence,
        )

    def _duplicate_answer(self, Model, candidates, matches, evidence):
        """The answer from the scored candidates alone."""
        if not matches:
            return answers.build(
                "unique",
                version=duplicates.VERSION,
                summary=self.env._("No likely duplicate found."),
                explanation=self.env._(
                    "%(count)s similar records compared; none scored at least"
                    " %(minimum)s.",
                    count=len(candidates),
                    minimum=duplicates.MIN_SCORE,
                ),
                evidence=evidence,
            )
        best = matches[0]
        best_record = Model.browse(best["id"])
        if best["score"] < self.review_threshold:
            # a faint resemblance (a fixed monthly amount, a sequence) is
            # shown in the evidence, but nobody is asked to look at it
            return answers.build(
                "unlikely_duplicate",
                version=duplicates.VERSION,
                score=best["score"],
                confidence=round(1.0 - best["score"], 4),
                summary=self.env._("No likely duplicate found."),
                explanation=self.env._(
                    "Closest: %(name)s (id %(id)s), score %(score)s below the"
                    " review threshold %(threshold)s: %(reasons)s.",
                    name=best_record.display_name,
                    id=best["id"],
                    score=best["score"],
                    threshold=self.review_threshold,
                    reasons=", ".join(best["reasons"]),
                ),
                evidence=evidence,
            )
        return answers.build(
            "duplicate",
            version=duplicates.VERSION,
            score=best["score"],
            confidence=best["score"],
            finding=True,
            action="block",
            summary=self.env._("Possible duplicate of %s", best_record.display_name),
            explanation=self.env._(
                "Looks like %(name)s (id %(id)s), score %(score)s: %(reasons)s.",
                name=best_record.display_name,
                id=best["id"],
                score=best["score"],
                reasons=", ".join(best["reasons"]),
            ),
            evidence=evidence,
        )

    def _duplicate_rows(self, Model, candidate_ids):
        """The reference, amount and date of each candidate, as dicts with
        their ``id``: one query, no ORM cache (candidates can be hundreds)."""
        roles = {
            "reference": self.reference_field_id.name,
            "amount": self.amount_field_id.name,
            "date": self.date_field_id.name,
            # whose record: a twin named alike weighs less
            "partner": self._column(self.partner_field_id),
        }
        read_roles = [role for role, name in roles.items() if name]
        if not (candidate_ids and set(read_roles) - {"partner"}):
            return []
        query = Model._search([("id", "in", candidate_ids)])
        columns = [
            Model._field_to_sql(Model._table, roles[role], query) for role in read_roles
        ]
        rows = self.env.execute_query(
            query.select(SQL.identifier(Model._table, "id"), *columns)
        )
        return [
            {"id": row_id}
            | {
                role: jsonable(value)
                for role, value in zip(read_roles, values, strict=True)
            }
            for row_id, *values in rows
        ]

    def _duplicate_candidates(self, Model, record, data, target, partner_ids=None):
        """Ids of records of the same counterpart worth comparing.

        Same partner (or a twin: :meth:`_partner_identity`, unless its
        ``partner_ids`` are given) and either an amount within tolerance, a
        date within the window, or the same normalised reference.
        """
        domain = Domain("id", "!=", record.id) & self._company_domain(Model, record)
        if partner_ids is None:
            partner_ids = self._partner_identity(data)
        if self.partner_field_id:
            if not partner_ids:
                return []
            domain &= Domain(self.partner_field_id.name, "in", partner_ids)
        alternatives = []
        amount = target["amount"]
        if self.amount_field_id and amount not in (None, False):
            margin = max(0.01, abs(amount) * self.amount_tolerance)
            alternatives.append(
                Domain(self.amount_field_id.name, ">=", amount - margin)
                & Domain(self.amount_field_id.name, "<=", amount + margin)
            )
        day = target["date"]
        if self.date_field_id and day:
            day = fields.Date.to_date(day[:10])
            window = self.date_window_days
            alternatives.append(
                Domain(
                    self.date_field_id.name,
                    ">=",
                    fields.Date.subtract(day, days=window),
                )
                & Domain(
                    self.date_field_id.name, "<=", fields.Date.add(day, days=window)
                )
            )
        # the same normalised reference first: it must never be crowded out
        ids = []
        normalised = duplicates.normalize_reference(target["reference"])
        if self.reference_field_id and normalised:
            query = Model._search(domain, order="id desc", limit=CANDIDATE_LIMIT)
            column = Model._field_to_sql(
                Model._table, self.reference_field_id.name, query
            )
            query.add_where(
                SQL("%s = %s", normalised_reference_sql(column), normalised)
            )
            ids.extend(id_ for (id_,) in self.env.execute_query(query.select()))
        if alternatives and len(ids) < CANDIDATE_LIMIT:
            query = Model._search(domain & Domain.OR(alternatives))
            # Closest first. Ordering by an expression also keeps PostgreSQL
            # from walking the primary key backwards through the whole table
            # to find a few rows of one partner.
            query.order = SQL(
                "%s, %s DESC",
                self._proximity_sql(Model, query, target),
                SQL.identifier(Model._table, "id"),
            )
            query.limit = CANDIDATE_LIMIT
            ids.extend(id_ for (id_,) in self.env.execute_query(query.select()))
        return list(dict.fromkeys(ids))[:CANDIDATE_LIMIT]

    def _proximity_sql(self, Model, query, target):
        """How far a candidate is from ``target``: in days when there is a
        date, else in amount."""
        day = target["date"] if self.date_field_id else None
        if day:
            column = Model._field_to_sql(Model._table, self.date_field_id.name, query)
            if self.date_field_id.ttype == "datetime":
                return SQL(
                    "abs(extract(epoch FROM %s - %s::timestamp))", column, day[:19]
                )
            return SQL("abs(%s - %s::date)", column, day[:10])
        column = Model._field_to_sql(Model._table, self.amount_field_id.name, query)
        return SQL("abs(%s - %s)", column, target["amount"])
