# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestEndpointTour(HttpCase):
    def test_integration_manager_sets_up_an_endpoint_and_sends_a_test(self):
        manager = new_test_user(
            self.env,
            login="tour_webhook",
            password="tour_webhook",
            name="Tour Integrator",
            # no administrator rights: integration managers read server actions
            groups="gov_base.gov_base_group_integration_manager",
        )
        runner = self.env.ref("gov_webhook.res_users_webhook_runner")
        runner.group_ids = [Command.link(self.env.ref("base.group_partner_manager").id)]
        self.env["ir.actions.server"].create(
            {
                "name": "Tour: contact from test delivery",
                "model_id": self.env["ir.model"]._get("res.partner").id,
                "state": "code",
                "code": 'env["res.partner"].create('
                '{"name": "Tested by " + payload["data"]["sent_by"]})',
            }
        )
        self.start_tour("/odoo", "gov_webhook_endpoint_tour", login="tour_webhook")

        endpoint = self.env["gov.webhook.endpoint"].search(
            [("name", "=", "Tour shop orders")]
        )
        self.assertEqual(len(endpoint), 1)
        self.assertEqual(endpoint.create_uid, manager)
        # picking a handler is all they may do with server actions
        with self.assertRaises(AccessError):
            self.env["ir.actions.server"].with_user(manager).check_access("write")
        self.assertEqual(endpoint.run_as_user_id, runner)
        self.assertEqual(endpoint.profile, "standard")
        self.assertTrue(endpoint.has_secret)
        self.assertTrue(endpoint.sudo().secret.startswith("whsec_"))
        # write-only: neither the form nor an RPC read gives the secret back
        self.assertNotIn("secret", endpoint.with_user(manager).fields_get())
        with self.assertRaises(AccessError):
            endpoint.with_user(manager).read(["secret"])
        wizards = self.env["gov.webhook.secret.wizard"].search(
            [("endpoint_id", "=", endpoint.id)]
        )
        self.assertEqual(len(wizards), 1)
        self.assertFalse(wizards.secret_shown)
        event = self.env["gov.audit.event"].search(
            [("res_model", "=", endpoint._name), ("res_id", "=", endpoint.id)]
        )
        self.assertEqual(event.event_type, "webhook.secret_set")
        self.assertEqual(event.user_id, manager)

        inbox = endpoint.inbox_ids
        self.assertEqual(len(inbox), 1)
        self.assertTrue(inbox.delivery_id.startswith("msg_test_"))
        self.assertEqual(inbox.remote_addr, "test")
        self.assertEqual(inbox.state, "received")
        self.assertEqual(json.loads(inbox.body_preview)["type"], "gov.test")

        self.env["gov.webhook.inbox"]._process_pending()
        self.assertEqual(inbox.state, "done")
        self.assertEqual(inbox.outcome_code, 200)
        self.assertEqual(inbox.attempts, 1)
        self.assertTrue(
            self.env["res.partner"].search_count(
                [("name", "=", "Tested by Tour Integrator")]
            )
        )
