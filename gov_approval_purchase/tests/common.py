# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.fields import Command
from odoo.tests import TransactionCase, new_test_user

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT

PURCHASE_USER = "purchase.group_purchase_user,gov_base.gov_base_group_user"
APPROVER = "purchase.group_purchase_user,gov_base.gov_base_group_approver"


class ApprovalCase(TransactionCase):
    """A purchase matrix like the demo one, its people, and helpers.

    Bands: under 1,000 nothing; 1,000 to 10,000 one manager; from 10,000 a
    manager, then the director (reason required).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        cls.company = cls.env.company
        cls.requester = new_test_user(
            cls.env, login="apr_requester", groups=PURCHASE_USER
        )
        cls.manager = new_test_user(cls.env, login="apr_manager", groups=APPROVER)
        cls.manager_2 = new_test_user(cls.env, login="apr_manager_2", groups=APPROVER)
        cls.director = new_test_user(cls.env, login="apr_director", groups=APPROVER)
        cls.board = [
            new_test_user(cls.env, login=f"apr_board_{n}", groups=APPROVER)
            for n in range(3)
        ]
        cls.matrix_manager = new_test_user(
            cls.env,
            login="apr_matrix_manager",
            groups="gov_base.gov_base_group_matrix_manager",
        )
        cls.partner = cls.env["res.partner"].create({"name": "Approval Vendor"})
        cls.partner_2 = cls.env["res.partner"].create({"name": "Other Vendor"})
        cls.product = cls.env["product.product"].create(
            {
                "name": "Governed Widget",
                "type": "consu",
                "supplier_taxes_id": [Command.clear()],
            }
        )
        cls.Request = cls.env["gov.approval.request"]
        cls.matrix = cls.make_matrix(
            [
                (0, 1000, []),
                (1000, 10000, [cls.step("Manager", cls.manager)]),
                (
                    10000,
                    0,
                    [
                        cls.step("Manager", cls.manager, sequence=10),
                        cls.step(
                            "Director",
                            cls.director,
                            sequence=20,
                            rationale_required=True,
                        ),
                    ],
                ),
            ]
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

    @classmethod
    def make_matrix(cls, bands, **vals):
        return cls.env["gov.approval.matrix"].create(
            {
                "name": vals.pop("name", "Test purchase matrix"),
                "action": "purchase.order:confirm",
                "company_id": cls.company.id,
                "line_ids": [
                    Command.create(
                        {
                            "sequence": index,
                            "min_amount": low,
                            "max_amount": high,
                            "step_ids": [Command.create(step) for step in steps],
                        }
                    )
                    for index, (low, high, steps) in enumerate(bands)
                ],
                **vals,
            }
        )

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

    def request_of(self, order):
        return self.Request.search(
            [("res_model", "=", "purchase.order"), ("res_id", "=", order.id)],
            order="id desc",
            limit=1,
        )

    def decide(self, order, user, decision="approve", reason=None):
        request = self.request_of(order)
        return request.with_user(user)._decide(decision, reason)
