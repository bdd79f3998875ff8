# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestApprovalTours(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.approver = new_test_user(
            cls.env,
            login="tour_approver",
            password="tour_approver",
            name="Tour Approver",
            groups="purchase.group_purchase_user,gov_base.gov_base_group_approver",
        )
        cls.requester = new_test_user(
            cls.env,
            login="tour_requester",
            password="tour_requester",
            groups="purchase.group_purchase_user,gov_base.gov_base_group_user",
        )

    def test_matrix_manager_builds_and_simulates_a_matrix(self):
        new_test_user(
            self.env,
            login="tour_matrix",
            password="tour_matrix",
            # finance managers read the documents their matrices filter
            groups="gov_base.gov_base_group_matrix_manager,purchase.group_purchase_user",
        )
        self.start_tour(
            "/odoo/governance-approval-matrices",
            "gov_approval_matrix_tour",
            login="tour_matrix",
        )
        matrix = self.env["gov.approval.matrix"].search(
            [("name", "=", "Tour purchase matrix")]
        )
        self.assertEqual(matrix.action, "purchase.order:confirm")
        self.assertEqual(matrix.line_ids.min_amount, 1000)
        self.assertEqual(matrix.line_ids.max_amount, 50000)
        self.assertEqual(matrix.line_ids.step_ids.user_ids, self.approver)
        created = self.env["gov.audit.event"].search(
            [("event_type", "=", "approval.matrix_created"), ("res_id", "=", matrix.id)]
        )
        self.assertTrue(created)

    def test_approver_approves_from_the_order_and_requester_sees_it(self):
        self.env["gov.approval.matrix"].create(
            {
                "name": "Tour matrix",
                "action": "purchase.order:confirm",
                "line_ids": [
                    Command.create(
                        {
                            "min_amount": 100,
                            "step_ids": [
                                Command.create(
                                    {
                                        "name": "Tour step",
                                        "user_ids": [Command.set(self.approver.ids)],
                                        "rationale_required": True,
                                    }
                                )
                            ],
                        }
                    )
                ],
            }
        )
        product = self.env["product.product"].create(
            {"name": "Tour chair", "type": "consu"}
        )
        order = (
            self.env["purchase.order"]
            .with_user(self.requester)
            .create(
                {
                    "partner_id": self.env["res.partner"]
                    .create({"name": "Tour Vendor"})
                    .id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "product_qty": 3,
                                "price_unit": 400,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        order.with_user(self.requester).button_confirm()
        self.assertEqual(order.state, "draft")
        url = f"/odoo/action-purchase.purchase_form_action/{order.id}"
        self.start_tour(url, "gov_approval_approve_order_tour", login="tour_approver")
        self.assertEqual(order.state, "purchase")
        decision = order.gov_approval_request_ids.decision_ids
        self.assertEqual(decision.user_id, self.approver)
        self.assertEqual(decision.reason, "Within the project budget")
        self.start_tour(url, "gov_approval_requester_tour", login="tour_requester")
