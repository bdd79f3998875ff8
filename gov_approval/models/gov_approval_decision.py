# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from .gov_approval_request import CHANNELS


class GovApprovalDecision(models.Model):
    """One approve or reject, by whom, for whom, how and why. Never deleted."""

    _name = "gov.approval.decision"
    _description = "Approval Decision"
    _inherit = ["gov.engine.mixin"]
    _order = "id"

    request_id = fields.Many2one(
        "gov.approval.request", required=True, ondelete="cascade", index=True
    )
    step_id = fields.Many2one(
        "gov.approval.request.step", required=True, ondelete="cascade", index=True
    )
    # the request's company, copied by the engine (saves a recomputation)
    company_id = fields.Many2one("res.company", readonly=True)
    user_id = fields.Many2one("res.users", string="Decided By", required=True)
    approver_id = fields.Many2one(
        "res.users",
        string="Approver Slot",
        required=True,
        help="The approver whose vote this is: the user, or whom they act for.",
    )
    on_behalf_of_id = fields.Many2one("res.users")
    decision = fields.Selection(
        [("approve", "Approved"), ("reject", "Rejected")], required=True
    )
    reason = fields.Text()
    channel = fields.Selection(CHANNELS, required=True, default="ui")
    date = fields.Datetime(default=fields.Datetime.now, required=True)

    _one_vote_per_slot = models.UniqueIndex(
        "(step_id, approver_id)", "This approver has already decided on this step."
    )
