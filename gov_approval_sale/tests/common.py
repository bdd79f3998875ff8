# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.fields import Command
from odoo.tests import TransactionCase, new_test_user

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT

SALESMAN = "sales_team.group_sale_salesman,gov_base.gov_base_group_user"
APPROVER = "sales_team.group_sale_salesman,gov_base.gov_base_group_approver"


class SaleApprovalCase(TransactionCase):
    """A sales matrix like the demo one, its people, and helpers.

    Bands: a discount above 15% goes to the manager; a margin under 10% too;
    under 10,000 nothing; from 10,000 the manager, then the director.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        cls.company = cls.env.company
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
        cls.product = cls.env["product.product"].create(
            {
                "name": "Governed Service",
                "type": "service",
                "standard_price": 50.0,
                "list_price": 100.0,
                "taxes_id": [Command.clear()],
            }
        )
        cls.other_product = cls.env["product.product"].create(
            {
                "name": "Other Service",
                "type": "service",
                "standard_price": 50.0,
                "list_price": 100.0,
                "taxes_id": [Command.clear()],
            }
        )
        cls.Request = cls.env["gov.approval.request"]
        manager_step = cls.step("Manager", cls.manager)
        cls.matrix = cls.env["gov.approval.matrix"].create(
            {
                "name": "Test sales matrix",
                "action": "sale.order:confirm",
                "company_id": cls.company.id,
                "line_ids": [
                    Command.create(
                        {
                            "sequence": 1,
                            "min_amount": 0,
                            "domain": "[('gov_max_discount', '>', 15)]",
                            "step_ids": [Command.create(manager_step)],
                        }
                    ),
                    Command.create(
                        {
                            "sequence": 2,
                            "min_amount": 0,
                            "domain": "[('margin_percent', '<', 0.1)]",
                            "step_ids": [Command.create(manager_step)],
                        }
                    ),
                    Command.create(
                        {"sequence": 3, "min_amount": 0, "max_amount": 10000}
                    ),
                    Command.create(
                        {
                            "sequence": 4,
                            "min_amount": 10000,
                            "step_ids": [
                                Command.create(manager_step),
                                Command.create(
                                    cls.step(
                                        "Director",
                                        cls.director,
                                        sequence=20,
                                        rationale_required=True,
                                    )
                                ),
                            ],
                        }
                    ),
                ],
            }
        )

    @classmethod
    def step(cls, name, users, sequence=10, **extra):
        users = users if isinstance(users, list) else [users]
        return {
            "name": name,
            "sequence": sequence,
            "approver_type": "user",
            "user_ids": [Command.set([u.id for u in users])],
            **extra,
        }

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

    def request_of(self, order):
        return self.Request.search(
            [("res_model", "=", "sale.order"), ("res_id", "=", order.id)],
            order="id desc",
            limit=1,
        )

    def decide(self, order, user, decision="approve", reason=None):
        return self.request_of(order).with_user(user)._decide(decision, reason)
