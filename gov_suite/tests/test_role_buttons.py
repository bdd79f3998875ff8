# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Buttons a role cannot use are not shown to it: the refusals behind them
stay (see the adversarial tests), the screens stop offering them."""

from lxml import etree

from odoo.tests import tagged

from odoo.addons.gov_base.tests.common import GovBaseCase

WORK_BUTTONS = {
    "gov.exception.item": (
        "action_assign_to_me",
        "action_start",
        "action_retry_now",
        "action_open_replay_wizard",
        "action_open_close_wizard",
    ),
    "gov.webhook.endpoint": (
        "action_generate_secret",
        "action_enter_provider_secret",
        "action_send_test",
    ),
    "gov.webhook.subscription": (
        "action_show_secret_once",
        "action_enter_receiver_secret",
    ),
}


@tagged("post_install", "-at_install")
class TestRoleButtons(GovBaseCase):
    def buttons(self, role, model, view_type="form"):
        Model = self.env[model].with_user(self.users[role])
        arch = Model.get_views([(False, view_type)])["views"][view_type]["arch"]
        return set(etree.fromstring(arch).xpath("//button/@name"))

    def test_auditors_are_not_offered_what_they_may_not_do(self):
        for model, names in WORK_BUTTONS.items():
            with self.subTest(model=model):
                self.assertFalse(set(names) & self.buttons("auditor", model))
                # the Integration Manager, who works them, still has them all
                self.assertLessEqual(
                    set(names), self.buttons("integration_manager", model)
                )
        self.assertNotIn(
            "action_assign_to_me", self.buttons("auditor", "gov.exception.item", "list")
        )

    def test_withdraw_is_offered_to_the_requester_and_matrix_managers_only(self):
        Request = self.env["gov.approval.request"]
        self.assertIn("can_withdraw", Request._fields)
        requester = self.users["user"]
        request = Request.new({"state": "pending", "requester_id": requester.id})

        def can_withdraw(user):
            return request.with_user(user).can_withdraw

        self.assertTrue(can_withdraw(requester))
        self.assertTrue(can_withdraw(self.users["matrix_manager"]))
        for role in ("approver", "auditor", "integration_manager"):
            self.assertFalse(can_withdraw(self.users[role]), role)
        view = self.env["ir.ui.view"].search(
            [("model", "=", "gov.approval.request"), ("type", "=", "form")], limit=1
        )
        withdraw = etree.fromstring(view.arch).xpath("//button[@name='action_cancel']")
        self.assertEqual(withdraw[0].get("invisible"), "not can_withdraw")
