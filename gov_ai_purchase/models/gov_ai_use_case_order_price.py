# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The price side of the three-way match in the amount check of vendor
bills: each line that bills a purchase order line is compared with the
order's net price, in the bill line's unit (``tools/order_price.py``). A
line billed above the ordered price beyond the use case's tolerance makes
the bill unusual, whatever its total and the vendor's history say. The
lines and their order lines are read in one query."""

from odoo import fields, models
from odoo.tools import SQL

from ..tools import order_price

# Confidence of a price above the order's: a fact read off two documents.
ABOVE_ORDER_CONFIDENCE = 0.95


class GovAiUseCase(models.Model):
    _inherit = "gov.ai.use.case"  # pylint: disable=consider-merging-classes-inherited

    order_price_tolerance = fields.Float(
        string="Price Above Order Tolerance",
        default=0.02,
        digits=(5, 4),
        help="Unusual amounts of vendor bills: a bill line priced above its"
        " purchase order line by more than this share (0.02: 2 %) is a"
        " finding.",
    )

    _order_price_tolerance_positive = models.Constraint(
        "CHECK (order_price_tolerance >= 0)",
        "The tolerance of prices above the order cannot be negative.",
    )

    def _anomaly_context(self, record, domain):
        context = super()._anomaly_context(record, domain)
        if self.model_name != "account.move":
            return context
        judged = []
        for row in self._order_price_rows(record):
            result = order_price.assess(
                row["billed"], row["ordered"], self.order_price_tolerance
            )
            if result:
                judged.append(row | result)
        if not judged:
            return context
        evidence = dict(context.get("evidence") or {})
        evidence["order_prices"] = [
            {
                "line": row["line"],
                "order": row["order"],
                "product": row["product"],
                "ordered": round(row["ordered"], 6),
                "billed": round(row["billed"], 6),
                "ratio": row["ratio"],
                "above": row["above"],
            }
            for row in judged
        ]
        version = "+".join(filter(None, [context.get("version"), order_price.VERSION]))
        context = dict(context, evidence=evidence, version=version)
        above = [row for row in judged if row["above"]]
        if not above:
            return context
        explanation = self.env._(
            "Billed above the purchase order: %(lines)s (tolerance %(tolerance)s %%).",
            lines="; ".join(
                self.env._(
                    "%(order)s %(product)s at %(billed)s a unit for %(ordered)s"
                    " ordered (%(ratio)s x)",
                    order=row["order"],
                    product=row["product"],
                    billed=round(row["billed"], 4),
                    ordered=round(row["ordered"], 4),
                    ratio=row["ratio"],
                )
                for row in above
            ),
            tolerance=round(self.order_price_tolerance * 100, 2),
        )
        worst = max(above, key=lambda row: row["ratio"])
        finding = {
            "score": worst["ratio"],
            "confidence": ABOVE_ORDER_CONFIDENCE,
            "summary": self.env._(
                "Billed above %(order)s: %(product)s at %(ratio)s x the ordered price",
                order=worst["order"],
                product=worst["product"],
                ratio=worst["ratio"],
            ),
            "explanation": explanation,
        }
        earlier = context.get("finding")
        if earlier:
            # the order's price leads: it is a fact, the history a likelihood
            finding["score"] = max(finding["score"], earlier["score"])
            finding["explanation"] += " " + earlier["explanation"]
        return context | {"finding": finding}

    def _order_price_rows(self, record):
        """The lines of ``record`` that bill a purchase order line in the
        order's currency, with the order, the product and both net unit
        prices per the bill line's unit (``billed``, ``ordered``)."""
        self.env["account.move.line"].flush_model(
            [
                "move_id",
                "display_type",
                "purchase_line_id",
                "price_unit",
                "discount",
                "product_uom_id",
                "currency_id",
                "sequence",
            ]
        )
        self.env["purchase.order.line"].flush_model(
            ["order_id", "name", "price_unit", "discount", "product_uom_id"]
        )
        self.env["purchase.order"].flush_model(["name", "currency_id"])
        rows = self.env.execute_query_dict(
            SQL(
                """SELECT aml.id AS line, po.name AS order,
                          split_part(pol.name, E'\\n', 1) AS product,
                          aml.price_unit AS bill_price, aml.discount AS bill_discount,
                          aml.product_uom_id AS bill_uom,
                          pol.price_unit AS order_price,
                          pol.discount AS order_discount,
                          pol.product_uom_id AS order_uom
                     FROM account_move_line aml
                     JOIN account_move am ON am.id = aml.move_id
                     JOIN purchase_order_line pol ON pol.id = aml.purchase_line_id
                     JOIN purchase_order po ON po.id = pol.order_id
                    WHERE aml.move_id = %s
                      AND am.move_type = 'in_invoice'
                      AND aml.display_type = 'product'
                      AND pol.display_type IS NULL
                      AND NOT COALESCE(pol.is_downpayment, FALSE)
                      AND po.currency_id = aml.currency_id
                    ORDER BY aml.sequence, aml.id""",
                record.id,
            )
        )
        Uom = self.env["uom.uom"]
        for row in rows:
            ordered = order_price.net(row["order_price"], row["order_discount"])
            if (
                row["bill_uom"]
                and row["order_uom"]
                and row["bill_uom"] != row["order_uom"]
            ):
                ordered = Uom.browse(row["order_uom"])._compute_price(
                    ordered, Uom.browse(row["bill_uom"])
                )
            row["ordered"] = ordered
            row["billed"] = order_price.net(row["bill_price"], row["bill_discount"])
        return rows
