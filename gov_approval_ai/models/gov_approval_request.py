# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.fields import Command

# Context marker of a request the AI policy approves as it is made; a Python
# object, so that no RPC caller can set it.
_AI_POLICY = object()
OUTCOMES = [
    ("approved", "Approved by the AI Policy"),
    ("declined", "Routed to People"),
]


class GovApprovalRequest(models.Model):
    _inherit = "gov.approval.request"

    ai_recommendation_id = fields.Many2one(
        "gov.ai.recommendation", string="AI Recommendation", readonly=True
    )
    ai_policy_outcome = fields.Selection(OUTCOMES, string="AI Policy", readonly=True)
    ai_policy_note = fields.Text(string="AI Policy Reason", readonly=True)

    @api.model
    def _create_for(self, record, action, matrix, line, amount_company):
        """Bands with an AI condition ask it first. The AI policy approves the
        request only when every condition holds on a low-impact band; in any
        other case the band's own steps decide, as without AI."""
        if not line._has_ai_condition():
            return super()._create_for(record, action, matrix, line, amount_company)
        recommendation = line._ai_recommendation_for(record)
        approve, reasons = line._ai_policy_verdict(recommendation)
        if not approve:
            request = super()._create_for(record, action, matrix, line, amount_company)
            request._ai_policy_declined(recommendation, reasons)
            return request
        quiet = self.with_context(gov_approval_ai_policy=_AI_POLICY)
        request = super(GovApprovalRequest, quiet)._create_for(
            record, action, matrix, line, amount_company
        )
        request = request.with_context(gov_approval_ai_policy=None)
        request._ai_policy_approve(recommendation)
        return request

    def _ai_policy_running(self):
        return self.env.context.get("gov_approval_ai_policy") is _AI_POLICY

    def _start_step(self, step):
        # nobody is asked for a request the AI policy approves
        if self._ai_policy_running():
            return
        return super()._start_step(step)

    def _post_on_document(self, body, subtype, **kwargs):
        if self._ai_policy_running():
            return
        return super()._post_on_document(body, subtype, **kwargs)

    def _ai_policy_details(self, recommendation, outcome, reasons=()):
        line = self.line_id
        return {
            "decided_by": "ai_policy",
            "outcome": outcome,
            "reasons": list(reasons),
            "triggered_by": self.requester_id.login,
            "band": line.name,
            "use_case": line.ai_use_case_id.name,
            "max_score": line.ai_max_score,
            "min_confidence": line.ai_min_confidence,
            "low_impact": line.ai_low_impact,
            "recommendation": recommendation.id or None,
            "recommendation_state": recommendation.state or None,
            "label": recommendation.label or None,
            "score": recommendation.score if recommendation else None,
            "confidence": recommendation.confidence if recommendation else None,
            "input_fingerprint": recommendation.input_fingerprint or None,
            "document": f"{self.res_model},{self.res_id}",
        }

    def _ai_policy_audit(self, event_type, summary, details):
        # a policy decision: no user decided, so none is recorded as acting
        self.env["gov.audit.event"].record(
            event_type,
            summary,
            record=self,
            details=details,
            channel="system",
            company=self.company_id,
            user=self.env["res.users"],
        )

    def _ai_policy_approve(self, recommendation):
        """Approve as the AI policy: the steps are not asked, no decision of
        any person is recorded, and the audit log says it was the policy."""
        self.ensure_one()
        line = self.line_id
        note = self.env._(
            "Approved by the AI policy of band %(band)s: %(use_case)s answered"
            " %(label)s with score %(score)s (at most %(max)s) at confidence"
            " %(confidence)s (at least %(min)s). No person approved.",
            band=line.name,
            use_case=line.ai_use_case_id.name,
            label=recommendation.label,
            score=round(recommendation.score, 4),
            max=line.ai_max_score,
            confidence=round(recommendation.confidence, 4),
            min=line.ai_min_confidence,
        )
        self.step_ids.write(
            {"state": "cancelled", "pending_approver_ids": [Command.clear()]}
        )
        self.write(
            {
                "ai_recommendation_id": recommendation.id,
                "ai_policy_outcome": "approved",
                "ai_policy_note": note,
            }
        )
        self._close("approved", note)
        self._ai_policy_audit(
            "approval.ai_policy_approved",
            self.env._("%(name)s approved by the AI policy", name=self.name),
            self._ai_policy_details(recommendation, "approved"),
        )
        self._post_on_document(note, "gov_approval.mt_approval_approved")

    def _ai_policy_declined(self, recommendation, reasons):
        """Record why the AI policy left the request to the band's steps."""
        self.ensure_one()
        note = self.env._(
            "The AI policy did not approve (%(reasons)s): the band's steps decide.",
            reasons="; ".join(reasons),
        )
        self.write(
            {
                "ai_recommendation_id": recommendation.id,
                "ai_policy_outcome": "declined",
                "ai_policy_note": note,
            }
        )
        self._ai_policy_audit(
            "approval.ai_policy_declined",
            self.env._("%(name)s left to people by the AI policy", name=self.name),
            self._ai_policy_details(recommendation, "declined", reasons),
        )
