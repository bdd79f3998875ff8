# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .common import GovApprovalAiCase


@tagged("post_install", "-at_install")
class TestAiPolicy(GovApprovalAiCase):
    def assert_conservative(self, note, reason):
        """Left to the band's steps: waiting for the store manager."""
        self.assertEqual(note.state, "draft")
        request = self.request_of(note)
        self.assertEqual(request.state, "pending")
        self.assertEqual(request.line_id, self.small_band)
        self.assertEqual(request.current_step_id.name, "Store manager")
        self.assertEqual(request.pending_approver_ids, self.store_manager)
        self.assertEqual(request.ai_policy_outcome, "declined")
        self.assertIn(reason, request.ai_policy_note)
        event = self.policy_events(request)
        self.assertEqual(event.event_type, "approval.ai_policy_declined")
        self.assertIn(reason, event.details)
        return request

    def test_ai_policy_approves_when_every_condition_holds(self):
        note = self.credit_note(120.0, self.clean_invoices[0])
        self.assertEqual(note.state, "posted")
        request = self.request_of(note)
        self.assertEqual(request.state, "approved")
        self.assertTrue(request.action_done)
        self.assertEqual(request.ai_policy_outcome, "approved")
        self.assertIn("No person approved", request.ai_policy_note)
        # nobody was asked and no person's decision was recorded
        self.assertFalse(request.decision_ids)
        self.assertEqual(set(request.step_ids.mapped("state")), {"cancelled"})
        self.assertFalse(request.step_ids.pending_approver_ids)
        self.assertEqual(request.requester_id, self.accountant)
        # the recommendation the creation rule made is the one relied on
        recommendation = request.ai_recommendation_id
        self.assertEqual(recommendation.res_id, note.id)
        self.assertEqual(recommendation.label, "low")
        domain = [("res_model", "=", "account.move"), ("res_id", "=", note.id)]
        Recommendation = self.env["gov.ai.recommendation"].sudo()
        self.assertEqual(Recommendation.search_count(domain), 1)
        event = self.policy_events(request)
        self.assertEqual(event.event_type, "approval.ai_policy_approved")
        self.assertEqual(event.channel, "system")
        self.assertFalse(event.user_id, "a policy decision impersonates nobody")
        self.assertIn('"decided_by":"ai_policy"', event.details.replace(" ", ""))
        self.assertIn(self.accountant.login, event.details)

    def test_missing_recommendation_takes_the_steps(self):
        self.use_case.sudo().active = False
        self.env.ref("gov_ai_account.base_automation_refund_risk").sudo().active = False
        note = self.credit_note(120.0, self.clean_invoices[0])
        request = self.assert_conservative(note, "no AI recommendation")
        self.assertFalse(request.ai_recommendation_id)

    def test_low_confidence_takes_the_steps(self):
        note = self.credit_note(60.0, self.thin_invoices[0])
        request = self.assert_conservative(note, "confidence")
        self.assertLess(request.ai_recommendation_id.confidence, 0.9)

    def test_high_risk_takes_the_steps(self):
        note = self.credit_note(150.0, self.refunder_invoices[0])
        request = self.assert_conservative(note, "score")
        self.assertEqual(request.ai_recommendation_id.label, "high")
        self.assertGreaterEqual(request.ai_recommendation_id.confidence, 0.9)

    def test_approval_asked_ahead_runs_the_action_once_the_policy_approves(self):
        note = self.credit_note(120.0, self.clean_invoices[0], post=False)
        requests = note.with_user(self.accountant)._gov_approval_request(
            "post_credit_note"
        )
        self.assertEqual(requests.state, "approved")
        self.assertEqual(requests.ai_policy_outcome, "approved")
        self.assertEqual(note.state, "posted")
        self.assertFalse(requests.resume_error)

    def test_failed_recommendation_takes_the_steps(self):
        broken = (
            self.env["gov.ai.provider"]
            .sudo()
            .create({"name": "Unreachable", "kind": "openai_compatible"})
        )
        self.use_case.sudo().write({"provider_id": broken.id, "synchronous": True})
        note = self.credit_note(120.0, self.clean_invoices[0])
        request = self.assert_conservative(note, "fallback")
        self.assertEqual(request.ai_recommendation_id.state, "fallback")

    def test_queued_recommendation_takes_the_steps(self):
        # an external provider asked by the shipped rule answers later: the
        # request cannot wait for it and takes the band's steps
        external = (
            self.env["gov.ai.provider"]
            .sudo()
            .create({"name": "Later", "kind": "openai_compatible"})
        )
        self.use_case.sudo().provider_id = external
        note = self.credit_note(120.0, self.clean_invoices[0])
        request = self.assert_conservative(note, "queued")
        self.assertEqual(request.ai_recommendation_id.state, "queued")

    def test_band_not_marked_low_impact_never_approves(self):
        self.small_band.with_user(self.matrix_manager).ai_low_impact = False
        note = self.credit_note(120.0, self.clean_invoices[0])
        request = self.assert_conservative(note, "not marked as low impact")
        # the answer itself was good: only the band's impact kept the steps
        self.assertEqual(request.ai_recommendation_id.label, "low")

    def test_people_then_decide_as_usual(self):
        note = self.credit_note(60.0, self.thin_invoices[0])
        request = self.request_of(note)
        for user in (self.store_manager, self.finance, self.fraud):
            request.with_user(user)._decide("approve", reason="checked")
        self.assertEqual(request.state, "approved")
        self.assertEqual(note.state, "posted")
        self.assertEqual(len(request.decision_ids), 3)

    def test_changed_document_asks_again(self):
        """A recommendation is reused only for the input it was made from."""
        note = (
            self.env["account.move"]
            .with_user(self.accountant)
            .create(
                {
                    "move_type": "out_refund",
                    "partner_id": self.partner_a.id,
                    "reversed_entry_id": self.clean_invoices[0].id,
                    "invoice_date": self.today,
                }
            )
        )
        first = (
            self.env["gov.ai.recommendation"]
            .sudo()
            .search([("res_model", "=", "account.move"), ("res_id", "=", note.id)])
        )
        self.assertEqual(len(first), 1)
        note.with_user(self.accountant).write(
            {
                "invoice_line_ids": [
                    (0, 0, {"name": "Refund", "price_unit": 90.0, "tax_ids": []})
                ]
            }
        )
        note.with_user(self.accountant).action_post()
        request = self.request_of(note)
        self.assertEqual(request.ai_policy_outcome, "approved")
        self.assertNotEqual(request.ai_recommendation_id, first)
        values = request.ai_recommendation_id.input_data["values"]
        self.assertEqual(values["amount_total_signed"], -90.0)

    def test_large_credit_note_ignores_the_ai(self):
        note = self.credit_note(500.0, self.clean_invoices[0])
        request = self.request_of(note)
        self.assertEqual(request.line_id, self.large_band)
        self.assertEqual(request.state, "pending")
        self.assertFalse(request.ai_policy_outcome)
        self.assertFalse(self.policy_events(request))
