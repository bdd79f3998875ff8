# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.fields import Command
from odoo.tests import tagged

from ..tools import refund_risk
from .common import GovAiAccountCase


@tagged("post_install", "-at_install")
class TestRefundRisk(GovAiAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a regular customer: a 1,000 invoice every month for a year
        cls.regular_invoices = cls.env["account.move"]
        for index in range(12):
            cls.regular_invoices |= cls.move(
                "out_invoice", 1000.0, days_ago=5 + 30 * index, post=True
            )
        # a customer with few small invoices and many credit notes lately
        cls.risky_invoices = cls.env["account.move"]
        for index in range(10):
            cls.risky_invoices |= cls.move(
                "out_invoice",
                100.0,
                partner=cls.partner_b,
                days_ago=200 + 10 * index,
                post=True,
            )
        for days_ago in (10, 20, 30):
            cls.move(
                "out_refund", 50.0, partner=cls.partner_b, days_ago=days_ago, post=True
            )

    def credit_note(self, amount, invoice, **vals):
        return self.move(
            "out_refund",
            amount,
            partner=invoice.partner_id,
            reversed_entry_id=invoice.id,
            **vals,
        )

    def test_small_credit_note_of_a_regular_customer_is_low_risk(self):
        note = self.credit_note(100.0, self.regular_invoices[0])
        recommendation = self.recommendations(note, self.uc_risk)
        self.assertEqual(len(recommendation), 1, "the shipped rule scored it")
        self.assertEqual(recommendation.label, "low")
        self.assertLess(recommendation.score, 0.3)
        self.assertGreaterEqual(recommendation.confidence, 0.9)
        self.assertEqual(recommendation.state, "clear")
        self.assertEqual(recommendation.detector_version, refund_risk.VERSION)
        baseline = recommendation.evidence["baseline"]
        self.assertEqual(baseline["invoice_count"], 12)
        self.assertEqual(baseline["invoiced_total"], 12000.0)
        self.assertEqual(baseline["credit_note_count"], 0)

    def test_large_late_credit_note_of_a_frequent_refunder_is_high_risk(self):
        invoice = self.risky_invoices[0]
        note = self.credit_note(900.0, invoice)
        recommendation = self.recommendations(note, self.uc_risk)
        self.assertEqual(recommendation.label, "high")
        self.assertGreater(recommendation.score, 0.9)
        self.assertEqual(recommendation.state, "proposed")
        features = recommendation.evidence["features"]
        self.assertEqual(features["recent_credit_notes"]["value"], 3)
        self.assertEqual(features["ratio_to_invoice"]["value"], 9.0)
        self.assertAlmostEqual(features["invoice_age"]["value"], 200 / 30, places=3)
        self.assertEqual(
            recommendation.evidence["similar_records"],
            [{"id": invoice.id, "model": "account.move"}],
        )
        explanation = recommendation.explanation
        self.assertIn("recent credit notes 3", explanation)
        self.assertIn("10 invoices totalling 1000.0", explanation)
        self.assertIn(invoice.name, explanation)

    def test_amounts_are_compared_in_the_company_currency(self):
        foreign = self.setup_other_currency("EUR", rates=[("2000-01-01", 2.0)])
        customer = self.env["res.partner"].create({"name": "Foreign customer"})
        invoice = self.move(
            "out_invoice",
            2000.0,
            partner=customer,
            days_ago=10,
            post=True,
            currency_id=foreign.id,
        )
        # the full refund, made out in the company's currency
        note = self.credit_note(1000.0, invoice)
        recommendation = self.recommendations(note, self.uc_risk)
        features = recommendation.evidence["features"]
        self.assertAlmostEqual(features["ratio_to_invoice"]["value"], 1.0, places=3)
        baseline = recommendation.evidence["baseline"]
        self.assertEqual(baseline["invoiced_total"], 1000.0)

    def test_cancelled_and_other_customers_credit_notes_do_not_count(self):
        cancelled = self.move("out_refund", 70.0, days_ago=3)
        cancelled.button_cancel()
        self.move("out_refund", 70.0, partner=self.partner_b, days_ago=3)
        note = self.credit_note(100.0, self.regular_invoices[0])
        baseline = self.recommendations(note, self.uc_risk).evidence["baseline"]
        self.assertEqual(baseline["credit_note_count"], 0)
        self.assertEqual(baseline["recent_credit_notes"], 0)
        # a clerk's batch of drafts is no history of the customer; once
        # posted, a credit note counts
        drafts = self.env["account.move"]
        for _index in range(4):
            drafts |= self.move("out_refund", 70.0, days_ago=2)
        note = self.credit_note(100.0, self.regular_invoices[0])
        baseline = self.recommendations(note, self.uc_risk).evidence["baseline"]
        self.assertEqual(baseline["credit_note_count"], 0)
        self.assertEqual(baseline["recent_credit_notes"], 0)
        drafts[0].action_post()
        note = self.credit_note(100.0, self.regular_invoices[0])
        baseline = self.recommendations(note, self.uc_risk).evidence["baseline"]
        self.assertEqual(baseline["credit_note_count"], 1)
        self.assertEqual(baseline["recent_credit_notes"], 1)

    def test_credit_note_reduced_after_the_reversal_is_scored_again(self):
        # a full reversal of an invoice of eleven months ago
        invoice = self.regular_invoices[-1]
        note = self.credit_note(1000.0, invoice)
        first = self.recommendations(note, self.uc_risk)
        self.assertEqual(len(first), 1)
        self.assertEqual(first.input_data["values"]["amount_total_signed"], -1000.0)
        self.assertNotEqual(first.label, "low")
        # the user cuts the full reversal down to a partial credit
        note.write(
            {
                "invoice_line_ids": [
                    Command.update(note.invoice_line_ids.id, {"price_unit": 100.0})
                ]
            }
        )
        found = self.recommendations(note, self.uc_risk)
        latest = found - first
        self.assertEqual(len(latest), 1)
        self.assertEqual(latest.input_data["values"]["amount_total_signed"], -100.0)
        self.assertEqual(latest.label, "low")
        self.assertEqual(latest.state, "clear")
        self.assertEqual(first.state, "outdated")

    def test_hidden_invoice_link_is_not_used(self):
        link = self.env.ref("account.field_account_move__reversed_entry_id")
        self.uc_risk.sudo().field_ids = [Command.unlink(link.id)]
        note = self.credit_note(100.0, self.regular_invoices[0])
        recommendation = self.recommendations(note, self.uc_risk)
        self.assertNotIn("reversed_entry_id", recommendation.input_data["values"])
        self.assertIn("no_invoice_linked", recommendation.evidence["features"])
        self.assertNotIn("ratio_to_invoice", recommendation.evidence["features"])
        self.assertFalse(recommendation.evidence["similar_records"])
        self.assertLess(recommendation.confidence, 0.9)

    def test_risk_of_other_models_is_not_the_refund_detector(self):
        use_case = (
            self.env["gov.ai.use.case"]
            .sudo()
            .create(
                {
                    "name": "Contact risk",
                    "model_id": self.env["ir.model"]._get_id("res.partner"),
                    "task": "risk",
                }
            )
        )
        recommendation = self.partner_a._gov_ai_recommend(use_case)
        self.assertNotEqual(recommendation.detector_version, refund_risk.VERSION)

    def test_scoring_one_credit_note_has_a_query_budget(self):
        note = self.credit_note(100.0, self.regular_invoices[1])
        note.invalidate_recordset()
        with self.assertQueryCount(10):
            recommendation = note._gov_ai_recommend(self.uc_risk)
            self.env.flush_all()
        self.assertEqual(recommendation.label, "low")
