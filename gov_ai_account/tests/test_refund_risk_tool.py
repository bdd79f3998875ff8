# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import BaseCase

from ..tools import refund_risk


class TestRefundRiskTool(BaseCase):
    def clean(self, **overrides):
        amount = overrides.pop("amount", 100.0)
        values = {
            "invoice_amount": 1000.0,
            "days_since_invoice": 10,
            "invoiced_total": 12000.0,
            "invoice_count": 12,
            "credit_note_count": 0,
            "recent_credit_notes": 0,
        }
        values.update(overrides)
        return refund_risk.assess(amount, **values)

    def test_partial_refund_of_a_regular_customer_is_low_and_confident(self):
        result = self.clean()
        self.assertEqual(result["level"], "low")
        self.assertLess(result["score"], 0.15)
        self.assertGreaterEqual(result["confidence"], 0.9)
        self.assertEqual(
            set(result["features"]),
            {
                "ratio_to_invoice",
                "share_of_invoiced",
                "recent_credit_notes",
                "credit_note_frequency",
                "invoice_age",
            },
        )

    def test_each_warning_sign_raises_the_score(self):
        base = self.clean()["score"]
        for change in (
            {"amount": 1400.0},
            {"recent_credit_notes": 3, "credit_note_count": 3},
            {"days_since_invoice": 200},
            {"invoiced_total": 150.0, "invoice_count": 1},
            {"invoice_amount": None},
        ):
            with self.subTest(change=change):
                self.assertGreater(self.clean(**change)["score"], base)

    def test_score_stays_in_unit_interval_and_levels_follow(self):
        worst = refund_risk.assess(
            10**9, days_since_invoice=3000, credit_note_count=50, recent_credit_notes=50
        )
        self.assertLessEqual(worst["score"], 1.0)
        self.assertEqual(worst["level"], "high")
        self.assertIn("no_invoice_linked", worst["features"])
        self.assertIn("no_invoiced_history", worst["features"])
        # little history, no invoice linked: judged on little evidence
        self.assertLess(worst["confidence"], 0.5)
        self.assertEqual(refund_risk.level(0.0), "low")
        self.assertEqual(refund_risk.level(0.45), "medium")
        self.assertEqual(refund_risk.level(1.0), "high")

    def test_describe_orders_by_effect(self):
        result = self.clean(recent_credit_notes=4, credit_note_count=4)
        items = refund_risk.describe(result["features"])
        self.assertTrue(items[0].startswith("recent credit notes 4"))
        self.assertIn("(+2.80)", items[0])

    def test_legitimate_returns_and_goodwill_stay_low_over_refunds_do_not(self):
        # the full return of a recent invoice by a regular customer
        self.assertEqual(self.clean(amount=1000.0)["level"], "low")
        # a small goodwill credit, linked to no invoice, against the
        # customer's own average invoice
        goodwill = self.clean(amount=50.0, invoice_amount=None)
        self.assertEqual(goodwill["level"], "low")
        self.assertAlmostEqual(
            goodwill["features"]["no_invoice_linked"]["value"], 0.05, places=4
        )
        # crediting more than the invoice is the real warning sign
        over = self.clean(amount=1500.0)
        self.assertIn("over_refund", over["features"])
        self.assertNotEqual(over["level"], "low")

    def test_an_unlinked_credit_beyond_the_average_invoice_is_reviewed(self):
        # a return entered without its invoice, below the average of 1,000
        self.assertEqual(self.clean(amount=800.0, invoice_amount=None)["level"], "low")
        # one and a half average invoices that no invoice explains
        large = self.clean(amount=1500.0, invoice_amount=None)
        self.assertGreaterEqual(large["score"], 0.6)
        self.assertAlmostEqual(
            large["features"]["unlinked_beyond_average"]["value"], 0.5, places=4
        )

    def test_the_age_of_an_invoice_weighs_by_the_share_credited(self):
        # all of an invoice of eleven months ago: reviewed
        old = self.clean(amount=1000.0, days_since_invoice=330)
        self.assertGreaterEqual(old["score"], 0.6)
        # a warranty return of an invoice of four months: not
        self.assertEqual(
            self.clean(amount=1000.0, days_since_invoice=120)["level"], "low"
        )
        # a tenth of the old invoice: a late price adjustment
        late = self.clean(amount=100.0, days_since_invoice=330)
        self.assertEqual(late["level"], "low")
        self.assertLess(
            late["features"]["invoice_age"]["contribution"],
            old["features"]["invoice_age"]["contribution"] / 5,
        )
