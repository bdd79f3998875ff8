# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta

from odoo.fields import Command
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT


class GovAiAccountCase(AccountTestInvoicingCommon):
    """Real bills, invoices and credit notes of a fresh company, and the
    use cases shipped by the module."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        cls.company = cls.company_data["company"]
        cls.Recommendation = cls.env["gov.ai.recommendation"].sudo()
        cls.uc_duplicate = cls.env.ref("gov_ai_account.gov_ai_use_case_bill_duplicate")
        cls.uc_anomaly = cls.env.ref("gov_ai_account.gov_ai_use_case_bill_anomaly")
        cls.uc_risk = cls.env.ref("gov_ai_account.gov_ai_use_case_refund_risk")
        cls.today = date(2026, 6, 30)
        cls.invoicing_user = new_test_user(
            cls.env,
            login="gov_ai_acc_invoicing",
            groups="account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    @classmethod
    def day(cls, days_ago):
        return cls.today - timedelta(days=days_ago)

    @classmethod
    def move(cls, move_type, amount, *, partner=None, days_ago=0, post=False, **vals):
        return cls._create_invoice_one_line(
            price_unit=amount,
            tax_ids=cls.env["account.tax"],
            move_type=move_type,
            partner_id=partner or cls.partner_a,
            invoice_date=cls.day(days_ago),
            post=post,
            **vals,
        )

    @classmethod
    def bill(cls, amount, ref=None, **kwargs):
        return cls.move("in_invoice", amount, ref=ref, **kwargs)

    def recommendations(self, record, use_case=None):
        domain = [("res_model", "=", record._name), ("res_id", "=", record.id)]
        if use_case:
            domain.append(("use_case_id", "=", use_case.id))
        return self.Recommendation.search(domain)
