# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestReplayTour(HttpCase):
    def test_integration_manager_replays_with_an_edited_payload(self):
        manager = new_test_user(
            self.env,
            login="tour_integration",
            password="tour_integration",
            groups="gov_base.gov_base_group_integration_manager",
        )
        partner = self.env["res.partner"].create({"name": "Tour Contact"})
        item = self.env["gov.exception.item"].capture(
            "handler",
            "Tour: contact sync refused",
            source="crm-contacts",
            source_type="endpoint",
            record=partner,
            payload={"name": "Tour Contact", "website": "htp:/broken"},
            error="Invalid website address",
            handler={"model": "res.partner", "method": "write", "res_id": partner.id},
        )
        self.start_tour(
            "/odoo/governance-exceptions",
            "gov_exception_replay_tour",
            login="tour_integration",
        )
        self.assertEqual(item.state, "resolved")
        self.assertEqual(partner.name, "Tour Contact Fixed")
        self.assertEqual(partner.website, "https://fixed.example")
        self.assertEqual(item.attempt_ids.user_id, manager)
        self.assertEqual(json.loads(item.original_payload)["website"], "htp:/broken")
        event = self.env["gov.audit.event"].search(
            [("res_model", "=", item._name), ("res_id", "=", item.id)]
        )
        self.assertEqual(event.event_type, "exception.replay")
        self.assertEqual(event.user_id, manager)
