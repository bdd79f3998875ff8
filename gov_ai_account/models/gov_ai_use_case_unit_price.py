# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Price variance in the amount check of vendor bills: each product line of
the bill is judged against the prices the vendor billed for that product
before, in the same unit and currency (``tools/unit_price.py``). A line far
above its usual price makes the bill unusual even when its total is not.
The lines, their products' names and their earlier prices are read in one
query."""

from odoo import models
from odoo.tools import SQL

from ..tools import unit_price

# Kinds of entries whose prices the counterpart sets.
PRICED_BY_VENDOR = frozenset({"in_invoice"})
# Most recent bills of the counterpart searched for earlier prices,
BILL_HISTORY = 500
# and most recent prices of one product kept of them.
PRICE_HISTORY = 50


class GovAiUseCase(models.Model):
    _inherit = "gov.ai.use.case"  # pylint: disable=consider-merging-classes-inherited

    def _anomaly_context(self, record, domain):
        context = super()._anomaly_context(record, domain)
        if (
            self.model_name != "account.move"
            or record.sudo().move_type not in PRICED_BY_VENDOR
        ):
            return context
        judged, names = [], {}
        for line_id, product_id, name, price, history in self._unit_price_rows(
            record, domain
        ):
            result = unit_price.assess(price, history)
            if result:
                names[product_id] = name
                judged.append(dict(result, line=line_id, product=product_id))
        if not judged:
            return context
        evidence = dict(context.get("evidence") or {})
        evidence["unit_prices"] = [
            {
                "line": line["line"],
                "product": names.get(line["product"]),
                "ratio": line["ratio"],
                "median": line["median"],
                "n": line["n"],
                "z": line["z"],
                "anomalous": line["anomalous"],
            }
            for line in judged
        ]
        context = dict(context, evidence=evidence, version=unit_price.VERSION)
        unusual = [line for line in judged if line["anomalous"]]
        if not unusual:
            return context
        worst = max(unusual, key=lambda line: line["z"])
        product = names.get(worst["product"])
        explanation = self.env._(
            "The unit price of %(product)s is %(ratio)s x the vendor's usual price"
            " for it (median %(median)s over %(n)s earlier lines, same unit and"
            " currency); robust z-score %(z)s against a limit of %(limit)s.",
            product=product,
            ratio=worst["ratio"],
            median=worst["median"],
            n=worst["n"],
            z=worst["z"],
            limit=unit_price.THRESHOLD,
        )
        if len(unusual) > 1:
            explanation += " " + self.env._(
                "%s lines in all are priced above their usual.", len(unusual)
            )
        return context | {
            "finding": {
                "score": worst["z"],
                "confidence": worst["confidence"],
                "summary": self.env._(
                    "Unit price of %(product)s at %(ratio)s x its usual",
                    product=product,
                    ratio=worst["ratio"],
                ),
                "explanation": explanation,
            }
        }

    def _unit_price_rows(self, record, domain):
        """``(line id, product id, product name, unit price, [earlier unit
        prices])`` of the product lines of ``record``, the earlier prices from
        the bills of ``domain`` (the counterpart's history), newest first."""
        Move = self._history()
        self.env["product.product"].flush_model(["default_code", "product_tmpl_id"])
        self.env["product.template"].flush_model(["name"])
        self.env["account.move.line"].flush_model(
            [
                "move_id",
                "display_type",
                "product_id",
                "product_uom_id",
                "currency_id",
                "price_unit",
                "quantity",
                "sequence",
            ]
        )
        bills = Move._search(domain, order="id desc", limit=BILL_HISTORY)
        return self.env.execute_query(
            SQL(
                """SELECT now.id, now.product_id,
                          concat_ws(' ', '[' || product.default_code || ']',
                                    coalesce(template.name ->> %(lang)s,
                                             template.name ->> 'en_US')),
                          now.price_unit,
                          ARRAY(SELECT past.price_unit
                                  FROM account_move_line past
                                 WHERE past.move_id IN %(bills)s
                                   AND past.product_id = now.product_id
                                   AND past.product_uom_id
                                       IS NOT DISTINCT FROM now.product_uom_id
                                   AND past.currency_id = now.currency_id
                                   AND past.display_type = 'product'
                                   AND past.price_unit > 0
                                   AND past.quantity > 0
                                 ORDER BY past.move_id DESC, past.id DESC
                                 LIMIT %(limit)s)
                     FROM account_move_line now
                     JOIN product_product product ON product.id = now.product_id
                     JOIN product_template template
                          ON template.id = product.product_tmpl_id
                    WHERE now.move_id = %(move)s
                      AND now.display_type = 'product'
                      AND now.product_id IS NOT NULL
                      AND now.price_unit > 0
                      AND now.quantity > 0
                    ORDER BY now.sequence, now.id""",
                bills=bills.subselect(),
                limit=PRICE_HISTORY,
                move=record.id,
                lang=self.env.lang or "en_US",
            )
        )
