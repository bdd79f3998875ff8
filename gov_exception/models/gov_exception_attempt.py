# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

ATTEMPT_KINDS = [
    ("retry", "Automatic retry"),
    ("manual", "Retry now"),
    ("replay", "Replay"),
    ("edited_replay", "Replay with edited payload"),
]
OUTCOMES = [
    ("success", "Succeeded"),
    ("retry", "Failed, retry scheduled"),
    ("failed", "Failed"),
    ("dead", "Failed, dead-lettered"),
]


class GovExceptionAttempt(models.Model):
    """One run of an item's handler: the item's history, written by the queue
    only and never rewritten."""

    _name = "gov.exception.attempt"
    _inherit = ["gov.engine.mixin"]
    _description = "Exception Queue Attempt"
    _order = "id desc"

    item_id = fields.Many2one(
        "gov.exception.item",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    company_id = fields.Many2one(related="item_id.company_id", store=True)
    attempt_date = fields.Datetime(
        string="Time", required=True, readonly=True, default=fields.Datetime.now
    )
    user_id = fields.Many2one("res.users", string="Run By", readonly=True)
    kind = fields.Selection(ATTEMPT_KINDS, required=True, readonly=True)
    outcome = fields.Selection(OUTCOMES, required=True, readonly=True)
    error = fields.Text(readonly=True)
    duration_ms = fields.Integer(string="Duration (ms)", readonly=True)
    next_attempt_date = fields.Datetime(string="Next Attempt", readonly=True)
