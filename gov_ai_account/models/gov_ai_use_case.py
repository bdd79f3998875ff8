# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""AI use cases on journal entries: entries are compared with entries of
their own kind only, and customer credit notes get the refund risk detector
(its SQL aggregates here, its score in ``tools/refund_risk.py``)."""

from datetime import timedelta

from odoo import fields, models
from odoo.fields import Domain

from odoo.addons.gov_ai.tools import answers

from ..tools import refund_risk

# Refund type -> the invoice type it reverses.
REFUND_OF = {"out_refund": "out_invoice", "in_refund": "in_invoice"}


class GovAiUseCase(models.Model):
    _inherit = "gov.ai.use.case"

    history_days = fields.Integer(
        string="History Period (days)",
        default=365,
        help="Refund risk: the customer's invoices and credit notes of this"
        " period make the baseline.",
    )
    recent_days = fields.Integer(
        string="Recent Window (days)",
        default=90,
        help="Refund risk: other credit notes of the customer in this window"
        " count as recent.",
    )

    _refund_windows_positive = models.Constraint(
        "CHECK (history_days > 0 AND recent_days > 0)",
        "The history period and the recent window must be positive.",
    )

    def _company_domain(self, Model, record):
        """Journal entries are compared with entries of their own kind only
        (a bill with bills, never with customer invoices), cancelled ones
        left out; this scopes both duplicate candidates and baselines."""
        if Model._name != "account.move":
            return super()._company_domain(Model, record)
        # the two columns in one query, not the hundred of a bill
        record.sudo().fetch(["company_id", "move_type"])
        domain = super()._company_domain(Model, record)
        return (
            domain
            & Domain("move_type", "=", record.sudo().move_type)
            & Domain("state", "!=", "cancel")
        )

    # ------------------------------------------------------------------
    # Refund risk
    # ------------------------------------------------------------------
    def _gov_ai_detect(self, record, data):
        """Customer credit notes asked for a risk score get the refund risk."""
        self.ensure_one()
        if (
            self.task == "risk"
            and self.model_name == "account.move"
            and record.sudo().move_type in REFUND_OF
        ):
            return self._gov_ai_detect_refund_risk(record, data)
        return super()._gov_ai_detect(record, data)

    def _gov_ai_detect_refund_risk(self, record, data):
        """Score a credit note against the invoice it reverses and the
        customer's history, from the visible fields and SQL aggregates."""
        Move = self.env["account.move"].sudo().with_context(active_test=False)
        move = record.sudo()
        values = data["values"]
        amount_field = self.amount_field_id.name
        amount = abs(values.get(amount_field) or 0.0) if amount_field else 0.0
        day = self._role_value(data, "date_field_id")
        day = fields.Date.to_date(day[:10]) if day else fields.Date.context_today(move)

        # the reversed invoice, only when the use case may see the link
        invoice = Move.browse(values.get("reversed_entry_id") or ()).exists()
        invoice_amount = abs(invoice[amount_field]) if invoice and amount_field else 0
        invoice_day = invoice and (invoice.invoice_date or invoice.date)
        days_since = (day - invoice_day).days if invoice_day else None

        partner_ids = self._partner_identity(data)
        scope = Domain("company_id", "=", move.company_id.id)
        scope &= Domain("state", "!=", "cancel") & self._as_asked_domain(Move)
        period = Domain("invoice_date", ">", day - timedelta(days=self.history_days))
        period &= Domain("invoice_date", "<=", day)
        if partner_ids:
            customer = Domain("commercial_partner_id", "in", partner_ids)
        else:
            customer = Domain.FALSE
        invoice_count, invoiced_total = 0, 0.0
        if amount_field:
            [(invoice_count, invoiced_total)] = Move._read_group(
                scope
                & customer
                & period
                & Domain("move_type", "=", REFUND_OF[move.move_type])
                & Domain("state", "=", "posted"),
                aggregates=["__count", f"{amount_field}:sum"],
            )
        # posted ones only: a batch of drafts entered by one clerk is no
        # history of the customer
        credit_notes = Move._read_group(
            scope
            & customer
            & Domain("move_type", "=", move.move_type)
            & Domain("state", "=", "posted")
            & Domain("id", "!=", move.id)
            & Domain("date", ">", day - timedelta(days=self.history_days))
            & Domain("date", "<=", day),
            groupby=["date:day"],
            aggregates=["__count"],
        )
        recent_from = day - timedelta(days=self.recent_days)
        credit_note_count = sum(count for _day, count in credit_notes)
        recent = sum(count for when, count in credit_notes if when > recent_from)

        result = refund_risk.assess(
            amount,
            invoice_amount=invoice_amount,
            days_since_invoice=days_since,
            invoiced_total=invoiced_total or 0.0,
            invoice_count=invoice_count,
            credit_note_count=credit_note_count,
            recent_credit_notes=recent,
        )
        baseline = {
            "period_days": self.history_days,
            "recent_days": self.recent_days,
            "invoice_count": invoice_count,
            "invoiced_total": round(invoiced_total or 0.0, 2),
            "credit_note_count": credit_note_count,
            "recent_credit_notes": recent,
        }
        similar = [{"id": invoice.id, "model": "account.move"}] if invoice else []
        explanation = self.env._(
            "Refund risk %(score)s (%(level)s), prior %(prior)s log-odds; features:"
            " %(features)s. Baseline: %(count)s invoices totalling %(total)s and"
            " %(notes)s other credit notes (%(recent)s in the last %(days)s days)"
            " over %(period)s days.",
            score=result["score"],
            level=result["level"],
            prior=result["prior"],
            features="; ".join(refund_risk.describe(result["features"])),
            count=invoice_count,
            total=baseline["invoiced_total"],
            notes=credit_note_count,
            recent=recent,
            days=self.recent_days,
            period=self.history_days,
        )
        if invoice:
            explanation += " " + self.env._(
                "Reverses %(invoice)s of %(amount)s.",
                invoice=invoice.display_name,
                amount=invoice_amount,
            )
        return answers.build(
            result["level"],
            version=refund_risk.VERSION,
            score=result["score"],
            confidence=result["confidence"],
            # a low risk is no finding: nobody needs to look at it
            finding=result["level"] != "low",
            action="review",
            summary=self.env._(
                "Refund risk %(level)s (%(score)s)",
                level=result["level"],
                score=result["score"],
            ),
            explanation=explanation,
            evidence={
                "features": result["features"],
                "baseline": baseline,
                "similar_records": similar,
            },
        )
