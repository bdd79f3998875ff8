# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Reassignment: an approver hands their place on an open step over to
another user for good (a Matrix Manager may do it for any approver). Unlike
a delegation, the original approver keeps nothing: the place, its approval
activity and its e-mail go to the new approver, who is held to the same
rules as any approver or delegate.
"""

from markupsafe import Markup

from odoo import models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command

from odoo.addons.gov_base.tools.engine import check_acting_user

from ..tools.engine import approval_writes

MATRIX_MANAGER = "gov_base.gov_base_group_matrix_manager"


class GovApprovalRequest(models.Model):
    _inherit = "gov.approval.request"  # pylint: disable=consider-merging-classes-inherited

    def _reassign_place(self, step, user, new_user, reason):
        """Hand ``user``'s place on the open ``step`` of this request to
        ``new_user`` (audited), as the current user: ``user`` themselves, or
        a Matrix Manager. Returns the step."""
        self.ensure_one()
        # the request must be readable by whoever reassigns (company rules,
        # approvers of its route, managers)
        self.check_access("read")
        check_acting_user(self.env, what=self.env._("a reassignment"))
        with approval_writes():
            return self.sudo()._record_reassignment(step, user, new_user, reason)

    def _record_reassignment(self, step, user, new_user, reason):
        """The body of :meth:`_reassign_place`, inside the engine's grant."""
        actor = self.env.user
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Say why you hand this place over."))
        manager = actor.has_group(MATRIX_MANAGER)
        if actor != user and not manager:
            raise AccessError(
                self.env._(
                    "You can hand over your own place only; a matrix manager"
                    " reassigns other approvers' places."
                )
            )
        if actor != user and new_user == actor:
            raise AccessError(
                self.env._(
                    "A matrix manager never gives an approver's place to themselves."
                )
            )
        # the same lock as a decision: a decision or another reassignment of
        # these steps at the same moment is serialized with this one
        open_steps = self._open_steps()
        self._lock_steps(open_steps)
        step = step.sudo()
        if step not in open_steps:
            raise UserError(
                self.env._(
                    "%(name)s no longer waits for step %(step)s.",
                    name=self.name,
                    step=step.name or "",
                )
            )
        if user not in step.pending_approver_ids:
            raise UserError(
                self.env._(
                    "%(user)s has no place to hand over on step %(step)s (they"
                    " decided, or handed it over already).",
                    user=user.name,
                    step=step.name,
                )
            )
        self._check_new_approver(new_user)
        step.write(
            {
                "approver_ids": [Command.unlink(user.id), Command.link(new_user.id)],
                "pending_approver_ids": [
                    Command.unlink(user.id),
                    Command.link(new_user.id),
                ],
            }
        )
        if actor != user:
            # a manager who moves someone's place re-routes the request: like
            # a re-route, they cannot decide it afterwards
            self.write({"rerouted": True, "rerouted_by_ids": [Command.link(actor.id)]})
        self._reassignment_told(step, user, new_user, reason)
        return step

    def _check_new_approver(self, new_user):
        """An error when ``new_user`` may not take a place on this request:
        the rules of approvers and delegates (no requester, auditor or
        holder of conflicting roles), never someone who decided on it or
        re-routed it, nor someone with a place on its route already (one
        decision per request: a second place would be lost)."""
        if not new_user or not new_user.active or new_user.share:
            raise UserError(
                self.env._("The new approver must be an active internal user.")
            )
        refusal = self._decider_refusal(new_user)
        if refusal:
            raise AccessError(
                self.env._(
                    "%(user)s cannot take this place: %(reason)s",
                    user=new_user.name,
                    reason=refusal,
                )
            )
        if self.rerouted and new_user in self.rerouted_by_ids:
            raise AccessError(
                self.env._(
                    "%(user)s re-routed %(name)s: they cannot decide it.",
                    user=new_user.name,
                    name=self.name,
                )
            )
        decisions = self.decision_ids
        if new_user in decisions.user_id | decisions.approver_id:
            raise AccessError(
                self.env._(
                    "%(user)s has already decided on %(name)s.",
                    user=new_user.name,
                    name=self.name,
                )
            )
        route = self.step_ids.filtered(lambda s: s.state in ("waiting", "pending"))
        if new_user in route.approver_ids:
            raise UserError(
                self.env._(
                    "%(user)s already has a place on the route of %(name)s.",
                    user=new_user.name,
                    name=self.name,
                )
            )

    def _reassignment_told(self, step, user, new_user, reason):
        """Audit, chatter, activities and the new approver's e-mail."""
        actor = self.env.user
        still_waiting = self.step_ids.filtered(
            lambda s: s.state == "pending"
        ).pending_approver_ids
        if user not in still_waiting:
            self._clear_activities(user)
        self._schedule_activities(step, new_user)
        self._notify_approvers(step, new_user)
        self._audit(
            "approval.reassigned",
            self.env._(
                "%(name)s: %(user)s's place on %(step)s handed over to %(new)s",
                name=self.name,
                user=user.name,
                step=step.name,
                new=new_user.name,
            ),
            details={
                "step": step.name,
                "from": user.login,
                "to": new_user.login,
                "reason": reason,
                "by_manager": actor != user,
            },
        )
        body = self._document()._gov_approval_body_reassigned(
            self, step, user, new_user, reason
        )
        self._post_on_document(body, "gov_approval.mt_approval_requested")
        self.message_post(
            body=Markup("<p>%s</p>") % body,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
