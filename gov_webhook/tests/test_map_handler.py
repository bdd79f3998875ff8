# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import TransactionCase, tagged

from odoo.addons.gov_webhook.tools.mapping import dig

from .common import WebhookFixtures


@tagged("post_install", "-at_install")
class TestMapHandler(WebhookFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_webhook_fixtures()
        Fields = cls.env["ir.model.fields"]

        def line(path, name, **extra):
            return Command.create(
                {
                    "json_path": path,
                    "field_id": Fields._get("res.partner", name).id,
                    **extra,
                }
            )

        cls.country = cls.env.ref("base.be")
        cls.mapper = cls.make_endpoint(
            "CRM contacts",
            handler_type="map",
            server_action_id=False,
            map_model_id=cls.env["ir.model"]._get_id("res.partner"),
            map_line_ids=[
                line("data.ref", "ref", is_key=True),
                line("data.name", "name", required=True),
                line("data.email", "email"),
                line("data.country", "country_id"),
                line("data.is_company", "is_company"),
            ],
        )
        cls.mapper._set_secret(cls.secret)
        cls.Inbox = cls.env["gov.webhook.inbox"]

    def deliver(self, data, msg_id):
        body = json.dumps({"type": "contact.upsert", "data": data}).encode()
        headers = {
            k.lower(): v for k, v in self.signed_headers(body, msg_id=msg_id).items()
        }
        return self.Inbox._receive(
            self.mapper.path_key,
            "POST",
            headers,
            lambda limit: body,
            len(body),
            "127.0.0.1",
        )

    def process(self):
        self.Inbox._process_pending()
        return self.Inbox.search(
            [("endpoint_id", "=", self.mapper.id)], order="id desc"
        )

    def test_dig(self):
        payload = {"a": {"b": [{"c": 1}, {"c": None}]}}
        self.assertEqual(dig(payload, "a.b.0.c"), (True, 1))
        self.assertEqual(dig(payload, "a.b.1.c"), (True, None))
        self.assertEqual(dig(payload, "a.b.2.c"), (False, None))
        self.assertEqual(dig(payload, "a.x"), (False, None))
        self.assertEqual(dig(payload, "a.b.0.c.d"), (False, None))

    def test_creates_then_updates_by_key(self):
        self.deliver(
            {
                "ref": "C-1",
                "name": "Mapped Co",
                "country": "Belgium",
                "is_company": True,
            },
            "map-1",
        )
        inbox = self.process()
        self.assertEqual(inbox.state, "done")
        partner = self.env["res.partner"].search([("ref", "=", "C-1")])
        self.assertEqual(
            (partner.name, partner.country_id, partner.is_company),
            ("Mapped Co", self.country, True),
        )
        self.deliver(
            {"ref": "C-1", "name": "Mapped Co NV", "email": "info@mapped.example"},
            "map-2",
        )
        self.process()
        self.assertEqual(self.env["res.partner"].search_count([("ref", "=", "C-1")]), 1)
        self.assertEqual(partner.name, "Mapped Co NV")
        self.assertEqual(partner.email, "info@mapped.example")

    def test_unmappable_payloads_are_quarantined_not_half_done(self):
        cases = {
            "map-missing": {"ref": "C-2"},
            "map-type": {"ref": "C-3", "name": "X", "is_company": "yes"},
            "map-m2o": {"ref": "C-4", "name": "Y", "country": "Atlantis"},
        }
        for msg_id, data in cases.items():
            self.deliver(data, msg_id)
        self.process()
        items = self.Inbox.search([("delivery_id", "in", list(cases))])
        self.assertEqual(set(items.mapped("state")), {"failed"})
        self.assertEqual(set(items.mapped("outcome_code")), {422})
        self.assertTrue(all(items.mapped("exception_item_id")))
        self.assertFalse(
            self.env["res.partner"].search([("ref", "in", ["C-2", "C-3", "C-4"])])
        )

    def test_update_only_endpoints_refuse_unknown_keys(self):
        self.mapper.map_create = False
        self.deliver({"ref": "C-9", "name": "Nobody"}, "map-unknown")
        inbox = self.process()
        self.assertEqual(inbox.state, "failed")
        self.assertIn("No Contact record", inbox.outcome)

    def test_mapping_configuration_is_checked(self):
        with self.assertRaises(ValidationError):
            self.make_endpoint(
                "Empty mapping",
                handler_type="map",
                server_action_id=False,
                map_model_id=self.env["ir.model"]._get_id("res.partner"),
            )
        with self.assertRaises(ValidationError):
            self.mapper.map_line_ids = [
                Command.create(
                    {
                        "json_path": "data.x",
                        "field_id": self.env["ir.model.fields"]
                        ._get("res.users", "login")
                        .id,
                    }
                )
            ]
