# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import hashlib
from datetime import date

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

from odoo.addons.gov_base.tools.chain import canonical_json

from ..tools import anomaly, duplicates

TASKS = [
    ("duplicate", "Duplicate detection"),
    ("anomaly", "Amount anomaly"),
    ("classification", "Classification"),
    ("risk", "Risk score"),
    ("summary", "Summary"),
]
IMPACTS = [("low", "Low"), ("medium", "Medium"), ("high", "High")]
# Field roles of the built-in detectors: field name -> role in the input.
ROLE_FIELDS = {
    "reference_field_id": "reference",
    "partner_field_id": "partner",
    "amount_field_id": "amount",
    "date_field_id": "date",
    "text_field_id": "text",
    "label_field_id": "label",
}
CANDIDATE_LIMIT = 200
_ROLE_DOMAIN = "[('model_id', '=', model_id), ('store', '=', True)]"


class GovAiUseCase(models.Model):
    """A question asked of a provider about one model, and the policy for
    its answers: which fields it may see, how much is at stake, and the
    confidence needed to apply, to ask a person, or to fall back."""

    _name = "gov.ai.use.case"
    _description = "AI Use Case"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    model_id = fields.Many2one(
        "ir.model", required=True, ondelete="cascade", index=True
    )
    model_name = fields.Char(
        string="Model Name", related="model_id.model", store=True, index=True
    )
    task = fields.Selection(TASKS, required=True, default="duplicate")
    provider_id = fields.Many2one(
        "gov.ai.provider",
        required=True,
        check_company=True,
        default=lambda self: self.env.ref(
            "gov_ai.gov_ai_provider_builtin", raise_if_not_found=False
        ),
    )
    field_ids = fields.Many2many(
        "ir.model.fields",
        relation="gov_ai_use_case_field_rel",
        column1="use_case_id",
        column2="field_id",
        string="Fields the Provider May See",
        domain=_ROLE_DOMAIN,
        help="Data minimisation: only these values are read, hashed and sent.",
    )
    reference_field_id = fields.Many2one(
        "ir.model.fields", domain=_ROLE_DOMAIN, ondelete="set null"
    )
    partner_field_id = fields.Many2one(
        "ir.model.fields",
        domain=_ROLE_DOMAIN,
        ondelete="set null",
        help="Groups the history (baselines, duplicate blocking).",
    )
    amount_field_id = fields.Many2one(
        "ir.model.fields", domain=_ROLE_DOMAIN, ondelete="set null"
    )
    date_field_id = fields.Many2one(
        "ir.model.fields", domain=_ROLE_DOMAIN, ondelete="set null"
    )
    text_field_id = fields.Many2one(
        "ir.model.fields", domain=_ROLE_DOMAIN, ondelete="set null"
    )
    label_field_id = fields.Many2one(
        "ir.model.fields", domain=_ROLE_DOMAIN, ondelete="set null"
    )
    impact = fields.Selection(
        IMPACTS,
        required=True,
        default="medium",
        help="What applying a wrong answer costs. Only low-impact answers"
        " may ever be applied without a person.",
    )
    auto_apply = fields.Boolean(
        help="Apply answers at or above the auto-apply confidence (low impact only)."
    )
    auto_apply_threshold = fields.Float(
        string="Auto-Apply at or Above", default=0.95, digits=(3, 2)
    )
    review_threshold = fields.Float(
        string="Human Review at or Above",
        default=0.6,
        digits=(3, 2),
        help="Below this the answer is not trusted: an exception item"
        " 'AI low confidence' asks for the deterministic check.",
    )
    apply_action_id = fields.Many2one(
        "ir.actions.server",
        string="Apply With",
        domain="[('model_id', '=', model_id)]",
        help="Runs on the record when an answer is accepted or auto-applied;"
        " the recommendation is in the context as gov_ai_recommendation.",
    )
    reviewer_id = fields.Many2one(
        "res.users",
        domain=lambda self: [
            ("group_ids", "in", self.env.ref("gov_base.gov_base_group_approver").id)
        ],
        help="Gets a review activity for each proposed answer.",
    )
    amount_tolerance = fields.Float(
        default=0.005, digits=(5, 4), help="Relative difference still 'same amount'."
    )
    date_window_days = fields.Integer(
        string="Date Window (days)",
        default=30,
        help="Duplicates further apart are not compared.",
    )
    min_history = fields.Integer(
        default=anomaly.MIN_HISTORY,
        help="Records a partner needs before its own baseline is used.",
    )
    company_id = fields.Many2one(
        "res.company", index=True, default=lambda self: self.env.company
    )
    active = fields.Boolean(default=True)
    recommendation_ids = fields.One2many("gov.ai.recommendation", "use_case_id")

    _thresholds_valid = models.Constraint(
        "CHECK (review_threshold >= 0 AND auto_apply_threshold <= 1"
        " AND review_threshold <= auto_apply_threshold)",
        "Thresholds must satisfy 0 <= review <= auto-apply <= 1.",
    )

    @api.constrains("auto_apply", "impact")
    def _check_auto_apply(self):
        for use_case in self:
            if use_case.auto_apply and use_case.impact != "low":
                raise ValidationError(
                    self.env._(
                        "Use case %s: only low-impact answers may be applied"
                        " without a person.",
                        use_case.name,
                    )
                )

    @api.constrains("field_ids", "model_id", *ROLE_FIELDS)
    def _check_fields(self):
        for use_case in self:
            allowed = use_case.field_ids
            if any(f.model_id != use_case.model_id for f in allowed):
                raise ValidationError(
                    self.env._("Visible fields must belong to the use case's model.")
                )
            for fname in ROLE_FIELDS:
                role_field = use_case[fname]
                if role_field and role_field not in allowed:
                    raise ValidationError(
                        self.env._(
                            "Field %(field)s has a role but is not among the"
                            " fields the provider may see.",
                            field=role_field.name,
                        )
                    )

    # ------------------------------------------------------------------
    # Input
    # ------------------------------------------------------------------
    def _minimised_input(self, record):
        """The visible fields' values of ``record``, and their fingerprint."""
        self.ensure_one()
        names = sorted(self.field_ids.mapped("name"))
        values = {}
        if names:
            row = record.sudo().read(names, load=None)[0]
            values = {name: _jsonable(row[name]) for name in names}
        data = {"model": record._name, "values": values}
        fingerprint = hashlib.sha256(canonical_json(data).encode()).hexdigest()
        return data, fingerprint

    def _role_value(self, data, role_field):
        fname = self[role_field].name
        return data["values"].get(fname) if fname else None

    def _company_domain(self, Model, record):
        if "company_id" in Model._fields and record.sudo().company_id:
            return Domain("company_id", "=", record.sudo().company_id.id)
        return Domain.TRUE

    def _partner_identity(self, data):
        """Partner ids that count as the same counterpart (same VAT too)."""
        partner_id = self._role_value(data, "partner_field_id")
        if not partner_id:
            return []
        if self.partner_field_id.relation != "res.partner":
            return [partner_id]
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        commercial = Partner.browse(partner_id).commercial_partner_id
        partners = commercial
        if commercial.vat:
            partners |= Partner.search([("vat", "=", commercial.vat)], limit=50)
        return partners.ids

    # ------------------------------------------------------------------
    # Built-in detectors
    # ------------------------------------------------------------------
    def _gov_ai_detect_duplicate(self, record, data):
        self.ensure_one()
        Model = self.env[self.model_name].sudo().with_context(active_test=False)
        target = {
            "reference": self._role_value(data, "reference_field_id"),
            "amount": self._role_value(data, "amount_field_id"),
            "date": self._role_value(data, "date_field_id"),
        }
        candidate_ids = self._duplicate_candidates(Model, record, data, target)
        roles = {
            "reference": self.reference_field_id.name,
            "amount": self.amount_field_id.name,
            "date": self.date_field_id.name,
        }
        read_names = [name for name in roles.values() if name]
        candidates = []
        if candidate_ids and read_names:
            for row in Model.browse(candidate_ids).read(read_names, load=None):
                candidates.append(
                    {"id": row["id"]}
                    | {
                        role: _jsonable(row[name])
                        for role, name in roles.items()
                        if name
                    }
                )
        matches = duplicates.find_duplicates(
            target,
            candidates,
            tolerance=self.amount_tolerance,
            window_days=self.date_window_days,
        )
        evidence = {
            "features": {k: v for k, v in target.items() if v not in (None, False)},
            "normalised_reference": duplicates.normalize_reference(target["reference"]),
            "candidates_compared": len(candidates),
            "similar_records": [
                dict(match, model=self.model_name) for match in matches
            ],
        }
        if not matches:
            return {
                "label": "unique",
                "score": 0.0,
                "confidence": 0.0,
                "finding": False,
                "summary": self.env._("No likely duplicate found."),
                "suggested_action": "none",
                "explanation": self.env._(
                    "%(count)s similar records compared; none scored at least"
                    " %(minimum)s.",
                    count=len(candidates),
                    minimum=duplicates.MIN_SCORE,
                ),
                "evidence": evidence,
                "detector_version": duplicates.VERSION,
            }
        best = matches[0]
        best_record = Model.browse(best["id"])
        explanation = self.env._(
            "Looks like %(name)s (id %(id)s), score %(score)s: %(reasons)s.",
            name=best_record.display_name,
            id=best["id"],
            score=best["score"],
            reasons=", ".join(best["reasons"]),
        )
        return {
            "label": "duplicate",
            "score": best["score"],
            "confidence": best["score"],
            "finding": True,
            "summary": self.env._("Possible duplicate of %s", best_record.display_name),
            "suggested_action": "block",
            "explanation": explanation,
            "evidence": evidence,
            "detector_version": duplicates.VERSION,
        }

    def _duplicate_candidates(self, Model, record, data, target):
        """Ids of records of the same counterpart worth comparing.

        Same partner (or same VAT) and either an amount within tolerance, a
        date within the window, or the same normalised reference.
        """
        domain = Domain("id", "!=", record.id) & self._company_domain(Model, record)
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
        ids = set()
        if alternatives:
            ids.update(
                Model.search(
                    domain & Domain.OR(alternatives),
                    order="id desc",
                    limit=CANDIDATE_LIMIT,
                ).ids
            )
        normalised = duplicates.normalize_reference(target["reference"])
        if self.reference_field_id and normalised:
            query = Model._search(domain, order="id desc", limit=CANDIDATE_LIMIT)
            column = Model._field_to_sql(
                Model._table, self.reference_field_id.name, query
            )
            query.add_where(
                SQL(
                    "regexp_replace(regexp_replace(translate(upper(%s),"
                    " 'OQILSB', '001158'), '(^|[^0-9])0+(?=[0-9])', '\\1', 'g'),"
                    " '[^A-Z0-9]', '', 'g') = %s",
                    column,
                    normalised,
                )
            )
            ids.update(id_ for (id_,) in self.env.execute_query(query.select()))
        return sorted(ids, reverse=True)[:CANDIDATE_LIMIT]

    def _gov_ai_detect_anomaly(self, record, data):
        self.ensure_one()
        Model = self.env[self.model_name].sudo().with_context(active_test=False)
        amount = self._role_value(data, "amount_field_id")
        base = Domain("id", "!=", record.id) & self._company_domain(Model, record)
        partner_ids = self._partner_identity(data)
        partner_baseline = None
        if partner_ids:
            partner_baseline = self._sql_baseline(
                Model, base & Domain(self.partner_field_id.name, "in", partner_ids)
            )
        global_baseline = self._sql_baseline(Model, base)
        result = anomaly.assess(
            amount, partner_baseline, global_baseline, min_history=self.min_history
        )
        evidence = {
            "features": {"amount": amount},
            "partner_baseline": _baseline_json(partner_baseline),
            "global_baseline": _baseline_json(global_baseline),
            "assessment": result,
        }
        if result is None:
            return {
                "label": "unknown",
                "score": 0.0,
                "confidence": 0.0,
                "finding": True,
                "summary": self.env._("Not enough history to judge the amount."),
                "suggested_action": "check",
                "explanation": self.env._(
                    "Fewer than %s earlier records with a positive amount.",
                    self.min_history,
                ),
                "evidence": evidence,
                "detector_version": anomaly.VERSION,
            }
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
        return {
            "label": "anomaly" if result["anomalous"] else "normal",
            "score": abs(result["z"]),
            "confidence": result["confidence"],
            "finding": result["anomalous"],
            "summary": explanation,
            "suggested_action": "review" if result["anomalous"] else "none",
            "explanation": explanation,
            "evidence": evidence,
            "detector_version": anomaly.VERSION,
        }

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


def _jsonable(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return None
    return value


def _baseline_json(values):
    if not values or not values[0]:
        return None
    count, median, mad = values
    return {"n": count, "median_log": round(median, 4), "mad_log": round(mad, 4)}
