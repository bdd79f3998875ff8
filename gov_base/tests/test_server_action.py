# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo.fields import Command
from odoo.tests import tagged

from .common import GovBaseCase


@tagged("post_install", "-at_install")
class TestAuditServerAction(GovBaseCase):
    def test_server_action_writes_one_event_per_record(self):
        model = self.env["ir.model"]._get("res.partner")
        fields_ = self.env["ir.model.fields"].search(
            [("model_id", "=", model.id), ("name", "in", ("email", "phone"))]
        )
        action = self.env["ir.actions.server"].create(
            {
                "name": "Log contact change",
                "model_id": model.id,
                "state": "gov_audit_event",
                "gov_audit_event_type": "contact.changed",
                "gov_audit_summary": "Contact changed",
                "gov_audit_field_ids": [Command.set(fields_.ids)],
            }
        )
        partners = self.env["res.partner"].create(
            [
                {"name": "Ada", "email": "ada@example.com", "phone": "+1 555"},
                {"name": "Bob", "email": "bob@example.com"},
            ]
        )
        action.with_context(
            active_model="res.partner",
            active_ids=partners.ids,
            active_id=partners[0].id,
        ).run()
        events = self.Event.search(
            [("event_type", "=", "contact.changed"), ("res_id", "in", partners.ids)],
            order="res_id",
        )
        self.assertEqual(len(events), 2)
        self.assertEqual(events[0].summary, "Contact changed: Ada")
        details = json.loads(events[0].details)
        self.assertEqual(
            details["values"], {"email": "ada@example.com", "phone": "+1 555"}
        )
        self.assertEqual(details["action"], "Log contact change")
        self.assertEqual(json.loads(events[1].details)["values"]["phone"], False)
