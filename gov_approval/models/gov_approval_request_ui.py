# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What people do with a request from its form and lists: re-route it
(matrix managers), withdraw it (requesters), open the decision dialog or
the document.
"""

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Command

from odoo.addons.gov_base.tools.engine import check_acting_user

from ..tools.engine import approval_writes


class GovApprovalRequest(models.Model):
    _inherit = "gov.approval.request"  # pylint: disable=consider-merging-classes-inherited

    can_withdraw = fields.Boolean(compute="_compute_can_withdraw")

    @api.depends_context("uid")
    @api.depends("state", "requester_id")
    def _compute_can_withdraw(self):
        """The Withdraw button is shown to whom withdrawing is allowed: the
        requester, a Matrix Manager."""
        user = self.env.user
        manager = user.has_group("gov_base.gov_base_group_matrix_manager")
        for request in self:
            request.can_withdraw = request.state == "pending" and (
                manager or request.requester_id == user
            )

    def action_reroute(self):
        """Resolve the open steps again from the band's current route (audited).

        Whoever re-routes a request cannot decide it afterwards.
        """
        if not self.env.user.has_group("gov_base.gov_base_group_matrix_manager"):
            raise AccessError(self.env._("Only matrix managers re-route requests."))
        # the work below is done in sudo: only requests the manager may read
        # (their companies) are re-routed
        self.check_access("read")
        check_acting_user(self.env, what=self.env._("a re-route"))
        with approval_writes():
            self._reroute()
        return True

    def _reroute(self):
        user = self.env.user
        for request in self.sudo().filtered(lambda r: r.state == "pending"):
            request.write(
                {"rerouted": True, "rerouted_by_ids": [Command.link(user.id)]}
            )
            document = request._document()
            before, after = {}, {}
            config = {s.id: s for s in request.line_id.step_ids}
            for step in request.step_ids.filtered(
                lambda s: s.state in ("waiting", "pending")
            ):
                source = config.get(step.step_id.id)
                if not source:
                    continue
                approvers = source._resolve_approvers(document, request.requester_id)
                decided = step.decision_ids.approver_id
                before[step.name] = step.approver_ids.mapped("login")
                step.write(
                    {
                        "approver_ids": [Command.set((approvers | decided).ids)],
                        "pending_approver_ids": [
                            Command.set((approvers - decided).ids)
                        ],
                        "min_approvals": source._resolved_min(approvers | decided),
                    }
                )
                after[step.name] = step.approver_ids.mapped("login")
                if step.state == "pending":
                    new = step.pending_approver_ids - request.activity_ids.user_id
                    request._notify_approvers(step, new)
            request._audit(
                "approval.rerouted",
                self.env._("%(name)s re-routed", name=request.name),
                details={"before": before, "after": after},
            )
            # fewer approvers needed now: what was decided completes a step
            completed = request.step_ids.filtered(
                lambda s: s.state == "pending" and s.approved_count >= s.min_approvals
            )
            completed.write(
                {
                    "state": "approved",
                    "date_done": fields.Datetime.now(),
                    "pending_approver_ids": [Command.clear()],
                }
            )
            # the activities follow the approvers of the steps still open (all
            # of the stage's: parallel steps are open together)
            open_steps = request.step_ids.filtered(lambda s: s.state == "pending")
            if open_steps:
                request._clear_activities()
                for step in open_steps:
                    request._schedule_activities(step, step.pending_approver_ids)
            elif completed:
                request._advance()

    def action_cancel(self):
        """Requesters withdraw their own pending request."""
        self.check_access("read")  # the work below is done in sudo
        check_acting_user(self.env, what=self.env._("a withdrawal"))
        with approval_writes():
            self._withdraw()
        return True

    def _withdraw(self):
        for request in self.sudo():
            if request.requester_id != self.env.user and not self.env.user.has_group(
                "gov_base.gov_base_group_matrix_manager"
            ):
                raise AccessError(
                    self.env._("Only the requester can withdraw a request.")
                )
            if request.state != "pending":
                continue
            request._close(
                "cancelled",
                self.env._("Withdrawn by %(user)s", user=self.env.user.name),
            )
            request._audit(
                "approval.cancelled",
                self.env._("%(name)s withdrawn", name=request.name),
            )

    def action_approve(self):
        return self._open_decision_wizard("approve")

    def action_reject(self):
        return self._open_decision_wizard("reject")

    def action_delegate(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Delegate"),
            "res_model": "gov.approval.delegation",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_request_id": self.id,
                "default_user_id": self.env.user.id,
            },
        }

    def action_reassign(self):
        """Open the dialog that hands a place on an open step over."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reassign"),
            "res_model": "gov.approval.reassign.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_request_id": self.id},
        }

    def _open_decision_wizard(self, decision):
        self._check_may_decide()
        name = self.env._("Approve") if decision == "approve" else self.env._("Reject")
        if len(self) == 1:
            name = f"{name}: {self.sudo().name}"
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": "gov.approval.decision.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_decision": decision,
                "default_request_ids": self.ids,
            },
        }

    def action_open_document(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }
