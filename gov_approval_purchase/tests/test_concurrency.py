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
from odoo.addons.gov_approval.tests.common import (
    committed_matrix,
    latest_request,
    remove_requests,
)
from odoo.addons.gov_approval.tools.engine import technical_bypass
from odoo.addons.gov_base.tests.transactions import committed_users, interleaved


@tagged("post_install", "-at_install")
class TestDecisionConcurrency(TransactionCase):
    def setUp(self):
        super().setUp()
        self.tag = f"conc{uuid.uuid4().hex[:8]}"
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, DISABLED_MAIL_CONTEXT)
            users = committed_users(
                env,
                self.tag,
                ("purchase.group_purchase_user", "gov_base.gov_base_group_approver"),
                4,
            )
            self.requester, *self.approvers = users
            product = env["product.product"].create({"name": self.tag, "type": "consu"})
            matrix = committed_matrix(
                env,
                self.tag,
                "purchase.order:confirm",
                f"[('partner_ref', '=', '{self.tag}')]",
                {
                    "name": "Two of three",
                    "user_ids": [Command.set(self.approvers)],
                    "min_approvals": 2,
                },
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
            remove_requests(env, self.matrix_id)
            order = env["purchase.order"].browse(self.order_id)
            with technical_bypass(env, "test cleanup"):
                order.button_cancel()
            order.unlink()
            env["gov.approval.matrix"].browse(self.matrix_id).unlink()
            env["product.product"].browse(self.product_id).active = False
            env["res.users"].browse([self.requester, *self.approvers]).active = False

    def _decide_in_thread(self, user_id, barrier, errors):
        tries = []

        def attempt(env):
            request = self._request(env)
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

    # ------------------------------------------------------------------
    # Two transactions that change what a decision relies on
    # ------------------------------------------------------------------
    def _request(self, env):
        return latest_request(env, env["purchase.order"].browse(self.order_id))

    def _approve_as(self, user_id):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, user_id, DISABLED_MAIL_CONTEXT)
            self._request(env)._decide("approve")

    def test_a_delegation_ended_while_its_delegate_decides(self):
        """The delegate's decision relied on a delegation the approver ended
        meanwhile: it is refused, not recorded in the approver's name."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, DISABLED_MAIL_CONTEXT)
            delegate = (
                env["res.users"]
                .with_context(no_reset_password=True)
                .create(
                    {
                        "name": f"{self.tag} delegate",
                        "login": f"{self.tag}_delegate",
                        "group_ids": [
                            Command.set([env.ref("purchase.group_purchase_user").id])
                        ],
                    }
                )
            )
            delegation = (
                env["gov.approval.delegation"]
                .with_user(self.approvers[0])
                .create(
                    {
                        "user_id": self.approvers[0],
                        "delegate_id": delegate.id,
                        "date_to": "2999-01-01 00:00:00",
                    }
                )
            )
            delegate_id, delegation_id = delegate.id, delegation.id
        self.addCleanup(self._remove_delegate, delegate_id, delegation_id)
        self._approve_as(self.approvers[1])

        def end_delegation(env, _state):
            env["gov.approval.delegation"].browse(delegation_id).active = False

        outcome = interleaved(
            self.registry,
            (
                delegate_id,
                self._request,
                lambda env, request: request._decide("approve"),
            ),
            (self.approvers[0], self._request, end_delegation),
        )
        self.assertIsNone(outcome["second"])
        self.assertIn("not an approver", str(outcome["first"]))
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            request = self._request(env)
            self.assertEqual(request.state, "pending")
            self.assertNotIn(delegate_id, request.decision_ids.user_id.ids)
            self.assertEqual(env["purchase.order"].browse(self.order_id).state, "draft")

    def _remove_delegate(self, delegate_id, delegation_id):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["gov.approval.delegation"].with_context(active_test=False).browse(
                delegation_id
            ).unlink()
            env["res.users"].browse(delegate_id).active = False

    def _change_price(self, env, _state):
        order = env["purchase.order"].browse(self.order_id)
        order.order_line.write({"price_unit": 5000})

    def test_a_document_changed_while_its_last_approval_lands(self):
        """The requester raises the price while the last approver decides: the
        approval of the old price never confirms the new one."""
        self._approve_as(self.approvers[1])
        outcome = interleaved(
            self.registry,
            (self.approvers[0], self._request, lambda env, r: r._decide("approve")),
            (self.requester, self._request, self._change_price),
        )
        self.assertIsNone(outcome["second"])
        self.assertIn("no longer waiting", str(outcome["first"]))
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            order = env["purchase.order"].browse(self.order_id)
            self.assertEqual((order.state, order.amount_untaxed), ("draft", 5000))
            self.assertEqual(self._request(env).state, "superseded")

    def test_an_approval_that_lands_first_locks_the_document(self):
        """The last approval commits first: the price change that follows is
        refused, the order stays confirmed at the approved price."""
        self._approve_as(self.approvers[1])
        outcome = interleaved(
            self.registry,
            (self.requester, self._request, self._change_price),
            (self.approvers[0], self._request, lambda env, r: r._decide("approve")),
        )
        self.assertIsNone(outcome["second"])
        self.assertIn("approv", str(outcome["first"]))
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            order = env["purchase.order"].browse(self.order_id)
            self.assertEqual((order.state, order.amount_untaxed), ("purchase", 50))
            request = self._request(env)
            self.assertTrue(request.action_done)
            self.assertTrue(request._seal_holds())
