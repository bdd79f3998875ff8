# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One counted quant of an inventory adjustment under approval: what was
counted and on hand, the difference and its value at the product's cost.
The product, location, lot, package and owner are kept, so the adjustment
stays readable once Odoo removes an emptied quant."""

from odoo import api, fields, models


class GovStockAdjustmentLine(models.Model):
    _name = "gov.stock.adjustment.line"
    _inherit = ["gov.approval.line.mixin"]
    _description = "Inventory Adjustment Line under Approval"
    _order = "adjustment_id, id"

    _gov_approval_document_field = "adjustment_id"

    adjustment_id = fields.Many2one(
        "gov.stock.adjustment", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="adjustment_id.company_id", store=True)
    currency_id = fields.Many2one(related="adjustment_id.currency_id")
    quant_id = fields.Many2one("stock.quant", ondelete="set null", index=True)
    product_id = fields.Many2one("product.product", required=True)
    product_uom_id = fields.Many2one(related="product_id.uom_id")
    location_id = fields.Many2one("stock.location", required=True)
    lot_id = fields.Many2one("stock.lot", string="Lot/Serial Number")
    package_id = fields.Many2one("stock.package")
    owner_id = fields.Many2one("res.partner")
    quantity = fields.Float(string="On Hand", digits="Product Unit")
    counted_quantity = fields.Float(string="Counted", digits="Product Unit")
    difference = fields.Float(digits="Product Unit")
    unit_cost = fields.Float(string="Cost", digits="Product Price")
    value = fields.Monetary(
        compute="_compute_value",
        store=True,
        help="The difference at the product's cost, in the company currency.",
    )

    @api.depends("difference", "unit_cost")
    def _compute_value(self):
        for line in self:
            line.value = line.currency_id.round(line.difference * line.unit_cost)

    @api.model
    def _values_of(self, quants):
        """Line values of ``quants`` as they are now: the difference Odoo
        would apply (the counted quantity replaces the quantity on hand) and
        the product's cost in the quant's company."""
        return [
            {
                "quant_id": quant.id,
                "product_id": quant.product_id.id,
                "location_id": quant.location_id.id,
                "lot_id": quant.lot_id.id,
                "package_id": quant.package_id.id,
                "owner_id": quant.owner_id.id,
                "quantity": quant.quantity,
                "counted_quantity": quant.inventory_quantity,
                # what Odoo applies: the count replaces the quantity on hand
                "difference": quant.product_uom_id.round(
                    quant.inventory_quantity - quant.quantity
                ),
                "unit_cost": quant.product_id.with_company(
                    quant.company_id or self.env.company
                ).standard_price,
            }
            for quant in quants
        ]
