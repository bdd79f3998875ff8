# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Each company's webhook data stays with the people of that company."""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import WebhookFixtures

GROUPS = {
    "integration_manager": "gov_base.gov_base_group_integration_manager",
    "auditor": "gov_base.gov_base_group_auditor",
}
# every model of the gateway that holds or derives a company
COMPANY_MODELS = (
    "gov.webhook.endpoint",
    "gov.webhook.field.map",
    "gov.webhook.inbox",
    "gov.webhook.rejection",
    "gov.webhook.subscription",
    "gov.webhook.delivery",
)


@tagged("post_install", "-at_install")
class TestCompanyRules(WebhookFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_webhook_fixtures()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Webhook Company B"})
        Fields = cls.env["ir.model.fields"]
        cls.endpoint.write(
            {
                "handler_type": "map",
                "server_action_id": False,
                "map_model_id": cls.env["ir.model"]._get_id("res.partner"),
                "map_line_ids": [
                    Command.create(
                        {
                            "json_path": "data.name",
                            "field_id": Fields._get("res.partner", "name").id,
                        }
                    )
                ],
            }
        )
        cls.env["gov.webhook.allowed.host"].create({"name": "127.0.0.1"})
        cls.subscription = cls.env["gov.webhook.subscription"].create(
            {
                "name": "Company A receiver",
                "target_url": "http://127.0.0.1:9/a",
                "event_types": "company.*",
            }
        )
        cls.users = {
            (role, company): new_test_user(
                cls.env,
                login=f"wh_{role}_{company.id}",
                groups=xmlid,
                company_id=company.id,
                company_ids=[Command.set(company.ids)],
            )
            for role, xmlid in GROUPS.items()
            for company in (cls.company_a, cls.company_b)
        }

    def company_a_rows(self):
        """One row of each model, all of company A."""
        Inbox = self.env["gov.webhook.inbox"]
        body = self.body("Company A Contact")
        headers = {k.lower(): v for k, v in self.signed_headers(body).items()}
        path = self.endpoint.path_key
        self.assertEqual(
            Inbox._receive(path, "POST", headers, lambda _l: body, 10, "::1").status,
            202,
        )
        unsigned = {"content-type": "application/json"}
        self.assertEqual(
            Inbox._receive(path, "POST", unsigned, lambda _l: body, 10, "::1").status,
            401,
        )
        rows = {
            "gov.webhook.endpoint": self.endpoint,
            "gov.webhook.field.map": self.endpoint.map_line_ids,
            "gov.webhook.inbox": Inbox.search([("endpoint_id", "=", self.endpoint.id)]),
            "gov.webhook.rejection": self.env["gov.webhook.rejection"].search(
                [("endpoint_id", "=", self.endpoint.id)]
            ),
            "gov.webhook.subscription": self.subscription,
            "gov.webhook.delivery": self.env["gov.webhook.subscription"].emit(
                "company.tested", data={"n": 1}
            ),
        }
        for model, records in rows.items():
            self.assertEqual(len(records), 1, model)
            self.assertEqual(records.company_id, self.company_a, model)
        return rows

    def test_company_b_reads_nothing_of_company_a(self):
        rows = self.company_a_rows()
        self.env.flush_all()
        for role in GROUPS:
            own, other = (
                self.users[(role, self.company_a)],
                self.users[(role, self.company_b)],
            )
            for model in COMPANY_MODELS:
                record = rows[model]
                with self.subTest(role=role, model=model):
                    self.assertEqual(
                        self.env[model].with_user(own).search([("id", "=", record.id)]),
                        record,
                    )
                    self.assertFalse(
                        self.env[model].with_user(other).search([]) & record
                    )
                    with self.assertRaises(AccessError):
                        record.with_user(other).read(["company_id"])

    def test_a_new_secret_is_shown_to_its_creator_only(self):
        own = self.users[("integration_manager", self.company_a)]
        colleague = new_test_user(
            self.env,
            login="wh_colleague",
            groups=GROUPS["integration_manager"],
            company_id=self.company_a.id,
        )
        action = self.endpoint.with_user(own).action_generate_secret()
        wizard = self.env["gov.webhook.secret.wizard"].browse(action["res_id"])
        self.assertTrue(wizard.with_user(own).secret_shown.startswith("whsec_"))
        for user in (colleague, self.users[("integration_manager", self.company_b)]):
            with self.assertRaises(AccessError):
                wizard.with_user(user).read(["secret_shown"])
            self.assertFalse(
                self.env["gov.webhook.secret.wizard"].with_user(user).search([])
            )
