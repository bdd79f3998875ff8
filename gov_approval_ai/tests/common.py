# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta

from odoo.fields import Command
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT


class GovApprovalAiCase(AccountTestInvoicingCommon):
    """A credit-note matrix whose small band asks the refund risk use case,
    and customers with a clean, a thin and a refund-heavy history."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        cls.company = cls.company_data["company"]
        cls.today = date(2026, 6, 30)
        cls.use_case = cls.env.ref("gov_ai_account.gov_ai_use_case_refund_risk")
        common = {
            "company_id": cls.company.id,
            "company_ids": [Command.set(cls.company.ids)],
        }
        approver = "account.group_account_invoice,gov_base.gov_base_group_approver"
        cls.accountant = new_test_user(
            cls.env,
            login="gai_accountant",
            groups="account.group_account_invoice,gov_base.gov_base_group_user",
            **common,
        )
        cls.store_manager = new_test_user(
            cls.env, login="gai_store", groups=approver, **common
        )
        cls.finance = new_test_user(
            cls.env, login="gai_finance", groups=approver, **common
        )
        cls.fraud = new_test_user(cls.env, login="gai_fraud", groups=approver, **common)
        cls.matrix_manager = new_test_user(
            cls.env,
            login="gai_matrix_manager",
            groups="gov_base.gov_base_group_matrix_manager",
            **common,
        )
        route = [
            Command.create(
                {
                    "sequence": sequence,
                    "name": name,
                    "approver_type": "user",
                    "user_ids": [Command.set(user.ids)],
                }
            )
            for sequence, name, user in (
                (10, "Store manager", cls.store_manager),
                (20, "Finance", cls.finance),
                (30, "Fraud review", cls.fraud),
            )
        ]
        cls.matrix = (
            cls.env["gov.approval.matrix"]
            .with_user(cls.matrix_manager)
            .create(
                {
                    "name": "Credit notes",
                    "action": "account.move:post_credit_note",
                    "company_id": cls.company.id,
                    "line_ids": [
                        Command.create(
                            {
                                "min_amount": 0,
                                "max_amount": 200,
                                "ai_use_case_id": cls.use_case.id,
                                "ai_max_score": 0.3,
                                "ai_min_confidence": 0.9,
                                "ai_low_impact": True,
                                "step_ids": route,
                            }
                        ),
                        Command.create({"min_amount": 200, "step_ids": route}),
                    ],
                }
            )
        )
        cls.matrix = cls.matrix.with_env(cls.env)
        cls.small_band, cls.large_band = cls.matrix.line_ids.sorted("min_amount")
        cls.clean_invoices = cls.invoices(cls.partner_a, 12, 1000.0, first=5)
        cls.thin_customer = cls.env["res.partner"].create({"name": "Thin history"})
        cls.thin_invoices = cls.invoices(cls.thin_customer, 2, 150.0, first=20)
        cls.refunder = cls.env["res.partner"].create({"name": "Frequent refunder"})
        cls.refunder_invoices = cls.invoices(cls.refunder, 10, 100.0, first=200)
        for days_ago in (10, 20, 30):
            cls.move("out_refund", 40.0, cls.refunder, days_ago=days_ago)

    @classmethod
    def move(cls, move_type, amount, partner, days_ago=0, **vals):
        return cls._create_invoice_one_line(
            price_unit=amount,
            tax_ids=cls.env["account.tax"],
            move_type=move_type,
            partner_id=partner,
            invoice_date=cls.today - timedelta(days=days_ago),
            **vals,
        )

    @classmethod
    def invoices(cls, partner, count, amount, first=0):
        moves = cls.env["account.move"]
        for index in range(count):
            moves |= cls.move(
                "out_invoice", amount, partner, days_ago=first + 10 * index, post=True
            )
        return moves

    def credit_note(self, amount, invoice, post=True):
        """A credit note the accountant makes for ``invoice`` and confirms."""
        note = (
            self.env["account.move"]
            .with_user(self.accountant)
            .create(
                {
                    "move_type": "out_refund",
                    "partner_id": invoice.partner_id.id,
                    "reversed_entry_id": invoice.id,
                    "invoice_date": self.today,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Refund",
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        if post:
            note.with_user(self.accountant).action_post()
        return note

    def request_of(self, move):
        return (
            self.env["gov.approval.request"]
            .sudo()
            .search(
                [("res_model", "=", move._name), ("res_id", "=", move.id)],
                order="id desc",
                limit=1,
            )
        )

    def policy_events(self, request):
        return (
            self.env["gov.audit.event"]
            .sudo()
            .search(
                [
                    ("res_model", "=", request._name),
                    ("res_id", "=", request.id),
                    ("event_type", "like", "approval.ai_policy_"),
                ]
            )
        )
