# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The approvals section of the cockpit: every figure and bar equals what
the records behind its click-through say."""

from datetime import timedelta

from odoo import fields
from odoo.tests import tagged
from odoo.tools import SQL

from .common import TesterCase


class AgedRequestsMixin:
    """Requests decided 2, 8 and 40 days ago, after 20, 10 and 30 hours
    (each past its 12-hour deadline), and one pending for 4 days."""

    def setUp(self):
        super().setUp()
        now = fields.Datetime.now()
        self.decided = []
        # decided 2, 8 and 40 days ago, after 20, 10 and 30 hours
        for days, hours in ((2, 20.0), (8, 10.0), (40, 30.0)):
            doc = self.make_doc(5000)
            self.confirm(doc)
            self.decide(doc, self.manager)
            request = self.request_of(doc)
            self.assertEqual(request.state, "approved")
            decided = now - timedelta(days=days)
            self._age(request, decided - timedelta(hours=hours), decided)
            self.decided.append(request)
        self.pending_doc = self.make_doc(5000)
        self.confirm(self.pending_doc)
        self.pending = self.request_of(self.pending_doc)
        self.env.cr.execute(
            SQL(
                "UPDATE gov_approval_request SET create_date = %s WHERE id = %s",
                now - timedelta(days=4),
                self.pending.id,
            )
        )
        self.env.invalidate_all()

    def _age(self, request, created, decided):
        """Move a decided request back in time (the engine writes these
        dates from the clock)."""
        hours = (decided - created).total_seconds() / 3600
        self.env.cr.execute(
            SQL(
                """UPDATE gov_approval_request
                      SET create_date = %(created)s, date_decided = %(decided)s,
                          cycle_hours = %(hours)s
                    WHERE id = %(id)s;
                   UPDATE gov_approval_request_step
                      SET date_done = %(decided)s, deadline = %(deadline)s
                    WHERE request_id = %(id)s;
                   UPDATE gov_approval_decision SET date = %(decided)s
                    WHERE request_id = %(id)s""",
                created=created,
                decided=decided,
                hours=hours,
                deadline=created + timedelta(hours=12),
                id=request.id,
            )
        )


@tagged("post_install", "-at_install")
class TestDashboardTrends(AgedRequestsMixin, TesterCase):
    def _section(self, user=None):
        Dashboard = self.env["gov.dashboard"].with_user(user or self.matrix_manager)
        return Dashboard._gov_dashboard_approvals()

    def _records(self, action, user=None):
        Request = self.env["gov.approval.request"].with_user(
            user or self.matrix_manager
        )
        return Request.search(action["domain"])

    def test_cycle_time_compares_with_the_previous_period(self):
        kpis = {k["label"]: k for k in self._section()["kpis"]}
        cycle = kpis["Cycle time, 30 days"]
        self.assertEqual(cycle["value"], "15.0 h")
        self.assertEqual(cycle["trend"]["direction"], "down")
        self.assertTrue(cycle["trend"]["good"])
        behind = self._records(cycle["action"])
        self.assertEqual(behind, self.decided[0] | self.decided[1])
        decided = kpis["Decided, 30 days"]
        self.assertEqual(decided["value"], len(self._records(decided["action"])))

    def test_every_bar_equals_the_records_behind_it(self):
        charts = {c["key"]: c for c in self._section()["charts"]}
        weekly = charts["cycle_by_week"]
        seen = self.env["gov.approval.request"]
        for row in weekly["rows"]:
            [bar] = row["values"]
            if not bar["action"]:
                self.assertEqual(bar["value"], 0)
                continue
            records = self._records(bar["action"])
            average = sum(records.mapped("cycle_hours")) / len(records)
            self.assertAlmostEqual(bar["value"], round(average, 1), places=1)
            seen |= records
        # eight weeks reach back 56 days: the three decided requests
        self.assertEqual(seen, self.decided[0] | self.decided[1] | self.decided[2])
        backlog = charts["backlog_by_age"]
        counts = {row["label"]: row["values"][0] for row in backlog["rows"]}
        self.assertEqual(counts["3 to 7 days"]["value"], 1)
        self.assertEqual(self._records(counts["3 to 7 days"]["action"]), self.pending)
        total = sum(bar["value"] for bar in counts.values())
        pending = self.env["gov.approval.request"].search_count(
            [("state", "=", "pending")]
        )
        self.assertEqual(total, pending)

    def test_slowest_approvers_and_sla_breaches(self):
        section = self._section()
        charts = {c["key"]: c for c in section["charts"]}
        rows = {
            row["label"]: row["values"][0] for row in charts["slowest_user"]["rows"]
        }
        bar = rows[self.manager.name]
        self.assertAlmostEqual(bar["value"], 15.0, places=1)
        self.assertEqual(
            self._records(bar["action"]), self.decided[0] | self.decided[1]
        )
        steps = {
            row["label"]: row["values"][0] for row in charts["slowest_step"]["rows"]
        }
        self.assertAlmostEqual(steps["Manager"]["value"], 15.0, places=1)
        # both decided past their 12-hour deadline? only the 20-hour one
        kpis = {k["label"]: k for k in section["kpis"]}
        breaches = kpis["SLA breaches, 30 days"]
        self.assertEqual(breaches["value"], 1)
        self.assertEqual(self._records(breaches["action"]), self.decided[0])
        self.assertEqual(breaches["trend"]["direction"], "flat")

    def test_approvers_see_only_their_own_backlog(self):
        section = self._section(self.manager)
        self.assertEqual(
            [k["label"] for k in section["kpis"]], ["Awaiting my approval"]
        )
        self.assertNotIn("charts", section)
