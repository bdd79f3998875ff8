# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, tagged

from .common import WebhookFixtures


@tagged("post_install", "-at_install")
class TestInboxReports(WebhookFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_webhook_fixtures()

    def receive(self, name):
        body = self.body(name)
        headers = {k.lower(): v for k, v in self.signed_headers(body).items()}
        return self.env["gov.webhook.inbox"]._receive(
            self.endpoint.path_key, "POST", headers, lambda _l: body, len(body), "::1"
        )

    def test_deliveries_are_reported_by_endpoint_and_state(self):
        for name in ("Report A", "Report B"):
            self.assertEqual(self.receive(name).status, 202)
        Inbox = self.env["gov.webhook.inbox"]
        Inbox._process_pending()
        views = Inbox.get_views([(False, "pivot"), (False, "graph")])["views"]
        self.assertIn("processing_ms", views["pivot"]["arch"])
        self.assertIn("received_at", views["graph"]["arch"])
        [(endpoint, state, count, average)] = Inbox._read_group(
            [("endpoint_id", "=", self.endpoint.id)],
            ["endpoint_id", "state"],
            ["__count", "processing_ms:avg"],
        )
        self.assertEqual((endpoint, state, count), (self.endpoint, "done", 2))
        rows = Inbox.search([("endpoint_id", "=", self.endpoint.id)])
        self.assertAlmostEqual(average, sum(rows.mapped("processing_ms")) / 2)
        # the measure's default aggregate is the average, as the pivot shows it
        self.assertEqual(Inbox._fields["processing_ms"].aggregator, "avg")
        Delivery = self.env["gov.webhook.delivery"]
        self.assertIn(
            "duration_ms",
            Delivery.get_views([(False, "pivot")])["views"]["pivot"]["arch"],
        )
