# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The price side of the three-way match in the amount check of bills."""

from psycopg2 import IntegrityError

from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..tools import order_price
from .common import PurchaseBillCase


@tagged("post_install", "-at_install")
class TestOrderPrice(PurchaseBillCase):
    def amount_check(self, bill):
        use_case = self.uc_anomaly.sudo()
        data, _fingerprint = use_case._minimised_input(bill)
        return use_case._gov_ai_detect(bill, data)

    def test_a_line_billed_above_the_ordered_price_is_a_finding(self):
        order = self.order(20, price=50.0)
        self.receive(order, 20)
        bill = self.bill_from(order, "INV-PRICE-1")
        bill.invoice_line_ids.price_unit = 55.0
        answer = self.amount_check(bill)
        self.assertEqual(answer["label"], "anomaly")
        self.assertTrue(answer["finding"])
        self.assertEqual(answer["suggested_action"], "review")
        self.assertGreaterEqual(answer["confidence"], 0.95)
        self.assertEqual(
            answer["summary"],
            f"Billed above {order.name}: [DESK] Desk at 1.1 x the ordered price",
        )
        self.assertIn(
            f"Billed above the purchase order: {order.name} [DESK] Desk at 55.0 a"
            " unit for 50.0 ordered (1.1 x) (tolerance 2.0 %).",
            answer["explanation"],
        )
        [line] = answer["evidence"]["order_prices"]
        self.assertEqual((line["ordered"], line["billed"]), (50.0, 55.0))
        self.assertTrue(line["above"])
        self.assertIn(order_price.VERSION, answer["detector_version"])

    def test_the_ordered_price_within_the_tolerance_is_no_finding(self):
        order = self.order(20, price=50.0)
        self.receive(order, 20)
        bill = self.bill_from(order, "INV-PRICE-2")
        for price in (50.0, 51.0, 45.0):
            bill.invoice_line_ids.price_unit = price
            answer = self.amount_check(bill)
            [line] = answer["evidence"]["order_prices"]
            self.assertFalse(line["above"], price)
            self.assertNotIn("Billed above", answer["explanation"], price)
        # a tolerance of nothing questions every cent above the order
        self.uc_anomaly.sudo().order_price_tolerance = 0.0
        bill.invoice_line_ids.price_unit = 50.5
        self.assertIn("Billed above", self.amount_check(bill)["summary"])

    def test_discounts_and_units_are_compared_net_and_per_unit(self):
        order = self.env["purchase.order"].create(
            {
                "partner_id": self.partner_a.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.service.id,
                            "product_qty": 2,
                            "product_uom_id": self.env.ref("uom.product_uom_dozen").id,
                            "price_unit": 600.0,
                            "discount": 10.0,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        order.button_confirm()
        bill = self.bill_by_hand(order, "INV-PRICE-3", 24)
        unit = self.env.ref("uom.product_uom_unit")
        # 24 units at 45: 600 a dozen less 10 % is 45 a unit
        bill.invoice_line_ids.write(
            {"product_uom_id": unit.id, "price_unit": 45.0, "discount": 0.0}
        )
        [line] = self.amount_check(bill)["evidence"]["order_prices"]
        self.assertAlmostEqual(line["ordered"], 45.0)
        self.assertFalse(line["above"])
        bill.invoice_line_ids.price_unit = 50.0
        [line] = self.amount_check(bill)["evidence"]["order_prices"]
        self.assertTrue(line["above"])

    def test_a_bill_without_order_lines_has_no_order_prices(self):
        answer = self.amount_check(self.bill(55.0, ref="NO-ORDER"))
        self.assertNotIn("order_prices", answer["evidence"])

    def test_the_tolerance_cannot_be_negative(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.uc_anomaly.sudo().order_price_tolerance = -0.1
            self.uc_anomaly.sudo().flush_recordset()

    def test_the_order_price_check_has_a_query_budget(self):
        order = self.order(20, price=50.0)
        self.receive(order, 20)
        bill = self.bill_from(order, "INV-PRICE-4")
        bill.invoice_line_ids.price_unit = 55.0
        self.amount_check(bill)
        # the documents are read afresh, the configuration is warm
        for model in (
            "account.move",
            "account.move.line",
            "product.product",
            "res.partner",
            "purchase.order",
            "purchase.order.line",
        ):
            self.env[model].invalidate_model()
        # the amount check's own (the bill's company and kind, the vendor and
        # its twins, its amounts, with a thin history its peers' spread and
        # the whole model's baseline), the unit prices and the order prices
        with self.assertQueryCount(9):
            answer = self.amount_check(bill)
        self.assertEqual(answer["label"], "anomaly")
