# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""AI use cases: what is asked, of which provider, about which model, and the
policy for the answers (fields, configuration and their constraints).

The rest of the model lives beside this file, one concern each:
``gov_ai_use_case_prompt.py`` (what leaves for a provider: minimised input,
masking, prompts and output schemas), ``gov_ai_use_case_evaluation.py`` (how
good the answers are), ``gov_ai_use_case_index.py`` (the index behind the
duplicate search) and ``detectors/`` (the built-in provider's detectors, one
file each, with the SQL that reads the history).
"""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import anomaly, benford, summary

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
    answer_after_save = fields.Boolean(
        string="Answer After the Save",
        help="An automation rule that asks the built-in provider inside a"
        " save queues the question for the scheduled action, woken once the"
        " save is committed, instead of making the user wait: the answer"
        " (and its banner) lands a moment later, judged against the history"
        " as it was when the question was asked.",
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

    _detector_settings_positive = models.Constraint(
        "CHECK (benford_min_sample > 0 AND summary_sentences > 0)",
        "The Benford sample and the summary length must be positive.",
    )
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
