# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The shipped checks of vendor bills are answered after the save (the
scheduled action of the AI queue), so that saving a bill costs what it
costs without them; the refund risk of credit notes is still scored inside
the save, where an approval policy may rely on it."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid in (
        "gov_ai_account.gov_ai_use_case_bill_duplicate",
        "gov_ai_account.gov_ai_use_case_bill_anomaly",
    ):
        use_case = env.ref(xmlid, False)
        if use_case:
            use_case.answer_after_save = True
