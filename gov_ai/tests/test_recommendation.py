# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import SQL
from odoo.tools.sql import index_exists

from ..models.detectors import duplicate
from .common import GovAiCase


@tagged("post_install", "-at_install")
class TestRecommendation(GovAiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.duplicate_case = cls.make_use_case("duplicate", impact="high")
        cls.original = cls.bill(cls.vendor, "INV-2026/0042", 120.0)
        cls.bill(cls.vendor, "INV-2026/0007", 75.0)
        cls.bill(cls.other_vendor, "INV-2026/0042", 120.0)

    def test_duplicate_is_proposed_with_its_evidence(self):
        twin = self.bill(self.vendor, "inv 2026-42", 120.0)
        rec = twin._gov_ai_recommend(self.duplicate_case)
        self.assertEqual(rec.state, "proposed")
        self.assertEqual(rec.label, "duplicate")
        self.assertEqual(rec.confidence, 1.0)
        self.assertEqual(rec.res_model, "res.partner")
        self.assertEqual(rec.res_id, twin.id)
        similar = rec.evidence["similar_records"]
        self.assertEqual(similar[0]["id"], self.original.id)
        self.assertIn(str(self.original.id), rec.explanation)
        self.assertIn("same reference once normalised", rec.explanation)
        self.assertEqual(rec.detector_version, "dup-3")
        self.assertEqual(len(rec.input_fingerprint), 64)
        # the other vendor's bill with the same reference is not compared
        self.assertNotIn(self.other_vendor.child_ids.ids, [[m["id"]] for m in similar])
        activity = rec.activity_ids
        self.assertEqual(activity.user_id, self.reviewer)

    def test_one_open_answer_per_record_and_use_case(self):
        twin = self.bill(self.vendor, "inv 2026-42", 120.0)
        first = twin._gov_ai_recommend(self.duplicate_case)
        self.assertEqual(first.state, "proposed")
        # asked again about the same values: the open answer stands
        self.assertEqual(twin._gov_ai_recommend(self.duplicate_case), first)
        # the record changed: the open answer is outdated, a new one is made
        twin.ref = "INV-2026/0099"
        second = twin._gov_ai_recommend(self.duplicate_case)
        self.assertNotEqual(second, first)
        self.assertEqual(first.state, "outdated")
        self.assertFalse(first.activity_ids)
        self.assertEqual(second.input_data["values"]["ref"], "INV-2026/0099")
        # reports: by use case and state, the average confidence
        Recommendation = self.Recommendation.sudo()
        views = Recommendation.get_views([(False, "pivot"), (False, "graph")])
        self.assertIn("confidence", views["views"]["pivot"]["arch"])
        groups = dict(
            Recommendation._read_group(
                [
                    ("res_id", "=", twin.id),
                    ("use_case_id", "=", self.duplicate_case.id),
                ],
                ["state"],
                ["confidence:avg"],
            )
        )
        self.assertEqual(groups["outdated"], first.confidence)
        self.assertEqual(groups[second.state], second.confidence)

    def test_evaluation_from_reviewers_decisions(self):
        use_case = self.make_use_case("duplicate", impact="high")
        answers = self.Recommendation.browse()
        for number in range(4):
            twin = self.bill(self.vendor, f"inv 2026-42 #{number}"[:11], 120.0)
            answers |= twin._gov_ai_recommend(use_case)
        self.assertEqual(set(answers.mapped("state")), {"proposed"})
        accepted, rejected = answers[:3], answers[3:]
        for rec in accepted:
            rec.with_user(self.reviewer).action_accept()
        rejected.with_user(self.reviewer)._decide("rejected", "Not the same bill")
        use_case.invalidate_recordset()
        self.assertEqual(use_case.eval_decided, 4)
        self.assertEqual(use_case.eval_precision, 0.75)
        expected_brier = (
            sum((r.confidence - 1) ** 2 for r in accepted) + rejected.confidence**2
        ) / 4
        self.assertAlmostEqual(use_case.eval_brier, expected_brier, places=4)
        self.assertEqual(use_case.eval_coverage, 1.0)
        self.assertIn("<table", use_case.eval_bands_html)
        # drift: the same answers a period ago, none since
        self.assertEqual(use_case.eval_acceptance_now, 0.75)
        self.assertEqual(use_case.eval_acceptance_before, 0.0)
        self.env.cr.execute(
            "UPDATE gov_ai_recommendation SET create_date = create_date"
            " - interval '40 days' WHERE id IN %s",
            [tuple(accepted.ids)],
        )
        self.env.invalidate_all()
        self.assertEqual(use_case.eval_acceptance_before, 1.0)
        self.assertEqual(use_case.eval_acceptance_now, 0.0)

    def test_duplicate_under_a_twin_vendor_with_the_same_vat(self):
        twin = self.bill(self.vendor_twin, "INV-2026-0O42", 120.0)
        rec = twin._gov_ai_recommend(self.duplicate_case)
        self.assertEqual(rec.state, "proposed")
        self.assertEqual(rec.evidence["similar_records"][0]["id"], self.original.id)

    def test_unique_record_has_no_finding(self):
        fresh = self.bill(self.vendor, "CN-9", 3.5)
        rec = fresh._gov_ai_recommend(self.duplicate_case)
        self.assertEqual(rec.state, "clear")
        self.assertFalse(rec.exception_item_id)
        self.assertFalse(rec.activity_ids)

    def test_faint_resemblance_is_no_finding_and_no_exception(self):
        # same amount, a barely similar reference with another number: 0.5551
        weak = self.bill(self.vendor, "INV-2099", 120.0)
        rec = weak._gov_ai_recommend(self.duplicate_case)
        self.assertEqual(rec.state, "clear")
        self.assertEqual(rec.label, "unlikely_duplicate")
        self.assertFalse(rec.exception_item_id)
        self.assertEqual(rec.score, 0.5551)
        similar = rec.evidence["similar_records"]
        self.assertEqual(similar[0]["id"], self.original.id)
        self.assertIn("below the review threshold", rec.explanation)

    def test_low_confidence_falls_back_to_the_exception_queue(self):
        # nothing to judge an amount by: a person checks it
        use_case = self.make_use_case("anomaly", impact="high", min_history=50)
        weak = self.bill(self.vendor, "INV-2099", 120.0)
        rec = weak._gov_ai_recommend(use_case)
        self.assertEqual(rec.state, "fallback")
        item = rec.exception_item_id
        self.assertEqual(item.category, "ai_low_confidence")
        self.assertEqual(item.res_model, "res.partner")
        self.assertEqual(item.res_id, weak.id)
        self.assertEqual(item.severity, "high")
        self.assertTrue(
            self.Event.search_count(
                [("event_type", "=", "ai.fallback"), ("res_id", "=", rec.id)]
            )
        )

    def test_task_without_detector_falls_back(self):
        use_case = self.make_use_case("risk")
        rec = self.original._gov_ai_recommend(use_case)
        self.assertEqual(rec.state, "fallback")
        self.assertIn("no detector", rec.error_message)
        self.assertTrue(rec.exception_item_id)

    def test_auto_apply_refused_on_save_unless_low_impact(self):
        with self.assertRaises(ValidationError):
            self.make_use_case("duplicate", impact="medium", auto_apply=True)
        with self.assertRaises(ValidationError):
            self.duplicate_case.auto_apply = True

    def test_auto_apply_refused_at_run_time_unless_low_impact(self):
        use_case = self.make_use_case(
            "duplicate", impact="low", auto_apply=True, auto_apply_threshold=0.9
        )
        # configuration changed behind the ORM's back
        self.env.execute_query(
            SQL("UPDATE gov_ai_use_case SET impact = 'high' WHERE id = %s", use_case.id)
        )
        use_case.invalidate_recordset()
        twin = self.bill(self.vendor, "INV-2026-42", 120.0)
        rec = twin._gov_ai_recommend(use_case)
        self.assertEqual(rec.state, "proposed")

    def test_low_impact_auto_apply_runs_the_apply_action(self):
        action = self.env["ir.actions.server"].create(
            {
                "name": "Flag duplicate",
                "model_id": self.partner_model.id,
                "state": "code",
                "code": "record.write({'comment': 'AI %s' % "
                "env.context['gov_ai_recommendation']})",
            }
        )
        use_case = self.make_use_case(
            "duplicate",
            impact="low",
            auto_apply=True,
            auto_apply_threshold=0.9,
            apply_action_id=action.id,
        )
        twin = self.bill(self.vendor, "INV-2026-42", 120.0)
        rec = twin._gov_ai_recommend(use_case)
        self.assertEqual(rec.state, "auto_applied")
        self.assertIn(f"AI {rec.id}", str(twin.comment))
        self.assertTrue(
            self.Event.search_count(
                [("event_type", "=", "ai.auto_applied"), ("res_id", "=", rec.id)]
            )
        )

    def test_data_minimisation(self):
        twin = self.bill(self.vendor, "INV-2026-42", 120.0, email="secret@x.example")
        rec = twin._gov_ai_recommend(self.duplicate_case)
        self.assertEqual(
            set(rec.input_data["values"]), {"ref", "parent_id", "partner_latitude"}
        )
        self.assertNotIn("secret@x.example", str(rec.input_data))
        _data, fingerprint = self.duplicate_case._minimised_input(twin)
        self.assertEqual(fingerprint, rec.input_fingerprint)
        twin.write({"email": "other@x.example", "comment": "not visible"})
        self.assertEqual(self.duplicate_case._minimised_input(twin)[1], fingerprint)
        twin.ref = "INV-2026-43"
        self.assertNotEqual(self.duplicate_case._minimised_input(twin)[1], fingerprint)

    def test_role_fields_must_be_visible(self):
        with self.assertRaises(ValidationError):
            self.make_use_case("duplicate", field_ids=[(6, 0, self.fields["ref"].ids)])

    def test_amount_anomaly_against_the_partner_baseline(self):
        use_case = self.make_use_case("anomaly")
        for index, amount in enumerate((100, 104, 96, 110, 92, 101, 99)):
            self.bill(self.vendor, f"A-{index}", amount)
        odd = self.bill(self.vendor, "A-99", 900.0)
        rec = odd._gov_ai_recommend(use_case)
        self.assertEqual(rec.label, "anomaly")
        self.assertEqual(rec.state, "proposed")
        assessment = rec.evidence["assessment"]
        self.assertEqual(assessment["baseline"], "partner")
        self.assertIn("partner's median", rec.explanation)
        usual = self.bill(self.vendor, "A-100", 103.0)
        self.assertEqual(usual._gov_ai_recommend(use_case).state, "clear")

    def test_amount_anomaly_falls_back_to_the_whole_model(self):
        use_case = self.make_use_case("anomaly", min_history=5)
        newcomer = self.Partner.create({"name": "Newcomer", "is_company": True})
        for index in range(6):
            self.bill(self.other_vendor, f"B-{index}", 50.0 + index)
        odd = self.bill(newcomer, "N-1", 2000.0)
        rec = odd._gov_ai_recommend(use_case)
        self.assertEqual(rec.evidence["assessment"]["baseline"], "global")
        self.assertEqual(rec.label, "anomaly")

    def test_server_action_type_asks_for_a_recommendation(self):
        action = self.env["ir.actions.server"].create(
            {
                "name": "Ask for duplicates",
                "model_id": self.partner_model.id,
                "state": "gov_ai_recommend",
                "gov_ai_use_case_id": self.duplicate_case.id,
            }
        )
        twin = self.bill(self.vendor, "INV-2026-42", 120.0)
        action.with_context(
            active_model="res.partner", active_id=twin.id, active_ids=twin.ids
        ).run()
        rec = self.Recommendation.search([("res_id", "=", twin.id)])
        self.assertEqual(rec.state, "proposed")

    def test_server_action_of_an_archived_use_case_stays_quiet(self):
        action = self.env["ir.actions.server"].create(
            {
                "name": "Ask for duplicates",
                "model_id": self.partner_model.id,
                "state": "gov_ai_recommend",
                "gov_ai_use_case_id": self.duplicate_case.id,
            }
        )
        self.duplicate_case.active = False
        twin = self.bill(self.vendor, "INV-2026-42", 120.0)
        action.with_context(
            active_model="res.partner", active_id=twin.id, active_ids=twin.ids
        ).run()
        self.assertFalse(self.Recommendation.search([("res_id", "=", twin.id)]))
        # asked directly, it still says why it cannot answer
        with self.assertRaisesRegex(UserError, "archived"):
            twin._gov_ai_recommend(self.duplicate_case)

    def test_dashboard_rates(self):
        twin = self.bill(self.vendor, "INV-2026-42", 120.0)
        rec = twin._gov_ai_recommend(self.duplicate_case)
        rec.with_user(self.reviewer).action_accept()
        section = self.env["gov.dashboard"].with_user(self.reviewer)._gov_dashboard_ai()
        values = [kpi["value"] for kpi in section["kpis"]]
        self.assertIn("100% / 0%", values)
        # the stated confidence against the outcome, and the drift of scores
        [calibration] = [k for k in section["kpis"] if "calibration" in k["label"]]
        ece = abs(1.0 - rec.confidence)
        self.assertEqual(calibration["value"], f"{ece:.2f} / 0.00")
        self.assertEqual(calibration["severity"], "ok" if ece < 0.2 else "warning")

    def test_normalised_reference_is_indexed_for_the_candidate_search(self):
        index = self.duplicate_case._search_index_name()
        self.assertTrue(index_exists(self.env.cr, index))
        [(definition,)] = self.env.execute_query(
            SQL("SELECT indexdef FROM pg_indexes WHERE indexname = %s", index)
        )
        self.assertIn("translate(upper((ref)::text)", definition)

    def test_same_reference_is_never_crowded_out(self):
        # newer bills with the same amount fill the candidate limit
        for index in range(4):
            self.bill(self.vendor, f"OTHER-{index}", 120.0)
        twin = self.bill(self.vendor, "inv 2026-42", 120.0)
        with patch.object(duplicate, "CANDIDATE_LIMIT", 3):
            rec = twin._gov_ai_recommend(self.duplicate_case)
        self.assertEqual(rec.evidence["similar_records"][0]["id"], self.original.id)
        self.assertEqual(rec.evidence["candidates_compared"], 3)

    def test_duplicate_check_query_budget(self):
        twin = self.bill(self.vendor, "inv 2026-42", 120.0)
        data, _fingerprint = self.duplicate_case._minimised_input(twin)
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=12):
            self.duplicate_case._gov_ai_detect_duplicate(twin, data)


@tagged("post_install", "-at_install")
class TestRecommendationFromScheduledActions(GovAiCase, HttpCase):
    """The "Ask AI Recommendation" type run by a real scheduled action (which
    reports its progress through a cursor of its own: hence the HTTP case,
    whose cursors share the test's transaction)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.duplicate_case = cls.make_use_case("duplicate", impact="high")
        cls.original = cls.bill(cls.vendor, "INV-2026/0042", 120.0)

    def test_server_action_type_from_a_scheduled_action(self):
        # run by a scheduled action there are no records: it asks about the
        # records of its domain, at most its limit per run
        cron = self.env["ir.cron"].create(
            {
                "name": "Check new references for duplicates",
                "model_id": self.partner_model.id,
                "state": "gov_ai_recommend",
                "gov_ai_use_case_id": self.duplicate_case.id,
                "gov_record_domain": "[('ref', 'like', 'INV-2026-4')]",
                "gov_record_limit": 2,
                "interval_number": 1,
                "interval_type": "days",
            }
        )
        twins = self.Partner.browse()
        for ref in ("INV-2026-42", "INV-2026-43", "INV-2026-44"):
            twins |= self.bill(self.vendor, ref, 120.0)
        cron.method_direct_trigger()
        answered = self.Recommendation.search([("res_id", "in", twins.ids)])
        self.assertEqual(len(answered), 2)
        cron.method_direct_trigger()
        # the same records again: their open answers stand, none is repeated
        self.assertEqual(
            self.Recommendation.search([("res_id", "in", twins.ids)]), answered
        )
        cron.gov_record_limit = 10
        cron.method_direct_trigger()
        answered = self.Recommendation.search([("res_id", "in", twins.ids)])
        self.assertEqual(sorted(answered.mapped("res_id")), sorted(twins.ids))
        duplicate = answered.filtered(lambda r: r.res_id == twins[0].id)
        self.assertEqual(duplicate.label, "duplicate")
