# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A step of a request: its approvers, frozen when the request was made,
its stage (steps of one stage are open together) and its progress."""

from odoo import fields, models

STEP_STATES = [
    ("waiting", "Waiting"),
    ("pending", "Pending"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("cancelled", "Cancelled"),
]


class GovApprovalRequestStep(models.Model):
    """A step of a request, with the approvers frozen when it was made.

    Steps of the same ``stage`` run in parallel: they open together and the
    next stage opens when each of them is approved. A request made before
    stages existed has none (0): each of its steps is a stage of its own.
    """

    _name = "gov.approval.request.step"
    _description = "Approval Request Step"
    _inherit = ["gov.engine.mixin"]
    _order = "request_id, sequence, id"

    request_id = fields.Many2one(
        "gov.approval.request", required=True, ondelete="cascade", index=True
    )
    step_id = fields.Many2one(
        "gov.approval.step", string="Configured Step", ondelete="set null"
    )
    # the request's company, copied by the engine (saves a recomputation)
    company_id = fields.Many2one("res.company", readonly=True)
    sequence = fields.Integer()
    stage = fields.Integer(
        help="Steps of the same stage are open at the same time; stages run"
        " one after the other."
    )
    name = fields.Char(required=True)
    state = fields.Selection(STEP_STATES, default="waiting", required=True, index=True)
    approver_ids = fields.Many2many(
        "res.users",
        relation="gov_approval_request_step_approver_rel",
        column1="step_id",
        column2="user_id",
        string="Approvers",
    )
    pending_approver_ids = fields.Many2many(
        "res.users",
        relation="gov_approval_request_step_pending_rel",
        column1="step_id",
        column2="user_id",
        string="Not Decided Yet",
    )
    min_approvals = fields.Integer(string="Approvals Needed")
    approved_count = fields.Integer(string="Approvals")
    progress_display = fields.Char(string="Progress", compute="_compute_progress")
    sla_hours = fields.Float(string="SLA (hours)")
    deadline = fields.Datetime(index=True)
    escalation_user_id = fields.Many2one("res.users", string="Escalate To")
    escalation_add_approver = fields.Boolean()
    escalated = fields.Boolean()
    rationale_required = fields.Boolean()
    last_reminder_date = fields.Datetime()
    date_done = fields.Datetime()
    decision_ids = fields.One2many("gov.approval.decision", "step_id")

    # the escalation's queue: open steps not escalated yet, by deadline
    _escalation_queue_idx = models.Index(
        "(deadline, id) WHERE state = 'pending' AND escalated IS NOT TRUE"
    )

    def write(self, vals):
        res = super().write(vals)
        self.request_id._invalidate_documents()
        return res

    def _compute_progress(self):
        for step in self:
            step.progress_display = self.env._(
                "%(done)s of %(needed)s",
                done=step.approved_count,
                needed=step.min_approvals,
            )
