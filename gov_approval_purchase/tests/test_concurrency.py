# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Two approvers deciding the same step at the same moment, for real.

The rows these tests commit are removed again at the end.
"""

import threading
import uuid

from odoo import SUPERUSER_ID, api
from odoo.fields import Command
from odoo.service.model import retrying
from odoo.tests import TransactionCase, tagged

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT
from odoo.addons.gov_approval.tools.engine import approval_writes, technical_bypass


@tagged("post_install", "-at_install")
class TestDecisionConcurrency(TransactionCase):
    def setUp(self):
        super().setUp()
        self.tag = f"conc{uuid.uuid4().hex[:8]}"
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, DISABLED_MAIL_CONTEXT)
            Users = env["res.users"].with_context(no_reset_password=True)
            groups = [
                Command.set(
                    [
                        env.ref("purchase.group_purchase_user").id,
                        env.ref("gov_base.gov_base_group_approver").id,
                    ]
                )
            ]
            users = Users.create(
                [
                    {
                        "name": f"{self.tag} {n}",
                        "login": f"{self.tag}_{n}",
                        "group_ids": groups,
                    }
                    for n in range(4)
                ]
            )
            self.requester, *self.approvers = users.ids
            product = env["product.product"].create({"name": self.tag, "type": "consu"})
            matrix = env["gov.approval.matrix"].create(
                {
                    "name": self.tag,
                    "action": "purchase.order:confirm",
                    "company_id": env.company.id,
                    "sequence": 0,
                    "domain": f"[('partner_ref', '=', '{self.tag}')]",
                    "line_ids": [
                        Command.create(
                            {
                                "min_amount": 0,
                                "step_ids": [
                                    Command.create(
                                        {
                                            "name": "Two of three",
                                            "user_ids": [Command.set(self.approvers)],
                                            "min_approvals": 2,
                                        }
                                    )
                                ],
                            }
                        )
                    ],
                }
            )
            self.matrix_id = matrix.id
            order = (
                env["purchase.order"]
                .with_user(self.requester)
                .create(
                    {
                        "partner_id": env.user.partner_id.id,
                        "partner_ref": self.tag,
                        "order_line": [
                            Command.create(
                                {
                                    "product_id": product.id,
                                    "product_qty": 1,
                                    "price_unit": 50,
                                }
                            )
                        ],
                    }
                )
            )
            order.button_confirm()
            self.order_id = order.id
            self.product_id = product.id
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            Request = env["gov.approval.request"]
            with approval_writes():
                Request.search([("matrix_id", "=", self.matrix_id)]).unlink()
            order = env["purchase.order"].browse(self.order_id)
            with technical_bypass(Request.env, "test cleanup"):
                order.button_cancel()
            order.unlink()
            env["gov.approval.matrix"].browse(self.matrix_id).unlink()
            env["product.product"].browse(self.product_id).active = False
            env["res.users"].browse([self.requester, *self.approvers]).active = False

    def _decide_in_thread(self, user_id, barrier, errors):
        tries = []

        def attempt(env):
            request = env["gov.approval.request"].search(
                [("res_model", "=", "purchase.order"), ("res_id", "=", self.order_id)],
                limit=1,
            )
            if not tries:
                # both transactions have read the request before either decides
                barrier.wait(timeout=30)
            tries.append(1)
            request._decide("approve")

        def run():
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, user_id, DISABLED_MAIL_CONTEXT)
                    retrying(lambda: attempt(env), env)
            except Exception as error:  # reported by the assertion below
                errors.append(error)

        return threading.Thread(target=run)

    def test_two_approvers_at_once_are_counted_exactly(self):
        errors = []
        barrier = threading.Barrier(2)
        threads = [
            self._decide_in_thread(uid, barrier, errors) for uid in self.approvers[:2]
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        self.assertFalse(errors, errors)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            request = env["gov.approval.request"].search(
                [("res_model", "=", "purchase.order"), ("res_id", "=", self.order_id)]
            )
            self.assertEqual(len(request), 1)
            self.assertEqual(request.state, "approved")
            self.assertEqual(request.step_ids.approved_count, 2)
            self.assertEqual(len(request.decision_ids), 2)
            self.assertEqual(
                env["purchase.order"].browse(self.order_id).state, "purchase"
            )
