# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, time

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL, format_date

from odoo.addons.gov_base.tools.engine import check_acting_user


class GovApprovalDelegation(models.Model):
    """Out of office: a delegate decides on behalf of an approver for a while.

    A delegation is given by the approver themselves (or by a Matrix Manager,
    audited, never to themselves); who gave it never changes afterwards.
    Delegates are bound by the same rules as approvers, when the delegation
    is given and when they decide: no auditor, no holder of conflicting roles,
    nobody deciding on a request of their own.
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
    date_to = fields.Datetime(
        string="Until",
        required=True,
        help="A day given without a time is included: the delegation ends at"
        " the end of that day, in your timezone.",
    )
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

    @api.constrains("user_id", "delegate_id", "date_from", "date_to", "request_id")
    def _check_delegation(self):
        for delegation in self:
            if delegation.user_id == delegation.delegate_id:
                raise ValidationError(self.env._("Nobody delegates to themselves."))
            if delegation.date_to <= delegation.date_from:
                raise ValidationError(self.env._("A delegation ends after it starts."))
            refusal = (
                delegation.request_id.sudo()._decider_refusal(delegation.delegate_id)
                if delegation.request_id
                else self.env["gov.approval.request"]._decider_refusal(
                    delegation.delegate_id
                )
            )
            if refusal:
                raise ValidationError(
                    self.env._(
                        "%(delegate)s cannot decide approvals: %(reason)s",
                        delegate=delegation.delegate_id.name,
                        reason=refusal,
                    )
                )

    def _check_giver(self, approver_ids):
        """Only approvers delegate their own approvals; a Matrix Manager may
        give one for someone else, never to themselves."""
        check_acting_user(self.env, what=self.env._("a delegation"))
        if self.env.su:
            return
        user = self.env.user
        if user._has_group("gov_base.gov_base_group_auditor"):
            raise AccessError(
                self.env._("Auditors read delegations; they do not change them.")
            )
        if set(approver_ids) - {user.id} and not user._has_group(
            "gov_base.gov_base_group_matrix_manager"
        ):
            raise AccessError(self.env._("You can only delegate your own approvals."))

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

    def _lock_for_decision(self):
        """Share-lock the delegations a decision relies on: ending or changing
        one concurrently waits for the decision, or makes it retry (and then
        see the delegation gone)."""
        if self:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM gov_approval_delegation WHERE id IN %s FOR SHARE",
                    tuple(self.ids),
                ),
                log_exceptions=False,
            )

    def _end_of_day(self, value):
        """An "Until" given as a day (midnight in the user's timezone) ends
        at the end of that day: the day is included."""
        if not value:
            return value
        value = fields.Datetime.to_datetime(value)
        tz = pytz.timezone(self.env.user.tz or self.env.context.get("tz") or "UTC")
        local = pytz.utc.localize(value).astimezone(tz)
        if (local.hour, local.minute, local.second, local.microsecond) != (0, 0, 0, 0):
            return value
        end = tz.localize(
            datetime.combine(local.date(), time(23, 59, 59)).replace(tzinfo=None)
        )
        return end.astimezone(pytz.utc).replace(tzinfo=None)

    @api.model_create_multi
    def create(self, vals_list):
        self._check_giver([vals.get("user_id") or self.env.uid for vals in vals_list])
        for vals in vals_list:
            if vals.get("date_to"):
                vals["date_to"] = self._end_of_day(vals["date_to"])
        delegations = super().create(vals_list)
        for delegation in delegations:
            if delegation.delegate_id == self.env.user and (
                delegation.user_id != self.env.user
            ):
                raise AccessError(
                    self.env._("Nobody gives themselves another user's approvals.")
                )
            delegation._audit("approval.delegation_created")
        return delegations

    def write(self, vals):
        if "user_id" in vals and any(d.user_id.id != vals["user_id"] for d in self):
            raise AccessError(
                self.env._(
                    "Who gave a delegation never changes; end it and give a new one."
                )
            )
        self._check_giver(self.user_id.ids)
        if vals.get("date_to"):
            vals = dict(vals, date_to=self._end_of_day(vals["date_to"]))
        if vals.get("delegate_id") == self.env.uid and self.user_id - self.env.user:
            raise AccessError(
                self.env._("Nobody gives themselves another user's approvals.")
            )
        res = super().write(vals)
        for delegation in self:
            delegation._audit("approval.delegation_changed")
        return res

    def unlink(self):
        self._check_giver(self.user_id.ids)
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
                "approver": self.user_id.login,
                "delegate": self.delegate_id.login,
                "given_by": self.env.user.login,
                "from": fields.Datetime.to_string(self.date_from),
                "to": fields.Datetime.to_string(self.date_to),
                "matrices": self.matrix_ids.mapped("name"),
                "request": self.request_id.name or None,
                "active": self.active,
            },
        )
