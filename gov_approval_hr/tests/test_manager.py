# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Steps routed to the requester's manager (run with the purchase bridge)."""

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.gov_approval_purchase.tests.common import ApprovalCase


@tagged("post_install", "-at_install")
class TestManagerStep(ApprovalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager_step = cls.matrix.line_ids[1].step_ids
        cls.manager_step.write(
            {"approver_type": "manager", "user_ids": [Command.clear()]}
        )
        Employee = cls.env["hr.employee"]
        cls.boss = Employee.create(
            {"name": "Boss", "user_id": cls.manager_2.id, "company_id": cls.company.id}
        )
        cls.employee = Employee.create(
            {
                "name": "Requester",
                "user_id": cls.requester.id,
                "company_id": cls.company.id,
                "parent_id": cls.boss.id,
            }
        )

    def test_manager_approves(self):
        order = self.make_po(5000)
        self.confirm(order)
        request = self.request_of(order)
        self.assertEqual(request.current_step_id.approver_ids, self.manager_2)
        with self.assertRaises(AccessError):
            self.decide(order, self.manager)
        self.decide(order, self.manager_2)
        self.assertEqual(order.state, "purchase")

    def test_route_is_frozen_until_rerouted(self):
        order = self.make_po(5000)
        self.confirm(order)
        request = self.request_of(order)
        self.employee.parent_id = self.env["hr.employee"].create(
            {
                "name": "New Boss",
                "user_id": self.director.id,
                "company_id": self.company.id,
            }
        )
        self.assertEqual(request.current_step_id.approver_ids, self.manager_2)
        request.with_user(self.matrix_manager).action_reroute()
        self.assertEqual(request.current_step_id.approver_ids, self.director)

    def test_no_manager_is_refused_clearly(self):
        self.employee.parent_id = False
        order = self.make_po(5000)
        with self.assertRaisesRegex(UserError, "has no employee with a manager"):
            self.confirm(order)
        self.assertFalse(self.request_of(order))
        self.assertEqual(order.state, "draft")

    def test_no_employee_in_the_document_company(self):
        other = self.env["res.company"].create({"name": "Other Company"})
        self.employee.company_id = other
        with self.assertRaisesRegex(UserError, "has no employee with a manager"):
            self.confirm(self.make_po(5000))

    def test_fallback_approver_when_no_manager(self):
        self.employee.parent_id = False
        self.manager_step.manager_fallback_user_id = self.director
        order = self.make_po(5000)
        self.confirm(order)
        self.assertEqual(
            self.request_of(order).current_step_id.approver_ids, self.director
        )
        event = self.env["gov.audit.event"].search(
            [("event_type", "=", "approval.matrix_changed")], order="id desc", limit=1
        )
        self.assertIn("manager_fallback", event.details)

    def test_own_manager_never_approves(self):
        other = self.env["res.company"].create({"name": "Other Company"})
        self.employee.parent_id = self.env["hr.employee"].create(
            {
                "name": "Requester Abroad",
                "user_id": self.requester.id,
                "company_id": other.id,
            }
        )
        order = self.make_po(5000)
        with self.assertRaisesRegex(UserError, "their own manager"):
            self.confirm(order)
        self.assertEqual(order.state, "draft")

    def test_simulation_names_the_manager_of_the_requester(self):
        wizard = (
            self.env["gov.approval.simulate.wizard"]
            .with_user(self.matrix_manager)
            .create(
                {
                    "matrix_id": self.matrix.id,
                    "amount": 5000,
                    "requester_id": self.requester.id,
                }
            )
        )
        self.assertIn(self.manager_2.name, wizard.result_html)
