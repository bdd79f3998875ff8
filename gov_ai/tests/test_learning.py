# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Learning from reviewers: decisions in, better calibration out, never
below the floor of human review."""

from odoo.exceptions import AccessError
from odoo.tests import tagged

from ..tools import calibration
from .common import GovAiCase


@tagged("post_install", "-at_install")
class TestLearning(GovAiCase):
    def ask(self, use_case, index, twin_ref=None):
        self.bill(self.other_vendor, f"ABCD{index}X", 100.0 + index)
        twin = self.bill(self.other_vendor, twin_ref or f"ABCD{index}X", 100.0 + index)
        return twin._gov_ai_recommend(use_case).sudo()

    def run_learning(self):
        """The scheduled action, run as Odoo's scheduler runs it."""
        cron = self.env.ref("gov_ai.ir_cron_gov_ai_learn")
        with self.enter_registry_test_mode():
            self.assertIs(cron.method_direct_trigger(), True)
        self.env.invalidate_all()

    def decide(self, recommendations):
        """Reviewers accept every other answer and reject the rest."""
        for index, recommendation in enumerate(recommendations):
            reviewer = recommendation.with_user(self.reviewer)
            if index % 2:
                reviewer._decide("rejected", reason="the same amount by chance")
            else:
                reviewer._decide("accepted")

    def test_decisions_in_better_calibration_out(self):
        use_case = self.make_use_case()
        asked = self.Recommendation.browse()
        for index in range(30):
            asked |= self.ask(use_case, index)
        self.assertEqual(set(asked.mapped("state")), {"proposed"})
        self.assertEqual(set(asked.mapped("confidence")), {1.0})
        self.decide(asked)
        use_case.invalidate_recordset()
        brier_before = use_case.eval_brier
        self.assertAlmostEqual(brier_before, 0.5, places=4)

        self.run_learning()
        learnt = use_case.calibration_data[str(self.env.company.id)]
        self.assertEqual(learnt["n"], 30)
        self.assertLess(learnt["brier_after"], learnt["brier_before"])
        self.assertTrue(use_case.calibration_date)
        self.assertIn("Brier Score Learnt", use_case.calibration_html)
        # nobody but the learning writes what was learnt
        manager = self.users["integration_manager"]
        with self.assertRaises(AccessError):
            use_case.with_user(manager).write({"calibration_data": {}})

        later = self.Recommendation.browse()
        for index in range(30, 40):
            later |= self.ask(use_case, index)
        for recommendation in later:
            self.assertEqual(recommendation.raw_confidence, 1.0)
            # lower than the detector says, but still in front of a reviewer
            self.assertEqual(recommendation.confidence, use_case.review_threshold)
            self.assertEqual(recommendation.state, "proposed")
            self.assertFalse(recommendation.exception_item_id)
        self.decide(later)
        use_case.invalidate_recordset()
        self.assertLess(use_case.eval_brier, brier_before)
        self.assertLess(use_case.eval_ece, 0.5)

    def test_learning_never_opens_auto_apply(self):
        use_case = self.make_use_case(auto_apply=True, impact="low")
        # reviewers accepted every answer the detector was 0.89 sure of
        fitted = calibration.fit([(0.89, True)] * 40)
        self.assertGreater(calibration.apply(0.89, fitted), 0.95)
        use_case.sudo().calibration_data = {str(self.env.company.id): fitted}
        recommendation = self.ask(use_case, 1, twin_ref="ABCE1X")
        self.assertAlmostEqual(recommendation.raw_confidence, 0.8922, places=3)
        self.assertGreater(recommendation.confidence, recommendation.raw_confidence)
        self.assertLess(recommendation.confidence, use_case.auto_apply_threshold)
        self.assertEqual(recommendation.state, "proposed")

    def test_learning_never_takes_a_finding_away_from_review(self):
        use_case = self.make_use_case()
        fitted = calibration.fit([(0.89, False)] * 40)
        self.assertLess(calibration.apply(0.89, fitted), 0.3)
        use_case.sudo().calibration_data = {str(self.env.company.id): fitted}
        recommendation = self.ask(use_case, 2, twin_ref="ABCE2X")
        self.assertEqual(recommendation.confidence, use_case.review_threshold)
        self.assertEqual(recommendation.state, "proposed")
        # another company's reviewers taught nothing to this one
        use_case.sudo().calibration_data = {"999999": fitted}
        recommendation = self.ask(use_case, 3, twin_ref="ABCE3X")
        self.assertEqual(recommendation.confidence, recommendation.raw_confidence)
        # switched off, learning is not applied
        use_case.sudo().calibration_data = {str(self.env.company.id): fitted}
        use_case.learn_from_reviews = False
        recommendation = self.ask(use_case, 4, twin_ref="ABCE4X")
        self.assertEqual(recommendation.confidence, recommendation.raw_confidence)
