# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""An approver asks for the daily digest in their preferences, and the
digest's scheduled action then sends them what waits for them."""

from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.gov_approval.tests.common import one_band_matrix, tour_user
from odoo.addons.gov_base.tests.tour_screens import TourScreensMixin, screens_dir

APPROVER = "purchase.group_purchase_user,gov_base.gov_base_group_approver"
REQUESTER = "purchase.group_purchase_user,gov_base.gov_base_group_user"


@tagged("post_install", "-at_install")
class TestDigestTour(TourScreensMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.approver = tour_user(
            cls.env,
            "digest_approver",
            APPROVER,
            name="Digest Approver",
            email="digest.approver@example.com",
            # with Employees installed, the preferences require a time zone
            tz="Europe/Brussels",
        )
        cls.requester = tour_user(
            cls.env, "digest_requester", REQUESTER, name="Digest Requester"
        )
        step = {"name": "Digest approver", "user_ids": [Command.set(cls.approver.ids)]}
        one_band_matrix(
            cls.env, "Digest matrix", "purchase.order:confirm", [step], min_amount=100
        )
        vendor = cls.env["res.partner"].create({"name": "Digest Vendor"})
        product = cls.env["product.product"].create(
            {"name": "Digest desk", "type": "consu"}
        )
        cls.order = (
            cls.env["purchase.order"]
            .with_user(cls.requester)
            .create(
                {
                    "partner_id": vendor.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "product_qty": 1,
                                "price_unit": 1500,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        cls.order.with_user(cls.requester).button_confirm()

    def digests(self):
        return self.env["mail.mail"].search(
            [
                ("email_to", "=", self.approver.email_formatted),
                ("subject", "like", "for your decision"),
            ]
        )

    def test_approver_asks_for_the_daily_digest_in_their_preferences(self):
        request = self.order.gov_approval_request_ids
        self.assertEqual(request.state, "pending")
        self.assertFalse(self.approver.gov_approval_digest)
        self.start_tour(
            "/odoo/governance-my-approvals",
            "gov_approval_digest_preferences_tour",
            login="digest_approver",
        )
        self.assertTrue(self.approver.gov_approval_digest)
        self.assertIn("approver_preferences_digest", self.screens_taken)
        self.assertTrue((screens_dir() / "approver_preferences_digest.png").exists())
        # the digest's scheduled action, as Odoo's scheduler runs it
        cron = self.env.ref("gov_approval.ir_cron_digest")
        self.assertIs(cron.method_direct_trigger(), True)
        self.env.invalidate_all()
        mail = self.digests()
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.subject, f"{request.name} waits for your decision")
        self.assertIn(request.name, mail.body_html)
        self.assertIn("Digest Vendor", mail.body_html)
        # once a day: the next run sends nothing more
        self.assertIs(cron.method_direct_trigger(), True)
        self.env.invalidate_all()
        self.assertEqual(self.digests(), mail)
