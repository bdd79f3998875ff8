# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math
import unittest
from datetime import date

from ..tools import anomaly, duplicates


class TestDuplicateTools(unittest.TestCase):
    def test_normalisation_ignores_case_separators_zeros_and_ocr(self):
        norm = duplicates.normalize_reference
        self.assertEqual(norm("INV-2026/0012"), norm("inv 2026 12"))
        self.assertEqual(norm("F-000123"), norm("f123"))
        self.assertEqual(norm("SB-1O0"), norm("58-100"))
        self.assertEqual(norm("INV-I5"), norm("1NV-15"))
        self.assertEqual(norm(None), "")
        self.assertEqual(norm(False), "")
        self.assertNotEqual(norm("INV-124"), norm("INV-125"))

    def test_reference_similarity(self):
        self.assertEqual(duplicates.reference_similarity("A-01", "a1"), 1.0)
        close = duplicates.reference_similarity("2026-4711", "2026-4717")
        self.assertGreater(close, 0.8)
        self.assertLess(close, 1.0)
        self.assertIsNone(duplicates.reference_similarity("", "X1"))

    def test_amount_and_date_similarity(self):
        self.assertEqual(duplicates.amount_similarity(100.0, 100.0), 1.0)
        self.assertEqual(duplicates.amount_similarity(100.0, 100.4), 0.9)
        self.assertEqual(duplicates.amount_similarity(100.0, 120.0), 0.0)
        self.assertIsNone(duplicates.amount_similarity(None, 1.0))
        self.assertEqual(
            duplicates.date_similarity(date(2026, 1, 1), "2026-01-01"), 1.0
        )
        self.assertAlmostEqual(
            duplicates.date_similarity("2026-01-01", "2026-01-16", 30), 0.5
        )
        self.assertEqual(duplicates.date_similarity("2026-01-01", "2026-06-01"), 0.0)

    def test_score_weights_present_factors_only(self):
        score, factors = duplicates.duplicate_score(
            {"reference": "INV-001", "amount": 50.0},
            {"reference": "inv 1", "amount": 50.0},
        )
        self.assertEqual(score, 1.0)
        self.assertIsNone(factors["date"])
        # a single matching factor stays below a typical review band
        score, _factors = duplicates.duplicate_score({"amount": 5.0}, {"amount": 5.0})
        self.assertEqual(score, 0.6)
        self.assertEqual(duplicates.duplicate_score({}, {"amount": 1})[0], 0.0)

    def test_find_duplicates_ranks_and_explains(self):
        target = {"reference": "INV-0042", "amount": 99.0, "date": "2026-03-01"}
        candidates = [
            {"id": 1, "reference": "INV-0041", "amount": 12.0, "date": "2025-01-01"},
            {"id": 2, "reference": "inv42", "amount": 99.0, "date": "2026-03-03"},
            {"id": 3, "reference": "INV-OO42", "amount": 99.3, "date": "2026-03-01"},
        ]
        matches = duplicates.find_duplicates(target, candidates)
        self.assertEqual([m["id"] for m in matches], [2, 3])
        self.assertIn("same reference once normalised", matches[1]["reasons"])
        self.assertIn("amount within tolerance", matches[1]["reasons"])
        self.assertIn("same amount", matches[0]["reasons"])


class TestAnomalyTools(unittest.TestCase):
    def test_baseline_is_median_and_mad_of_logs(self):
        n, median, mad = anomaly.baseline([10, 10, 100, 0, None, -5])
        self.assertEqual(n, 3)
        self.assertAlmostEqual(median, math.log(10))
        self.assertAlmostEqual(mad, 0.0)
        self.assertEqual(anomaly.baseline([]), (0, None, None))

    def test_mad_is_floored(self):
        z = anomaly.robust_z(11, math.log(10), 0.0)
        self.assertAlmostEqual(z, 0.6745 * math.log(1.1) / anomaly.MAD_FLOOR)
        self.assertIsNone(anomaly.robust_z(0, 1.0, 1.0))

    def test_assess_prefers_partner_then_falls_back(self):
        partner = anomaly.baseline([100, 105, 95, 110, 90, 100, 102, 98])
        everyone = anomaly.baseline([10, 20, 1000, 5, 50, 70, 300, 8, 12, 40])
        result = anomaly.assess(1000, partner, everyone)
        self.assertTrue(result["anomalous"])
        self.assertEqual(result["baseline"], "partner")
        self.assertEqual(result["n"], 8)
        self.assertGreater(result["confidence"], 0.5)
        normal = anomaly.assess(101, partner, everyone)
        self.assertFalse(normal["anomalous"])
        # too little partner history: the whole model is the baseline
        small = anomaly.baseline([100, 100])
        fallback = anomaly.assess(1000, small, everyone)
        self.assertEqual(fallback["baseline"], "global")
        self.assertIsNone(anomaly.assess(1000, small, small))

    def test_confidence_grows_with_distance(self):
        low = anomaly.confidence_from_z(3.5)
        high = anomaly.confidence_from_z(-20)
        self.assertAlmostEqual(low, 0.5)
        self.assertGreater(high, 0.8)
        self.assertLess(anomaly.confidence_from_z(20, fallback_baseline=True), high)
