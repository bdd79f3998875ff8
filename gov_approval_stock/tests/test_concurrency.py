# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A count changed while its approval lands, in two real transactions. The
rows these tests commit are removed again at the end."""

import uuid

from odoo import SUPERUSER_ID, api
from odoo.fields import Command
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT
from odoo.addons.gov_approval.tools.engine import approval_writes
from odoo.addons.gov_base.tests.transactions import interleaved


@tagged("post_install", "-at_install")
class TestStockConcurrency(TransactionCase):
    def setUp(self):
        super().setUp()
        self.tag = f"stkc{uuid.uuid4().hex[:8]}"
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, DISABLED_MAIL_CONTEXT)
            Users = env["res.users"].with_context(no_reset_password=True)
            users = Users.create(
                [
                    {
                        "name": f"{self.tag} {n}",
                        "login": f"{self.tag}_{n}",
                        "group_ids": [
                            Command.set(
                                [
                                    env.ref("stock.group_stock_user").id,
                                    env.ref("gov_base.gov_base_group_approver").id,
                                ]
                            )
                        ],
                    }
                    for n in range(2)
                ]
            )
            self.keeper, self.approver = users.ids
            product = env["product.product"].create(
                {"name": self.tag, "is_storable": True, "standard_price": 100}
            )
            stock = (
                env["stock.warehouse"]
                .search([("company_id", "=", env.company.id)], limit=1)
                .lot_stock_id
            )
            env["stock.quant"]._update_available_quantity(product, stock, 10)
            quant = env["stock.quant"].search([("product_id", "=", product.id)])
            matrix = env["gov.approval.matrix"].create(
                {
                    "name": self.tag,
                    "action": "gov.stock.adjustment:apply",
                    "company_id": env.company.id,
                    "sequence": 0,
                    "domain": f"[('line_ids.product_id.name', '=', '{self.tag}')]",
                    "line_ids": [
                        Command.create(
                            {
                                "min_amount": 0,
                                "step_ids": [
                                    Command.create(
                                        {
                                            "name": "Approver",
                                            "user_ids": [Command.set([self.approver])],
                                        }
                                    )
                                ],
                            }
                        )
                    ],
                }
            )
            quant = quant.with_user(self.keeper).with_context(inventory_mode=True)
            quant.inventory_quantity = 20
            quant.action_apply_inventory()
            self.matrix_id, self.product_id, self.quant_id = (
                matrix.id,
                product.id,
                quant.id,
            )
            self.request_id = self._request(env).id
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            Request = env["gov.approval.request"]
            with approval_writes():
                Request.search([("matrix_id", "=", self.matrix_id)]).unlink()
            adjustments = env["gov.stock.adjustment"].search(
                [("line_ids.product_id", "=", self.product_id)]
            )
            # the inventory moves and quants of the test product, done for real
            for table, column in (
                ("stock_move_line", "product_id"),
                ("stock_move", "product_id"),
                ("stock_quant", "product_id"),
            ):
                cr.execute(
                    SQL(
                        "DELETE FROM %s WHERE %s = %s",
                        SQL.identifier(table),
                        SQL.identifier(column),
                        self.product_id,
                    )
                )
            env.invalidate_all()
            adjustments.unlink()
            env["gov.approval.matrix"].browse(self.matrix_id).unlink()
            env["product.product"].browse(self.product_id).active = False
            env["res.users"].browse([self.keeper, self.approver]).active = False

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
        adjustment = env["gov.stock.adjustment"].search(
            [("line_ids.quant_id", "=", self.quant_id)], limit=1
        )
        return env["gov.approval.request"].search(
            [("res_model", "=", adjustment._name), ("res_id", "=", adjustment.id)],
            order="id desc",
            limit=1,
        )

    def _approve(self, env):
        """The approver decides the request of the first count, read before."""
        env["gov.approval.request"].browse(self.request_id)._decide("approve")

    def _recount(self, env):
        quant = (
            env["stock.quant"].browse(self.quant_id).with_context(inventory_mode=True)
        )
        quant.inventory_quantity = 90
        quant.action_apply_inventory()

    def test_a_recount_while_the_approval_lands(self):
        """The approval of the first count never applies the second one."""
        outcome = self._interleaved(
            (self.approver, self._approve),
            (self.keeper, self._recount),
        )
        self.assertIsNone(outcome["second"])
        self.assertIn("no longer waiting", str(outcome["first"]))
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            quant = env["stock.quant"].browse(self.quant_id)
            self.assertEqual((quant.quantity, quant.inventory_quantity), (10, 90))
            self.assertEqual(self._request(env).state, "pending")
            self.assertEqual(self._request(env).amount, 8000)

    def test_an_approval_that_lands_first_applies_the_approved_count(self):
        """The approval commits first: the count is applied; the recount that
        follows is a new adjustment of its own."""
        outcome = self._interleaved(
            (self.keeper, self._recount),
            (self.approver, self._approve),
        )
        self.assertIsNone(outcome["second"])
        self.assertIsNone(outcome["first"])
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            quant = env["stock.quant"].browse(self.quant_id)
            self.assertEqual(quant.quantity, 20)
            adjustments = env["gov.stock.adjustment"].search(
                [("line_ids.quant_id", "=", self.quant_id)], order="id"
            )
            self.assertEqual(adjustments.mapped("state"), ["done", "draft"])
            self.assertEqual(adjustments[1].line_ids.difference, 70)
