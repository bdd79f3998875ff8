# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Approvers choose in their preferences whether they receive a daily
digest of what waits for their decision."""

from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    gov_approval_digest = fields.Boolean(
        string="Daily Approval Digest",
        help="Receive once a day an e-mail listing the approval requests that"
        " wait for your decision (nothing is sent when none waits).",
    )
    gov_approval_digest_date = fields.Date(
        string="Last Approval Digest",
        readonly=True,
        copy=False,
        groups="base.group_system",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + ["gov_approval_digest"]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return super().SELF_WRITEABLE_FIELDS + ["gov_approval_digest"]
