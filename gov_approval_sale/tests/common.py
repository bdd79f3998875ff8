# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.fields import Command
from odoo.tests import TransactionCase, new_test_user

from odoo.addons.gov_approval.tests.common import MatrixFixtures

SALESMAN = "sales_team.group_sale_salesman,gov_base.gov_base_group_user"
APPROVER = "sales_team.group_sale_salesman,gov_base.gov_base_group_approver"
DISCOUNT = "[('gov_max_discount', '>', 15)]"
MARGIN = "[('margin_percent', '<', 0.1)]"


class SaleApprovalCase(MatrixFixtures, TransactionCase):
    """A sales matrix like the demo one, its people, and helpers.

    Bands: a discount above 15% goes to the manager; a margin under 10% too;
    under 10,000 nothing; from 10,000 the manager, then the director.
    """

    gov_action = "sale.order:confirm"
    gov_matrix_name = "Test sales matrix"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = new_test_user(cls.env, login="sal_person", groups=SALESMAN)
        cls.manager = new_test_user(cls.env, login="sal_manager", groups=APPROVER)
        cls.director = new_test_user(cls.env, login="sal_director", groups=APPROVER)
        cls.matrix_manager = new_test_user(
            cls.env,
            login="sal_matrix_manager",
            groups="gov_base.gov_base_group_matrix_manager",
        )
        cls.customer = cls.env["res.partner"].create({"name": "Governed Customer"})
        cls.customer_2 = cls.env["res.partner"].create({"name": "Other Customer"})
        cls.product, cls.other_product = cls.env["product.product"].create(
            [
                {
                    "name": name,
                    "type": "service",
                    "standard_price": 50.0,
                    "list_price": 100.0,
                    "taxes_id": [Command.clear()],
                }
                for name in ("Governed Service", "Other Service")
            ]
        )
        manager_step = cls.step("Manager", cls.manager)
        director_step = cls.step(
            "Director", cls.director, sequence=20, rationale_required=True
        )
        cls.matrix = cls.make_matrix(
            [
                (0, None, [manager_step], {"sequence": 1, "domain": DISCOUNT}),
                (0, None, [manager_step], {"sequence": 2, "domain": MARGIN}),
                (0, 10000, [], {"sequence": 3}),
                (10000, None, [manager_step, director_step], {"sequence": 4}),
            ]
        )

    def make_so(self, price, discount=0.0, user=None, qty=1, partner=None, **vals):
        return (
            self.env["sale.order"]
            .with_user(user or self.salesperson)
            .create(
                {
                    "partner_id": (partner or self.customer).id,
                    "user_id": (user or self.salesperson).id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "product_uom_qty": qty,
                                "price_unit": price,
                                "discount": discount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                    **vals,
                }
            )
        )

    def confirm(self, order, user=None):
        return order.with_user(user or self.salesperson).action_confirm()
