# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.exceptions import UserError


class GovApprovalStep(models.Model):
    _inherit = "gov.approval.step"

    manager_fallback_user_id = fields.Many2one(
        "res.users",
        string="When No Manager",
        domain=[("share", "=", False)],
        help="Approves for requesters who have no manager in the document's"
        " company. Without it, such requests are refused with an explanation.",
    )

    def _build_config(self):
        config = super()._build_config()
        config["manager_fallback_user_id"] = self.sudo().manager_fallback_user_id.id
        return config

    def _audit_values(self):
        values = super()._audit_values()
        if self.approver_type == "manager":
            values["manager_fallback"] = self.manager_fallback_user_id.name or False
        return values

    def _manager_of(self, user, record=None):
        """The user of ``user``'s manager: the parent of their employee in
        the document's company (the matrix's company when simulating)."""
        if not user:
            return self.env["res.users"]
        company = (
            record._gov_approval_company()
            if record
            else self.sudo().matrix_id.company_id
        )
        employee = (
            self.env["hr.employee"]
            .sudo()
            .search(
                [("user_id", "=", user.id), ("company_id", "=", company.id)], limit=1
            )
        )
        manager = employee.parent_id.user_id
        if manager and manager == user:
            problem = self.env._(
                "%(user)s is their own manager in %(company)s: nobody approves"
                " their own request.",
                user=user.name,
                company=company.name,
            )
        elif manager:
            return manager
        elif self._config()["manager_fallback_user_id"]:
            fallback = self._config()["manager_fallback_user_id"]
            return self.env["res.users"].sudo().browse(fallback)
        else:
            problem = self.env._(
                "%(user)s has no employee with a manager in %(company)s. Set the"
                " manager on the employee, or a fallback approver on the step.",
                user=user.name,
                company=company.name,
            )
        raise UserError(
            self.env._(
                "Step %(step)s goes to the requester's manager, but %(problem)s",
                step=self._config()["name"],
                problem=problem,
            )
        )
