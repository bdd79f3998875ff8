# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the Integrations settings keep: sent deliveries and refused requests
are removed after the days the settings give (0 keeps them); failed
deliveries stay whatever their age."""

from datetime import timedelta

from odoo import Command, fields
from odoo.tests import TransactionCase, tagged

from odoo.addons.gov_base.tools.engine import engine_writes

from .common import WebhookFixtures


@tagged("post_install", "-at_install")
class TestRetention(WebhookFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_webhook_fixtures()
        cls.env["gov.webhook.allowed.host"].create(
            {"name": "127.0.0.1", "note": "tests"}
        )
        cls.partner = cls.env["res.partner"].create({"name": "Retention Contact"})
        cls.subscription = cls.env["gov.webhook.subscription"].create(
            {
                "name": "Retention",
                "target_url": "http://127.0.0.1:9/hook",
                "event_types": "contact.*",
                "model_id": cls.env["ir.model"]._get("res.partner").id,
                "field_ids": [
                    Command.set(
                        cls.env["ir.model.fields"]._get("res.partner", "name").ids
                    )
                ],
            }
        )
        cls.Delivery = cls.env["gov.webhook.delivery"]

    def aged(self, state, days):
        delivery = self.subscription.emit("contact.updated", record=self.partner)
        with engine_writes("gov.webhook.delivery"):
            delivery.write({"state": state})
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE gov_webhook_delivery SET write_date = %s WHERE id = %s",
            (fields.Datetime.now() - timedelta(days=days), delivery.id),
        )
        delivery.invalidate_recordset()
        return delivery

    def refused(self, days):
        self.env.flush_all()
        self.env.cr.execute(
            "INSERT INTO gov_webhook_rejection (endpoint_id, company_id, reason,"
            " size, create_date) VALUES (%s, %s, 'too_large', 1, %s) RETURNING id",
            (
                self.endpoint.id,
                self.endpoint.company_id.id,
                fields.Datetime.now() - timedelta(days=days),
            ),
        )
        return self.env["gov.webhook.rejection"].browse(self.env.cr.fetchone()[0])

    def set_days(self, key, days):
        settings = self.env["res.config.settings"].create({key: days})
        settings.execute()

    def test_sent_deliveries_go_after_the_days_set(self):
        self.set_days("gov_webhook_delivery_retention_days", 7)
        old_sent, recent_sent = self.aged("sent", 8), self.aged("sent", 6)
        old_dead = self.aged("dead", 400)
        self.Delivery._gc_sent_deliveries()
        self.assertFalse(old_sent.exists())
        self.assertTrue(recent_sent.exists())
        self.assertTrue(old_dead.exists(), "failed deliveries stay")

    def test_zero_keeps_every_delivery(self):
        self.set_days("gov_webhook_delivery_retention_days", 0)
        old_sent = self.aged("sent", 4000)
        self.Delivery._gc_sent_deliveries()
        self.assertTrue(old_sent.exists())

    def test_refused_requests_go_after_the_days_set(self):
        self.set_days("gov_webhook_rejection_retention_days", 3)
        old, recent = self.refused(4), self.refused(2)
        self.env["gov.webhook.rejection"]._gc_rejections()
        self.assertFalse(old.exists())
        self.assertTrue(recent.exists())
        self.set_days("gov_webhook_rejection_retention_days", 0)
        older = self.refused(4000)
        self.env["gov.webhook.rejection"]._gc_rejections()
        self.assertTrue(older.exists())
