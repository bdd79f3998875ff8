# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import json
import secrets
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

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

    @classmethod
    def make_n8n_round_trip(cls, name, handler_type, event_types):
        """An n8n-style exchange: an endpoint answering with ``handler_type``
        (signed with the fixtures' secret) and a subscription to
        ``event_types`` on loopback. Returns ``(endpoint, subscription)``."""
        endpoint = cls.make_endpoint(
            f"{name} answers", handler_type=handler_type, server_action_id=False
        )
        endpoint._set_secret(cls.secret)
        Host = cls.env["gov.webhook.allowed.host"]
        if not Host.search_count([("name", "=", "127.0.0.1")]):
            Host.create({"name": "127.0.0.1"})
        subscription = cls.env["gov.webhook.subscription"].create(
            {
                "name": f"n8n {name}",
                "target_url": "http://127.0.0.1:9/n8n",
                "event_types": event_types,
            }
        )
        return endpoint, subscription

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


ECHO = object()


class Receiver:
    """A local HTTP receiver answering from a script of ``(status, headers)``
    or ``(status, headers, body)``; the body :data:`ECHO` echoes the request."""

    def __init__(self):
        self.requests = []
        self.script = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                receiver.requests.append(
                    ({k.lower(): v for k, v in self.headers.items()}, body)
                )
                status, headers, *answer = (
                    receiver.script.pop(0) if receiver.script else (200, {})
                )
                answer = answer[0] if answer else b"{}"
                if answer is ECHO:
                    answer = body
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
