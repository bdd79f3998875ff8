# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import format_date


class GovApprovalDelegation(models.Model):
    """Out of office: a delegate decides on behalf of an approver for a while.

    Delegates are bound by the same segregation-of-duties checks as the
    approver: they never decide on a request of their own.
    """

    _name = "gov.approval.delegation"
    _description = "Approval Delegation"
    _order = "date_from desc, id desc"

    user_id = fields.Many2one(
        "res.users",
        string="Approver",
        required=True,
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        index=True,
    )
    delegate_id = fields.Many2one(
        "res.users",
        required=True,
        domain=[("share", "=", False)],
        index=True,
    )
    date_from = fields.Datetime(
        string="From", required=True, default=fields.Datetime.now
    )
    date_to = fields.Datetime(string="Until", required=True)
    matrix_ids = fields.Many2many(
        "gov.approval.matrix",
        string="Only For Matrices",
        help="Leave empty to delegate every approval.",
    )
    request_id = fields.Many2one(
        "gov.approval.request",
        string="Only For Request",
        ondelete="cascade",
        help="Delegate a single request.",
    )
    note = fields.Char()
    active = fields.Boolean(default=True)
    is_current = fields.Boolean(compute="_compute_is_current")

    @api.depends("user_id", "delegate_id", "date_to")
    def _compute_display_name(self):
        for delegation in self:
            delegation.display_name = self.env._(
                "%(approver)s to %(delegate)s until %(date)s",
                approver=delegation.user_id.name or "",
                delegate=delegation.delegate_id.name or "",
                date=format_date(
                    self.env,
                    delegation.date_to
                    and fields.Datetime.context_timestamp(self, delegation.date_to),
                ),
            )

    @api.depends("date_from", "date_to", "active")
    def _compute_is_current(self):
        now = fields.Datetime.now()
        for delegation in self:
            delegation.is_current = (
                delegation.active and delegation.date_from <= now < delegation.date_to
            )

    @api.constrains("user_id", "delegate_id", "date_from", "date_to")
    def _check_delegation(self):
        for delegation in self:
            if delegation.user_id == delegation.delegate_id:
                raise ValidationError(self.env._("Nobody delegates to themselves."))
            if delegation.date_to <= delegation.date_from:
                raise ValidationError(self.env._("A delegation ends after it starts."))

    @api.model
    def _active_to(self, delegate, request=None):
        """Delegations that let ``delegate`` act now (for ``request`` if given)."""
        now = fields.Datetime.now()
        domain = Domain(
            [
                ("delegate_id", "=", delegate.id),
                ("date_from", "<=", now),
                ("date_to", ">", now),
            ]
        )
        delegations = self.sudo().search(domain)
        if request is None:
            return delegations
        return delegations.filtered(
            lambda d: (
                (not d.request_id or d.request_id == request)
                and (not d.matrix_ids or request.matrix_id in d.matrix_ids)
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        delegations = super().create(vals_list)
        for delegation in delegations:
            delegation._audit("approval.delegation_created")
        return delegations

    def write(self, vals):
        res = super().write(vals)
        for delegation in self:
            delegation._audit("approval.delegation_changed")
        return res

    def unlink(self):
        for delegation in self:
            delegation._audit("approval.delegation_deleted")
        return super().unlink()

    def _audit(self, event_type):
        self.env["gov.audit.event"].record(
            event_type,
            self.env._(
                "%(user)s delegates approvals to %(delegate)s",
                user=self.user_id.name,
                delegate=self.delegate_id.name,
            ),
            record=self,
            details={
                "from": fields.Datetime.to_string(self.date_from),
                "to": fields.Datetime.to_string(self.date_to),
                "matrices": self.matrix_ids.mapped("name"),
                "request": self.request_id.name or None,
                "active": self.active,
            },
        )
