# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Price variance in the amount check: the unit price of a bill line against
the vendor's earlier prices of the same product, unit and currency."""

from odoo.fields import Command
from odoo.tests import tagged

from .common import GovAiAccountCase

# A fuel vendor: what it delivers swings, its price per litre hardly moves.
LITRES = [100, 250, 60, 400, 150, 90, 300, 120, 500, 80, 200, 70, 350, 110]
PRICES = [1.52, 1.55, 1.58, 1.54, 1.56, 1.53, 1.57]


@tagged("post_install", "-at_install")
class TestUnitPrice(GovAiAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vendor = cls.env["res.partner"].create(
            {"name": "Fuel on Demand", "is_company": True}
        )
        cls.diesel = cls.env["product.product"].create(
            {"name": "Diesel", "standard_price": 1.5}
        )
        for index, litres in enumerate(LITRES):
            cls.fuel(PRICES[index % len(PRICES)], litres, days_ago=7 * (index + 1))

    @classmethod
    def fuel(cls, price, litres, **kwargs):
        kwargs.setdefault("partner", cls.vendor)
        return cls.bill(price, product_id=cls.diesel, quantity=litres, **kwargs)

    def anomaly_of(self, bill):
        recommendation = self.recommendations(bill, self.uc_anomaly)
        self.assertEqual(len(recommendation), 1)
        return recommendation

    def test_a_price_ten_times_its_usual_is_unusual_whatever_the_total(self):
        # 40 litres at 15.50: a total of 620, one of the vendor's usual totals
        bill = self.fuel(15.5, 40)
        recommendation = self.anomaly_of(bill)
        self.assertEqual(recommendation.label, "anomaly")
        self.assertEqual(recommendation.state, "proposed")
        # the total alone says nothing unusual
        self.assertFalse(recommendation.evidence["assessment"]["anomalous"])
        [line] = recommendation.evidence["unit_prices"]
        self.assertEqual(line["line"], bill.invoice_line_ids.id)
        self.assertEqual(line["product"], "Diesel")
        self.assertTrue(line["anomalous"])
        self.assertEqual(line["n"], len(LITRES))
        self.assertAlmostEqual(line["ratio"], 10.0, delta=0.2)
        self.assertIn("Unit price of Diesel at", recommendation.summary)
        self.assertEqual(recommendation.detector_version, "mad-3+price-1")
        self.assertIn("x the vendor's usual price for it", recommendation.explanation)
        # the line leads, the total follows
        self.assertTrue(recommendation.explanation.startswith("The unit price of"))
        self.assertIn("x the expected amount", recommendation.explanation)

    def test_a_big_delivery_at_the_usual_price_is_not_a_price_anomaly(self):
        recommendation = self.anomaly_of(self.fuel(1.55, 450))
        self.assertEqual(recommendation.label, "normal")
        [line] = recommendation.evidence["unit_prices"]
        self.assertFalse(line["anomalous"])
        # a new price list, a third above the old one, is no anomaly either
        raised = self.anomaly_of(self.fuel(2.05, 120))
        self.assertEqual(raised.label, "normal")
        # and a price below the usual is a discount, not an overpayment
        self.assertEqual(self.anomaly_of(self.fuel(0.16, 300)).label, "normal")

    def test_a_total_and_a_price_both_unusual_lead_with_the_total(self):
        recommendation = self.anomaly_of(self.fuel(15.5, 400))
        self.assertEqual(recommendation.label, "anomaly")
        self.assertTrue(recommendation.evidence["assessment"]["anomalous"])
        self.assertIn("x the expected amount", recommendation.summary)
        explanation = recommendation.explanation
        self.assertLess(
            explanation.index("x the expected amount"),
            explanation.index("x the vendor's usual price"),
        )

    def priced_bill(self, *lines, partner=None):
        """A bill of ``lines`` given as ``(price, quantity, unit)``, in one save."""
        return self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": (partner or self.vendor).id,
                "invoice_date": self.today,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.diesel.id,
                            "price_unit": price,
                            "quantity": quantity,
                            "product_uom_id": (unit or self.diesel.uom_id).id,
                            "tax_ids": [Command.clear()],
                        }
                    )
                    for price, quantity, unit in lines
                ],
            }
        )

    def test_prices_of_another_unit_or_vendor_are_not_compared(self):
        dozen = self.env.ref("uom.product_uom_dozen")
        # 12 litres to the unit: 18.60 is the usual price per litre
        bill = self.priced_bill((18.6, 10, dozen))
        self.assertEqual(bill.invoice_line_ids.price_unit, 18.6)
        recommendation = self.anomaly_of(bill)
        self.assertEqual(recommendation.label, "normal")
        self.assertNotIn("unit_prices", recommendation.evidence)
        self.assertEqual(recommendation.detector_version, "mad-3")
        # another vendor's diesel is its own: too few prices to judge
        other = self.env["res.partner"].create({"name": "Other Fuel"})
        for litres in (100, 120, 90):
            self.fuel(1.2, litres, partner=other, days_ago=3)
        bill = self.fuel(15.5, 100, partner=other)
        self.assertNotIn("unit_prices", self.anomaly_of(bill).evidence)

    def test_a_line_without_a_product_is_judged_by_the_total_only(self):
        recommendation = self.anomaly_of(self.bill(15.5, partner=self.vendor))
        self.assertNotIn("unit_prices", recommendation.evidence)

    def test_two_unusual_lines_are_counted(self):
        bill = self.priced_bill((15.5, 20, None), (12.0, 10, None), (1.55, 30, None))
        recommendation = self.anomaly_of(bill)
        self.assertEqual(recommendation.label, "anomaly")
        self.assertEqual(
            [line["anomalous"] for line in recommendation.evidence["unit_prices"]],
            [True, True, False],
        )
        self.assertIn("2 lines in all are priced above", recommendation.explanation)
        # the worst line is the one summed up
        self.assertIn("Diesel at 10.0", recommendation.summary)

    def test_the_price_check_has_a_query_budget(self):
        bill = self.fuel(15.5, 40)
        self.run_ai_queue()
        use_case = self.uc_anomaly.sudo()
        data, _fingerprint = use_case._minimised_input(bill)
        use_case._gov_ai_detect(bill, data)
        self.env["account.move"].invalidate_model()
        self.env["account.move.line"].invalidate_model()
        self.env["product.product"].invalidate_model()
        self.env["res.partner"].invalidate_model()
        # the bill's company and kind, the vendor and its twins (three), the
        # vendor's amounts, the lines with their products and earlier prices;
        # with purchase bills matched too, the lines' order prices
        three_way = self.env["ir.module.module"]._get("gov_ai_purchase")
        with self.assertQueryCount(6 + (three_way.state == "installed")):
            answer = use_case._gov_ai_detect(bill, data)
        self.assertEqual(answer["label"], "anomaly")
