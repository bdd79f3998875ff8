# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from odoo.addons.gov_exception.tools.engine import queue_writes

from .common import GovExceptionCase

T0 = datetime(2026, 3, 2, 9, 0, 0)


@tagged("post_install", "-at_install")
class TestSla(GovExceptionCase):
    def _flag(self):
        items = self.Item.sudo().search(
            [
                ("state", "not in", ("resolved", "ignored")),
                ("sla_breached", "=", False),
                ("sla_deadline", "<=", fields.Datetime.now()),
            ]
        )
        with queue_writes():
            items._flag_sla_breach()
        return items

    def test_breach_is_flagged_once_raises_severity_and_tells_people(self):
        manager = self.users["integration_manager"]
        self.env["gov.exception.policy"].create(
            {
                "name": "Two hours",
                "sla_hours": 2,
                "owner_id": manager.id,
                "team_id": self.groups["integration_manager"].id,
            }
        )
        with freeze_time(T0):
            item = self.capture(severity="medium")
            on_time = self.capture(severity="medium", payload={"other": 1})
        on_time.close_items("resolved", "done in time")
        with freeze_time(T0 + timedelta(hours=1)):
            self.assertNotIn(item, self._flag())
            self.assertEqual(item.sla_status, "soon")
        with freeze_time(T0 + timedelta(hours=2, minutes=1)):
            flagged = self._flag()
            self.assertIn(item, flagged)
            self.assertNotIn(on_time, flagged)
            self.assertTrue(item.sla_breached)
            self.assertEqual(item.sla_status, "breached")
            self.assertEqual(item.severity, "high")
            activity = item.activity_ids
            self.assertEqual(len(activity), 1)
            self.assertEqual(activity.user_id, manager)
            self.assertEqual(
                activity.activity_type_id,
                self.env.ref("gov_exception.mail_activity_type_exception"),
            )
            message = item.message_ids.filtered(
                lambda m: "SLA breached" in (m.body or "")
            )
            self.assertEqual(len(message), 1)
            self.assertIn(manager.partner_id, message.partner_ids)
        with freeze_time(T0 + timedelta(hours=5)):
            self.assertNotIn(item, self._flag(), "a breach is flagged once")
            self.assertEqual(item.severity, "high")
        # resolving clears the follow-up activity
        item.close_items("resolved", "late but fixed")
        self.assertFalse(item.activity_ids)

    def test_critical_items_notify_integration_managers(self):
        manager = self.users["integration_manager"]
        item = self.capture(severity="critical", payload={"critical": 1})
        notified = item.message_ids.filtered(
            lambda m: "Critical exception" in (m.body or "")
        )
        self.assertEqual(len(notified), 1)
        self.assertIn(manager.partner_id, notified.partner_ids)
        self.assertNotIn(self.users["auditor"].partner_id, notified.partner_ids)
        quiet = self.capture(severity="low", payload={"critical": 0})
        self.assertFalse(
            quiet.message_ids.filtered(lambda m: "exception:" in (m.body or ""))
        )

    def test_escalation_to_critical_notifies_too(self):
        with freeze_time(T0):
            item = self.capture(severity="high")
        with freeze_time(T0 + timedelta(days=2)):
            self._flag()
        self.assertEqual(item.severity, "critical")
        self.assertTrue(
            item.message_ids.filtered(lambda m: "Critical exception" in (m.body or ""))
        )


@tagged("post_install", "-at_install")
class TestRetention(GovExceptionCase):
    def _make(self, state, age_days, tag):
        with freeze_time(fields.Datetime.now() - timedelta(days=age_days)):
            item = self.capture(payload={"tag": tag})
            if state in ("resolved", "ignored"):
                item.close_items(state, "closed for the test")
            elif state == "dead":
                self.queue_write(item, {"state": "dead"})
        return item

    def test_old_closed_items_go_dead_letters_stay(self):
        self.env["ir.config_parameter"].set_param("gov_exception.retention_days", "30")
        old_resolved = self._make("resolved", 40, "a")
        old_ignored = self._make("ignored", 40, "b")
        recent = self._make("resolved", 5, "c")
        old_dead = self._make("dead", 400, "d")
        old_open = self._make("new", 400, "e")
        done, remaining = self.Item._gc_closed_items()
        self.assertEqual((done, remaining), (2, 0))
        self.assertFalse((old_resolved | old_ignored).exists())
        self.assertEqual(
            (recent | old_dead | old_open).exists(), recent | old_dead | old_open
        )

    def test_retention_works_in_chunks_and_can_be_disabled(self):
        self.env["ir.config_parameter"].set_param("gov_exception.retention_days", "30")
        for index in range(5):
            self._make("resolved", 60, f"chunk-{index}")
        self.assertEqual(self.Item._gc_closed_items(chunk=2), (2, 3))
        self.assertEqual(self.Item._gc_closed_items(chunk=2), (2, 1))
        self.assertEqual(self.Item._gc_closed_items(chunk=2), (1, 0))
        self._make("resolved", 60, "kept")
        self.env["ir.config_parameter"].set_param("gov_exception.retention_days", "0")
        self.assertEqual(self.Item._gc_closed_items(), (0, 0))

    def test_attachment_goes_with_the_item(self):
        self.env["ir.config_parameter"].set_param("gov_exception.retention_days", "30")
        self.env["ir.config_parameter"].set_param(
            "gov_exception.payload_attachment_threshold", "10"
        )
        item = self._make("resolved", 60, "x" * 50)
        attachment = item.payload_attachment_id
        self.assertTrue(attachment)
        self.Item._gc_closed_items()
        self.assertFalse(attachment.exists())


@tagged("post_install", "-at_install")
class TestServerAction(GovExceptionCase):
    def test_raise_exception_to_queue_from_an_automation_rule(self):
        action = self.env["ir.actions.server"].create(
            {
                "name": "Partner without e-mail",
                "model_id": self.env["ir.model"]._get("res.partner").id,
                "state": "gov_exception_raise",
                "gov_exception_category": "business_rule",
                "gov_exception_severity": "high",
                "gov_exception_summary": "Customer has no e-mail",
                "gov_exception_field_ids": [
                    Command.set(
                        self.env["ir.model.fields"]
                        .search(
                            [
                                ("model", "=", "res.partner"),
                                ("name", "in", ("name", "email")),
                            ]
                        )
                        .ids
                    )
                ],
            }
        )
        self.env["base.automation"].create(
            {
                "name": "Partners need an e-mail",
                "model_id": self.env["ir.model"]._get("res.partner").id,
                "trigger": "on_create_or_write",
                "filter_domain": "[('email', '=', False), ('name', 'like', 'Auto-')]",
                "action_server_ids": [Command.link(action.id)],
            }
        )
        partner = self.env["res.partner"].create({"name": "Auto-Partner"})
        item = self.Item.search(
            [("res_model", "=", "res.partner"), ("res_id", "=", partner.id)]
        )
        self.assertEqual(len(item), 1)
        self.assertEqual(item.category, "business_rule")
        self.assertEqual(item.severity, "high")
        self.assertEqual(item.source_type, "automation")
        self.assertEqual(item.source, "Partner without e-mail")
        self.assertEqual(item.name, "Customer has no e-mail: Auto-Partner")
        self.assertEqual(
            json.loads(item.payload), {"email": False, "name": "Auto-Partner"}
        )
        # the rule fires again on the next edit: the same item counts it
        count = item.occurrence_count
        partner.write({"phone": "123"})
        self.assertGreater(item.occurrence_count, count)
        self.assertEqual(
            self.Item.search_count(
                [("res_model", "=", "res.partner"), ("res_id", "=", partner.id)]
            ),
            1,
        )

    def test_dashboard_section_for_integration_managers(self):
        self.capture(payload={"dash": 1})
        sections = (
            self.env["gov.dashboard"]
            .with_user(self.users["integration_manager"])
            .get_dashboard_data()
        )
        section = next(s for s in sections if s["key"] == "exceptions")
        open_kpi = section["kpis"][0]
        self.assertGreaterEqual(open_kpi["value"], 1)
        self.assertFalse(
            [
                s
                for s in self.env["gov.dashboard"]
                .with_user(self.users["plain"])
                .get_dashboard_data()
                if s["key"] == "exceptions"
            ]
        )


@tagged("post_install", "-at_install")
class TestRaiseFromScheduledActions(GovExceptionCase, HttpCase):
    """The "Raise Exception to Queue" type run by a real scheduled action
    (which reports its progress through a cursor of its own: hence the HTTP
    case, whose cursors share the test's transaction)."""

    def test_raise_exception_to_queue_from_a_scheduled_action(self):
        # no records given: the items are raised for the records of the
        # action's domain, each once however often the schedule runs
        cron = self.env["ir.cron"].create(
            {
                "name": "Partners still without e-mail",
                "model_id": self.env["ir.model"]._get_id("res.partner"),
                "state": "gov_exception_raise",
                "gov_exception_summary": "Still no e-mail",
                "gov_exception_field_ids": [
                    Command.set(
                        [self.env["ir.model.fields"]._get("res.partner", "email").id]
                    )
                ],
                "gov_record_domain": "[('email', '=', False),"
                " ('name', 'like', 'Stale-')]",
                "interval_number": 1,
                "interval_type": "days",
            }
        )
        partners = self.env["res.partner"].create(
            [{"name": f"Stale-{n}"} for n in range(3)]
        )
        partners[2].email = "known@example.com"
        cron.method_direct_trigger()
        domain = [("res_model", "=", "res.partner"), ("res_id", "in", partners.ids)]
        items = self.Item.search(domain)
        self.assertEqual(sorted(items.mapped("res_id")), sorted(partners[:2].ids))
        self.assertEqual(set(items.mapped("source_type")), {"cron"})
        self.assertEqual(json.loads(items[0].payload), {"email": False})
        cron.method_direct_trigger()
        self.assertEqual(self.Item.search(domain), items)
        self.assertEqual(set(items.mapped("occurrence_count")), {2})
