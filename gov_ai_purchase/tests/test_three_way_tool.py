# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import BaseCase

from ..tools import three_way


def row(move, quantity, *, line=1, posted=True, refund=False, **values):
    return {
        "line": line,
        "order": "P00012",
        "product": "[DESK] Desk",
        "method": "receive",
        "ordered": 20.0,
        "received": 10.0,
        "move": move,
        "posted": posted,
        "refund": refund,
        "quantity": quantity,
        **values,
    }


class TestThreeWayTool(BaseCase):
    def test_parts_within_the_received_quantity(self):
        [line] = three_way.assess(
            7, [row(5, 4.0), row(6, 3.0, posted=False), row(7, 3)]
        )
        self.assertEqual(line["basis"], "received")
        self.assertEqual(line["billable"], 10.0)
        self.assertEqual((line["posted"], line["draft"], line["now"]), (4, 3, 3))
        self.assertEqual((line["before"], line["billed"]), (7, 10))
        self.assertEqual(line["bills"], [5, 6])
        self.assertFalse(line["over"])

    def test_billing_above_the_received_quantity_and_credit_notes(self):
        [line] = three_way.assess(7, [row(5, 10.0), row(7, 0.5)])
        self.assertTrue(line["over"])
        # a credit note of the first bill gives its quantity back
        [line] = three_way.assess(
            7, [row(5, 10.0), row(6, 10.0, refund=True), row(7, 10)]
        )
        self.assertFalse(line["over"])
        self.assertEqual(line["before"], 0)

    def test_products_billed_on_ordered_quantities(self):
        rows = [row(5, 10.0, method="purchase"), row(7, 10.0, method="purchase")]
        [line] = three_way.assess(7, rows)
        self.assertEqual((line["basis"], line["billable"]), ("ordered", 20))
        self.assertFalse(line["over"])
        rows.append(row(6, 0.01, method="purchase"))
        self.assertTrue(three_way.assess(7, rows)[0]["over"])

    def test_a_line_over_billed_before_but_not_billed_now_is_no_signal(self):
        lines = three_way.assess(7, [row(5, 15.0), row(7, 4.0, line=2)])
        self.assertEqual([line["over"] for line in lines], [False, False])
        self.assertEqual(three_way.quantity(10.0), "10")
        self.assertEqual(three_way.quantity(2.5), "2.5")
