# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError

from ..tools import policy_text

APPROVER_TYPES = [
    ("user", "Specific Users"),
    ("group", "Members of a Group"),
    ("field", "User or Group on the Document"),
    ("manager", "Requester's Manager"),
]


class GovApprovalStep(models.Model):
    """One level of a band's route; steps run one after the other, unless a
    step runs with the previous one (``parallel``): such neighbours form a
    stage, open together, and the next stage opens when each of them is
    approved.

    Inside a step the approvers decide in parallel and ``min_approvals`` of
    them must approve (0 means all of them).
    """

    _name = "gov.approval.step"
    _description = "Approval Step"
    _inherit = ["gov.cached.config.mixin"]
    _order = "line_id, sequence, id"

    line_id = fields.Many2one(
        "gov.approval.matrix.line", required=True, ondelete="cascade", index=True
    )
    matrix_id = fields.Many2one(related="line_id.matrix_id", store=True)
    res_model = fields.Char(related="line_id.res_model")
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True)
    approver_type = fields.Selection(APPROVER_TYPES, default="user", required=True)
    user_ids = fields.Many2many(
        "res.users",
        relation="gov_approval_step_user_rel",
        column1="step_id",
        column2="user_id",
        string="Users",
        domain=[("share", "=", False)],
    )
    group_id = fields.Many2one("res.groups")
    field_id = fields.Many2one(
        "ir.model.fields",
        string="Document Field",
        ondelete="cascade",
        domain="[('model', '=', res_model), ('ttype', 'in', ('many2one', 'many2many')),"
        " ('relation', 'in', ('res.users', 'res.groups'))]",
    )
    parallel = fields.Boolean(
        string="Runs With Previous Step",
        help="The step opens at the same time as the step before it (for"
        " instance Legal and Finance together), each with its own approvers"
        " and approvals needed; the route goes on when both are approved, and"
        " a rejection on either rejects the request.",
    )
    min_approvals = fields.Integer(
        string="Approvals Needed",
        default=1,
        help="How many of the approvers must approve; 0 means all of them.",
    )
    sla_hours = fields.Float(string="SLA (hours)", help="0 means no deadline.")
    escalation_user_id = fields.Many2one(
        "res.users", string="Escalate To", domain=[("share", "=", False)]
    )
    escalation_add_approver = fields.Boolean(
        string="Escalation Target Can Approve",
        help="When the step is overdue, add the escalation target to its"
        " approvers (never the requester).",
    )
    rationale_required = fields.Boolean(
        help="Approvers must write a reason to approve, not only to reject."
    )
    approvers_display = fields.Char(
        string="Approvers", compute="_compute_approvers_display"
    )

    _check_numbers = models.Constraint(
        "CHECK (min_approvals >= 0 AND sla_hours >= 0)",
        "Approvals needed and SLA hours cannot be negative.",
    )

    @api.depends("approver_type", "user_ids", "group_id", "field_id", "min_approvals")
    def _compute_approvers_display(self):
        for step in self:
            names = {
                "user": step.user_ids.mapped("name"),
                "group": [step.group_id.display_name or ""],
                "field": [step.field_id.field_description or ""],
                "manager": [],
            }[step.approver_type]
            step.approvers_display = policy_text.who(
                self.env, step.approver_type, names, step.min_approvals
            )

    @api.constrains("approver_type", "user_ids", "group_id", "field_id")
    def _check_approvers(self):
        for step in self:
            missing = {
                "user": not step.user_ids,
                "group": not step.group_id,
                "field": not step.field_id,
                "manager": False,
            }[step.approver_type]
            if missing:
                raise ValidationError(
                    self.env._("Step %(step)s has no approvers.", step=step.name)
                )
            if step.approver_type == "user" and step.min_approvals > len(step.user_ids):
                raise ValidationError(
                    self.env._(
                        "Step %(step)s needs %(n)s approvals from %(m)s users.",
                        step=step.name,
                        n=step.min_approvals,
                        m=len(step.user_ids),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        steps = super().create(vals_list)
        for step in steps:
            step.matrix_id._audit_band(
                None, {"band": step.line_id.name, **step._audit_values()}
            )
        return steps

    def write(self, vals):
        before = {step.id: step._audit_values() for step in self}
        res = super().write(vals)
        for step in self:
            if step._audit_values() != before[step.id]:
                step.matrix_id._audit_band(
                    {"band": step.line_id.name, **before[step.id]},
                    {"band": step.line_id.name, **step._audit_values()},
                )
        return res

    def unlink(self):
        for step in self:
            step.matrix_id._audit_band(
                {"band": step.line_id.name, **step._audit_values()}, None
            )
        return super().unlink()

    def _audit_values(self):
        return {
            "step": self.name,
            "approvers": self.approvers_display,
            "sla_hours": self.sla_hours,
            "escalate_to": self.escalation_user_id.name or False,
            "rationale_required": self.rationale_required,
            "parallel": self.parallel,
        }

    @tools.ormcache("self.id")
    def _route_config(self):
        """What a request copies from the step, cached like the matrix's
        configuration (archived users included: resolution filters them)."""
        return self._build_config()

    def _build_config(self):
        step = self.sudo().with_context(active_test=False)
        return {
            "sequence": step.sequence,
            "name": step.name,
            "approver_type": step.approver_type,
            "user_ids": tuple(step.user_ids.ids),
            "group_id": step.group_id.id,
            "field_name": step.field_id.name or False,
            "min_approvals": step.min_approvals,
            "sla_hours": step.sla_hours,
            "escalation_user_id": step.escalation_user_id.id,
            "escalation_add_approver": step.escalation_add_approver,
            "rationale_required": step.rationale_required,
            "parallel": step.parallel,
        }

    def _config(self):
        self.ensure_one()
        if isinstance(self.id, int):
            return self._route_config()
        return self._build_config()

    def _resolve_approvers(self, record, requester):
        """The users who may approve this step for ``record``, requester excluded."""
        self.ensure_one()
        return self._resolve_route(record, requester)[self]

    def _resolve_route(self, record, requester):
        """``{step: approvers}`` for several steps, in one query for all:
        active internal users, never the requester."""
        Users = self.env["res.users"].sudo()
        candidates = {
            step: step._approver_candidates(record, requester) for step in self
        }
        everyone = Users.union(*candidates.values())
        # the requester is read with them (a request made reads their
        # partner with the approvers', and their company), never kept
        eligible = (
            Users.search_fetch(
                [("id", "in", (everyone | requester).ids), ("share", "=", False)],
                ["login", "partner_id", "active", "company_id"],
            )
            - requester
            if everyone
            else Users
        )
        return {step: eligible & users for step, users in candidates.items()}

    def _approver_candidates(self, record, requester):
        """Who the step names for ``record``, before the eligibility filter."""
        config = self._config()
        Users = self.env["res.users"].sudo()
        approver_type = config["approver_type"]
        if approver_type == "user":
            return Users.browse(config["user_ids"])
        if approver_type == "group":
            group = self.env["res.groups"].sudo().browse(config["group_id"])
            return group.all_user_ids
        if approver_type == "field":
            value = record.sudo()[config["field_name"]] if record else Users
            return value.all_user_ids if value._name == "res.groups" else value
        return self._manager_of(requester, record)

    def _manager_of(self, user, record=None):
        """The user of the requester's manager for ``record``: nobody here;
        the Employees glue module (gov_approval_hr) finds them."""
        return self.env["res.users"]

    def _resolved_min(self, approvers):
        """How many approvals the step needs once its approvers are known."""
        config = self._config()
        needed = config["min_approvals"] or len(approvers)
        if not approvers or needed > len(approvers):
            raise UserError(
                self.env._(
                    "Step %(step)s needs %(n)s approvals but has %(m)s eligible"
                    " approvers (the requester never approves their own request)."
                    " Ask a matrix manager to fix the route.",
                    step=config["name"],
                    n=needed or 1,
                    m=len(approvers),
                )
            )
        return needed
