# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The shipped refund risk rule scores draft credit notes again when they
change (a full reversal is often cut down after it was made), and the
shipped amount check sees the bill date (the month of the year of seasonal
vendors); what was changed since it was shipped is left as its owner set
it."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    _amount_check_sees_the_date(env)
    _refund_risk_on_edit(env)


def _amount_check_sees_the_date(env):
    use_case = env.ref("gov_ai_account.gov_ai_use_case_bill_anomaly", False)
    if not use_case or use_case.date_field_id:
        return
    invoice_date = env.ref("account.field_account_move__invoice_date")
    use_case.write(
        {"field_ids": [(4, invoice_date.id)], "date_field_id": invoice_date.id}
    )


def _refund_risk_on_edit(env):
    rule = env.ref("gov_ai_account.base_automation_refund_risk", False)
    if not rule or rule.trigger != "on_create":
        return
    rule.write(
        {
            "trigger": "on_create_or_write",
            "trigger_field_ids": [
                (
                    6,
                    0,
                    [
                        env.ref(f"account.field_account_move__{name}").id
                        for name in (
                            "partner_id",
                            "invoice_date",
                            "invoice_line_ids",
                            "reversed_entry_id",
                        )
                    ],
                )
            ],
            "filter_domain": (
                "[('move_type', '=', 'out_refund'), ('state', '=', 'draft')]"
            ),
        }
    )
