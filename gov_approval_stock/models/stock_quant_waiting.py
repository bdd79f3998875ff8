# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Which counted quants wait for approval, as the physical inventory shows
them: the quants of an adjustment that is still to apply and whose request
is pending. Read for a whole list at once (one query over the lines of the
pending adjustments), and searchable for the *Waiting for Approval* filter.
"""

from odoo import api, fields, models
from odoo.fields import Domain

WAITING = [("waiting", "Waiting for Approval")]


class StockQuant(models.Model):
    _inherit = "stock.quant"  # pylint: disable=consider-merging-classes-inherited

    gov_approval_waiting = fields.Selection(
        WAITING,
        string="Approval",
        compute="_compute_gov_approval_waiting",
        search="_search_gov_approval_waiting",
        help="The count was applied and waits for approval: the quantity on"
        " hand changes once the adjustment is approved.",
    )
    gov_adjustment_id = fields.Many2one(
        "gov.stock.adjustment",
        string="Adjustment under Approval",
        compute="_compute_gov_approval_waiting",
    )

    @api.model
    def _gov_waiting_lines_domain(self):
        """Lines of the adjustments waiting for an approval."""
        pending = (
            self.env["gov.approval.request"]
            .sudo()
            ._search(
                [
                    ("res_model", "=", "gov.stock.adjustment"),
                    ("state", "=", "pending"),
                ]
            )
        )
        return Domain(
            [
                ("quant_id", "!=", False),
                ("adjustment_id.state", "=", "draft"),
                ("adjustment_id", "in", pending.subselect("res_id")),
            ]
        )

    def _compute_gov_approval_waiting(self):
        # a row being edited is a new record of the quant it edits
        ids = [quant._origin.id for quant in self if quant._origin.id]
        adjustment_of = {}
        if ids:
            lines = (
                self.env["gov.stock.adjustment.line"]
                .sudo()
                .search_fetch(
                    self._gov_waiting_lines_domain() & Domain("quant_id", "in", ids),
                    ["quant_id", "adjustment_id"],
                )
            )
            adjustment_of = {line.quant_id.id: line.adjustment_id.id for line in lines}
        for quant in self:
            adjustment_id = adjustment_of.get(quant._origin.id)
            quant.gov_adjustment_id = adjustment_id or False
            quant.gov_approval_waiting = "waiting" if adjustment_id else False

    def _search_gov_approval_waiting(self, operator, value):
        if operator in ("=", "!="):
            operator, value = ("in" if operator == "=" else "not in"), [value]
        if operator not in ("in", "not in"):
            return NotImplemented
        wanted = ("waiting" in value) == (operator == "in")
        lines = (
            self.env["gov.stock.adjustment.line"]
            .sudo()
            ._search(self._gov_waiting_lines_domain())
        )
        domain = Domain("id", "in", lines.subselect("quant_id"))
        return domain if wanted else ~domain
