# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The approver's day in the browser: deciding from My Approvals' list and
kanban without opening the order, and what the requester sees meanwhile."""

from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.gov_approval.tests.common import one_band_matrix, step_vals, tour_user
from odoo.addons.gov_base.tests.tour_screens import TourScreensMixin, screens_dir

MY_APPROVALS = "/odoo/governance-my-approvals"

REQUESTER = "purchase.group_purchase_user,gov_base.gov_base_group_user"


@tagged("post_install", "-at_install")
class TestInboxTours(TourScreensMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups = "purchase.group_purchase_user,gov_base.gov_base_group_approver"
        cls.manager = tour_user(cls.env, "inbox_manager", groups, name="Inbox Manager")
        cls.director = tour_user(
            cls.env, "inbox_director", groups, name="Inbox Director"
        )
        cls.requester = tour_user(
            cls.env, "inbox_requester", REQUESTER, name="Inbox Requester"
        )
        cls.vendors = cls.env["res.partner"].create(
            [{"name": "Inbox Vendor A"}, {"name": "Inbox Vendor B"}]
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Inbox chair", "type": "consu"}
        )

    def _matrix(self, two_steps=False):
        steps = [step_vals("Inbox manager", self.manager)]
        if two_steps:
            steps.append(step_vals("Inbox director", self.director, sequence=20))
        return one_band_matrix(
            self.env, "Inbox matrix", "purchase.order:confirm", steps, min_amount=100
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
