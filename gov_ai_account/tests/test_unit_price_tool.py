# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import BaseCase

from ..tools import unit_price

STEADY = [1.52, 1.55, 1.58, 1.54, 1.56, 1.53]


class TestUnitPriceTool(BaseCase):
    def test_a_price_keyed_with_a_zero_too_many_is_unusual(self):
        result = unit_price.assess(15.5, STEADY)
        self.assertTrue(result["anomalous"])
        self.assertAlmostEqual(result["ratio"], 10.0, places=1)
        self.assertEqual(result["n"], len(STEADY))
        self.assertAlmostEqual(result["median"], 1.545, places=3)
        self.assertGreater(result["confidence"], 0.8)

    def test_a_new_price_list_is_not_an_anomaly(self):
        # far beyond the spread of a steady price, but a third more only
        result = unit_price.assess(2.1, STEADY)
        self.assertGreater(result["z"], unit_price.THRESHOLD)
        self.assertFalse(result["anomalous"])
        # half again the usual price is
        self.assertTrue(unit_price.assess(2.35, STEADY)["anomalous"])

    def test_only_a_price_above_the_usual_counts(self):
        result = unit_price.assess(0.155, STEADY)
        self.assertLess(result["z"], -unit_price.THRESHOLD)
        self.assertFalse(result["anomalous"])
        self.assertEqual(result["confidence"], 0.0)

    def test_a_price_that_always_moved_is_judged_by_its_own_spread(self):
        spot = [1.0, 2.2, 0.8, 1.6, 3.0, 1.2, 0.9, 2.5]
        # twice the median of a price that swings like this is ordinary
        self.assertFalse(unit_price.assess(2.9, spot)["anomalous"])
        result = unit_price.assess(14.0, spot)
        self.assertTrue(result["anomalous"])
        # within the spread's limit of the z-score, but ten times the usual:
        # sure enough to be reviewed, not left to a low-confidence fallback
        self.assertLess(result["z"], unit_price.THRESHOLD)
        self.assertGreaterEqual(result["confidence"], 0.6)

    def test_too_few_prices_or_no_price_judge_nothing(self):
        self.assertIsNone(unit_price.assess(15.5, STEADY[: unit_price.MIN_PRICES - 1]))
        self.assertIsNone(unit_price.assess(0.0, STEADY))
        self.assertIsNone(unit_price.assess(15.5, [0.0, -1.0, *STEADY[:2]]))
