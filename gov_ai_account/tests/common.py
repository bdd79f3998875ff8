# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta

from odoo.fields import Command
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT


def run_ai_queue(case):
    """Answer the checks the rules queued, as Odoo's scheduler does once the
    save that queued them is committed (each call of the scheduled action in
    a transaction of its own: here, the test's)."""
    cron = case.env.ref("gov_ai.ir_cron_gov_ai_process")
    if type(case)._registry_patched:  # HTTP tests share their cursor already
        case.assertIs(cron.method_direct_trigger(), True)
    else:
        with case.enter_registry_test_mode():
            case.assertIs(cron.method_direct_trigger(), True)
    case.env.invalidate_all()


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

    def run_ai_queue(self):
        run_ai_queue(self)

    def recommendations(self, record, use_case=None):
        """The answers about ``record``, once the queued checks are answered."""
        self.run_ai_queue()
        domain = [("res_model", "=", record._name), ("res_id", "=", record.id)]
        if use_case:
            domain.append(("use_case_id", "=", use_case.id))
        return self.Recommendation.search(domain)
