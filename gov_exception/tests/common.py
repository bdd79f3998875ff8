# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo.fields import Command
from odoo.tools import mute_logger

from odoo.addons.gov_base.tests.common import GovBaseCase
from odoo.addons.gov_exception.tools.engine import queue_writes


class GovExceptionCase(GovBaseCase):
    """Queue fixtures: a partner to work on and server actions as handlers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Item = cls.env["gov.exception.item"]
        cls.partner = cls.env["res.partner"].create({"name": "Queue Test Partner"})
        partner_model = cls.env["ir.model"]._get("res.partner")
        cls.action_write = cls._code_action("Apply payload", "record.write(payload)")
        cls.action_busy = cls._code_action(
            "Receiver busy", 'raise GovRetryableError("receiver busy", retry_after=120)'
        )
        cls.action_broken = cls._code_action(
            "Always broken", 'raise GovPermanentError("contract violated")'
        )
        cls.action_crash = cls._code_action("Crash", "1 / 0")
        cls.partner_model = partner_model

    @classmethod
    def _code_action(cls, name, code):
        return cls.env["ir.actions.server"].create(
            {
                "name": name,
                "model_id": cls.env["ir.model"]._get("res.partner").id,
                "state": "code",
                "code": code,
            }
        )

    @staticmethod
    def queue_write(items, vals):
        """Put items in a state the queue reaches by itself (trusted test code)."""
        with queue_writes():
            items.write(vals)
        return items

    def handler(self, action, record=None):
        """Run ``action`` with the payload, on ``record`` (False: on no record)."""
        record = self.partner if record is None else record
        kwargs = {"res_model": record._name, "res_id": record.id} if record else {}
        return {
            "model": "ir.actions.server",
            "method": "_gov_run_with_payload",
            "res_id": action.id,
            "kwargs": kwargs,
        }

    def capture(self, **kwargs):
        values = {
            "category": "handler",
            "summary": "Test failure",
            "source": "tests",
            "payload": {"name": "From payload"},
        }
        values.update(kwargs)
        category = values.pop("category")
        summary = values.pop("summary")
        return self.Item.capture(category, summary, **values)


class AdminCodeActionMixin:
    """Run a code server action as an administrator, over HTTP, the way the
    web client runs it (for ``HttpCase``)."""

    def run_code_as_admin(self, code, records):
        """Create a code action on ``records``' model, for administrators only
        (so that it runs whatever the access rights on ``records``), and run it
        on them as the ``admin`` user through ``/web/dataset/call_kw``; return
        the JSON answer."""
        action = self.env["ir.actions.server"].create(
            {
                "name": "Administrator's code",
                "model_id": self.env["ir.model"]._get(records._name).id,
                "state": "code",
                "code": code,
                "group_ids": [Command.link(self.env.ref("base.group_system").id)],
            }
        )
        self.authenticate("admin", "admin")
        context = {
            "active_model": records._name,
            "active_id": records[:1].id,
            "active_ids": records.ids,
        }
        with mute_logger("odoo.http"):
            response = self.url_open(
                "/web/dataset/call_kw/ir.actions.server/run",
                data=json.dumps(
                    {
                        "jsonrpc": "2.0",
                        "method": "call",
                        "id": 1,
                        "params": {
                            "model": "ir.actions.server",
                            "method": "run",
                            "args": [action.ids],
                            "kwargs": {"context": context},
                        },
                    }
                ),
                headers={"Content-Type": "application/json"},
            )
        self.assertEqual(response.status_code, 200)
        return response.json()

    def assertRefused(self, answer, refusal):
        """The action failed, and its error message says ``refusal``."""
        self.assertIn("error", answer, refusal)
        self.assertIn(refusal, answer["error"]["data"]["message"])
