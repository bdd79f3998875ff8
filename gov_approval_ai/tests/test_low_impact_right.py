# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import GovApprovalAiCase


@tagged("post_install", "-at_install")
class TestLowImpactRight(GovApprovalAiCase):
    def test_only_matrix_managers_mark_a_band_low_impact(self):
        band = self.large_band
        integration = new_test_user(
            self.env,
            login="gai_integration",
            groups="gov_base.gov_base_group_integration_manager,base.group_system",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        for user in (self.finance, integration):
            with self.assertRaises(AccessError):
                band.with_user(user).write({"ai_low_impact": True})
            # not even through code running with superuser rights
            with self.assertRaises(AccessError):
                band.with_user(user).sudo().write({"ai_low_impact": True})
            with self.assertRaises(AccessError):
                self.env["gov.approval.matrix.line"].with_user(user).sudo().create(
                    {
                        "matrix_id": self.matrix.id,
                        "min_amount": 0,
                        "max_amount": 200,
                        "domain": f"[('partner_id', '=', {self.partner_b.id})]",
                        "ai_use_case_id": self.use_case.id,
                        "ai_low_impact": True,
                    }
                )
        self.assertFalse(band.sudo().ai_low_impact)

    def test_matrix_manager_marks_it_and_the_change_is_audited(self):
        band = self.large_band.with_user(self.matrix_manager)
        band.write({"ai_use_case_id": self.use_case.id, "ai_low_impact": True})
        self.assertTrue(band.ai_low_impact)
        self.assertIn("AI policy", band.ai_policy_display)
        event = (
            self.env["gov.audit.event"]
            .sudo()
            .search(
                [
                    ("event_type", "=", "approval.matrix_changed"),
                    ("res_model", "=", "gov.approval.matrix"),
                    ("res_id", "=", self.matrix.id),
                ],
                order="id desc",
                limit=1,
            )
        )
        self.assertIn('"low_impact":true', event.details.replace(" ", ""))
        self.assertEqual(event.user_id, self.matrix_manager)

    def test_ai_condition_must_ask_about_the_matrix_documents(self):
        partner_use_case = (
            self.env["gov.ai.use.case"]
            .sudo()
            .create(
                {
                    "name": "Contacts",
                    "model_id": self.env["ir.model"]._get_id("res.partner"),
                    "task": "risk",
                }
            )
        )
        with self.assertRaises(ValidationError):
            self.large_band.sudo().ai_use_case_id = partner_use_case
        with self.assertRaises(ValidationError):
            self.large_band.sudo().ai_min_confidence = 1.5

    def test_simulator_tells_what_the_ai_condition_may_do(self):
        Recommendation = self.env["gov.ai.recommendation"].sudo()
        before = Recommendation.search_count([])
        Wizard = self.env["gov.approval.simulate.wizard"].with_user(self.matrix_manager)
        note = self.move("out_refund", 150.0, self.partner_a)
        after_create = Recommendation.search_count([])
        small = Wizard.create(
            {
                "matrix_id": self.matrix.id,
                "amount": 150,
                "document_ref": f"account.move,{note.id}",
            }
        )
        self.assertEqual(small.line_id, self.small_band)
        self.assertIn("Store manager", small.result_html)
        self.assertIn("Approved by the AI policy when", small.result_html)
        large = Wizard.create({"matrix_id": self.matrix.id, "amount": 150000})
        self.assertNotIn("AI condition", large.result_html)
        # the creation rule asked once; simulating asks nothing
        self.assertEqual(after_create, before + 1)
        self.assertEqual(Recommendation.search_count([]), after_create)
