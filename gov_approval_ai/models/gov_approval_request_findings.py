# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Approvers see the AI findings about the document they decide on (a
possible duplicate, an unusual amount...), with where each one stands."""

from odoo import models

# states of a recommendation that say something about the document
FINDING_STATES = ("proposed", "accepted", "auto_applied", "overridden")


class GovApprovalRequest(models.Model):
    _inherit = "gov.approval.request"  # pylint: disable=consider-merging-classes-inherited

    def _findings(self):
        findings = super()._findings()
        # read by the engine for whoever may decide: the summary is shown,
        # the recommendation stays behind its own rights
        recommendations = (
            self.env["gov.ai.recommendation"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self.res_model),
                    ("res_id", "=", self.res_id),
                    ("state", "in", FINDING_STATES),
                ],
                order="id desc",
                limit=10,
            )
        )
        states = dict(recommendations._fields["state"]._description_selection(self.env))
        for recommendation in recommendations:
            findings.append(
                self.env._(
                    "AI, %(use_case)s: %(summary)s (%(state)s)",
                    use_case=recommendation.use_case_id.name,
                    summary=recommendation.summary or recommendation.label or "",
                    state=states.get(recommendation.state, ""),
                )
            )
        return findings
