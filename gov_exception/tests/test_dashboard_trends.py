# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The exception queue in the cockpit: inflow and outflow by week, open
items by age, and only the counters that mean something."""

from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import GovExceptionCase


@tagged("post_install", "-at_install")
class TestExceptionTrends(GovExceptionCase):
    def test_flow_and_age_equal_the_items_behind_them(self):
        now = fields.Datetime.now()
        old = self.capture(summary="Old failure", payload={"n": 1})
        fresh = self.capture(summary="Fresh failure", payload={"n": 2})
        closed = self.capture(summary="Closed failure", payload={"n": 3})
        self.queue_write(old, {"first_seen": now - timedelta(days=10)})
        self.queue_write(
            closed, {"state": "resolved", "closed_date": now - timedelta(hours=1)}
        )
        user = self.users["auditor"]
        section = self.env["gov.dashboard"].with_user(user)._gov_dashboard_exceptions()
        Item = self.Item.with_user(user)
        charts = {c["key"]: c for c in section["charts"]}
        raised = closed_count = 0
        for row in charts["exception_flow"]["rows"]:
            for bar in row["values"]:
                if bar["action"]:
                    self.assertEqual(
                        Item.search_count(bar["action"]["domain"]), bar["value"]
                    )
            raised += row["values"][0]["value"]
            closed_count += row["values"][1]["value"]
        self.assertEqual(raised, 3)
        self.assertEqual(closed_count, 1)
        ages = {r["label"]: r["values"][0] for r in charts["exception_age"]["rows"]}
        self.assertEqual(Item.search(ages["Over a week"]["action"]["domain"]), old)
        self.assertEqual(Item.search(ages["Under a day"]["action"]["domain"]), fresh)
        labels = [k["label"] for k in section["kpis"]]
        # nothing is dead-letter or waiting for a retry: no such counters
        self.assertNotIn("Dead-letter", labels)
        self.assertNotIn("Retry scheduled", labels)
        new = next(k for k in section["kpis"] if k["label"] == "New, 30 days")
        self.assertEqual(new["value"], Item.search_count(new["action"]["domain"]))
        self.assertEqual(new["trend"]["direction"], "up")
        self.assertFalse(new["trend"]["good"])
