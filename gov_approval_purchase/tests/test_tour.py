# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.gov_approval.tests.common import one_band_matrix, tour_user

APPROVER = "purchase.group_purchase_user,gov_base.gov_base_group_approver"
REQUESTER = "purchase.group_purchase_user,gov_base.gov_base_group_user"
MATRIX_MANAGER = "gov_base.gov_base_group_matrix_manager,purchase.group_purchase_user"


@tagged("post_install", "-at_install")
class TestApprovalTours(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.approver = tour_user(
            cls.env, "tour_approver", APPROVER, name="Tour Approver"
        )
        cls.requester = tour_user(cls.env, "tour_requester", REQUESTER)
        cls.vendor = cls.env["res.partner"].create({"name": "Tour Vendor"})
        cls.product = cls.env["product.product"].create(
            {"name": "Tour chair", "type": "consu"}
        )

    def test_matrix_manager_builds_and_simulates_a_matrix(self):
        # finance managers read the documents their matrices filter
        tour_user(self.env, "tour_matrix", MATRIX_MANAGER)
        self.start_tour(
            "/odoo/governance-approval-matrices",
            "gov_approval_matrix_tour",
            login="tour_matrix",
        )
        matrix = self.env["gov.approval.matrix"].search(
            [("name", "=", "Tour purchase matrix")]
        )
        self.assertEqual(matrix.action, "purchase.order:confirm")
        self.assertTrue(matrix.active)
        self.assertEqual(matrix.line_ids.min_amount, 1000)
        self.assertEqual(matrix.line_ids.max_amount, 50000)
        self.assertEqual(matrix.line_ids.step_ids.user_ids, self.approver)
        created = self.env["gov.audit.event"].search(
            [("event_type", "=", "approval.matrix_created"), ("res_id", "=", matrix.id)]
        )
        self.assertTrue(created)

    @classmethod
    def _make_matrix(cls, rationale_required=False):
        """A purchase confirmation matrix: from 100, one step for the approver."""
        step = {
            "name": "Tour step",
            "user_ids": [Command.set(cls.approver.ids)],
            "rationale_required": rationale_required,
        }
        return one_band_matrix(
            cls.env, "Tour matrix", "purchase.order:confirm", [step], min_amount=100
        )

    def _waiting_order(self, price_unit, quantity=1):
        """An order of the requester, confirmed by them: it waits for approval."""
        order = (
            self.env["purchase.order"]
            .with_user(self.requester)
            .create(
                {
                    "partner_id": self.vendor.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "product_qty": quantity,
                                "price_unit": price_unit,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        order.with_user(self.requester).button_confirm()
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.gov_approval_request_ids.state, "pending")
        return order

    def test_approver_approves_from_the_order_and_requester_sees_it(self):
        self._make_matrix(rationale_required=True)
        order = self._waiting_order(400, quantity=3)
        url = f"/odoo/action-purchase.purchase_form_action/{order.id}"
        self.start_tour(url, "gov_approval_approve_order_tour", login="tour_approver")
        self.assertEqual(order.state, "purchase")
        decision = order.gov_approval_request_ids.decision_ids
        self.assertEqual(decision.user_id, self.approver)
        self.assertEqual(decision.reason, "Within the project budget")
        self.start_tour(url, "gov_approval_requester_tour", login="tour_requester")

    def test_approver_mass_approves_from_my_approvals(self):
        self.assertTrue(self._make_matrix().auto_resume)
        orders = (
            self._waiting_order(1100)
            | self._waiting_order(1200)
            | self._waiting_order(1300)
        )
        requests = orders.gov_approval_request_ids
        self.assertEqual(len(requests), 3)
        self.start_tour(
            "/odoo", "gov_approval_mass_approve_tour", login="tour_approver"
        )
        self.assertEqual(set(orders.mapped("state")), {"purchase"})
        self.assertEqual(set(requests.mapped("state")), {"approved"})
        decisions = requests.decision_ids
        self.assertEqual(len(decisions), 3)
        self.assertEqual(decisions.request_id, requests)
        self.assertEqual(set(decisions.mapped("channel")), {"mass"})
        self.assertEqual(decisions.user_id, self.approver)
        self.assertFalse(decisions.on_behalf_of_id)
        events = self.env["gov.audit.event"].search(
            [
                ("event_type", "in", ("approval.approved_step", "approval.approved")),
                ("res_model", "=", "gov.approval.request"),
                ("res_id", "in", requests.ids),
            ]
        )
        by_type = events.grouped("event_type")
        for event_type in ("approval.approved_step", "approval.approved"):
            self.assertEqual(
                sorted(by_type[event_type].mapped("res_id")), sorted(requests.ids)
            )
        steps = by_type["approval.approved_step"]
        self.assertEqual(steps.user_id, self.approver)
        # the audit log records a mass decision as made in the user interface
        self.assertEqual(set(steps.mapped("channel")), {"ui"})

    def test_absent_approver_delegates_and_the_delegate_approves(self):
        delegate = tour_user(
            self.env,
            "tour_delegate",
            name="Tour Delegate",
            # no purchase rights: the decision wizard shows the order to them
            groups="gov_base.gov_base_group_approver",
        )
        matrix = self._make_matrix(rationale_required=True)
        order = self._waiting_order(1200)
        request = order.gov_approval_request_ids
        self.start_tour("/odoo", "gov_approval_delegate_tour", login="tour_approver")
        delegation = self.env["gov.approval.delegation"].search(
            [("user_id", "=", self.approver.id)]
        )
        self.assertEqual(len(delegation), 1)
        self.assertEqual(delegation.delegate_id, delegate)
        self.assertEqual(delegation.note, "Annual leave")
        self.assertFalse(delegation.matrix_ids)
        self.assertFalse(delegation.request_id)
        self.assertTrue(delegation.is_current)
        self.assertEqual(request.with_user(delegate).can_decide, True)
        self.assertNotIn(delegate, request.step_ids.approver_ids)
        self.start_tour(
            "/odoo", "gov_approval_delegate_approves_tour", login="tour_delegate"
        )
        self.assertEqual(order.state, "purchase")
        self.assertEqual(request.state, "approved")
        decision = request.decision_ids
        self.assertEqual(len(decision), 1)
        self.assertEqual(decision.user_id, delegate)
        self.assertEqual(decision.on_behalf_of_id, self.approver)
        self.assertEqual(decision.approver_id, self.approver)
        self.assertEqual(decision.channel, "ui")
        self.assertEqual(decision.reason, "Approved while the manager is away")
        self.assertEqual(request.matrix_id, matrix)
        event = self.env["gov.audit.event"].search(
            [
                ("event_type", "=", "approval.approved_step"),
                ("res_model", "=", "gov.approval.request"),
                ("res_id", "=", request.id),
            ]
        )
        self.assertEqual(event.user_id, delegate)
        self.assertEqual(event.on_behalf_of_id, self.approver)
