# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Sales order lines tell their order when what an approval covers changes
(product, quantity, price, discount, taxes, cost)."""

from odoo import models


class SaleOrderLine(models.Model):
    _name = "sale.order.line"
    _inherit = ["sale.order.line", "gov.approval.line.mixin"]

    _gov_approval_document_field = "order_id"
