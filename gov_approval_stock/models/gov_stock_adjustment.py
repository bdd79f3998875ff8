# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""An inventory adjustment waiting for approval: the counted quantities of
one application (one click on *Apply*, per company), the governed document
of the approval matrix.

Applying counted quantities (``stock.quant``) makes one adjustment per
company with a line per quant: what was counted, what was on hand, the
difference and its value at the product's cost. Its amount, the value of
the differences, chooses the band. Once approved, the adjustment applies
exactly the differences that were approved, as the user who applied them.
"""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command

from ..tools.applying import applying

STATES = [("draft", "To Apply"), ("done", "Applied"), ("cancel", "Cancelled")]


class GovStockAdjustment(models.Model):
    _name = "gov.stock.adjustment"
    _inherit = ["gov.approval.mixin", "gov.chatter.mixin"]
    _description = "Inventory Adjustment under Approval"
    _order = "id desc"
    _check_company_auto = True

    _gov_approval_actions = {
        "apply": {
            "label": "Apply inventory adjustment",
            "method": "action_apply",
            "state_field": "state",
            "from_states": ("draft",),
            "to_states": ("done",),
        },
    }
    _gov_approval_amount_field = "amount_total"
    _gov_approval_currency_field = "currency_id"
    _gov_approval_watched_fields = ("company_id", "date")
    _gov_approval_line_field = "line_ids"
    # what an approver sees of the lines without opening the adjustment
    _gov_approval_line_summary_fields = (
        "product_id",
        "location_id",
        "quantity",
        "counted_quantity",
        "difference",
        "value",
    )
    _gov_approval_line_watched_fields = (
        "quant_id",
        "product_id",
        "location_id",
        "lot_id",
        "package_id",
        "owner_id",
        "counted_quantity",
        "difference",
        "unit_cost",
    )

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False)
    reason = fields.Char(
        readonly=True, help="The reason given when the quantities were applied."
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users", string="Applied By", readonly=True, index=True
    )
    date = fields.Datetime(
        string="Accounting Date",
        readonly=True,
        help="The date of the inventory moves, when one was given.",
    )
    state = fields.Selection(
        STATES, default="draft", required=True, readonly=True, tracking=True
    )
    line_ids = fields.One2many(
        "gov.stock.adjustment.line", "adjustment_id", string="Lines", readonly=True
    )
    line_count = fields.Integer(compute="_compute_amounts", store=True)
    amount_total = fields.Monetary(
        string="Value of the Differences",
        compute="_compute_amounts",
        store=True,
        help="The value of every difference at the product's cost, gains and"
        " losses alike: the amount the approval bands test.",
    )
    amount_gain = fields.Monetary(
        string="Value Found", compute="_compute_amounts", store=True
    )
    amount_loss = fields.Monetary(
        string="Value Lost", compute="_compute_amounts", store=True
    )

    @api.depends("line_ids.value")
    def _compute_amounts(self):
        for adjustment in self:
            values = adjustment.line_ids.mapped("value")
            adjustment.line_count = len(values)
            adjustment.amount_gain = sum(v for v in values if v > 0)
            adjustment.amount_loss = -sum(v for v in values if v < 0)
            adjustment.amount_total = adjustment.amount_gain + adjustment.amount_loss

    # ------------------------------------------------------------------
    # Made from the quants being applied
    # ------------------------------------------------------------------
    @api.model
    def _for_quants(self, quants, date=None):
        """The adjustments (one per company) holding ``quants`` now: the one
        waiting with exactly these quants, refreshed; otherwise a new one,
        and those waiting with some of them are cancelled (replaced)."""
        self._check_inventory_user()
        quants.check_access("write")
        Adjustment = self.sudo()
        reason = self.env.context.get("inventory_name") or False
        date = fields.Datetime.to_datetime(date) if date else False
        adjustments = Adjustment
        for company, company_quants in quants.grouped(
            lambda q: q.company_id or self.env.company
        ).items():
            waiting = Adjustment.search(
                [
                    ("state", "=", "draft"),
                    ("line_ids.quant_id", "in", company_quants.ids),
                ]
            )
            same = waiting.filtered(
                lambda a, q=company_quants: set(a.line_ids.quant_id.ids) == set(q.ids)
            )[:1]
            (waiting - same)._cancel(self.env._("replaced by a new application"))
            if same:
                if same.date != date:
                    same.date = date  # a change of what an approval covers
                same._refresh_lines()
                adjustments |= same
                continue
            adjustments |= Adjustment.create(
                {
                    "name": self.env["ir.sequence"]
                    .with_company(company)
                    .next_by_code("gov.stock.adjustment")
                    or self.env._("New"),
                    "reason": reason,
                    "company_id": company.id,
                    "user_id": self.env.uid,
                    "date": date,
                    "line_ids": [
                        Command.create(vals)
                        for vals in self.env["gov.stock.adjustment.line"]._values_of(
                            company_quants
                        )
                    ],
                }
            )
        return adjustments.sudo(False)

    @api.model
    def _check_inventory_user(self):
        if not self.env.su and not self.env.user.has_group("stock.group_stock_user"):
            raise AccessError(
                self.env._("Only inventory users apply counted quantities.")
            )

    def _refresh_lines(self):
        """Lines follow their quant while the adjustment waits: a new count,
        a new difference or a new cost is a change of what an approval
        covers (the request is superseded)."""
        Line = self.env["gov.stock.adjustment.line"]
        for line in self.filtered(lambda a: a.state == "draft").line_ids:
            if not line.quant_id:
                raise UserError(
                    self.env._(
                        "%(adjustment)s: the stock of %(product)s at %(location)s"
                        " is gone. Count it again and apply it.",
                        adjustment=line.adjustment_id.name,
                        product=line.product_id.display_name,
                        location=line.location_id.display_name,
                    )
                )
            (vals,) = Line._values_of(line.quant_id)
            changed = {
                name: value
                for name, value in vals.items()
                if name in ("counted_quantity", "quantity", "difference", "unit_cost")
                and line._fields[name].convert_to_cache(value, line) != line[name]
            }
            if changed:
                line.write(changed)

    # ------------------------------------------------------------------
    # The governed action
    # ------------------------------------------------------------------
    def action_apply(self):
        """Apply the counted quantities, or ask for approval first."""
        self._check_inventory_user()
        self.check_access("read")
        adjustments = self.sudo().filtered(lambda a: a.state == "draft")
        adjustments._refresh_lines()
        adjustments = adjustments.sudo(False)
        cleared = adjustments._gov_approval_gate("apply")
        if cleared:
            cleared.sudo()._apply_counts()
        return adjustments._gov_approval_result(cleared, True)

    def _apply_counts(self):
        """Apply the approved differences: Odoo's own inventory moves, as
        the user (the requester, when the engine resumes the approval)."""
        for adjustment in self:
            adjustment.write({"state": "done"})
            quants = adjustment.line_ids.quant_id.sudo(False)
            if adjustment.reason:
                quants = quants.with_context(inventory_name=adjustment.reason)
            with applying(quants.ids):
                quants._apply_inventory(adjustment.date)

    def action_cancel(self):
        """Withdraw adjustments waiting to be applied; the counts stay."""
        self._check_inventory_user()
        self.check_access("read")
        self.sudo()._cancel(
            self.env._("cancelled by %(user)s", user=self.env.user.name)
        )
        return True

    def _cancel(self, reason):
        waiting = self.filtered(lambda a: a.state == "draft")
        if not waiting:
            return
        waiting.write({"state": "cancel"})
        for adjustment in waiting:
            adjustment.message_post(
                body=self.env._("Adjustment cancelled: %(reason)s", reason=reason)
            )

    def action_open_quants(self):
        """The counted quants of the adjustment, in the physical inventory."""
        self.ensure_one()
        view = self.env.ref("stock.view_stock_quant_tree_inventory_editable")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Counted Quantities"),
            "res_model": "stock.quant",
            "view_mode": "list",
            "views": [(view.id, "list")],
            "domain": [("id", "in", self.line_ids.quant_id.ids)],
            "context": {"inventory_mode": True},
        }
