# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The three-way match in the duplicate check of vendor bills: a bill whose
lines come from purchase order lines is compared with what was received (or
ordered) and billed before. Another bill of the same order that stays within
those quantities is a part of it, not a duplicate; billing above them is
the real signal, whatever the references say. The quantities are read in
one query (``tools/three_way.py`` weighs them)."""

from odoo import models
from odoo.tools import SQL

from ..tools import three_way

# Score of a bill that bills more than was received or ordered.
OVER_BILLED_SCORE = 0.9


class GovAiUseCase(models.Model):
    _inherit = "gov.ai.use.case"

    def _duplicate_context(self, record, candidates):
        context = super()._duplicate_context(record, candidates)
        if self.model_name != "account.move":
            return context
        lines = self._purchase_match(record)
        if not lines:
            return context
        evidence = dict(context.get("evidence") or {})
        evidence["purchase_match"] = [
            {
                "order": line["order"],
                "product": line["product"],
                "basis": line["basis"],
                "billable": line["billable"],
                "billed_now": line["now"],
                "billed_before_posted": line["posted"],
                "billed_before_draft": line["draft"],
                "other_bills": line["bills"],
                "over_billed": line["over"],
            }
            for line in lines
        ]
        context = dict(context, evidence=evidence)
        over = [line for line in lines if line["over"]]
        if over:
            return context | {"finding": self._purchase_over_billed(over)}
        cleared = dict(context.get("cleared") or {})
        for line in lines:
            reason = self._purchase_part_reason(line)
            for bill_id in line["bills"]:
                cleared[bill_id] = "; ".join(
                    filter(None, [cleared.get(bill_id), reason])
                )
        note = self.env._(
            "Three-way match: %(lines)s, within what may be billed.",
            lines="; ".join(self._purchase_line_words(line) for line in lines),
        )
        return context | {
            "cleared": cleared,
            "note": " ".join(filter(None, [context.get("note"), note])),
        }

    def _purchase_match(self, record):
        """The purchase order lines ``record`` bills, with what was billed on
        them (see :func:`~odoo.addons.gov_ai_purchase.tools.three_way.assess`);
        empty for a bill without them and for credit notes."""
        Move = self._history()
        self.env["account.move.line"].flush_model(
            ["move_id", "purchase_line_id", "quantity", "product_uom_id"]
        )
        self.env["account.move"].flush_model(["state", "move_type"])
        self.env["purchase.order.line"].flush_model(
            ["order_id", "product_id", "name", "product_qty", "qty_received"]
        )
        as_asked = self._as_asked_domain(Move)
        scope = SQL()
        if not as_asked.is_true():
            scope = SQL(
                "AND (am.id = %s OR am.id IN %s)",
                record.id,
                Move._search(as_asked).subselect(),
            )
        rows = self.env.execute_query_dict(
            SQL(
                """
                SELECT pol.id AS line, po.name AS order,
                       split_part(pol.name, E'\\n', 1) AS product,
                       pt.purchase_method AS method, pol.product_qty AS ordered,
                       pol.qty_received AS received,
                       pol.product_uom_id AS line_uom, aml.move_id AS move,
                       am.state = 'posted' AS posted,
                       am.move_type = 'in_refund' AS refund,
                       aml.quantity, aml.product_uom_id AS bill_uom
                  FROM purchase_order_line pol
                  JOIN purchase_order po ON po.id = pol.order_id
                  LEFT JOIN product_product pp ON pp.id = pol.product_id
                  LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
                  JOIN account_move_line aml ON aml.purchase_line_id = pol.id
                  JOIN account_move am ON am.id = aml.move_id
                 WHERE pol.id IN (SELECT purchase_line_id FROM account_move_line
                                   WHERE move_id = %(move)s
                                     AND purchase_line_id IS NOT NULL)
                   AND pol.display_type IS NULL
                   AND NOT COALESCE(pol.is_downpayment, FALSE)
                   AND aml.display_type = 'product'
                   AND am.state != 'cancel'
                   AND am.move_type IN ('in_invoice', 'in_refund')
                   AND EXISTS (SELECT 1 FROM account_move own
                                WHERE own.id = %(move)s
                                  AND own.move_type = 'in_invoice')
                   %(scope)s
                 ORDER BY pol.id, aml.move_id
                """,
                move=record.id,
                scope=scope,
            )
        )
        if not rows:
            return []
        Uom = self.env["uom.uom"]
        for row in rows:
            row["quantity"] = row["quantity"] or 0.0
            if (
                row["bill_uom"]
                and row["line_uom"]
                and row["bill_uom"] != row["line_uom"]
            ):
                row["quantity"] = Uom.browse(row["bill_uom"])._compute_quantity(
                    row["quantity"], Uom.browse(row["line_uom"]), round=False
                )
        digits = self.env["decimal.precision"].precision_get("Product Unit")
        return three_way.assess(record.id, rows, digits=digits)

    @staticmethod
    def _purchase_line_values(line):
        """What the messages of the match say of one purchase order line."""
        values = {"order": line["order"], "product": line["product"]}
        values["part"] = len(line["bills"]) + 1
        for key in ("billed", "billable", "now", "before", "posted", "draft"):
            values[key] = three_way.quantity(line[key])
        return values

    def _purchase_line_words(self, line):
        """One purchase order line of the match, in words."""
        values = self._purchase_line_values(line)
        if line["basis"] == "ordered":
            return self.env._(
                "%(order)s %(product)s: %(billed)s of %(billable)s ordered units"
                " billed (%(now)s now)",
                **values,
            )
        return self.env._(
            "%(order)s %(product)s: %(billed)s of %(billable)s received units"
            " billed (%(now)s now)",
            **values,
        )

    def _purchase_part_reason(self, line):
        """Why another bill of the same purchase order line is no duplicate."""
        values = self._purchase_line_values(line)
        if line["basis"] == "ordered":
            return self.env._(
                "part %(part)s of %(order)s: %(before)s of %(billable)s ordered"
                " units billed before, %(now)s now",
                **values,
            )
        return self.env._(
            "part %(part)s of %(order)s: %(before)s of %(billable)s received"
            " units billed before, %(now)s now",
            **values,
        )

    def _purchase_over_billed(self, lines):
        """The finding of a bill that bills more than may be billed."""
        words = []
        for line in lines:
            values = self._purchase_line_values(line)
            if line["basis"] == "ordered":
                words.append(
                    self.env._(
                        "billed %(billed)s of %(billable)s ordered on %(order)s"
                        " line %(product)s (%(now)s now, %(posted)s on posted"
                        " and %(draft)s on draft bills before)",
                        **values,
                    )
                )
            else:
                words.append(
                    self.env._(
                        "billed %(billed)s of %(billable)s received on %(order)s"
                        " line %(product)s (%(now)s now, %(posted)s on posted"
                        " and %(draft)s on draft bills before)",
                        **values,
                    )
                )
        orders = ", ".join(dict.fromkeys(line["order"] for line in lines))
        reason = self.env._("billed on the same purchase order line")
        return {
            "score": OVER_BILLED_SCORE,
            "summary": self.env._("Billed above what %s allows", orders),
            "explanation": self.env._("Three-way match: %s.", "; ".join(words)),
            "similar_records": [
                {"id": bill_id, "reasons": [reason]}
                for bill_id in dict.fromkeys(
                    bill_id for line in lines for bill_id in line["bills"]
                )
            ],
        }
