# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The approver's day in the browser: deciding from My Approvals' list and
kanban without opening the order, and what the requester sees meanwhile."""

from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.gov_base.tests.tour_screens import TourScreensMixin, screens_dir

MY_APPROVALS = "/odoo/governance-my-approvals"


@tagged("post_install", "-at_install")
class TestInboxTours(TourScreensMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups = "purchase.group_purchase_user,gov_base.gov_base_group_approver"
        cls.manager = new_test_user(
            cls.env,
            login="inbox_manager",
            password="inbox_manager",
            name="Inbox Manager",
            groups=groups,
        )
        cls.director = new_test_user(
            cls.env,
            login="inbox_director",
            password="inbox_director",
            name="Inbox Director",
            groups=groups,
        )
        cls.requester = new_test_user(
            cls.env,
            login="inbox_requester",
            password="inbox_requester",
            name="Inbox Requester",
            groups="purchase.group_purchase_user,gov_base.gov_base_group_user",
        )
        cls.vendors = cls.env["res.partner"].create(
            [{"name": "Inbox Vendor A"}, {"name": "Inbox Vendor B"}]
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Inbox chair", "type": "consu"}
        )

    def _matrix(self, two_steps=False):
        steps = [
            Command.create(
                {
                    "name": "Inbox manager",
                    "sequence": 10,
                    "user_ids": [Command.set(self.manager.ids)],
                }
            )
        ]
        if two_steps:
            steps.append(
                Command.create(
                    {
                        "name": "Inbox director",
                        "sequence": 20,
                        "user_ids": [Command.set(self.director.ids)],
                    }
                )
            )
        return self.env["gov.approval.matrix"].create(
            {
                "name": "Inbox matrix",
                "action": "purchase.order:confirm",
                "line_ids": [Command.create({"min_amount": 100, "step_ids": steps})],
            }
        )

    def _waiting_order(self, vendor, price_unit):
        order = (
            self.env["purchase.order"]
            .with_user(self.requester)
            .create(
                {
                    "partner_id": vendor.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "product_qty": 1,
                                "price_unit": price_unit,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        order.with_user(self.requester).button_confirm()
        self.assertEqual(order.gov_approval_state, "pending")
        return order

    def _assert_screen(self, name):
        self.assertTrue((screens_dir() / f"{name}.png").exists(), name)

    def test_approver_decides_from_the_list(self):
        self._matrix()
        approved = self._waiting_order(self.vendors[0], 1100)
        rejected = self._waiting_order(self.vendors[1], 1200)
        self.start_tour(
            MY_APPROVALS, "gov_approval_inbox_list_tour", login="inbox_manager"
        )
        self.assertEqual(approved.state, "purchase")
        self.assertEqual(
            approved.gov_approval_request_ids.decision_ids.reason, "Within budget"
        )
        self.assertEqual(rejected.gov_approval_state, "rejected")
        self.assertEqual(rejected.gov_approval_request_ids.close_reason, "Wrong vendor")
        self._assert_screen("approver_my_approvals_list")
        self._assert_screen("approver_list_decision_dialog")

    def test_approver_decides_from_the_kanban(self):
        self._matrix()
        approved = self._waiting_order(self.vendors[0], 1100)
        rejected = self._waiting_order(self.vendors[1], 1200)
        self.start_tour(
            MY_APPROVALS, "gov_approval_inbox_kanban_tour", login="inbox_manager"
        )
        self.assertEqual(approved.state, "purchase")
        self.assertEqual(approved.gov_approval_request_ids.decision_ids.channel, "ui")
        self.assertEqual(rejected.gov_approval_state, "rejected")
        self._assert_screen("approver_my_approvals_kanban")

    def test_requester_sees_every_step_and_each_decision(self):
        self._matrix(two_steps=True)
        order = self._waiting_order(self.vendors[0], 1100)
        order.gov_approval_request_ids.with_user(self.manager)._decide(
            "approve", "Fine for me"
        )
        self.assertEqual(order.gov_approval_state, "pending")
        url = f"/odoo/action-purchase.purchase_form_action/{order.id}"
        self.start_tour(
            url, "gov_approval_inbox_requester_tour", login="inbox_requester"
        )
        self._assert_screen("requester_order_waiting_banner")

    def test_requester_sees_who_rejected_and_why(self):
        self._matrix()
        order = self._waiting_order(self.vendors[0], 1100)
        order.gov_approval_request_ids.with_user(self.manager)._decide(
            "reject", "Too expensive"
        )
        url = f"/odoo/action-purchase.purchase_form_action/{order.id}"
        self.start_tour(
            url, "gov_approval_inbox_rejected_tour", login="inbox_requester"
        )
        self._assert_screen("requester_order_rejected_banner")
