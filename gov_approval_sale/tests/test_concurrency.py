# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A sales order changed while its last approval lands, in two real
transactions. The rows these tests commit are removed again at the end."""

import uuid

from odoo import SUPERUSER_ID, api
from odoo.fields import Command
from odoo.tests import TransactionCase, tagged

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT
from odoo.addons.gov_approval.tools.engine import approval_writes, technical_bypass
from odoo.addons.gov_base.tests.transactions import interleaved


@tagged("post_install", "-at_install")
class TestSaleConcurrency(TransactionCase):
    def setUp(self):
        super().setUp()
        self.tag = f"salc{uuid.uuid4().hex[:8]}"
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, DISABLED_MAIL_CONTEXT)
            Users = env["res.users"].with_context(no_reset_password=True)
            groups = [
                Command.set(
                    [
                        env.ref("sales_team.group_sale_salesman").id,
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
                    for n in range(3)
                ]
            )
            self.salesperson, *self.approvers = users.ids
            product = env["product.product"].create(
                {"name": self.tag, "type": "service", "standard_price": 1}
            )
            matrix = env["gov.approval.matrix"].create(
                {
                    "name": self.tag,
                    "action": "sale.order:confirm",
                    "company_id": env.company.id,
                    "sequence": 0,
                    "domain": f"[('client_order_ref', '=', '{self.tag}')]",
                    "line_ids": [
                        Command.create(
                            {
                                "min_amount": 0,
                                "step_ids": [
                                    Command.create(
                                        {
                                            "name": "Both",
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
                env["sale.order"]
                .with_user(self.salesperson)
                .create(
                    {
                        "partner_id": env.user.partner_id.id,
                        "client_order_ref": self.tag,
                        "order_line": [
                            Command.create(
                                {
                                    "product_id": product.id,
                                    "product_uom_qty": 1,
                                    "price_unit": 50,
                                    "tax_ids": [Command.clear()],
                                }
                            )
                        ],
                    }
                )
            )
            order.action_confirm()
            self.order_id = order.id
            self.request_id = self._request(env).id
            self.product_id = product.id
        self.addCleanup(self._cleanup)
        self._approve_as(self.approvers[1])

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            Request = env["gov.approval.request"]
            with approval_writes():
                Request.search([("matrix_id", "=", self.matrix_id)]).unlink()
            order = env["sale.order"].browse(self.order_id)
            with technical_bypass(Request.env, "test cleanup"):
                order._action_cancel()
            order.unlink()
            env["gov.approval.matrix"].browse(self.matrix_id).unlink()
            env["product.product"].browse(self.product_id).active = False
            env["res.users"].browse([self.salesperson, *self.approvers]).active = False

    def _interleaved(self, first, second):
        """``first`` and ``second`` = (user id, act): both transactions read
        the request, ``second`` acts and commits, then ``first`` acts on its
        older snapshot. Returns ``{"first": error, "second": error}``."""

        def read(env):
            return self._request(env).state

        def side(user_id, act):
            return (user_id, read, lambda env, _state: act(env))

        return interleaved(self.registry, side(*first), side(*second))

    def _request(self, env):
        return env["gov.approval.request"].search(
            [("res_model", "=", "sale.order"), ("res_id", "=", self.order_id)],
            order="id desc",
            limit=1,
        )

    def _approve_as(self, user_id):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, user_id, DISABLED_MAIL_CONTEXT)
            self._request(env)._decide("approve")

    def _approve_last(self, env):
        """The last approver decides the request read before."""
        env["gov.approval.request"].browse(self.request_id)._decide("approve")

    def _change_discount(self, env):
        order = env["sale.order"].browse(self.order_id)
        order.order_line.write({"discount": 40})

    def test_a_discount_raised_while_the_last_approval_lands(self):
        """The approval of the old discount never confirms the new one."""
        outcome = self._interleaved(
            (self.approvers[0], self._approve_last),
            (self.salesperson, self._change_discount),
        )
        self.assertIsNone(outcome["second"])
        self.assertIn("no longer waiting", str(outcome["first"]))
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            order = env["sale.order"].browse(self.order_id)
            self.assertEqual((order.state, order.gov_max_discount), ("draft", 40))
            self.assertEqual(self._request(env).state, "superseded")

    def test_an_approval_that_lands_first_locks_the_order(self):
        """The last approval commits first: the discount that follows is
        refused, the order stays confirmed as approved."""
        outcome = self._interleaved(
            (self.salesperson, self._change_discount),
            (self.approvers[0], self._approve_last),
        )
        self.assertIsNone(outcome["second"])
        self.assertIn("approv", str(outcome["first"]))
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            order = env["sale.order"].browse(self.order_id)
            self.assertEqual((order.state, order.gov_max_discount), ("sale", 0))
            request = self._request(env)
            self.assertTrue(request.action_done)
            self.assertTrue(request._seal_holds())
