# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo.tests import HttpCase, tagged

from .common import GovAiCase


@tagged("post_install", "-at_install")
class TestReviewTour(GovAiCase, HttpCase):
    def test_reviewer_accepts_one_and_overrides_another(self):
        use_case = self.make_use_case("duplicate", impact="high")
        self.bill(self.vendor, "INV-2026/0042", 120.0)
        self.bill(self.vendor, "INV-2026/0043", 80.0)
        first = self.bill(self.vendor, "inv 2026-42", 120.0, name="Tour bill A")
        second = self.bill(self.vendor, "INV-2026-0O43", 80.0, name="Tour bill B")
        rec_a = first._gov_ai_recommend(use_case)
        rec_b = second._gov_ai_recommend(use_case)
        self.assertEqual((rec_a | rec_b).mapped("state"), ["proposed", "proposed"])
        self.start_tour(
            "/odoo/action-gov_ai.gov_ai_recommendation_action_review",
            "gov_ai_review_tour",
            login=self.reviewer.login,
        )
        self.assertEqual(rec_a.state, "accepted")
        self.assertEqual(rec_b.state, "overridden")
        self.assertEqual(rec_b.override_value, "unique")
        self.assertEqual(
            rec_b.decision_reason, "Credit note of the first bill, not a duplicate"
        )
        self.assertEqual((rec_a | rec_b).decided_by_id, self.reviewer)
        events = self.Event.search(
            [
                ("event_type", "=", "ai.decision"),
                ("res_model", "=", "gov.ai.recommendation"),
                ("res_id", "in", (rec_a | rec_b).ids),
            ]
        )
        self.assertEqual(len(events), 2)
        self.assertEqual(events.user_id, self.reviewer)
        details = {event.res_id: json.loads(event.details) for event in events}
        self.assertEqual(details[rec_b.id]["override_value"], "unique")
        self.assertEqual(details[rec_b.id]["state"], "overridden")
        self.assertEqual(details[rec_a.id]["state"], "accepted")
