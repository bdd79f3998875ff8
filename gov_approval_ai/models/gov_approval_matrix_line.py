# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Domain

# Recommendation states a policy may rely on: a person rejected or overrode
# the others, or the provider could not answer.
TRUSTED_STATES = ("proposed", "accepted", "auto_applied", "clear")


class GovApprovalMatrixLine(models.Model):
    """A band may ask an AI use case about the document first: on a band a
    matrix manager marked as low impact, a confident, low-scored answer lets
    the AI policy approve; any other answer keeps the band's own steps."""

    _inherit = "gov.approval.matrix.line"

    ai_use_case_id = fields.Many2one(
        "gov.ai.use.case",
        string="AI Condition",
        ondelete="restrict",
        domain="[('model_name', '=', res_model)]",
        help="Asked about the document when it needs approval in this band.",
    )
    ai_max_score = fields.Float(
        string="Maximum AI Score",
        default=0.3,
        digits=(3, 2),
        help="The AI policy approves only at or below this score (for a risk"
        " score: 0.3 is the top of 'low').",
    )
    ai_min_confidence = fields.Float(
        string="Minimum AI Confidence", default=0.9, digits=(3, 2)
    )
    ai_low_impact = fields.Boolean(
        string="Low Impact: AI Policy May Approve",
        help="Only matrix managers set this. Without it the AI answer is"
        " recorded but the band's steps always decide.",
    )
    ai_policy_display = fields.Char(
        string="AI Policy", compute="_compute_ai_policy_display"
    )

    @api.depends("ai_use_case_id", "ai_max_score", "ai_min_confidence", "ai_low_impact")
    def _compute_ai_policy_display(self):
        for line in self:
            if not line.ai_use_case_id:
                line.ai_policy_display = False
            elif line.ai_low_impact:
                line.ai_policy_display = self.env._(
                    "Approved by the AI policy when %(use_case)s scores at most"
                    " %(score)s at a confidence of at least %(confidence)s",
                    use_case=line.ai_use_case_id.name,
                    score=line.ai_max_score,
                    confidence=line.ai_min_confidence,
                )
            else:
                line.ai_policy_display = self.env._(
                    "%(use_case)s is asked; people always decide",
                    use_case=line.ai_use_case_id.name,
                )

    @api.constrains("ai_use_case_id", "matrix_id", "ai_max_score", "ai_min_confidence")
    def _check_ai_use_case(self):
        for line in self:
            for limit in (line.ai_max_score, line.ai_min_confidence):
                if not 0.0 <= limit <= 1.0:
                    raise ValidationError(
                        self.env._(
                            "Band %(band)s: AI score and confidence limits lie"
                            " between 0 and 1.",
                            band=line.name,
                        )
                    )
            use_case = line.ai_use_case_id
            if use_case and use_case.model_name != line.matrix_id.res_model:
                raise ValidationError(
                    self.env._(
                        "The AI condition of band %(band)s asks about %(model)s,"
                        " not about the documents of the matrix.",
                        band=line.name,
                        model=use_case.model_name,
                    )
                )

    # ------------------------------------------------------------------
    # Low impact is a matrix manager's call, whatever the code path
    # ------------------------------------------------------------------
    def _check_low_impact_right(self, vals):
        if "ai_low_impact" not in vals:
            return
        user = self.env.user
        if user._is_superuser() or user.has_group(
            "gov_base.gov_base_group_matrix_manager"
        ):
            return
        raise AccessError(
            self.env._("Only matrix managers decide which bands are of low impact.")
        )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("ai_low_impact"):
                self._check_low_impact_right(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_low_impact_right(vals)
        return super().write(vals)

    def _audit_values(self):
        values = super()._audit_values()
        if self.ai_use_case_id:
            values["ai_condition"] = {
                "use_case": self.ai_use_case_id.name,
                "max_score": self.ai_max_score,
                "min_confidence": self.ai_min_confidence,
                "low_impact": self.ai_low_impact,
            }
        return values

    # ------------------------------------------------------------------
    # The AI condition at request time
    # ------------------------------------------------------------------
    @tools.ormcache("self.id")
    def _ai_use_case_cached(self):
        """The id of the band's AI use case, cached like the rest of the
        routing configuration (any change to a band clears it)."""
        return self.sudo().ai_use_case_id.id

    def _has_ai_condition(self):
        if isinstance(self.id, int):
            return bool(self._ai_use_case_cached())
        return bool(self.ai_use_case_id)

    def _ai_recommendation_for(self, record):
        """The use case's answer about ``record`` as it is now: the latest
        one made from the same input, else a fresh one."""
        self.ensure_one()
        use_case = self.ai_use_case_id.sudo()
        _data, fingerprint = use_case._minimised_input(record)
        Recommendation = self.env["gov.ai.recommendation"].sudo()
        recommendation = Recommendation.search(
            Domain("use_case_id", "=", use_case.id)
            & Domain("res_model", "=", record._name)
            & Domain("res_id", "=", record.id)
            & Domain("input_fingerprint", "=", fingerprint),
            order="id desc",
            limit=1,
        )
        if not recommendation and use_case.active:
            recommendation = record._gov_ai_recommend(use_case).sudo()
        return recommendation

    def _ai_policy_verdict(self, recommendation):
        """``(approve, reasons)``: whether the AI policy may approve on the
        strength of ``recommendation``, and why (not)."""
        self.ensure_one()
        reasons = []
        if not recommendation:
            reasons.append(self.env._("no AI recommendation"))
        else:
            if recommendation.state not in TRUSTED_STATES:
                reasons.append(
                    self.env._(
                        "the recommendation is %(state)s",
                        state=dict(
                            recommendation._fields["state"]._description_selection(
                                self.env
                            )
                        )[recommendation.state].lower(),
                    )
                )
            if recommendation.confidence < self.ai_min_confidence:
                reasons.append(
                    self.env._(
                        "confidence %(value)s below %(limit)s",
                        value=round(recommendation.confidence, 4),
                        limit=self.ai_min_confidence,
                    )
                )
            if recommendation.score > self.ai_max_score:
                reasons.append(
                    self.env._(
                        "score %(value)s above %(limit)s",
                        value=round(recommendation.score, 4),
                        limit=self.ai_max_score,
                    )
                )
        if not self.ai_low_impact:
            reasons.append(self.env._("the band is not marked as low impact"))
        return not reasons, reasons
