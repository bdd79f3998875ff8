# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The demo history: requests made and decided by the engine, then moved
back over the past weeks, and the cockpit's figures they feed."""

from datetime import datetime, time, timedelta

from odoo import fields
from odoo.fields import Command
from odoo.tests import tagged

from .common import TesterCase


@tagged("post_install", "-at_install")
class TestDemoHistory(TesterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a day for the manager, two for the director
        steps = cls.matrix.line_ids.step_ids
        steps.filtered(lambda s: s.name == "Manager").sla_hours = 24
        steps.filtered(lambda s: s.name == "Director").sla_hours = 48

    def setUp(self):
        super().setUp()
        self.midnight = datetime.combine(fields.Date.today(), time())

    def entry(self, days_ago, amount, decisions=()):
        return {
            "requester": self.requester.id,
            "days_ago": days_ago,
            "hour": 9,
            "vals": {
                "name": f"History {days_ago}",
                "partner_id": self.partner.id,
                "line_ids": [
                    Command.create(
                        {"name": "Widget", "quantity": 1, "price_unit": amount}
                    )
                ],
            },
            "decisions": [
                (user.id, decision, reason, hours)
                for user, decision, reason, hours in decisions
            ],
        }

    def requested(self, days_ago):
        return self.midnight - timedelta(days=days_ago) + timedelta(hours=9)

    def make_history(self):
        manager, director = self.manager, self.director
        entries = [
            # the previous 30 days: 30, 54 and 2 hours, two SLA breaches
            self.entry(50, 5000, [(manager, "approve", "", 30)]),
            self.entry(
                44,
                20000,
                [(manager, "approve", "", 4), (director, "approve", "Budgeted", 50)],
            ),
            self.entry(38, 3000, [(manager, "reject", "Not now", 2)]),
            # the last 30 days: 3 and 26 hours, one breach
            self.entry(20, 4000, [(manager, "approve", "", 3)]),
            self.entry(12, 6000, [(manager, "approve", "", 26)]),
            # still pending: for the director, for the manager
            self.entry(10, 25000, [(manager, "approve", "", 5)]),
            self.entry(4, 7000),
        ]
        return self.Request._demo_history(
            "gov.approval.tester", "action_confirm", entries, requested_fields=("date",)
        )

    def test_history_is_made_by_the_engine_then_moved_back(self):
        started = fields.Datetime.now()
        requests = self.make_history()
        self.assertEqual(len(requests), 7)
        self.assertEqual(
            requests.mapped("state"),
            ["approved", "approved", "rejected", "approved", "approved"]
            + ["pending"] * 2,
        )
        hour = timedelta(hours=1)
        # one step decided 30 hours after the request, past its 24-hour SLA
        slow = requests[0]
        requested = self.requested(50)
        self.assertEqual(slow.create_date, requested)
        self.assertEqual(slow.date_decided, requested + 30 * hour)
        self.assertAlmostEqual(slow.cycle_hours, 30.0, places=4)
        self.assertEqual(slow.decision_ids.date, requested + 30 * hour)
        self.assertEqual(slow.step_ids.deadline, requested + 24 * hour)
        self.assertEqual(slow.step_ids.date_done, requested + 30 * hour)
        document = slow._document()
        self.assertEqual(document.create_date, requested)
        self.assertEqual(document.date, requested.date())
        self.assertEqual(document.state, "confirmed")
        # the director's step opened with the manager's approval
        requested = self.requested(44)
        manager_step, director_step = requests[1].step_ids.sorted("sequence")
        self.assertEqual(manager_step.date_done, requested + 4 * hour)
        self.assertEqual(director_step.deadline, requested + 52 * hour)
        self.assertEqual(director_step.date_done, requested + 54 * hour)
        self.assertEqual(
            requests[1].decision_ids.sorted("id").mapped("date"),
            [requested + 4 * hour, requested + 54 * hour],
        )
        rejected = requests[2]
        self.assertEqual(rejected.date_decided, self.requested(38) + 2 * hour)
        self.assertEqual(rejected.step_ids.state, "rejected")
        # waiting for the director for days: overdue, and so is their activity
        waiting = requests[5]
        opened = self.requested(10) + 5 * hour
        self.assertFalse(waiting.date_decided)
        self.assertEqual(waiting.current_step_id.deadline, opened + 48 * hour)
        self.assertTrue(waiting.is_overdue)
        activities = (
            self.env["mail.activity"]
            .with_context(active_test=False)
            .search([("res_model", "=", waiting._name), ("res_id", "=", waiting.id)])
        )
        done = activities.filtered(lambda a: not a.active)
        self.assertEqual(done.user_id, self.manager)
        self.assertEqual(done.date_done, opened.date())
        self.assertEqual(done.create_date, self.requested(10))
        open_activity = activities - done
        self.assertEqual(open_activity.user_id, self.director)
        self.assertEqual(open_activity.date_deadline, (opened + 48 * hour).date())
        self.assertEqual(requests[6].create_date, self.requested(4))
        # the chatter tells the story on its days
        messages = self.env["mail.message"].search(
            [("model", "=", waiting._name), ("res_id", "in", requests.ids)]
        ) | self.env["mail.message"].search(
            [("model", "=", document._name), ("res_id", "=", document.id)]
        )
        self.assertTrue(messages)
        self.assertLess(max(messages.mapped("date")), started - timedelta(days=3))
        # audit events keep their time: the log is append-only and chained
        events = self.env["gov.audit.event"].search(
            [("res_model", "=", waiting._name), ("res_id", "in", requests.ids)]
        )
        self.assertLessEqual(
            {
                "approval.requested",
                "approval.approved_step",
                "approval.approved",
                "approval.rejected",
            },
            set(events.mapped("event_type")),
        )
        self.assertGreaterEqual(min(events.mapped("event_date")), started)

    def test_the_cockpit_shows_weeks_and_compares_periods(self):
        self.make_history()
        section = (
            self.env["gov.dashboard"]
            .with_user(self.matrix_manager)
            ._gov_dashboard_approvals()
        )
        charts = {chart["key"]: chart for chart in section["charts"]}
        weeks = [
            row["label"]
            for row in charts["cycle_by_week"]["rows"]
            if row["values"][0]["value"]
        ]
        self.assertGreaterEqual(len(weeks), 4, weeks)
        kpis = {kpi["label"]: kpi for kpi in section["kpis"]}
        decided = kpis["Decided, 30 days"]
        self.assertEqual(decided["value"], 2)
        self.assertEqual(decided["trend"]["text"], "-33% vs the previous 30 days")
        cycle = kpis["Cycle time, 30 days"]
        self.assertEqual(cycle["value"], "14.5 h")
        # 28.7 hours in the previous period
        self.assertEqual(cycle["trend"]["text"], "-49% vs the previous 30 days")
        self.assertTrue(cycle["trend"]["good"])
        breaches = kpis["SLA breaches, 30 days"]
        self.assertEqual(breaches["value"], 1)
        self.assertEqual(breaches["trend"]["text"], "-50% vs the previous 30 days")
        self.assertEqual(kpis["Overdue (SLA)"]["value"], 2)
        backlog = {
            row["label"]: row["values"][0]["value"]
            for row in charts["backlog_by_age"]["rows"]
        }
        self.assertEqual(backlog["3 to 7 days"], 1)
        self.assertEqual(backlog["Over a week"], 1)
        approvers = {
            row["label"]: row["values"][0]["value"]
            for row in charts["slowest_user"]["rows"]
        }
        # 3, 26 and 5 hours in the last 30 days
        self.assertAlmostEqual(approvers[self.manager.name], 11.3, places=1)

    def test_a_story_ending_in_the_future_is_refused(self):
        entry = self.entry(0, 5000, [(self.manager, "approve", "", 48)])
        with self.assertRaisesRegex(ValueError, "ends in the future"):
            self.Request._demo_history("gov.approval.tester", "action_confirm", [entry])
        self.assertFalse(
            self.env["gov.approval.tester"].search([("name", "=", "History 0")])
        )
