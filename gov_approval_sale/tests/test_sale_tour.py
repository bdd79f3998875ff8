# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A discounted quotation in the browser: the salesperson confirms it and
sees it wait, the sales manager approves it from My Approvals, and the
order is confirmed by itself."""

from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT
from odoo.addons.gov_approval.tests.common import tour_user
from odoo.addons.gov_base.tests.tour_screens import TourScreensMixin, screens_dir

MY_APPROVALS = "/odoo/governance-my-approvals"

SALESPERSON = (
    "sales_team.group_sale_salesman,sale.group_discount_per_so_line,"
    "gov_base.gov_base_group_user"
)
MANAGER = "sales_team.group_sale_manager,gov_base.gov_base_group_approver"


@tagged("post_install", "-at_install")
class TestSaleTour(TourScreensMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        cls.salesperson = tour_user(
            cls.env, "sale_tour_person", SALESPERSON, name="Tour Salesperson"
        )
        cls.manager = tour_user(
            cls.env, "sale_tour_manager", MANAGER, name="Tour Sales Manager"
        )
        customer = cls.env["res.partner"].create({"name": "Tour Customer"})
        product = cls.env["product.product"].create(
            {
                "name": "Tour Service",
                "type": "service",
                "list_price": 1000.0,
                "standard_price": 400.0,
                "taxes_id": [Command.clear()],
            }
        )
        cls.env["gov.approval.matrix"].create(
            {
                "name": "Tour sales matrix",
                "action": "sale.order:confirm",
                "company_id": cls.env.company.id,
                "no_match_policy": "allow",
                "line_ids": [
                    Command.create(
                        {
                            "sequence": 1,
                            "min_amount": 0,
                            "domain": "[('gov_max_discount', '>', 15)]",
                            "step_ids": [
                                Command.create(
                                    {
                                        "name": "Sales manager",
                                        "approver_type": "user",
                                        "user_ids": [Command.set(cls.manager.ids)],
                                    }
                                )
                            ],
                        }
                    ),
                    Command.create({"sequence": 2, "min_amount": 0}),
                ],
            }
        )
        cls.order = (
            cls.env["sale.order"]
            .with_user(cls.salesperson)
            .create(
                {
                    "partner_id": customer.id,
                    "user_id": cls.salesperson.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "price_unit": 1000.0,
                                "discount": 25.0,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )

    def assert_screens(self, *names):
        for name in names:
            self.assertIn(name, self.screens_taken)
            self.assertTrue((screens_dir() / f"{name}.png").exists(), name)

    def test_discount_waits_is_approved_from_my_approvals_and_confirms(self):
        order = self.order
        url = f"/odoo/sales/{order.id}"
        self.start_tour(
            url, "gov_approval_sale_confirm_tour", login=self.salesperson.login
        )
        self.assertEqual(order.state, "draft")
        request = order.gov_approval_request_ids
        self.assertEqual(request.state, "pending")
        self.assertEqual(request.requester_id, self.salesperson)
        self.assertEqual(request.amount, 750)
        self.assertFalse(request.with_user(self.salesperson).can_decide)
        self.assert_screens("sale_order_waiting_approval")

        self.start_tour(
            MY_APPROVALS, "gov_approval_sale_approve_tour", login=self.manager.login
        )
        self.assertEqual(request.state, "approved")
        decision = request.decision_ids
        self.assertEqual(
            (decision.user_id, decision.decision, decision.reason),
            (self.manager, "approve", "Launch discount agreed with the customer"),
        )
        self.assertEqual(order.state, "sale")
        self.assertTrue(request.action_done)
        self.assert_screens("sale_my_approvals_list", "sale_approve_dialog")

        self.start_tour(
            url, "gov_approval_sale_confirmed_tour", login=self.salesperson.login
        )
        self.assert_screens("sale_order_confirmed")
