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
from odoo.addons.gov_approval.tests.common import (
    RaceFixtures,
    committed_matrix,
    latest_request,
    remove_requests,
)
from odoo.addons.gov_base.tests.transactions import committed_users


@tagged("post_install", "-at_install")
class TestStockConcurrency(RaceFixtures, TransactionCase):
    def setUp(self):
        super().setUp()
        self.tag = f"stkc{uuid.uuid4().hex[:8]}"
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, DISABLED_MAIL_CONTEXT)
            self.keeper, self.approver = committed_users(
                env,
                self.tag,
                ("stock.group_stock_user", "gov_base.gov_base_group_approver"),
                2,
            )
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
            matrix = committed_matrix(
                env,
                self.tag,
                "gov.stock.adjustment:apply",
                f"[('line_ids.product_id.name', '=', '{self.tag}')]",
                {"name": "Approver", "user_ids": [Command.set([self.approver])]},
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
            remove_requests(env, self.matrix_id)
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

    def _request(self, env):
        adjustment = env["gov.stock.adjustment"].search(
            [("line_ids.quant_id", "=", self.quant_id)], limit=1
        )
        return latest_request(env, adjustment)

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
