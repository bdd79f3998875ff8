# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The bill checks still run through the AI engine when bills are created and
corrected over RPC, and an administrator's code cannot change their answers."""

from datetime import date

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon
from odoo.addons.gov_exception.tests.common import AdminCodeActionMixin

from .common import run_ai_queue

BILL_DATE = date(2026, 6, 30)


@tagged("post_install", "-at_install")
class TestBillChecksThroughTheEngine(
    AdminCodeActionMixin, AccountTestInvoicingHttpCommon
):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.env.ref("base.user_admin").write(
            {
                "company_ids": [Command.link(cls.company.id)],
                "company_id": cls.company.id,
            }
        )
        cls.clerk = new_test_user(
            cls.env,
            login="gov_ai_acc_clerk",
            password="gov_ai_acc_clerk",
            groups="account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.auditor = new_test_user(
            cls.env,
            login="gov_ai_acc_engine_auditor",
            groups="account.group_account_readonly,gov_base.gov_base_group_auditor",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.original = cls._create_invoice_one_line(
            price_unit=410.0,
            tax_ids=cls.env["account.tax"],
            move_type="in_invoice",
            ref="REF-0007",
            invoice_date=BILL_DATE,
            post=True,
        )
        cls.uc_duplicate = cls.env.ref("gov_ai_account.gov_ai_use_case_bill_duplicate")

    def clerk_call(self, method, args):
        self.authenticate("gov_ai_acc_clerk", "gov_ai_acc_clerk")
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/account.move/{method}",
            {"model": "account.move", "method": method, "args": args, "kwargs": {}},
        )

    def clerk_bill(self, ref):
        bill_id = self.clerk_call(
            "create",
            [
                {
                    "move_type": "in_invoice",
                    "partner_id": self.partner_a.id,
                    "ref": ref,
                    "invoice_date": str(BILL_DATE),
                    "invoice_line_ids": [
                        Command.create({"name": "Paper", "price_unit": 410.0})
                    ],
                }
            ],
        )
        return self.env["account.move"].browse(bill_id)

    def duplicate_checks(self, bill):
        run_ai_queue(self)
        return (
            self.env["gov.ai.recommendation"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "account.move"),
                    ("res_id", "=", bill.id),
                    ("use_case_id", "=", self.uc_duplicate.id),
                ],
                order="id",
            )
        )

    def test_rules_check_bills_created_and_corrected_over_rpc(self):
        twin = self.clerk_bill("ref 7")
        first = self.duplicate_checks(twin)
        self.assertEqual(first.state, "proposed")
        self.assertEqual(first.label, "duplicate")
        # corrected by the clerk: the open answer is outdated, a new one made
        self.clerk_call("write", [twin.ids, {"ref": "INV-2026-55"}])
        first, second = self.duplicate_checks(twin)
        self.assertEqual(first.state, "outdated")
        self.assertEqual(second.input_data["values"]["ref"], "INV-2026-55")
        # corrected by an administrator's code: the rule still asks the engine
        answer = self.run_code_as_admin("record.write({'ref': 'REF 7'})", twin)
        self.assertNotIn("error", answer)
        checks = self.duplicate_checks(twin)
        self.assertEqual(len(checks), 3)
        self.assertEqual(checks[-1].state, "proposed")
        self.assertEqual(checks[-1].input_data["values"]["ref"], "REF 7")

    def test_administrator_code_cannot_change_the_answers(self):
        twin = self.clerk_bill("ref 7")
        run_ai_queue(self)
        answers = (
            self.env["gov.ai.recommendation"]
            .sudo()
            .search([("res_model", "=", "account.move"), ("res_id", "=", twin.id)])
        )
        self.assertEqual(len(answers), 2)
        self.env.invalidate_all()
        before = answers.read(["state", "confidence", "label"])
        found = (
            "env['gov.ai.recommendation'].sudo().search("
            "[('res_model', '=', 'account.move'), ('res_id', '=', record.id)])"
        )
        guard = "written by the suite's engine only"
        vals = {
            "use_case_id": self.uc_duplicate.id,
            "res_model": "account.move",
            "res_id": twin.id,
            "company_id": self.company.id,
            "state": "accepted",
        }
        for code in (
            f"{found}.write({{'state': 'outdated'}})",
            f"{found}.write({{'confidence': 0.0, 'label': 'unique'}})",
            f"{found}[:1]._complete({{'state': 'clear', 'confidence': 1.0}})",
            f"{found}._outdate()",
            f"{found}._record_decisions('rejected', 'no duplicate', False)",
            f"{found}.unlink()",
            f"env['gov.ai.recommendation'].sudo().create({vals!r})",
        ):
            with self.subTest(code=code):
                self.assertRefused(self.run_code_as_admin(code, twin), guard)
                self.env.invalidate_all()
                self.assertEqual(answers.read(["state", "confidence", "label"]), before)
        self.assertEqual(twin.gov_ai_recommendation_count, 2)
        self.assertTrue(twin.gov_ai_duplicate_hint)

    def test_auditors_change_nothing(self):
        twin = self.clerk_bill("ref 7")
        answer = self.duplicate_checks(twin).with_user(self.auditor)
        answer.read(["state", "explanation"])
        use_case = self.uc_duplicate.with_user(self.auditor)
        attempts = [
            lambda: answer.action_accept(),
            lambda: answer.action_open_reject(),
            lambda: answer._decide("rejected", reason="audit"),
            lambda: answer.write({"state": "rejected"}),
            lambda: answer.unlink(),
            lambda: use_case.write({"review_threshold": 0.99}),
            lambda: use_case.write({"active": False}),
            lambda: use_case.unlink(),
            lambda: use_case.copy(),
        ]
        for index, attempt in enumerate(attempts):
            with self.subTest(index=index), self.assertRaises(AccessError):
                attempt()
        self.assertEqual(answer.sudo().state, "proposed")
        self.assertTrue(self.uc_duplicate.sudo().active)
