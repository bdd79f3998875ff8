# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class GovApprovalTesterLine(models.Model):
    """A line of a tester document: an approval covers it too."""

    _name = "gov.approval.tester.line"
    _description = "Approval Engine Tester Line"
    _inherit = ["gov.approval.line.mixin"]
    _order = "tester_id, id"

    _gov_approval_document_field = "tester_id"

    tester_id = fields.Many2one(
        "gov.approval.tester", required=True, ondelete="cascade", index=True
    )
    name = fields.Char(string="Label", required=True)
    quantity = fields.Float(default=1.0)
    price_unit = fields.Float(string="Unit Price")
