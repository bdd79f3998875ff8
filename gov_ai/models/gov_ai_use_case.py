# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import hashlib
import json
import math
import threading
import time
from datetime import date, timedelta
from decimal import Decimal

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL, html2plaintext
from odoo.tools.sql import add_index, index_exists, make_identifier

from odoo.addons.gov_base.tools.chain import canonical_json

from ..tools import (
    anomaly,
    bayes,
    benford,
    duplicates,
    evaluation,
    llm,
    masking,
    summary,
)

TASKS = [
    ("duplicate", "Duplicate detection"),
    ("anomaly", "Amount anomaly"),
    ("classification", "Classification"),
    ("risk", "Risk score"),
    ("summary", "Summary"),
    ("benford", "Benford screen"),
]
# Tasks whose built-in answer is comparable with an external provider's label.
AGREEMENT_TASKS = ("duplicate", "anomaly", "classification", "benford")
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
# Labelled records a classifier learns from (the most recent ones).
TRAINING_LIMIT = 20000
# Seconds a trained classifier is reused while its history looks unchanged.
CLASSIFIER_TTL = 3600
# Trained classifiers per process: {(db, use case id): (key, trained at, model)}.
_CLASSIFIERS = {}
_CLASSIFIERS_LOCK = threading.Lock()
_ROLE_DOMAIN = "[('model_id', '=', model_id), ('store', '=', True)]"
# Evaluation reads at most this many of the latest answers of a use case.
EVALUATION_LIMIT = 5000
DECIDED = ("accepted", "rejected", "overridden")
UNFINISHED = ("queued", "waiting")


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
    mask_personal_data = fields.Boolean(
        default=True,
        help="Before anything leaves for a provider outside the database"
        " (OpenAI-compatible, n8n), personal fields (names of people and"
        " companies, e-mail, phone, VAT, bank accounts, addresses) are replaced"
        " by keyed pseudonyms, and e-mail addresses, IBANs and international"
        " phone numbers are masked inside texts. Equal values keep equal"
        " pseudonyms. The built-in provider always sees the values.",
    )
    prompt_template = fields.Text(
        help="Instructions to an LLM provider (OpenAI-compatible, n8n), in"
        " place of the task's default; $task, $model and $fields are"
        " replaced. The answer contract (a JSON object with label, confidence,"
        " rationale and abstain) is always appended.",
    )
    output_schema = fields.Text(
        help="JSON Schema the answers of an LLM provider must match, in place"
        " of the default one (e.g. to list the labels allowed). It must"
        " describe an object requiring label, confidence, rationale and"
        " abstain. Answers that do not match end in the fallback.",
    )
    synchronous = fields.Boolean(
        string="Call Synchronously",
        help="Call external providers inside the transaction that asks, even"
        " from automation rules (the user waits for the answer). By default an"
        " automation rule queues the call for a scheduled action.",
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
    benford_min_sample = fields.Integer(
        string="Benford Minimum Sample",
        default=benford.MIN_SAMPLE,
        help="Amounts a partner's history needs before the Benford screen"
        " concludes anything.",
    )
    summary_sentences = fields.Integer(
        default=summary.MAX_SENTENCES,
        help="Most sentences an extractive summary keeps.",
    )
    company_id = fields.Many2one(
        "res.company", index=True, default=lambda self: self.env.company
    )
    active = fields.Boolean(default=True)
    recommendation_ids = fields.One2many("gov.ai.recommendation", "use_case_id")
    # Evaluation: how good the answers are, from what reviewers decided
    evaluation_days = fields.Integer(
        string="Evaluation Period (Days)",
        default=30,
        help="Drift compares the answers of this many last days with those of"
        " the same number of days before.",
    )
    eval_decided = fields.Integer(
        string="Reviewed Answers", compute="_compute_evaluation"
    )
    eval_precision = fields.Float(
        string="Precision",
        compute="_compute_evaluation",
        help="Share of reviewed answers that reviewers accepted.",
    )
    eval_brier = fields.Float(
        string="Brier Score",
        digits=(3, 4),
        compute="_compute_evaluation",
        help="Mean squared gap between the stated confidence and the reviewers'"
        " outcome (1 accepted, 0 rejected or overridden): 0 is perfect, 0.25 is"
        " what a coin would score.",
    )
    eval_ece = fields.Float(
        string="Calibration Error",
        digits=(3, 4),
        compute="_compute_evaluation",
        help="Expected calibration error: how far, on average over confidence"
        " bands, the stated confidence is from the share of answers accepted.",
    )
    eval_coverage = fields.Float(
        string="Coverage",
        compute="_compute_evaluation",
        help="Share of the answers confident enough to be shown (not fallen"
        " back to a person, not failed).",
    )
    eval_acceptance_now = fields.Float(
        string="Accepted, Last Period", compute="_compute_evaluation"
    )
    eval_acceptance_before = fields.Float(
        string="Accepted, Period Before", compute="_compute_evaluation"
    )
    eval_score_psi = fields.Float(
        string="Score Drift (PSI)",
        digits=(3, 4),
        compute="_compute_evaluation",
        help="Population stability index of the scores of the last period"
        " against the period before: under 0.1 stable, 0.1 to 0.25 a shift"
        " worth a look, above 0.25 the data or the provider changed.",
    )
    eval_bands_html = fields.Html(
        string="Calibration by Confidence",
        compute="_compute_evaluation",
        sanitize=False,
    )

    _detector_settings_positive = models.Constraint(
        "CHECK (benford_min_sample > 0 AND summary_sentences > 0)",
        "The Benford sample and the summary length must be positive.",
    )
    _thresholds_valid = models.Constraint(
        "CHECK (review_threshold >= 0 AND auto_apply_threshold <= 1"
        " AND review_threshold <= auto_apply_threshold)",
        "Thresholds must satisfy 0 <= review <= auto-apply <= 1.",
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

    @api.constrains("output_schema")
    def _check_output_schema(self):
        for use_case in self.filtered("output_schema"):
            try:
                llm.check_schema(use_case._llm_custom_schema())
            except llm.SchemaProblem as exc:
                raise ValidationError(
                    self.env._(
                        "Use case %(name)s: %(error)s",
                        name=use_case.name,
                        error=str(exc),
                    )
                ) from exc

    def _llm_instructions(self):
        """The system prompt of this use case for an LLM provider."""
        self.ensure_one()
        return llm.instructions(
            self.task,
            self.prompt_template,
            model=self.model_name,
            fields=", ".join(sorted(self.field_ids.mapped("name"))),
        )

    def _llm_custom_schema(self):
        """The use case's own output schema, decoded, or ``None``."""
        self.ensure_one()
        if not (self.output_schema or "").strip():
            return None
        try:
            return json.loads(self.output_schema)
        except ValueError as exc:
            raise llm.SchemaProblem(f"the output schema is not JSON ({exc})") from exc

    def _llm_schema(self):
        """The JSON Schema answers to this use case must match."""
        self.ensure_one()
        return llm.answer_schema(self._llm_custom_schema())

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

    @api.model_create_multi
    def create(self, vals_list):
        use_cases = super().create(vals_list)
        use_cases._ensure_search_indexes()
        return use_cases

    def write(self, vals):
        res = super().write(vals)
        if {"task", "reference_field_id", "model_id", "active"} & set(vals):
            self._ensure_search_indexes()
        return res

    def _search_index_name(self):
        table = self.env[self.model_name]._table
        return make_identifier(
            f"gov_ai_{table}_{self.reference_field_id.name}_normref_idx"
        )

    def _ensure_search_indexes(self):
        """Index the normalised reference the duplicate search compares, so
        that finding a bill's twins stays an index lookup on large histories.

        One expression index per table and reference field, shared by the
        use cases that need it; created when such a use case is saved.
        """
        for use_case in self.filtered(
            lambda u: u.active and u.task == "duplicate" and u.reference_field_id
        ):
            Model = self.env[use_case.model_name]
            field = Model._fields.get(use_case.reference_field_id.name)
            if not field or not field.store or field.translate:
                continue
            index = use_case._search_index_name()
            if index_exists(self.env.cr, index):
                continue
            add_index(
                self.env.cr,
                index,
                Model._table,
                SQL(
                    "USING btree ((%s))",
                    _normalised_sql(SQL.identifier(field.name)),
                ),
                unique=False,
                comment="gov_ai: normalised reference of duplicate detection",
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

    def _external_input(self, data):
        """What a provider outside the database receives of ``data`` (the
        minimised input): personal data masked unless the use case opts out;
        ``masked`` names the fields replaced whole."""
        self.ensure_one()
        if not self.mask_personal_data:
            return data
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret")
        values, names = masking.mask_values(secret, data["model"], data["values"])
        return dict(data, values=values, masked=names)

    def _role_value(self, data, role_field):
        fname = self[role_field].name
        return data["values"].get(fname) if fname else None

    def _company_domain(self, Model, record):
        if "company_id" not in Model._fields:
            return Domain.TRUE
        # only that column: documents such as bills have a hundred others
        company = record.sudo().with_context(prefetch_fields=False).company_id
        return Domain("company_id", "=", company.id) if company else Domain.TRUE

    def _partner_identity(self, data):
        """Partner ids that count as the same counterpart (same VAT too)."""
        partner_id = self._role_value(data, "partner_field_id")
        if not partner_id:
            return []
        if self.partner_field_id.relation != "res.partner":
            return [partner_id]
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        commercial = (
            Partner.browse(partner_id)
            .with_context(prefetch_fields=False)
            .commercial_partner_id
        )
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
        read_roles = [role for role, name in roles.items() if name]
        candidates = []
        if candidate_ids and read_roles:
            # one query, no ORM cache: candidates can be hundreds of records
            query = Model._search([("id", "in", candidate_ids)])
            columns = [
                Model._field_to_sql(Model._table, roles[role], query)
                for role in read_roles
            ]
            for row_id, *values in self.env.execute_query(
                query.select(SQL.identifier(Model._table, "id"), *columns)
            ):
                candidates.append(
                    {"id": row_id}
                    | {
                        role: _jsonable(value)
                        for role, value in zip(read_roles, values, strict=True)
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
        # the same normalised reference first: it must never be crowded out
        ids = []
        normalised = duplicates.normalize_reference(target["reference"])
        if self.reference_field_id and normalised:
            query = Model._search(domain, order="id desc", limit=CANDIDATE_LIMIT)
            column = Model._field_to_sql(
                Model._table, self.reference_field_id.name, query
            )
            query.add_where(SQL("%s = %s", _normalised_sql(column), normalised))
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
        # the whole model's history is only read when the partner's is thin
        global_baseline = None
        if not partner_baseline or partner_baseline[0] < self.min_history:
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

    # ------------------------------------------------------------------
    # Benford screen
    # ------------------------------------------------------------------
    def _gov_ai_detect_benford(self, record, data):
        self.ensure_one()
        if not self.amount_field_id:
            raise UserError(self.env._("The Benford screen needs an amount field."))
        Model = self.env[self.model_name].sudo().with_context(active_test=False)
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
            return {
                "label": "insufficient_history",
                "score": 0.0,
                "confidence": 0.0,
                "finding": False,
                "summary": self.env._("Too few amounts for a Benford screen."),
                "suggested_action": "none",
                "explanation": self.env._(
                    "%(n)s non-zero amounts in the history of %(scope)s; the"
                    " screen needs at least %(minimum)s. %(caveat)s",
                    n=result["n"],
                    scope=scope,
                    minimum=result["min_sample"],
                    caveat=caveat,
                ),
                "evidence": evidence,
                "detector_version": benford.VERSION,
            }
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
        nonconforming = result["nonconforming"]
        return {
            "label": "nonconforming" if nonconforming else "conforming",
            "score": result["mad"],
            "confidence": result["confidence"],
            "finding": nonconforming,
            "summary": self.env._(
                "Benford screen: %(band)s (MAD %(mad)s, n=%(n)s)",
                band=result["band"],
                mad=result["mad"],
                n=result["n"],
            ),
            "suggested_action": "review" if nonconforming else "none",
            "explanation": explanation,
            "evidence": evidence,
            "detector_version": benford.VERSION,
        }

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

    # ------------------------------------------------------------------
    # Naive Bayes classification
    # ------------------------------------------------------------------
    def _text_value(self, data):
        value = self._role_value(data, "text_field_id")
        if value and self.text_field_id.ttype == "html":
            value = html2plaintext(value)
        return value or ""

    def _gov_ai_detect_classification(self, record, data):
        self.ensure_one()
        if not (self.text_field_id and self.label_field_id):
            raise UserError(
                self.env._("Classification needs a text field and a label field.")
            )
        model = self._classifier(record)
        prediction = None
        if model["documents"] >= self.min_history:
            prediction = bayes.predict(model, self._text_value(data))
        evidence = {
            "training": {
                "documents": model["documents"],
                "classes": {
                    label: entry["documents"]
                    for label, entry in model["classes"].items()
                },
                "vocabulary": model["vocabulary"],
                "trained_at": model.get("trained_at"),
            },
        }
        if prediction is None:
            return {
                "label": "unknown",
                "score": 0.0,
                "confidence": 0.0,
                "finding": True,
                "summary": self.env._("Not enough to classify this record."),
                "suggested_action": "check",
                "explanation": self.env._(
                    "The classifier learnt %(classes)s categories from"
                    " %(documents)s labelled records (it needs two categories"
                    " and %(minimum)s records), and the text must hold at least"
                    " one word.",
                    classes=len(model["classes"]),
                    documents=model["documents"],
                    minimum=self.min_history,
                ),
                "evidence": evidence,
                "detector_version": bayes.VERSION,
            }
        names = self._label_names([p["label"] for p in prediction["probabilities"]])
        best = prediction["label"]
        evidence["label_value"] = model["values"].get(best, best)
        evidence["probabilities"] = [
            dict(item, name=names[item["label"]])
            for item in prediction["probabilities"]
        ]
        evidence["telling_words"] = prediction["words"]
        words = ", ".join(
            f"{item['word']} (x{round(math.exp(item['log_ratio']), 1)})"
            for item in prediction["words"]
        ) or self.env._("none stands out")
        runner_up = prediction["probabilities"][1]
        explanation = self.env._(
            "%(label)s with probability %(p)s, then %(second)s with %(p2)s;"
            " learnt from %(documents)s labelled records. Most telling words"
            " (how much likelier under %(label)s than under %(second)s):"
            " %(words)s.",
            label=names[best],
            p=prediction["confidence"],
            second=names[runner_up["label"]],
            p2=runner_up["probability"],
            documents=model["documents"],
            words=words,
        )
        return {
            "label": names[best],
            "score": prediction["confidence"],
            "confidence": prediction["confidence"],
            "finding": True,
            "summary": self.env._("Suggested category: %s", names[best]),
            "suggested_action": "set_label",
            "explanation": explanation,
            "evidence": evidence,
            "detector_version": bayes.VERSION,
        }

    def _label_names(self, keys):
        """Readable names of the classifier's class keys (ids, selection keys)."""
        field = self.label_field_id
        names = {key: key for key in keys}
        if field.ttype == "many2one":
            ids = [int(key) for key in keys if str(key).isdigit()]
            for rec in self.env[field.relation].sudo().browse(ids).exists():
                names[str(rec.id)] = rec.display_name
        elif field.ttype == "selection":
            Model = self.env[self.model_name]
            selection = dict(Model._fields[field.name]._description_selection(self.env))
            names.update({key: selection.get(key, key) for key in keys})
        return names

    def _classifier(self, record):
        """The trained classifier of this use case, cached per process.

        Reused while the labelled history keeps the same size and latest
        change, for at most :data:`CLASSIFIER_TTL` seconds.
        """
        self.ensure_one()
        Model = self.env[self.model_name].sudo().with_context(active_test=False)
        text_name, label_name = self.text_field_id.name, self.label_field_id.name
        domain = (
            self._company_domain(Model, record)
            & Domain(text_name, "!=", False)
            & Domain(label_name, "!=", False)
        )
        query = Model._search(domain)
        [(count, changed)] = self.env.execute_query(
            query.select(
                SQL("count(*)"),
                SQL("max(%s)", SQL.identifier(Model._table, "write_date")),
            )
        )
        key = (text_name, label_name, str(domain), count, str(changed))
        cache_key = (self.env.cr.dbname, self.id)
        now = time.monotonic()
        with _CLASSIFIERS_LOCK:
            cached = _CLASSIFIERS.get(cache_key)
        if cached and cached[0] == key and now - cached[1] < CLASSIFIER_TTL:
            return cached[2]
        rows = Model.search_read(
            domain,
            [text_name, label_name],
            order="id desc",
            limit=TRAINING_LIMIT,
            load=None,
        )
        is_html = self.text_field_id.ttype == "html"
        samples = [
            (
                html2plaintext(row[text_name]) if is_html else row[text_name],
                str(row[label_name]),
            )
            for row in rows
        ]
        model = bayes.train(samples)
        model["values"] = {str(row[label_name]): row[label_name] for row in rows}
        model["trained_at"] = fields.Datetime.to_string(fields.Datetime.now())
        with _CLASSIFIERS_LOCK:
            _CLASSIFIERS[cache_key] = (key, now, model)
        return model

    # ------------------------------------------------------------------
    # Extractive summary
    # ------------------------------------------------------------------
    def _gov_ai_detect_summary(self, record, data):
        self.ensure_one()
        if not self.text_field_id:
            raise UserError(self.env._("A summary needs a text field."))
        result = summary.summarize(
            self._text_value(data), max_sentences=self.summary_sentences
        )
        evidence = {k: v for k, v in result.items() if k != "summary"}
        if not result["sentences"]:
            return {
                "label": "empty",
                "score": 0.0,
                "confidence": 0.0,
                "finding": False,
                "summary": self.env._("Nothing to summarise."),
                "suggested_action": "none",
                "explanation": self.env._("The text is empty."),
                "evidence": evidence,
                "detector_version": summary.VERSION,
            }
        explanation = self.env._(
            "Kept sentences %(kept)s of %(count)s, chosen by how often their"
            " words recur in the text and how early they come; they hold the"
            " words of %(coverage)s%% of the text's word occurrences. Most"
            " frequent words: %(keywords)s.",
            kept=", ".join(map(str, result["kept"])),
            count=result["sentences"],
            coverage=round(result["coverage"] * 100),
            keywords=", ".join(result["keywords"]),
        )
        return {
            "label": "summary",
            "score": result["coverage"],
            "confidence": result["coverage"],
            "finding": True,
            "summary": result["summary"],
            "suggested_action": "none",
            "explanation": explanation,
            "evidence": evidence,
            "detector_version": summary.VERSION,
        }


def _normalised_sql(column):
    """SQL twin of :func:`duplicates.normalize_reference` (immutable, so that
    an expression index can serve it)."""
    return SQL(
        "regexp_replace(regexp_replace(translate(upper(%s), 'OQILSB', '001158'),"
        " '(^|[^0-9])0+(?=[0-9])', '\\1', 'g'), '[^A-Z0-9]', '', 'g')",
        column,
    )


def _jsonable(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes):
        return None
    return value


def _baseline_json(values):
    if not values or not values[0]:
        return None
    count, median, mad = values
    return {"n": count, "median_log": round(median, 4), "mad_log": round(mad, 4)}


def _reviewed(answers):
    """Calibration of the reviewed ones among ``answers`` (their precision
    is the share accepted)."""
    return evaluation.calibration(
        (r.confidence, r.state == "accepted") for r in answers if r.state in DECIDED
    )
