# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Journal entries show their AI recommendations: a count, a smart button and
the banner of a possible duplicate waiting for a review."""

from odoo import api, fields, models
from odoo.fields import Domain


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
