# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Journal entries show their AI recommendations: a count, a smart button and
the banner of a possible duplicate waiting for a review; a draft credit note
whose lines change is scored again by the shipped refund risk rule."""

from odoo import api, fields, models
from odoo.fields import Domain

# Changes of these make a draft credit note say another amount.
LINE_FIELDS = frozenset({"invoice_line_ids", "line_ids"})


class AccountMove(models.Model):
    _inherit = "account.move"

    gov_ai_recommendation_count = fields.Integer(
        string="AI Recommendations", compute="_compute_gov_ai_recommendations"
    )
    gov_ai_duplicate_hint = fields.Char(
        string="Possible Duplicate",
        compute="_compute_gov_ai_recommendations",
        help="Summary of a duplicate recommendation still waiting for a review.",
    )

    @api.depends_context("uid")
    def _compute_gov_ai_recommendations(self):
        """Counts and hints come from the recommendations about entries the
        user can already read; the recommendations themselves stay behind
        their own access rights."""
        ids = [move_id for move_id in self.ids if isinstance(move_id, int)]
        counts, hints = {}, {}
        if ids:
            Recommendation = self.env["gov.ai.recommendation"].sudo()
            domain = Domain("res_model", "=", self._name) & Domain("res_id", "in", ids)
            counts = dict(Recommendation._read_group(domain, ["res_id"], ["__count"]))
            pending = Recommendation.search_fetch(
                domain
                & Domain("task", "=", "duplicate")
                & Domain("label", "=", "duplicate")
                & Domain("state", "=", "proposed"),
                ["res_id", "summary"],
                order="id desc",
            )
            for recommendation in pending:
                hints.setdefault(recommendation.res_id, recommendation.summary)
        for move in self:
            move.gov_ai_recommendation_count = counts.get(move.id, 0)
            move.gov_ai_duplicate_hint = hints.get(move.id, False)

    def action_gov_ai_recommendations(self):
        """The recommendations about this entry (for those allowed to read them)."""
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "gov_ai.gov_ai_recommendation_action"
        )
        action["domain"] = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        action["context"] = {"create": False}
        action["name"] = self.env._("AI Recommendations")
        return action

    def write(self, vals):
        result = super().write(vals)
        if LINE_FIELDS & set(vals):
            self._gov_ai_rescore_credit_notes()
        return result

    def _gov_ai_rescore_credit_notes(self):
        """Run the refund risk rule on draft credit notes whose lines were
        edited in place (the rule's own trigger only sees lines added or
        removed): a full reversal cut down to a partial credit is scored on
        what it says now. The rule stays the switch: archived, it is silent."""
        notes = self.filtered(lambda m: m.move_type == "out_refund")
        rule = self.env.ref(
            "gov_ai_account.base_automation_refund_risk", raise_if_not_found=False
        )
        if not (notes and rule and rule.sudo().active):
            return
        rule = rule.sudo()
        rule._process(rule._filter_post(notes))
