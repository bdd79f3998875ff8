"""The Odoo side of the interoperability run: its HTTP server on a loopback
port for n8n to post to, and the records each exchange needs (endpoints,
subscriptions, an approval matrix, an AI use case), made and read in
transactions of their own, committed, as the server process sees them."""

import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

TESTER_USER = "gov_approval_test.gov_approval_test_group_user"
REQUESTER_GROUPS = ["base.group_user", TESTER_USER, "gov_base.gov_base_group_user"]
APPROVER_GROUPS = ["base.group_user", TESTER_USER, "gov_base.gov_base_group_approver"]


def start_odoo(db, port, log):
    """Odoo's HTTP server on a loopback port, no cron thread: the run
    sends and processes by itself."""
    conf = REPO / "bench" / "results" / "odoo-bench.conf"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "odoo",
            "server",
            "-c",
            str(conf),
            "-d",
            db,
            f"--http-port={port}",
            "--http-interface=127.0.0.1",
            "--max-cron-threads=0",
            "--log-level=warn",
        ],
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{port}/web/health", timeout=5
            ):
                return process
        except (urllib.error.URLError, OSError):
            time.sleep(2)
    process.terminate()
    raise RuntimeError(f"Odoo did not start; see {log}")


class OdooSide:
    def __init__(self, registry, public_url):
        self.registry = registry
        self.public_url = public_url

    @contextmanager
    def env(self):
        """A superuser environment in a transaction committed at the end."""
        from odoo import SUPERUSER_ID, api

        with self.registry.cursor() as cr:
            yield api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})

    def prepare(self):
        with self.env() as env:
            env["ir.config_parameter"].set_param(
                "gov_webhook.public_url", self.public_url
            )
            Host = env["gov.webhook.allowed.host"]
            if not Host.search_count([("name", "=", "127.0.0.1")]):
                Host.create({"name": "127.0.0.1"})

    # ------------------------------------------------------------------
    # Webhook records
    # ------------------------------------------------------------------
    def endpoint(self, name, secret, handler_type="store"):
        """An endpoint of the profile Standard Webhooks; returns
        ``(id, url)``."""
        with self.env() as env:
            endpoint = env["gov.webhook.endpoint"].create(
                {"name": name, "profile": "standard", "handler_type": handler_type}
            )
            endpoint._set_secret(secret)
            return endpoint.id, endpoint.url

    def subscription(self, name, url, event_types, secret, tokens=False):
        with self.env() as env:
            subscription = env["gov.webhook.subscription"].create(
                {"name": name, "target_url": url, "event_types": event_types}
            )
            subscription._set_secret(secret)
            if tokens:
                subscription.action_allow_approval_tokens()
            return subscription.id

    def rotate(self, subscription_id, secret, grace_seconds):
        """Rotate the subscription's secret as Odoo does, the previous one
        signing ``grace_seconds`` more; returns the end of the grace."""
        with self.env() as env:
            subscription = env["gov.webhook.subscription"].browse(subscription_id)
            subscription._set_secret(secret, grace_hours=grace_seconds / 3600)
            return subscription.previous_secret_until

    def signing_secrets(self, subscription_id):
        with self.env() as env:
            subscription = env["gov.webhook.subscription"].browse(subscription_id)
            return len(subscription._signing_secrets())

    def emit(self, event_type, data):
        with self.env() as env:
            deliveries = env["gov.webhook.subscription"].emit(event_type, data=data)
            return deliveries.ids

    def send_due(self):
        """One run of the sender, as its scheduled action would."""
        with self.env() as env:
            env["gov.webhook.delivery"]._send_due()

    def deliveries(self, ids):
        with self.env() as env:
            return [
                {
                    "event": delivery.event_type,
                    "state": delivery.state,
                    "status": delivery.last_status,
                    "attempts": delivery.attempts,
                    "next_attempt_in_s": round(
                        (delivery.next_attempt_date - _now()).total_seconds()
                    )
                    if delivery.next_attempt_date
                    else None,
                    "error": delivery.last_error or None,
                }
                for delivery in env["gov.webhook.delivery"].browse(ids)
            ]

    def deliveries_of(self, subscription_id, event_type):
        with self.env() as env:
            return (
                env["gov.webhook.delivery"]
                .search(
                    [
                        ("subscription_id", "=", subscription_id),
                        ("event_type", "=", event_type),
                    ]
                )
                .ids
            )

    def process_inbox(self, endpoint_id, count=1, timeout=120):
        """Wait until ``count`` deliveries reached the endpoint, process
        them as the inbox worker would; returns their states and outcomes."""
        deadline = time.monotonic() + timeout
        while True:
            with self.env() as env:
                Inbox = env["gov.webhook.inbox"]
                domain = [("endpoint_id", "=", endpoint_id)]
                if Inbox.search_count(domain) >= count:
                    Inbox._process_pending()
                    env.cr.commit()
                    return [
                        {"state": inbox.state, "outcome": inbox.outcome or None}
                        for inbox in Inbox.search(domain, order="id")
                    ]
            if time.monotonic() > deadline:
                raise RuntimeError(f"endpoint {endpoint_id} got nothing")
            time.sleep(0.5)

    def received(self, endpoint_id):
        with self.env() as env:
            inbox = env["gov.webhook.inbox"].search([("endpoint_id", "=", endpoint_id)])
            return {"received": len(inbox), "states": inbox.mapped("state")}

    # ------------------------------------------------------------------
    # Approvals
    # ------------------------------------------------------------------
    def approval_setup(self):
        """A requester, an approver, and a matrix whose one step lists both:
        segregation of duties leaves the approver alone to decide."""
        from odoo.fields import Command

        with self.env() as env:
            users = {}
            for login, groups in (
                ("interop_requester", REQUESTER_GROUPS),
                ("interop_approver", APPROVER_GROUPS),
            ):
                users[login] = env["res.users"].create(
                    {
                        "name": login.replace("_", " ").title(),
                        "login": login,
                        "email": f"{login}@example.com",
                        "group_ids": [Command.set([env.ref(g).id for g in groups])],
                    }
                )
            env["gov.approval.matrix"].create(
                {
                    "name": "Interop matrix",
                    "action": "gov.approval.tester:confirm",
                    "company_id": env.company.id,
                    "line_ids": [
                        Command.create(
                            {
                                "sequence": 1,
                                "min_amount": 0,
                                "max_amount": 0,
                                "step_ids": [
                                    Command.create(
                                        {
                                            "name": "Manager",
                                            "approver_type": "user",
                                            "user_ids": [
                                                Command.set(
                                                    [u.id for u in users.values()]
                                                )
                                            ],
                                        }
                                    )
                                ],
                            }
                        )
                    ],
                }
            )
            return {login: user.id for login, user in users.items()}

    def approval_request(self, requester_id):
        """A tester document of 5,000 confirmed by its requester: it waits
        for an approval; returns the document id."""
        from odoo.fields import Command

        with self.env() as env:
            requester = env["res.users"].browse(requester_id)
            Tester = env["gov.approval.tester"].with_user(requester)
            doc = Tester.create(
                {
                    "name": "Interop order",
                    "line_ids": [
                        Command.create(
                            {"name": "Widget", "quantity": 1, "price_unit": 5000}
                        )
                    ],
                }
            )
            doc.action_confirm()
            return doc.id

    def approval_state(self, doc_id):
        with self.env() as env:
            doc = env["gov.approval.tester"].browse(doc_id)
            request = env["gov.approval.request"].search(
                [("res_model", "=", doc._name), ("res_id", "=", doc.id)],
                order="id desc",
                limit=1,
            )
            return {
                "document": doc.state,
                "request": request.state,
                "requester": request.requester_id.login,
                "decisions": [
                    {
                        "by": decision.user_id.login,
                        "decision": decision.decision,
                        "channel": decision.channel,
                    }
                    for decision in request.decision_ids
                ],
            }

    # ------------------------------------------------------------------
    # AI recommendations
    # ------------------------------------------------------------------
    def ai_setup(self, subscription_id, endpoint_id, reviewer_id):
        """An n8n provider and a duplicate check on contacts standing in for
        bills (reference ``ref``, vendor ``parent_id``, amount
        ``partner_latitude``), with a bill and its likely twin; returns the
        use case and the twin."""
        from odoo.fields import Command

        with self.env() as env:
            provider = env["gov.ai.provider"].create(
                {
                    "name": "n8n workflow",
                    "kind": "n8n",
                    "model_name": "stand-in model",
                    "webhook_subscription_id": subscription_id,
                    "webhook_endpoint_id": endpoint_id,
                    "timeout": 600,
                }
            )
            fields = {
                name: env["ir.model.fields"]._get("res.partner", name)
                for name in ("ref", "parent_id", "partner_latitude")
            }
            use_case = env["gov.ai.use.case"].create(
                {
                    "name": "Interop duplicate bills",
                    "model_id": env["ir.model"]._get("res.partner").id,
                    "task": "duplicate",
                    "field_ids": [Command.set([field.id for field in fields.values()])],
                    "reference_field_id": fields["ref"].id,
                    "partner_field_id": fields["parent_id"].id,
                    "amount_field_id": fields["partner_latitude"].id,
                    "review_threshold": 0.6,
                    "auto_apply_threshold": 0.95,
                    "reviewer_id": reviewer_id,
                    "min_history": 5,
                    "provider_id": provider.id,
                }
            )
            Partner = env["res.partner"]
            vendor = Partner.create({"name": "Interop Vendor", "is_company": True})
            for ref in ("INV-7", "inv-007"):
                twin = Partner.create(
                    {
                        "name": f"Bill {ref}",
                        "parent_id": vendor.id,
                        "ref": ref,
                        "partner_latitude": 80.0,
                    }
                )
            return use_case.id, twin.id

    def ai_ask(self, use_case_id, record_id):
        with self.env() as env:
            use_case = env["gov.ai.use.case"].browse(use_case_id)
            rec = env["res.partner"].browse(record_id)._gov_ai_recommend(use_case)
            return rec.id, rec.state

    def ai_state(self, rec_id):
        with self.env() as env:
            rec = env["gov.ai.recommendation"].browse(rec_id)
            return {
                "state": rec.state,
                "label": rec.label,
                "confidence": rec.confidence,
                "tokens": rec.tokens,
                "output_mode": (rec.evidence or {}).get("output_mode"),
                "correlation_matches": (rec.evidence or {}).get("correlation_id")
                == rec.correlation_id,
            }


def _now():
    from odoo import fields

    return fields.Datetime.now()
