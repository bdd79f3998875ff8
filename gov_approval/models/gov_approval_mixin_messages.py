# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the engine writes in a governed document's chatter, one named hook
per event, so that a bridge can word it for its documents (override the
hook on the document model and call ``super()`` for the others). Defined
for every model: a model governed by a matrix alone gets them too."""

from odoo import models


class Base(models.AbstractModel):
    _inherit = "base"  # pylint: disable=consider-merging-classes-inherited

    def _gov_approval_body_requested(self, request, band_name):
        return self.env._(
            "Approval requested from %(approvers)s (%(band)s).",
            approvers=", ".join(
                request.step_ids.filtered(
                    lambda s: s.state == "pending"
                ).approver_ids.mapped("name")
            ),
            band=band_name,
        )

    def _gov_approval_body_approved(self, request):
        return self.env._(
            "Approved. %(action)s can proceed.", action=request.action_label
        )

    def _gov_approval_decider(self, user, slot=None):
        """Who decided, naming the approver a delegate decided for."""
        if slot and slot != user:
            return self.env._(
                "%(delegate)s on behalf of %(approver)s",
                delegate=user.name,
                approver=slot.name,
            )
        return user.name

    def _gov_approval_body_step_approved(self, request, step, user, slot, reason):
        if reason:
            return self.env._(
                "%(step)s approved by %(who)s: %(reason)s",
                step=step.name,
                who=self._gov_approval_decider(user, slot),
                reason=reason,
            )
        return self.env._(
            "%(step)s approved by %(who)s.",
            step=step.name,
            who=self._gov_approval_decider(user, slot),
        )

    def _gov_approval_body_rejected(self, request, user, reason, slot=None):
        return self.env._(
            "Rejected by %(user)s: %(reason)s",
            user=self._gov_approval_decider(user, slot),
            reason=reason,
        )

    def _gov_approval_body_superseded(self, request, reason):
        return self.env._("Approval superseded: %(reason)s", reason=reason)

    def _gov_approval_body_resume_failed(self, request, error):
        return self.env._(
            "Approved, but %(action)s could not run: %(error)s",
            action=request.action_label,
            error=error,
        )

    def _gov_approval_body_reassigned(self, request, step, user, new_user, reason):
        return self.env._(
            "%(user)s's place on step %(step)s was handed over to %(new)s by"
            " %(actor)s: %(reason)s",
            user=user.name,
            step=step.name,
            new=new_user.name,
            actor=self.env.user.name,
            reason=reason,
        )
