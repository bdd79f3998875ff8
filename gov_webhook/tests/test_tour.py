# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.gov_webhook.tools.signatures import stripe_sign

TOUR_STRIPE_SECRET = "whsec_TourStripeSecret0123456789abcdef"


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

    def test_integration_manager_sets_the_public_url_and_a_providers_secret(self):
        manager = new_test_user(
            self.env,
            login="tour_provider",
            password="tour_provider",
            name="Tour Provider Integrator",
            groups="gov_base.gov_base_group_integration_manager",
        )
        endpoint = self.env["gov.webhook.endpoint"].create(
            {
                "name": "Tour Stripe payments",
                "profile": "stripe",
                "handler_type": "store",
                "rate_limit_per_minute": 0,
            }
        )
        # the tour pastes a malformed secret on purpose: its refusal is logged
        with mute_logger("odoo.http"):
            self.start_tour(
                "/odoo", "gov_webhook_provider_secret_tour", login="tour_provider"
            )

        params = self.env["ir.config_parameter"].sudo()
        self.assertEqual(
            params.get_param("gov_webhook.public_url"), "https://erp.tour.example.com"
        )
        events = self.env["gov.audit.event"].search(
            [("user_id", "=", manager.id)], order="id"
        )
        self.assertEqual(
            events.mapped("event_type"),
            ["webhook.public_url_set", "webhook.secret_set"],
        )
        self.assertTrue(endpoint.has_secret)
        # what was typed is in no dialog any more, and nobody reads it
        wizards = self.env["gov.webhook.secret.entry.wizard"].search(
            [("endpoint_id", "=", endpoint.id)]
        )
        self.assertFalse(any(wizards.mapped("secret")))
        with self.assertRaises(AccessError):
            endpoint.with_user(manager).read(["secret"])
        # Stripe's signature under that secret is accepted
        body = b'{"type": "payment_intent.succeeded", "data": {}}'
        timestamp = int(time.time())
        response = self.url_open(
            f"/gov/webhook/{endpoint.path_key}",
            data=body,
            headers={
                "Content-Type": "application/json",
                "Stripe-Signature": f"t={timestamp},"
                f"v1={stripe_sign(TOUR_STRIPE_SECRET, timestamp, body)}",
                "Idempotency-Key": "evt_tour_1",
            },
        )
        self.assertEqual(response.status_code, 202, response.text)
