# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.fields import Command
from odoo.tests import TransactionCase, new_test_user

from odoo.addons.gov_approval.tests.common import MatrixFixtures

STOCK_USER = "stock.group_stock_user,gov_base.gov_base_group_user"
APPROVER = "stock.group_stock_user,gov_base.gov_base_group_approver"


def inventory_matrix(env, name, step_name, manager):
    """A matrix of inventory adjustments of ``env``'s company: differences
    worth under 1,000 pass, from 1,000 ``manager`` approves."""
    step = {
        "name": step_name,
        "approver_type": "user",
        "user_ids": [Command.set(manager.ids)],
    }
    return env["gov.approval.matrix"].create(
        {
            "name": name,
            "action": "gov.stock.adjustment:apply",
            "company_id": env.company.id,
            "line_ids": [
                Command.create({"min_amount": 0, "max_amount": 1000}),
                Command.create(
                    {"min_amount": 1000, "step_ids": [Command.create(step)]}
                ),
            ],
        }
    )


class StockApprovalCase(MatrixFixtures, TransactionCase):
    """A matrix of inventory adjustments like the demo one, its people, a
    product worth 100.00 a unit with 10 on hand, and helpers.

    Bands: differences worth under 1,000 nothing; from 1,000 the manager.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.storekeeper = new_test_user(cls.env, login="stk_keeper", groups=STOCK_USER)
        cls.manager = new_test_user(cls.env, login="stk_manager", groups=APPROVER)
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock = cls.warehouse.lot_stock_id
        cls.product = cls.env["product.product"].create(
            {
                "name": "Governed Pallet",
                "type": "consu",
                "is_storable": True,
                "standard_price": 100.0,
            }
        )
        cls.env["stock.quant"]._update_available_quantity(cls.product, cls.stock, 10)
        cls.quant = cls.env["stock.quant"].search(
            [("product_id", "=", cls.product.id), ("location_id", "=", cls.stock.id)]
        )
        cls.Adjustment = cls.env["gov.stock.adjustment"]
        cls.matrix = inventory_matrix(
            cls.env, "Test inventory matrix", "Manager", cls.manager
        )

    def count(self, quantity, quant=None, user=None):
        """Count ``quant`` (the pallets in stock by default) as ``user``."""
        quant = (quant or self.quant).with_user(user or self.storekeeper)
        quant.with_context(inventory_mode=True).inventory_quantity = quantity
        return quant

    def adjustment_of(self, quant=None):
        return self.Adjustment.search(
            [("line_ids.quant_id", "=", (quant or self.quant).id)], limit=1
        )
