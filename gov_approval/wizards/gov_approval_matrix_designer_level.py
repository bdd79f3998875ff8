# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One rung of the policy designer's ladder: from which amount, and who
approves from there (one of some users, several of them, a member of a group,
or the requester's manager)."""

from odoo import api, fields, models

from ..tools import policy_text


class GovApprovalMatrixDesignerLevel(models.TransientModel):
    _name = "gov.approval.matrix.designer.level"
    _description = "Approval Policy Level"
    _order = "min_amount, sequence, id"

    designer_id = fields.Many2one(
        "gov.approval.matrix.designer", required=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    currency_id = fields.Many2one(related="designer_id.currency_id")
    min_amount = fields.Monetary(string="From")
    name = fields.Char(
        string="Step",
        help="What approvers are called at this level (Controller, Director);"
        " left empty, their names.",
    )
    approver_type = fields.Selection(
        [
            ("user", "Users"),
            ("group", "A Group"),
            ("manager", "Requester's Manager"),
        ],
        string="Approved By",
        default="user",
        required=True,
    )
    user_ids = fields.Many2many(
        "res.users",
        relation="gov_approval_designer_level_user_rel",
        column1="level_id",
        column2="user_id",
        string="Users",
        domain=[("share", "=", False)],
    )
    group_id = fields.Many2one("res.groups")
    min_approvals = fields.Integer(
        string="Approvals Needed",
        default=1,
        help="How many of the approvers must approve; 0 means all of them.",
    )

    @api.onchange("approver_type")
    def _onchange_approver_type(self):
        if self.approver_type != "user":
            self.user_ids = False
        if self.approver_type != "group":
            self.group_id = False

    def _has_approvers(self):
        return bool(
            self.approver_type == "manager"
            or (self.approver_type == "user" and self.user_ids)
            or (self.approver_type == "group" and self.group_id)
        )

    def _names(self):
        if self.approver_type == "user":
            return self.user_ids.mapped("name")
        if self.approver_type == "group":
            return [self.group_id.display_name or ""]
        return []

    def _who(self):
        return policy_text.who(
            self.env, self.approver_type, self._names(), self.min_approvals
        )

    def _step_name(self):
        return self.name or self._who()

    def _step_values(self):
        """The level as a step of the matrix it makes."""
        return {
            "name": self._step_name(),
            "approver_type": self.approver_type,
            "user_ids": [fields.Command.set(self.user_ids.ids)],
            "group_id": self.group_id.id,
            "min_approvals": self.min_approvals,
        }
