# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.fields import Command

from odoo.addons.gov_ai_account.tests.common import GovAiAccountCase


class PurchaseBillCase(GovAiAccountCase):
    """Confirmed purchase orders of a fresh company, received and billed as
    the purchase flow does it, and the duplicate check of vendor bills."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env["product.product"].create(
            {
                "name": "Desk",
                "default_code": "DESK",
                "type": "consu",
                "purchase_method": "receive",
                "supplier_taxes_id": [Command.clear()],
            }
        )
        cls.service = cls.env["product.product"].create(
            {
                "name": "Assembly",
                "default_code": "ASM",
                "type": "service",
                "purchase_method": "purchase",
                "supplier_taxes_id": [Command.clear()],
            }
        )

    def order(self, quantity=20.0, product=None, price=50.0, lines=1):
        order = self.env["purchase.order"].create(
            {
                "partner_id": self.partner_a.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": (product or self.product).id,
                            "product_qty": quantity,
                            "price_unit": price + index,
                            "tax_ids": [Command.clear()],
                        }
                    )
                    for index in range(lines)
                ],
            }
        )
        order.button_confirm()
        self.assertEqual(order.state, "purchase")
        return order

    def receive(self, order, quantity):
        """Bring the received quantity of each line of ``order`` to
        ``quantity``: by validating the receipt when the inventory is
        installed, else by hand, as the purchase flow asks then."""
        for line in order.order_line:
            if line.qty_received_method == "manual":
                line.qty_received = quantity
                continue
            move = line.move_ids.filtered(lambda m: m.state not in ("done", "cancel"))
            move.quantity = quantity - line.qty_received
            move.picked = True
            picking = move.picking_id
            picking._action_done()
        self.assertEqual(set(order.order_line.mapped("qty_received")), {quantity})

    def bill_from(self, order, ref, quantity=None, days_ago=0, post=False):
        """A bill made by the order's *Create Bill* button, for what is left
        to bill or ``quantity``."""
        action = order.action_create_invoice()
        bill = self.env["account.move"].browse(action["res_id"])
        if quantity is not None:
            bill.invoice_line_ids.quantity = quantity
        bill.write({"ref": ref, "invoice_date": self.day(days_ago)})
        if post:
            bill.action_post()
        return bill

    def bill_by_hand(self, order, ref, quantity, days_ago=0, post=False):
        """A bill of the order's line entered by hand (*Create Bill* has
        nothing left to bill once the received quantity is billed)."""
        lines = []
        for line in order.order_line:
            vals = line._prepare_account_move_line()
            vals["quantity"] = quantity
            lines.append(Command.create(vals))
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": order.partner_id.id,
                "ref": ref,
                "invoice_date": self.day(days_ago),
                "invoice_line_ids": lines,
            }
        )
        if post:
            bill.action_post()
        return bill

    def detect(self, bill):
        """The duplicate check's answer about ``bill``."""
        use_case = self.uc_duplicate.sudo()
        data, _fingerprint = use_case._minimised_input(bill)
        return use_case._gov_ai_detect(bill, data)

    def similar(self, answer):
        return [row["id"] for row in answer["evidence"]["similar_records"]]
