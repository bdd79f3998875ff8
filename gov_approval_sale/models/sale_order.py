# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Sales order confirmation, a governed action of the approval matrix.

Every way to a confirmed order goes through the gate or the state guard of
``gov.approval.mixin``: *Confirm*, RPC, a write of the state, code under
``sudo()``, the customer's signature or online payment on the portal. What
an approval covers: the total, the customer and the product lines (product,
quantity, unit, price, discount, taxes, cost), so the bands may also test
the highest line discount and the margin.
"""

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "gov.approval.mixin"]

    _gov_approval_actions = {
        "confirm": {
            "label": "Confirm sales order",
            "method": "action_confirm",
            "state_field": "state",
            "from_states": ("draft", "sent"),
            "to_states": ("sale",),
        },
    }
    _gov_approval_amount_field = "amount_total"
    _gov_approval_currency_field = "currency_id"
    # no date field: the confirmation itself writes the order date, and the
    # total is converted to the company currency at the day's rate
    _gov_approval_date_field = False
    _gov_approval_watched_fields = ("partner_id", "amount_untaxed", "gov_max_discount")
    _gov_approval_line_field = "gov_approval_line_ids"
    # what an approver sees of the lines without opening the order
    _gov_approval_line_summary_fields = (
        "product_id",
        "product_uom_qty",
        "price_unit",
        "discount",
        "price_subtotal",
    )
    _gov_approval_line_watched_fields = (
        "product_id",
        "product_uom_qty",
        "product_uom_id",
        "price_unit",
        "discount",
        "tax_ids",
        "purchase_price",
        "display_type",
        "is_downpayment",
    )

    gov_max_discount = fields.Float(
        string="Highest Discount (%)",
        compute="_compute_gov_max_discount",
        store=True,
        digits="Discount",
        help="The highest discount of the order's product lines; approval bands"
        " may test it (e.g. discounts above 15% go to the sales manager).",
    )
    gov_approval_line_ids = fields.Many2many(
        "sale.order.line",
        string="Approved Lines",
        compute="_compute_gov_approval_line_ids",
        help="The lines an approval covers: product lines, without sections,"
        " notes and down payments (a down payment adds no amount to the order).",
    )

    @api.depends(
        "order_line.discount", "order_line.display_type", "order_line.is_downpayment"
    )
    def _compute_gov_max_discount(self):
        for order in self:
            order.gov_max_discount = max(
                (
                    line.discount
                    for line in order.order_line
                    if not line.display_type and not line.is_downpayment
                ),
                default=0.0,
            )

    @api.depends("order_line.display_type", "order_line.is_downpayment")
    def _compute_gov_approval_line_ids(self):
        for order in self:
            order.gov_approval_line_ids = order.order_line.filtered(
                lambda line: not line.display_type and not line.is_downpayment
            )

    def action_confirm(self):
        # orders past quotation get Odoo's own answer, not a request
        quotations = self.filtered(lambda order: order.state in ("draft", "sent"))
        cleared = quotations._gov_sale_gate() | (self - quotations)
        result = super(SaleOrder, cleared).action_confirm() if cleared else True
        return self._gov_approval_result(cleared, result)

    def _gov_sale_gate(self):
        """Orders that may be confirmed now; the others get a request.

        The customer confirms on the portal (signature, online payment)
        through Odoo's own code, as OdooBot or under ``sudo()``: the request
        is then made in the salesperson's name (OdooBot's when the order has
        none), who is told of the decision and in whose name the approved
        order is confirmed.
        """
        user = self.env.user
        if not self._gov_approval_is_governed() or (
            user._is_internal() and user.id != SUPERUSER_ID
        ):
            return self._gov_approval_gate("confirm")
        if not self.env.su:
            # a portal user calling the button itself
            self.check_access("write")
        cleared = self.browse()
        root = self.env.ref("base.user_root")
        for order in self:
            requester = order.user_id
            if not (requester.active and requester._is_internal()):
                requester = root
            if order.with_user(requester).sudo()._gov_approval_gate("confirm"):
                cleared |= order
        return cleared

    def _action_confirm(self):
        """What other modules do on confirmation (deliveries, projects...)
        happens to confirmed orders only."""
        if self._gov_approval_is_governed() and any(
            order.state != "sale" for order in self
        ):
            raise UserError(
                self.env._(
                    "Only confirmed sales orders can run their confirmation"
                    " steps; confirm the order (it may need an approval)."
                )
            )
        return super()._action_confirm()
