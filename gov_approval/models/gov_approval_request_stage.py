# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Stages of a request: steps that run in parallel are open together, the
next stage opens when each step of the open one is approved. What a
request shows of its open steps (names, approvers waited for, deadline),
whom it waits for (My Approvals) and whether it is overdue.
"""

from odoo import api, fields, models
from odoo.fields import Domain


class GovApprovalRequest(models.Model):
    _inherit = "gov.approval.request"  # pylint: disable=consider-merging-classes-inherited

    @api.depends("step_ids.state", "step_ids.deadline", "step_ids.pending_approver_ids")
    def _compute_open_steps(self):
        # the open steps of every request at once, and their approvers (two
        # queries for a whole list), read by the engine like the stored
        # current step
        Step = self.env["gov.approval.request.step"].sudo()
        ids = [request_id for request_id in self.ids if isinstance(request_id, int)]
        found = (
            Step.search_fetch(
                [("request_id", "in", ids), ("state", "=", "pending")],
                ["request_id", "name", "deadline", "approved_count", "min_approvals"],
            )
            if ids
            else Step
        )
        by_request = found.grouped("request_id")
        for request in self:
            if isinstance(request.id, int):
                steps = by_request.get(request, Step)
            else:
                steps = request.step_ids.filtered(lambda s: s.state == "pending")
            request.current_step_ids = steps
            request.current_step_names = " + ".join(steps.mapped("name")) or False
            deadlines = [step.deadline for step in steps if step.deadline]
            request.deadline = min(deadlines) if deadlines else False
            request.pending_approver_ids = steps.pending_approver_ids

    def _search_pending_approver_ids(self, operator, value):
        if operator not in ("in", "not in", "any", "not any"):
            return NotImplemented
        positive = {"not in": "in", "not any": "any"}.get(operator, operator)
        domain = Domain(
            "step_ids",
            "any!",
            [("state", "=", "pending"), ("pending_approver_ids", positive, value)],
        )
        return domain if positive == operator else ~domain

    @api.model
    def _stage_of(self, steps):
        """The steps of ``steps`` (one request's, in route order) that open
        next: the first one and those of its stage. A step without a stage
        (made before stages existed) is a stage of its own."""
        first = steps[:1]
        if not first.stage:
            return first
        return steps.filtered(lambda s: s.stage == first.stage)

    def _start_steps(self, steps):
        """Open ``steps`` (one stage of this request): each one tells its
        approvers, as a step that opens alone does."""
        for step in steps:
            self._start_step(step)

    @api.depends_context("uid")
    @api.depends("state", "current_step_id")
    def _compute_can_decide(self):
        allowed = self.search([("id", "in", self.ids), ("can_decide", "=", True)])
        for request in self:
            request.can_decide = request in allowed

    def _search_can_decide(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        user = self.env.user

        def waiting_for(users):
            # the engine reads the open steps for the user: no step rule applies
            return Domain(
                "step_ids",
                "any!",
                [("state", "=", "pending"), ("pending_approver_ids", "in", users.ids)],
            )

        reachable = waiting_for(user)
        for delegation in self.env["gov.approval.delegation"]._active_to(user):
            scope = waiting_for(delegation.user_id)
            if delegation.matrix_ids:
                scope &= Domain("matrix_id", "in", delegation.matrix_ids.ids)
            if delegation.request_id:
                scope &= Domain("id", "=", delegation.request_id.id)
            reachable |= scope
        # nobody decides twice on one request: whoever decided on a step of
        # it waits on none of its other steps
        decided = Domain(
            "decision_ids",
            "any!",
            ["|", ("user_id", "=", user.id), ("approver_id", "=", user.id)],
        )
        domain = (
            Domain("state", "=", "pending")
            & Domain("requester_id", "!=", user.id)
            & reachable
            & ~decided
        )
        return domain if (operator == "=") == value else ~domain

    @api.depends("deadline", "state")
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for request in self:
            request.is_overdue = bool(
                request.state == "pending"
                and request.deadline
                and request.deadline < now
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        domain = Domain("state", "=", "pending") & Domain(
            "step_ids",
            "any!",
            [("state", "=", "pending"), ("deadline", "<", fields.Datetime.now())],
        )
        return domain if (operator == "=") == value else ~domain
