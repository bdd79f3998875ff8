# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One figure of a replay: documents per band, step or approver, with this
version and today (``gov.approval.replay``)."""

from odoo import fields, models

from .gov_approval_replay import LEVELS


class GovApprovalReplayLine(models.TransientModel):
    _name = "gov.approval.replay.line"
    _description = "Replay Figure"
    _order = "level, proposed_count desc, name"

    replay_id = fields.Many2one(
        "gov.approval.replay", required=True, ondelete="cascade", index=True
    )
    level = fields.Selection(LEVELS, required=True)
    name = fields.Char(string="Band, Step or Approver", required=True)
    proposed_count = fields.Integer(string="With This Version", aggregator="sum")
    current_count = fields.Integer(string="Today", aggregator="sum")
    difference = fields.Integer(aggregator="sum")
