# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.fields import Command

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT
from odoo.addons.gov_approval.tests.common import company_user, latest_request


class BillCase(AccountTestInvoicingCommon):
    """A bill matrix (controller from 5,000; every vendor refund) and a
    credit note matrix, with an accountant and a controller."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        company = cls.company_data["company"]
        cls.accountant = company_user(
            cls.env,
            company,
            "apr_accountant",
            "account.group_account_invoice,gov_base.gov_base_group_user",
        )
        cls.controller = company_user(
            cls.env,
            company,
            "apr_controller",
            "account.group_account_invoice,gov_base.gov_base_group_approver",
        )
        step = {
            "name": "Controller",
            "approver_type": "user",
            "user_ids": [Command.set(cls.controller.ids)],
        }
        cls.bill_matrix = (
            cls.env["gov.approval.matrix"]
            .sudo()
            .create(
                {
                    "name": "Bills",
                    "action": "account.move:post_bill",
                    "company_id": company.id,
                    "line_ids": [
                        Command.create({"min_amount": 0, "max_amount": 5000}),
                        Command.create(
                            {"min_amount": 5000, "step_ids": [Command.create(step)]}
                        ),
                        Command.create(
                            {
                                "min_amount": 0,
                                "domain": "[('move_type', '=', 'in_refund')]",
                                "step_ids": [Command.create(step)],
                            }
                        ),
                    ],
                }
            )
        )
        cls.refund_matrix = (
            cls.env["gov.approval.matrix"]
            .sudo()
            .create(
                {
                    "name": "Credit notes",
                    "action": "account.move:post_credit_note",
                    "company_id": company.id,
                    "line_ids": [
                        Command.create(
                            {"min_amount": 100, "step_ids": [Command.create(step)]}
                        )
                    ],
                }
            )
        )

    def bill(self, amount, move_type="in_invoice"):
        return (
            self.env["account.move"]
            .with_user(self.accountant)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": self.partner_a.id,
                    "invoice_date": "2026-01-15",
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Service",
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )

    def request_of(self, move):
        return latest_request(self.env(su=True), move)
