# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Secrets someone else issued: the provider's for an endpoint, the
receiver's for a subscription. Entered write-only over RPC, checked, audited,
rotated with a grace period, and then used on real HTTP traffic."""

import json
import time
from datetime import timedelta

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.gov_base.tests.rpc import ROUTES, RpcRoutesMixin
from odoo.addons.gov_webhook.tools.signatures import (
    new_signing_key,
    stripe_sign,
    verify_standard,
)

from .common import Receiver, WebhookFixtures, new_secret

WIZARD = "gov.webhook.secret.entry.wizard"
STRIPE_SECRET = "whsec_" + "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z"


@tagged("post_install", "-at_install")
class TestProviderSecrets(WebhookFixtures, HttpCase, RpcRoutesMixin):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_webhook_fixtures()
        cls.manager = new_test_user(
            cls.env,
            login="sec_integration",
            groups="gov_base.gov_base_group_integration_manager",
        )
        cls.auditor = new_test_user(
            cls.env, login="sec_auditor", groups="gov_base.gov_base_group_auditor"
        )
        cls.stripe = cls.make_endpoint("Stripe payments", profile="stripe")
        cls.receiver = Receiver()
        cls.addClassCleanup(cls.receiver.stop)
        cls.env["gov.webhook.allowed.host"].create({"name": "127.0.0.1"})
        cls.subscription = cls.env["gov.webhook.subscription"].create(
            {"name": "SaaS", "target_url": cls.receiver.url, "event_types": "saas.*"}
        )

    def enter(self, user, target, secret, route="call_kw", grace_hours=None):
        """Open the dialog on ``target`` and save ``secret``, as ``user``."""
        opener = (
            "action_enter_provider_secret"
            if target._name == "gov.webhook.endpoint"
            else "action_enter_receiver_secret"
        )
        opened = self.rpc(route, user, target._name, opener, ids=target.ids)
        if not opened:
            return opened
        vals = {
            key[len("default_") :]: value
            for key, value in opened.value["context"].items()
        }
        vals["secret"] = secret
        if grace_hours is not None:
            vals["grace_hours"] = grace_hours
        created = self.rpc(route, user, WIZARD, "create", vals_list=[vals])
        if not created:
            return created
        ids = created.value if isinstance(created.value, list) else [created.value]
        return self.rpc(route, user, WIZARD, "action_confirm", ids=ids)

    def post_stripe(self, body, secret):
        timestamp = int(time.time())
        signature = stripe_sign(secret, timestamp, body)
        return self.url_open(
            f"/gov/webhook/{self.stripe.path_key}",
            data=body,
            headers={
                "Content-Type": "application/json",
                "Stripe-Signature": f"t={timestamp},v1={signature}",
                "Idempotency-Key": f"evt_{time.monotonic_ns()}",
            },
        )

    def test_a_stripe_secret_is_entered_then_verifies_stripe_requests(self):
        body = self.body("Stripe Contact")
        self.assertEqual(self.post_stripe(body, STRIPE_SECRET).status_code, 401)
        result = self.enter(self.manager, self.stripe, STRIPE_SECRET, route="json2")
        self.assertTrue(result, result.error)
        response = self.post_stripe(body, STRIPE_SECRET)
        self.assertEqual(response.status_code, 202, response.text)
        # write-only: no role reads it back, the dialog forgot it
        for user in (self.manager, self.auditor):
            for route in ROUTES:
                read = self.rpc(
                    route,
                    user,
                    "gov.webhook.endpoint",
                    "search_read",
                    domain=[("id", "=", self.stripe.id)],
                    fields=["secret"],
                )
                self.assertFalse(read, f"{user.login} read the secret over {route}")
        wizards = self.env[WIZARD].search([("endpoint_id", "=", self.stripe.id)])
        self.assertTrue(wizards)
        self.assertFalse(any(wizards.mapped("secret")))
        event = self.env["gov.audit.event"].search(
            [
                ("res_model", "=", "gov.webhook.endpoint"),
                ("res_id", "=", self.stripe.id),
            ]
        )
        self.assertEqual(event.event_type, "webhook.secret_set")
        self.assertEqual(event.user_id, self.manager)
        self.assertEqual(json.loads(event.details)["origin"], "provider")
        self.assertNotIn(STRIPE_SECRET, event.details + event.summary)

    def test_malformed_secrets_are_refused_with_a_clear_error(self):
        Wizard = self.env[WIZARD].with_user(self.manager)
        private, _public = new_signing_key()
        for target, secret, message in (
            (self.stripe, "sk_live_123456789012345678", "Stripe signing secret"),
            (self.stripe, "whsec_abc+/=", "Stripe signing secret"),
            (self.endpoint, "whsec_not base64", "no spaces"),
            (self.endpoint, "whsec_%%%%%%%%", "does not decode"),
            (self.endpoint, "whsec_c2hvcnQ=", "24 to 64 bytes"),
            (self.endpoint, "Ab3dEf6hIj9kLm2nOp5q", "starts with whsec_"),
            (self.endpoint, private, "private key"),
            (self.endpoint, "   ", "Paste the secret"),
        ):
            # refused as the dialog is saved: the text is never stored
            with self.assertRaisesRegex(ValidationError, message):
                Wizard.create({"endpoint_id": target.id, "secret": secret})
        before = self.env[WIZARD].search_count([])
        result = self.rpc(
            "json2",
            self.manager,
            WIZARD,
            "create",
            vals_list=[
                {"endpoint_id": self.stripe.id, "secret": "sk_live_12345678901"}
            ],
        )
        self.assertFalse(result)
        self.assertEqual(self.env[WIZARD].search_count([]), before)
        self.assertFalse(self.stripe.has_secret)
        self.assertFalse(
            self.env["gov.audit.event"].search_count(
                [
                    ("res_model", "=", "gov.webhook.endpoint"),
                    ("res_id", "=", self.stripe.id),
                ]
            )
        )

    def test_others_cannot_enter_a_secret(self):
        for route in ("call_kw", "json2"):
            result = self.enter(self.auditor, self.endpoint, new_secret(), route=route)
            self.assertFalse(result, route)
        # the endpoint's own secret still verifies
        body = self.body("Still Signed")
        response = self.url_open(
            f"/gov/webhook/{self.endpoint.path_key}",
            data=body,
            headers=self.signed_headers(body),
        )
        self.assertEqual(response.status_code, 202, response.text)

    def test_rotation_keeps_the_previous_secret_for_the_grace_period(self):
        new = new_secret()
        result = self.enter(self.manager, self.endpoint, new, grace_hours=24)
        self.assertTrue(result, result.error)
        self.assertTrue(self.endpoint.previous_secret_until > fields.Datetime.now())
        for secret in (self.secret, new):
            body = self.body(f"Grace {secret[-6:]}")
            response = self.url_open(
                f"/gov/webhook/{self.endpoint.path_key}",
                data=body,
                headers=self.signed_headers(body, secret=secret),
            )
            self.assertEqual(response.status_code, 202, response.text)
        # without a grace period, the old one stops at once
        newer = new_secret()
        self.assertTrue(self.enter(self.manager, self.endpoint, newer, grace_hours=0))
        body = self.body("Too late")
        response = self.url_open(
            f"/gov/webhook/{self.endpoint.path_key}",
            data=body,
            headers=self.signed_headers(body, secret=new),
        )
        self.assertEqual(response.status_code, 401)

    def test_the_receivers_secret_signs_deliveries(self):
        receiver_secret = new_secret()
        result = self.enter(self.manager, self.subscription, receiver_secret, "json2")
        self.assertTrue(result, result.error)
        self.subscription.invalidate_recordset()
        # the secret it replaced keeps signing for a day
        self.assertTrue(self.subscription.previous_secret_until)
        self.assertTrue(
            self.subscription.previous_secret_until
            > fields.Datetime.now() + timedelta(hours=23)
        )
        delivery = self.env["gov.webhook.subscription"].emit("saas.ping", data={"n": 1})
        self.env["gov.webhook.delivery"]._send_due()
        self.assertEqual(delivery.state, "sent", delivery.last_error)
        headers, body = self.receiver.requests[-1]
        self.assertTrue(verify_standard([receiver_secret], headers, body)[0])
        self.assertEqual(len(headers["webhook-signature"].split()), 2)
        event = self.env["gov.audit.event"].search(
            [
                ("res_model", "=", "gov.webhook.subscription"),
                ("res_id", "=", self.subscription.id),
            ],
            limit=1,
        )
        self.assertEqual(json.loads(event.details)["origin"], "receiver")
        self.assertEqual(event.user_id, self.manager)
        # a receiver issues HMAC secrets only; v1a subscriptions refuse the dialog
        Wizard = self.env[WIZARD].with_user(self.manager)
        with self.assertRaisesRegex(Exception, "starts with whsec_"):
            Wizard.create(
                {
                    "subscription_id": self.subscription.id,
                    "secret": new_signing_key()[1],
                }
            ).action_confirm()
        self.subscription.signature_scheme = "v1a"
        result = self.enter(self.manager, self.subscription, new_secret(), "json2")
        self.assertFalse(result)
