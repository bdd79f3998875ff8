# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Journal entries show their AI recommendations: a count, a smart button,
the banner of a possible duplicate waiting for a review and, once reviewed,
the reviewer's verdict (who, when, what); a draft credit note whose lines
change is scored again by the shipped refund risk rule."""

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import format_datetime

VERDICTS = [
    ("duplicate", "Confirmed Duplicate"),
    ("not_duplicate", "Not a Duplicate"),
]

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
    gov_ai_duplicate_verdict = fields.Selection(
        VERDICTS,
        string="Duplicate Review",
        compute="_compute_gov_ai_recommendations",
        help="What the reviewer decided about the latest possible duplicate.",
    )
    gov_ai_duplicate_review = fields.Char(
        string="Duplicate Review Note",
        compute="_compute_gov_ai_recommendations",
    )

    @api.depends_context("uid")
    def _compute_gov_ai_recommendations(self):
        """Counts and hints come from the recommendations about entries the
        user can already read; the recommendations themselves stay behind
        their own access rights."""
        ids = [move_id for move_id in self.ids if isinstance(move_id, int)]
        counts, hints, reviews = {}, {}, {}
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
            decided = Recommendation.search(
                domain
                & Domain("task", "=", "duplicate")
                & Domain("state", "in", ("accepted", "rejected", "overridden")),
                order="decided_date desc, id desc",
            )
            for recommendation in decided:
                reviews.setdefault(recommendation.res_id, recommendation)
        for move in self:
            move.gov_ai_recommendation_count = counts.get(move.id, 0)
            move.gov_ai_duplicate_hint = hints.get(move.id, False)
            review = reviews.get(move.id) if move.id not in hints else None
            move.gov_ai_duplicate_verdict = (
                review and self._gov_ai_duplicate_verdict_of(review)
            ) or False
            move.gov_ai_duplicate_review = (
                review and self._gov_ai_duplicate_note(review)
            ) or False

    @api.model
    def _gov_ai_duplicate_verdict_of(self, recommendation):
        """Accepting the recommendation confirms the duplicate; rejecting or
        overriding it says the bill is not one."""
        if recommendation.state == "accepted":
            return "duplicate"
        return "not_duplicate"

    @api.model
    def _gov_ai_duplicate_note(self, recommendation):
        """The reviewer's verdict in words: who, when, what, and why."""
        when = format_datetime(self.env, recommendation.decided_date, dt_format="short")
        who = recommendation.decided_by_id.name or ""
        if self._gov_ai_duplicate_verdict_of(recommendation) == "duplicate":
            return self.env._(
                "%(who)s confirmed on %(when)s that this bill is a duplicate"
                " (%(summary)s). Do not confirm it.",
                who=who,
                when=when,
                summary=recommendation.summary or "",
            )
        return self.env._(
            "%(who)s reviewed the possible duplicate on %(when)s: not a"
            " duplicate (%(reason)s).",
            who=who,
            when=when,
            reason=recommendation.decision_reason or "",
        )

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
