# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import GovBaseCase


@tagged("post_install", "-at_install")
class TestDashboard(GovBaseCase):
    def _kpis(self, user):
        data = self.env["gov.dashboard"].with_user(user).get_dashboard_data()
        return {
            (section["key"], kpi["label"]): kpi
            for section in data
            for kpi in section["kpis"]
        }

    def test_auditor_sees_audit_health(self):
        before = self._kpis(self.users["auditor"])
        self.record_events(3)
        after = self._kpis(self.users["auditor"])
        key = ("audit", "Events, last 24 hours")
        self.assertEqual(after[key]["value"], before[key]["value"] + 3)
        self.assertEqual(after[key]["action"]["res_model"], "gov.audit.event")
        verdict = after[("audit", "Chain at last verification")]
        self.assertEqual(verdict["value"], "never verified")
        self.assertEqual(verdict["severity"], "warning")
        self.Event._seal_pending()
        self.env["gov.audit.verification"]._verify()
        verdict = self._kpis(self.users["auditor"])[
            ("audit", "Chain at last verification")
        ]
        self.assertEqual((verdict["value"], verdict["severity"]), ("intact", "ok"))

    def test_violations_are_flagged(self):
        rule = self.env.ref("gov_base.gov_sod_rule_auditor_approver")
        key = ("sod", "Users in violation")
        self.assertEqual(self._kpis(self.users["admin"])[key]["value"], 0)
        rule.active = False
        self.users["auditor"].write(
            {"group_ids": [Command.link(self.groups["approver"].id)]}
        )
        rule.active = True
        self.env.flush_all()
        kpi = self._kpis(self.users["admin"])[key]
        self.assertEqual((kpi["value"], kpi["severity"]), (1, "danger"))

    def test_sections_follow_access(self):
        sections = (
            self.env["gov.dashboard"]
            .with_user(self.users["approver"])
            .get_dashboard_data()
        )
        self.assertFalse({"audit", "sod"} & {section["key"] for section in sections})
        auditor_kpis = self._kpis(self.users["auditor"])
        self.assertIsNone(auditor_kpis[("sod", "Active rules")]["action"])

    def test_query_budget_does_not_grow_with_events(self):
        auditor = self.users["auditor"]
        Dashboard = self.env["gov.dashboard"].with_user(auditor)

        def own_sections():
            Dashboard._gov_dashboard_audit()
            Dashboard._gov_dashboard_sod()

        own_sections()
        with self.assertQueryCount(6):
            own_sections()
        Dashboard.get_dashboard_data()
        before = self.cr.sql_log_count
        Dashboard.get_dashboard_data()
        whole = self.cr.sql_log_count - before
        self.record_events(50)
        self.env.flush_all()
        with self.assertQueryCount(6):
            own_sections()
        before = self.cr.sql_log_count
        Dashboard.get_dashboard_data()
        self.assertEqual(self.cr.sql_log_count - before, whole, "no query per event")

    def test_trend_says_how_a_figure_moved(self):
        Dashboard = self.env["gov.dashboard"]
        self.assertIsNone(Dashboard._gov_trend(3, None))
        worse = Dashboard._gov_trend(15.0, 10.0)
        self.assertEqual((worse["direction"], worse["good"]), ("up", False))
        self.assertIn("+50%", worse["text"])
        better = Dashboard._gov_trend(90, 80, lower_is_better=False)
        self.assertEqual((better["direction"], better["good"]), ("up", True))
        self.assertEqual(Dashboard._gov_trend(2, 2)["direction"], "flat")
        self.assertIn("none in the previous", Dashboard._gov_trend(2, 0)["text"])

    def test_first_run_checklist_for_administrators(self):
        def checklist(user):
            sections = self.env["gov.dashboard"].with_user(user).get_dashboard_data()
            found = [s for s in sections if s["key"] == "first_run"]
            return {i["key"]: i for i in found[0]["checklist"]} if found else None

        self.assertIsNone(checklist(self.users["auditor"]))
        items = checklist(self.users["admin"])
        self.assertFalse(items["audit"]["done"])
        self.assertEqual(
            items["audit"]["action"]["res_model"], "gov.audit.verification"
        )
        # the test users hold every role
        self.assertTrue(items["roles"]["done"])
        self.record_events(1)
        self.Event._seal_pending()
        self.env["gov.audit.verification"]._verify()
        items = checklist(self.users["admin"])
        if items:  # the other modules' steps may still be open
            self.assertTrue(items["audit"]["done"])


@tagged("post_install", "-at_install")
class TestDashboardTour(HttpCase):
    def test_auditor_opens_figures_from_the_dashboard(self):
        new_test_user(
            self.env,
            login="dash_auditor",
            password="dash_auditor",
            groups="gov_base.gov_base_group_auditor",
        )
        self.env["gov.audit.event"].record("tour.dashboard", "Dashboard tour event")
        self.start_tour(
            "/odoo/governance", "gov_base_dashboard_tour", login="dash_auditor"
        )
