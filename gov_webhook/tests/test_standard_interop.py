# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Standard Webhooks with other implementations, over real HTTP both ways:
messages signed by the ``standardwebhooks`` and ``svix`` libraries (Svix's
own header names included) are received; our deliveries verify with them;
Ed25519 (v1a) signatures verify with ``cryptography`` directly."""

import base64
import json
import time
import uuid
from datetime import UTC, datetime

import standardwebhooks
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from svix.webhooks import Webhook as SvixWebhook

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.gov_base.tests.rpc import RpcRoutesMixin

from .common import Receiver, WebhookFixtures

WIZARD = "gov.webhook.secret.entry.wizard"


def svix_secret():
    # what a Svix application hands out: 24 random bytes, unpadded here
    return "whsec_" + base64.b64encode(uuid.uuid4().bytes + b"12345678").decode()


@tagged("post_install", "-at_install")
class TestStandardInterop(WebhookFixtures, HttpCase, RpcRoutesMixin):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_webhook_fixtures()
        cls.manager = new_test_user(
            cls.env,
            login="interop_integration",
            groups="gov_base.gov_base_group_integration_manager",
        )
        cls.receiver = Receiver()
        cls.addClassCleanup(cls.receiver.stop)
        cls.env["gov.webhook.allowed.host"].create({"name": "127.0.0.1"})
        cls.subscription = cls.env["gov.webhook.subscription"].create(
            {"name": "Verifier", "target_url": cls.receiver.url, "event_types": "x.*"}
        )
        cls.Inbox = cls.env["gov.webhook.inbox"]

    def setUp(self):
        super().setUp()
        self.receiver.requests.clear()

    def enter_secret(self, target, secret):
        self.env[WIZARD].with_user(self.manager).create(
            {
                "endpoint_id"
                if target._name == "gov.webhook.endpoint"
                else "subscription_id": target.id,
                "secret": secret,
            }
        ).action_confirm()
        self.env.registry.clear_cache()

    def post(self, body, headers, endpoint=None):
        return self.url_open(
            f"/gov/webhook/{(endpoint or self.endpoint).path_key}",
            data=body,
            headers={"Content-Type": "application/json", **headers},
        )

    def deliver(self):
        delivery = self.env["gov.webhook.subscription"].emit("x.done", data={"n": 1})
        self.env["gov.webhook.delivery"]._send_due()
        self.assertEqual(delivery.state, "sent", delivery.last_error)
        return self.receiver.requests[-1]

    # -- inbound ------------------------------------------------------------
    def test_svix_signed_messages_with_svix_headers_are_received(self):
        secret = svix_secret().rstrip("=")
        self.enter_secret(self.endpoint, secret)
        body = self.body("Svix Contact")
        msg_id = f"msg_{uuid.uuid4().hex}"
        now = datetime.now(tz=UTC)
        signature = SvixWebhook(secret).sign(msg_id, now, body.decode())
        headers = {
            "svix-id": msg_id,
            "svix-timestamp": str(int(now.timestamp())),
            "svix-signature": signature,
        }
        response = self.post(body, headers)
        self.assertEqual(response.status_code, 202, response.text)
        inbox = self.Inbox.search([("endpoint_id", "=", self.endpoint.id)])
        self.assertEqual(inbox.delivery_id, msg_id, "svix-id is the delivery id")
        self.assertNotIn(signature.split(",", 1)[1], inbox.headers)
        # Svix retries with the same id: one delivery, answered as a duplicate
        again = self.post(body, headers)
        self.assertEqual(again.status_code, 200)
        self.assertEqual(again.headers["Idempotent-Replayed"], "true")
        # a Svix signature with another secret is refused like any other
        forged = dict(
            headers,
            **{
                "svix-signature": SvixWebhook(svix_secret()).sign(
                    msg_id, now, body.decode()
                )
            },
        )
        self.assertEqual(self.post(body, forged).status_code, 401)

    def test_standardwebhooks_signed_messages_are_received(self):
        body = self.body("Standard Contact")
        msg_id = f"msg_{uuid.uuid4().hex}"
        now = datetime.now(tz=UTC)
        headers = {
            "webhook-id": msg_id,
            "webhook-timestamp": str(int(now.timestamp())),
            "webhook-signature": standardwebhooks.Webhook(self.secret).sign(
                msg_id, now, body.decode()
            ),
        }
        response = self.post(body, headers)
        self.assertEqual(response.status_code, 202, response.text)
        # mixing both sets of names does not verify
        mixed = {
            "webhook-id": msg_id,
            "svix-timestamp": headers["webhook-timestamp"],
            "svix-signature": headers["webhook-signature"],
        }
        self.assertEqual(self.post(body, mixed).status_code, 401)

    def test_v1a_messages_verify_with_the_senders_public_key(self):
        private = Ed25519PrivateKey.generate()
        public = private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        endpoint = self.make_endpoint("Ed25519 sender")
        self.enter_secret(endpoint, "whpk_" + base64.b64encode(public).decode())
        body = self.body("Ed25519 Contact")
        msg_id, timestamp = f"msg_{uuid.uuid4().hex}", str(int(time.time()))
        signed = f"{msg_id}.{timestamp}.".encode() + body

        def headers(key):
            signature = base64.b64encode(key.sign(signed)).decode()
            return {
                "webhook-id": msg_id,
                "webhook-timestamp": timestamp,
                "webhook-signature": f"v1,bm90IGEgc2lnbmF0dXJl v1a,{signature}",
            }

        other = Ed25519PrivateKey.generate()
        self.assertEqual(self.post(body, headers(other), endpoint).status_code, 401)
        response = self.post(body, headers(private), endpoint)
        self.assertEqual(response.status_code, 202, response.text)

    # -- outbound -----------------------------------------------------------
    def test_our_deliveries_verify_with_both_libraries(self):
        secret = self.subscription.sudo().secret
        headers, body = self.deliver()
        self.assertEqual(
            standardwebhooks.Webhook(secret).verify(body, headers), {**json.loads(body)}
        )
        SvixWebhook(secret).verify(body, headers)
        # a secret the receiver issued (Svix style, unpadded) works the same
        issued = svix_secret().rstrip("=")
        self.enter_secret(self.subscription, issued)
        headers, body = self.deliver()
        standardwebhooks.Webhook(issued).verify(body, headers)
        SvixWebhook(issued).verify(body, headers)

    def test_rotation_signs_with_both_secrets_during_the_grace_period(self):
        old = self.subscription.sudo().secret
        action = self.subscription.with_user(self.manager).action_show_secret_once()
        shown = self.env[action["res_model"]].browse(action["res_id"])
        new = shown.secret_shown
        self.assertEqual(shown.grace_hours, 24)
        headers, body = self.deliver()
        self.assertEqual(len(headers["webhook-signature"].split()), 2)
        for secret in (old, new):
            standardwebhooks.Webhook(secret).verify(body, headers)
            SvixWebhook(secret).verify(body, headers)
        # once the grace period is over, only the new one signs
        self.subscription.sudo().previous_secret_until = "2000-01-01 00:00:00"
        headers, body = self.deliver()
        self.assertEqual(len(headers["webhook-signature"].split()), 1)
        SvixWebhook(new).verify(body, headers)
        with self.assertRaises(standardwebhooks.webhooks.WebhookVerificationError):
            standardwebhooks.Webhook(old).verify(body, headers)

    def test_v1a_deliveries_verify_with_the_public_key_shown(self):
        old = self.subscription.sudo().secret
        self.subscription.with_user(self.manager).signature_scheme = "v1a"
        # what an Integration Manager reads: the public key, never the secret
        read = self.rpc(
            "json2",
            self.manager,
            "gov.webhook.subscription",
            "search_read",
            domain=[("id", "=", self.subscription.id)],
            fields=["public_key", "signature_scheme"],
        )
        self.assertTrue(read, read.error)
        public_key = read.value[0]["public_key"]
        self.assertTrue(public_key.startswith("whpk_"))
        secret_read = self.rpc(
            "json2",
            self.manager,
            "gov.webhook.subscription",
            "search_read",
            domain=[("id", "=", self.subscription.id)],
            fields=["secret"],
        )
        self.assertFalse(secret_read)
        headers, body = self.deliver()
        signatures = dict(
            entry.split(",", 1) for entry in headers["webhook-signature"].split()
        )
        self.assertEqual(
            set(signatures), {"v1a", "v1"}, "the old v1 secret signs a day more"
        )
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key[5:]))
        signed = (
            f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
        )
        key.verify(base64.b64decode(signatures["v1a"]), signed)  # raises if wrong
        # receivers still on the v1 secret verify during the switch
        standardwebhooks.Webhook(old).verify(body, headers)
        # another body does not verify
        with self.assertRaises(Exception):  # noqa: B017 - InvalidSignature
            key.verify(base64.b64decode(signatures["v1a"]), signed + b" ")
        # a new key pair is shown as a public key
        action = self.subscription.with_user(self.manager).action_show_secret_once()
        shown = self.env[action["res_model"]].browse(action["res_id"])
        self.assertTrue(shown.is_public_key)
        self.assertTrue(shown.secret_shown.startswith("whpk_"))
        self.subscription.invalidate_recordset()
        self.assertEqual(self.subscription.public_key, shown.secret_shown)
