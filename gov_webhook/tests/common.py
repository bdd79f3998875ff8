# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import json
import secrets
import time
import uuid

from odoo import Command

from odoo.addons.gov_webhook.tools.signatures import standard_sign


def new_secret():
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class WebhookFixtures:
    """An endpoint whose handler creates a contact named after the payload."""

    @classmethod
    def setup_webhook_fixtures(cls):
        env = cls.env
        cls.runner = env.ref("gov_webhook.res_users_webhook_runner")
        cls.runner.group_ids = [Command.link(env.ref("base.group_partner_manager").id)]
        cls.action = env["ir.actions.server"].create(
            {
                "name": "Create contact from payload",
                "model_id": env["ir.model"]._get("res.partner").id,
                "state": "code",
                "code": 'env["res.partner"].create({"name": payload["data"]["name"]})',
            }
        )
        cls.endpoint = cls.make_endpoint("Orders")
        cls.secret = new_secret()
        cls.endpoint._set_secret(cls.secret)

    @classmethod
    def make_endpoint(cls, name, **values):
        vals = {
            "name": name,
            "profile": "standard",
            "handler_type": "server_action",
            "server_action_id": cls.action.id,
            "run_as_user_id": cls.runner.id,
            "rate_limit_per_minute": 0,
        }
        vals.update(values)
        return cls.env["gov.webhook.endpoint"].create(vals)

    def signed_headers(self, body, secret=None, msg_id=None, timestamp=None):
        msg_id = msg_id or f"msg_{uuid.uuid4().hex}"
        timestamp = str(int(time.time())) if timestamp is None else str(timestamp)
        return {
            "Content-Type": "application/json",
            "webhook-id": msg_id,
            "webhook-timestamp": timestamp,
            "webhook-signature": standard_sign(
                secret or self.secret, msg_id, timestamp, body
            ),
        }

    @staticmethod
    def body(name="Webhook Contact", **extra):
        return json.dumps(
            {"type": "order.created", "data": {"name": name, **extra}}
        ).encode()
