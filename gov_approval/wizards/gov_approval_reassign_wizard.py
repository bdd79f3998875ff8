# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The dialog in which an approver hands their place on an open step over
to another user (or a Matrix Manager reassigns an approver's place); the
engine checks and records it (``gov_approval_request_reassign.py``)."""

from odoo import api, fields, models
from odoo.exceptions import UserError


class GovApprovalReassignWizard(models.TransientModel):
    """Hand a place on an open step of a request over to another user."""

    _name = "gov.approval.reassign.wizard"
    _description = "Reassign an Approval"

    request_id = fields.Many2one("gov.approval.request", required=True)
    step_choice_ids = fields.Many2many(
        "gov.approval.request.step", compute="_compute_step_choice_ids"
    )
    step_id = fields.Many2one(
        "gov.approval.request.step",
        required=True,
        domain="[('id', 'in', step_choice_ids)]",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Approver",
        required=True,
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        help="Whose place is handed over: yours, unless you are a matrix manager.",
    )
    new_user_id = fields.Many2one(
        "res.users",
        string="New Approver",
        required=True,
        domain=[("share", "=", False)],
    )
    reason = fields.Text(required=True)

    @api.depends("request_id")
    def _compute_step_choice_ids(self):
        for wizard in self:
            # the open steps, read by the engine for whoever opened the dialog
            wizard.step_choice_ids = wizard.request_id._origin.sudo().current_step_ids

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        request_id = res.get("request_id")
        if "step_id" in fields_list and request_id and not res.get("step_id"):
            request = self.env["gov.approval.request"].browse(request_id).sudo()
            user = self.env["res.users"].browse(res.get("user_id") or self.env.uid)
            mine = request.current_step_ids.filtered(
                lambda s: user in s.pending_approver_ids
            )
            res["step_id"] = (mine or request.current_step_ids)[:1].id
        return res

    def action_confirm(self):
        """Hand the place over; the engine checks who may, and to whom."""
        self.ensure_one()
        if not self.request_id:
            raise UserError(self.env._("Choose the request."))
        self.request_id._reassign_place(
            self.step_id, self.user_id, self.new_user_id, self.reason
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": self.env._("Place handed over"),
                "message": self.env._(
                    "%(new)s now approves step %(step)s instead of %(user)s.",
                    new=self.new_user_id.name,
                    step=self.step_id.sudo().name,
                    user=self.user_id.name,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
