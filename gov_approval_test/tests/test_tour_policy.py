# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""In a browser, a finance manager makes a three-band matrix with its steps
from a template and from scratch, each within 15 clicks and entries (the
tours count them), and activates it; the screens are saved."""

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.gov_base.tests.tour_screens import TourScreensMixin

from .common import APPROVER


@tagged("post_install", "-at_install")
class TestPolicyTour(TourScreensMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="tour_policy",
            password="tour_policy",
            name="Tour Finance Manager",
            # a finance manager reads the documents they govern
            groups="gov_base.gov_base_group_matrix_manager,"
            "gov_approval_test.gov_approval_test_group_user",
        )
        cls.controller = new_test_user(
            cls.env, login="tour_controller", name="Tour Controller", groups=APPROVER
        )
        cls.director = new_test_user(
            cls.env, login="tour_director", name="Tour Director", groups=APPROVER
        )
        # the tester's own matrices stand aside: the new one governs alone
        cls.env["gov.approval.matrix"].search(
            [("action", "=", "gov.approval.tester:confirm")]
        ).action_archive()

    def made(self):
        return self.env["gov.approval.matrix"].search(
            [("create_uid", "=", self.manager.id)], order="id desc", limit=1
        )

    def test_three_bands_from_a_template(self):
        self.start_tour(
            "/odoo/action-gov_approval.gov_approval_matrix_action",
            "gov_approval_policy_template_tour",
            login="tour_policy",
        )
        matrix = self.made()
        self.assertTrue(matrix.active)
        self.assertEqual(matrix.action, "gov.approval.tester:confirm")
        bands = matrix.line_ids.sorted("min_amount")
        self.assertEqual(len(bands), 3)
        self.assertFalse(bands[0].step_ids)
        self.assertEqual(bands[2].step_ids[-1].user_ids, self.director)
        self.assertEqual(
            set(self.screens_taken),
            {"policy_template_designer", "policy_template_draft"},
        )

    def test_three_bands_from_scratch(self):
        self.start_tour(
            "/odoo/action-gov_approval.gov_approval_matrix_action",
            "gov_approval_policy_scratch_tour",
            login="tour_policy",
        )
        matrix = self.made()
        self.assertTrue(matrix.active)
        bands = matrix.line_ids.sorted("min_amount")
        self.assertEqual(
            [(b.min_amount, b.max_amount) for b in bands],
            [(0, 2000), (2000, 20000), (20000, 0)],
        )
        self.assertEqual(bands[1].step_ids.user_ids, self.controller)
        self.assertEqual(
            bands[2].step_ids.mapped("user_ids"), self.controller | self.director
        )
