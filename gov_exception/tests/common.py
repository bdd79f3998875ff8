# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.addons.gov_base.tests.common import GovBaseCase


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
