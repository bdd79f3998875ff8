# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A reviewer checks a finding without reading JSON: the evidence as a
table, a link to the suspected original; the cockpit's AI figures."""

from odoo.tests import tagged

from .common import GovAiCase


@tagged("post_install", "-at_install")
class TestEvidence(GovAiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.duplicate_case = cls.make_use_case("duplicate", impact="high")
        cls.original = cls.bill(cls.vendor, "INV-2026/0042", 120.0)
        cls.bill(cls.vendor, "INV-2026/0007", 75.0)

    def setUp(self):
        super().setUp()
        self.twin = self.bill(self.vendor, "inv 2026-42", 120.0)
        self.rec = self.twin._gov_ai_recommend(self.duplicate_case)
        self.assertEqual(self.rec.label, "duplicate")

    def test_evidence_reads_as_a_table_with_a_link_to_the_original(self):
        rec = self.rec.with_user(self.reviewer)
        html = str(rec.evidence_html)
        self.assertIn("<table", html)
        self.assertIn("Normalised reference", html)
        self.assertIn(f'href="/odoo/res.partner/{self.original.id}"', html)
        self.assertIn(self.original.display_name, html)
        self.assertNotIn('"similar_records"', html)
        self.assertEqual(rec.similar_res_id, self.original.id)
        self.assertEqual(rec.similar_name, self.original.display_name)
        action = rec.action_open_similar()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("res.partner", self.original.id)
        )

    def test_auditor_reads_the_evidence_and_the_list_shows_everything(self):
        rec = self.rec.with_user(self.users["auditor"])
        self.assertEqual(rec.similar_res_id, self.original.id)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "gov_ai.gov_ai_recommendation_action"
        )
        self.assertNotIn("search_default_to_review", action.get("context") or "")
        listed = self.Recommendation.with_user(self.users["auditor"]).search([])
        self.assertIn(self.rec, listed)

    def test_cockpit_acceptance_equals_the_records_behind(self):
        self.rec.with_user(self.reviewer).action_accept()
        Dashboard = self.env["gov.dashboard"].with_user(self.users["auditor"])
        section = Dashboard._gov_dashboard_ai()
        kpis = {k["label"]: k for k in section["kpis"]}
        accepted = kpis["Accepted, 30 days"]
        self.assertEqual(accepted["value"], "100 %")
        Recommendation = self.Recommendation.with_user(self.users["auditor"])
        self.assertEqual(Recommendation.search(accepted["action"]["domain"]), self.rec)
        [chart] = section["charts"]
        this_week = chart["rows"][-1]["values"]
        self.assertEqual([v["value"] for v in this_week], [1, 0])
        self.assertEqual(
            Recommendation.search(this_week[0]["action"]["domain"]), self.rec
        )
        # the administrator sees the AI section too
        admin_sections = self.env["gov.dashboard"].with_user(self.users["admin"])
        keys = [s["key"] for s in admin_sections.get_dashboard_data()]
        self.assertIn("ai", keys)
