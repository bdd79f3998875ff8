# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.fields import Command
from odoo.tests import TransactionCase

from odoo.addons.gov_approval.tests.common import MatrixFixtures

PURCHASE_USER = "purchase.group_purchase_user,gov_base.gov_base_group_user"
APPROVER = "purchase.group_purchase_user,gov_base.gov_base_group_approver"


class ApprovalCase(MatrixFixtures, TransactionCase):
    """A purchase matrix like the demo one, its people, and helpers.

    Bands: under 1,000 nothing; 1,000 to 10,000 one manager; from 10,000 a
    manager, then the director (reason required).
    """

    gov_action = "purchase.order:confirm"
    gov_matrix_name = "Test purchase matrix"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_people("apr", PURCHASE_USER, APPROVER)
        cls.partner = cls.env["res.partner"].create({"name": "Approval Vendor"})
        cls.partner_2 = cls.env["res.partner"].create({"name": "Other Vendor"})
        cls.product = cls.env["product.product"].create(
            {
                "name": "Governed Widget",
                "type": "consu",
                "supplier_taxes_id": [Command.clear()],
            }
        )
        cls.matrix = cls.three_band_matrix()

    def make_po(self, amount, user=None, currency=None, partner=None):
        vals = {
            "partner_id": (partner or self.partner).id,
            "order_line": [
                Command.create(
                    {
                        "product_id": self.product.id,
                        "product_qty": 1,
                        "price_unit": amount,
                        "tax_ids": [Command.clear()],
                    }
                )
            ],
        }
        if currency:
            vals["currency_id"] = currency.id
        return self.env["purchase.order"].with_user(user or self.requester).create(vals)

    def confirm(self, order, user=None):
        return order.with_user(user or self.requester).button_confirm()
