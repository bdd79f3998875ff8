# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.fields import Command
from odoo.tests import TransactionCase, new_test_user

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT

TESTER_GROUP = "gov_approval_test.gov_approval_test_group_user"
REQUESTER = f"{TESTER_GROUP},gov_base.gov_base_group_user"
APPROVER = f"{TESTER_GROUP},gov_base.gov_base_group_approver"


class TesterCase(TransactionCase):
    """A matrix of tester documents, its people, and helpers.

    Bands: under 1,000 nothing; 1,000 to 10,000 one manager; from 10,000 a
    manager, then the director (reason required).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        cls.company = cls.env.company
        cls.requester = new_test_user(cls.env, login="tst_requester", groups=REQUESTER)
        cls.manager = new_test_user(cls.env, login="tst_manager", groups=APPROVER)
        cls.manager_2 = new_test_user(cls.env, login="tst_manager_2", groups=APPROVER)
        cls.director = new_test_user(cls.env, login="tst_director", groups=APPROVER)
        cls.board = [
            new_test_user(cls.env, login=f"tst_board_{n}", groups=APPROVER)
            for n in range(3)
        ]
        cls.matrix_manager = new_test_user(
            cls.env,
            login="tst_matrix_manager",
            groups="gov_base.gov_base_group_matrix_manager",
        )
        cls.partner = cls.env["res.partner"].create({"name": "Tester Partner"})
        cls.partner_2 = cls.env["res.partner"].create({"name": "Other Partner"})
        cls.Request = cls.env["gov.approval.request"]
        cls.matrix = cls.make_matrix(
            [
                (0, 1000, []),
                (1000, 10000, [cls.step("Manager", cls.manager)]),
                (
                    10000,
                    0,
                    [
                        cls.step("Manager", cls.manager, sequence=10),
                        cls.step(
                            "Director",
                            cls.director,
                            sequence=20,
                            rationale_required=True,
                        ),
                    ],
                ),
            ]
        )

    @classmethod
    def step(cls, name, users, sequence=10, **extra):
        users = users if isinstance(users, list) else [users]
        return {
            "name": name,
            "sequence": sequence,
            "approver_type": "user",
            "user_ids": [Command.set([u.id for u in users])],
            **extra,
        }

    @classmethod
    def make_matrix(cls, bands, **vals):
        return cls.env["gov.approval.matrix"].create(
            {
                "name": vals.pop("name", "Test tester matrix"),
                "action": "gov.approval.tester:confirm",
                "company_id": cls.company.id,
                "line_ids": [
                    Command.create(
                        {
                            "sequence": index,
                            "min_amount": low,
                            "max_amount": high,
                            "step_ids": [Command.create(step) for step in steps],
                        }
                    )
                    for index, (low, high, steps) in enumerate(bands)
                ],
                **vals,
            }
        )

    def make_doc(self, amount, user=None, currency=None, partner=None, **vals):
        """A draft tester document of ``amount``, in one line."""
        vals = {
            "name": vals.pop("name", f"Tester {amount}"),
            "partner_id": (partner or self.partner).id,
            "line_ids": [
                Command.create({"name": "Widget", "quantity": 1, "price_unit": amount})
            ],
            **vals,
        }
        if currency:
            vals["currency_id"] = currency.id
        Tester = self.env["gov.approval.tester"]
        return Tester.with_user(user or self.requester).create(vals).with_env(self.env)

    def confirm(self, doc, user=None):
        return doc.with_user(user or self.requester).action_confirm()

    def request_of(self, doc):
        return self.Request.search(
            [("res_model", "=", doc._name), ("res_id", "=", doc.id)],
            order="id desc",
            limit=1,
        )

    def decide(self, doc, user, decision="approve", reason=None):
        return self.request_of(doc).with_user(user)._decide(decision, reason)
