# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import random

from odoo.tests import tagged

from ..models.detectors import classification
from .common import GovAiCase


@tagged("post_install", "-at_install")
class TestBenfordScreen(GovAiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.use_case = cls.make_use_case(
            "benford", impact="low", benford_min_sample=100
        )
        rng = random.Random(11)
        natural = [round(10 ** rng.uniform(0, 5), 2) for _ in range(150)]
        made_up = [round(rng.uniform(500, 999), 2) for _ in range(150)]
        cls.Partner.create(
            [
                {"name": f"N{i}", "parent_id": cls.vendor.id, "partner_latitude": a}
                for i, a in enumerate(natural)
            ]
            + [
                {"name": f"M{i}", "parent_id": cls.other_vendor.id}
                | {"partner_latitude": a}
                for i, a in enumerate(made_up)
            ]
        )

    def test_natural_history_conforms(self):
        bill = self.bill(self.vendor, "N-X", 1234.0)
        rec = bill._gov_ai_recommend(self.use_case)
        self.assertEqual(rec.label, "conforming")
        self.assertEqual(rec.state, "clear")
        screen = rec.evidence["screen"]
        self.assertEqual(screen["n"], 151)
        self.assertGreater(screen["p_value"], 0.05)
        self.assertEqual(rec.detector_version, "benford-1")

    def test_made_up_history_is_flagged_as_a_screen(self):
        bill = self.bill(self.other_vendor, "M-X", 777.0)
        rec = bill._gov_ai_recommend(self.use_case)
        self.assertEqual(rec.label, "nonconforming")
        self.assertEqual(rec.state, "proposed")
        self.assertGreater(rec.confidence, 0.6)
        self.assertLess(rec.confidence, 0.9)
        self.assertIn("screen, not a verdict", rec.explanation)
        self.assertIn("digit 1", rec.explanation)
        self.assertEqual(rec.evidence["screen"]["band"], "nonconformity")

    def test_short_history_concludes_nothing(self):
        newcomer = self.Partner.create({"name": "Newcomer", "is_company": True})
        bill = self.bill(newcomer, "S-1", 900.0)
        rec = bill._gov_ai_recommend(self.use_case)
        self.assertEqual(rec.label, "insufficient_history")
        self.assertEqual(rec.state, "clear")
        self.assertIn("at least 100", rec.explanation)

    def test_first_digits_are_counted_in_sql(self):
        bill = self.bill(self.vendor, "N-Y", 0.05)
        with self.assertQueryCount(__system__=40):
            rec = bill._gov_ai_recommend(self.use_case)
        self.assertEqual(rec.evidence["screen"]["n"], 151)


@tagged("post_install", "-at_install")
class TestClassification(GovAiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Industry = cls.env["res.partner.industry"]
        cls.travel = Industry.create({"name": "Travel expenses"})
        cls.it = Industry.create({"name": "IT equipment"})
        history = [
            ("Taxi from the airport to the hotel", cls.travel),
            ("Hotel night in Lyon with breakfast", cls.travel),
            ("Train ticket Paris to Lyon", cls.travel),
            ("Flight ticket and taxi to the client", cls.travel),
            ("Hotel and train for the trade fair", cls.travel),
            ("Laptop for the new developer", cls.it),
            ("Annual software licence renewal", cls.it),
            ("Monitor and keyboard for the office", cls.it),
            ("Docking station and laptop charger", cls.it),
            ("<p>Software <b>licence</b> for the designers</p>", cls.it),
        ]
        cls.Partner.create(
            [
                {"name": f"Expense {i}", "comment": text, "industry_id": label.id}
                for i, (text, label) in enumerate(history)
            ]
        )
        visible = cls.fields["comment"] | cls.env["ir.model.fields"]._get(
            "res.partner", "industry_id"
        )
        cls.use_case = cls.make_use_case(
            "classification",
            field_ids=[(6, 0, visible.ids)],
            reference_field_id=False,
            partner_field_id=False,
            amount_field_id=False,
            text_field_id=cls.fields["comment"].id,
            label_field_id=visible.filtered(lambda f: f.name == "industry_id").id,
            min_history=5,
        )

    def classify(self, text):
        expense = self.Partner.create({"name": "New expense", "comment": text})
        return expense._gov_ai_recommend(self.use_case)

    def test_classifies_with_per_class_confidence_and_telling_words(self):
        rec = self.classify("<p>Taxi and hotel for the Lyon trip</p>")
        self.assertEqual(rec.label, "Travel expenses")
        self.assertEqual(rec.state, "proposed")
        self.assertGreater(rec.confidence, 0.8)
        probabilities = rec.evidence["probabilities"]
        self.assertEqual(
            [p["name"] for p in probabilities], ["Travel expenses", "IT equipment"]
        )
        self.assertAlmostEqual(sum(p["probability"] for p in probabilities), 1, 3)
        self.assertEqual(rec.evidence["label_value"], self.travel.id)
        self.assertIn("taxi", rec.explanation)
        self.assertIn("hotel", rec.explanation)
        self.assertEqual(rec.evidence["training"]["documents"], 10)
        self.assertEqual(rec.detector_version, "nb-1")

    def test_model_is_cached_until_the_history_changes(self):
        self.classify("New laptop")
        key = (self.env.cr.dbname, self.use_case.id)
        first = classification._CLASSIFIERS[key][2]
        rec = self.classify("Keyboard and licence")
        self.assertEqual(rec.label, "IT equipment")
        self.assertIs(classification._CLASSIFIERS[key][2], first, "reused")
        self.Partner.create(
            {
                "name": "More",
                "comment": "Parking at the airport",
                "industry_id": self.travel.id,
            }
        )
        self.classify("Parking")
        second = classification._CLASSIFIERS[key][2]
        self.assertIsNot(second, first, "retrained after the history changed")
        self.assertEqual(second["documents"], 11)

    def test_cached_model_query_budget(self):
        expense = self.Partner.create({"name": "New expense", "comment": "Taxi"})
        data, _fingerprint = self.use_case._minimised_input(expense)
        self.use_case._gov_ai_detect_classification(expense, data)
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=7):
            answer = self.use_case._gov_ai_detect_classification(expense, data)
        self.assertEqual(answer["label"], "Travel expenses")

    def test_model_expires(self):
        self.classify("New laptop")
        key = (self.env.cr.dbname, self.use_case.id)
        signature, _trained, model = classification._CLASSIFIERS[key]
        classification._CLASSIFIERS[key] = (
            signature,
            _trained - classification.CLASSIFIER_TTL - 1,
            model,
        )
        self.classify("New laptop")
        self.assertIsNot(classification._CLASSIFIERS[key][2], model)

    def test_too_little_history_falls_back(self):
        self.use_case.min_history = 50
        rec = self.classify("Taxi")
        self.assertEqual(rec.label, "unknown")
        self.assertEqual(rec.state, "fallback")
        self.assertTrue(rec.exception_item_id)


@tagged("post_install", "-at_install")
class TestSummary(GovAiCase):
    TEXT = (
        "<p>The supplier delivered the pallets two weeks late. "
        "The invoice of the supplier was paid twice by mistake. "
        "Lunch was served at noon. "
        "Finance asked the supplier for a credit note on the invoice paid twice. "
        "The weather was fine. "
        "Someone parked in the wrong place. "
        "The supplier confirmed the credit note for the duplicated invoice.</p>"
    )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.use_case = cls.make_use_case(
            "summary",
            impact="low",
            field_ids=[(6, 0, cls.fields["comment"].ids)],
            reference_field_id=False,
            partner_field_id=False,
            amount_field_id=False,
            text_field_id=cls.fields["comment"].id,
            review_threshold=0.3,
            summary_sentences=2,
        )

    def test_extractive_summary_keeps_sentences_in_order(self):
        ticket = self.Partner.create({"name": "Ticket", "comment": self.TEXT})
        rec = ticket._gov_ai_recommend(self.use_case)
        self.assertEqual(rec.label, "summary")
        self.assertEqual(rec.state, "proposed")
        kept = rec.evidence["kept"]
        self.assertEqual(len(kept), 2)
        self.assertEqual(kept, sorted(kept))
        self.assertNotIn("Lunch", rec.summary)
        self.assertIn("supplier", rec.summary)
        for sentence in rec.summary.split(". "):
            self.assertIn(sentence.rstrip("."), self.TEXT)
        self.assertIn("Kept sentences", rec.explanation)
        self.assertEqual(rec.detector_version, "extractive-1")

    def test_empty_text_has_no_finding(self):
        ticket = self.Partner.create({"name": "Empty ticket"})
        rec = ticket._gov_ai_recommend(self.use_case)
        self.assertEqual(rec.state, "clear")
        self.assertEqual(rec.label, "empty")
