# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A reassignment racing a decision or another reassignment of the same
place, in two real transactions that commit: one of them wins, the other
is refused after Odoo retries it; the place is never counted twice.

The rows these tests commit are removed again at the end.
"""

import threading
import uuid

from odoo import SUPERUSER_ID, api
from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.service.model import retrying
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT
from odoo.addons.gov_approval.tests.common import committed_matrix, remove_requests

from .common import APPROVER, REQUESTER


@tagged("post_install", "-at_install")
class TestReassignConcurrency(TransactionCase):
    def setUp(self):
        super().setUp()
        self.tag = f"reas{uuid.uuid4().hex[:8]}"
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, DISABLED_MAIL_CONTEXT)
            Users = env["res.users"].with_context(no_reset_password=True)

            def groups(xmlids):
                return [Command.set([env.ref(x).id for x in xmlids.split(",")])]

            users = Users.create(
                [
                    {
                        "name": f"{self.tag} {n}",
                        "login": f"{self.tag}_{n}",
                        "group_ids": groups(REQUESTER if n == 0 else APPROVER),
                    }
                    for n in range(5)
                ]
            )
            manager = Users.create(
                {
                    "name": f"{self.tag} matrix manager",
                    "login": f"{self.tag}_mm",
                    "group_ids": groups("gov_base.gov_base_group_matrix_manager"),
                }
            )
            self.user_ids = [*users.ids, manager.id]
            self.requester, self.first, self.second, self.spare, self.other = users.ids
            self.matrix_manager = manager.id
            matrix = committed_matrix(
                env,
                self.tag,
                "gov.approval.tester:confirm",
                f"[('name', '=', '{self.tag}')]",
                {
                    "name": "Two of two",
                    "user_ids": [Command.set([self.first, self.second])],
                    "min_approvals": 2,
                },
            )
            self.matrix_id = matrix.id
            doc = (
                env["gov.approval.tester"]
                .with_user(self.requester)
                .create(
                    {
                        "name": self.tag,
                        "line_ids": [
                            Command.create({"name": "Widget", "price_unit": 500})
                        ],
                    }
                )
            )
            doc.action_confirm()
            self.doc_id = doc.id
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            remove_requests(env, self.matrix_id)
            env["gov.approval.tester"].browse(self.doc_id).unlink()
            env["gov.approval.matrix"].browse(self.matrix_id).unlink()
            env["res.users"].browse(self.user_ids).active = False

    def _request(self, env):
        # found whoever looks: an approver who lost their place no longer
        # reads the request, and must be refused all the same
        return (
            env["gov.approval.request"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "gov.approval.tester"),
                    ("res_id", "=", self.doc_id),
                ],
                limit=1,
            )
            .sudo(False)
        )

    def _reassign(self, place, new_user):
        def act(env, request):
            request._reassign_place(
                request.current_step_id,
                env["res.users"].browse(place),
                env["res.users"].browse(new_user),
                "concurrent",
            )

        return act

    def _approve(self, env, request):
        request._decide("approve")

    def _race(self, first, second):
        """Run ``first = (user id, act)`` and ``second`` in two transactions
        that both read the request, then act at once; Odoo's retry replays
        the loser. Returns ``{"first": error or None, "second": ...}``."""
        barrier = threading.Barrier(2)
        outcome = {}

        def runner(name, user_id, act):
            tries = []

            def attempt(env):
                request = self._request(env)
                # both transactions read the step before either acts
                request.sudo().current_step_id.pending_approver_ids.mapped("id")
                if not tries:
                    barrier.wait(timeout=30)
                tries.append(1)
                act(env, request)

            def run():
                try:
                    with self.registry.cursor() as cr:
                        env = api.Environment(cr, user_id, DISABLED_MAIL_CONTEXT)
                        retrying(lambda: attempt(env), env)
                    outcome[name] = None
                except Exception as error:  # the outcome is asserted
                    outcome[name] = error

            return threading.Thread(target=run)

        threads = [runner("first", *first), runner("second", *second)]
        # the loser's conflicting query is logged by the database layer before
        # Odoo retries it: expected here
        with mute_logger("odoo.sql_db"):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
        return outcome

    def _state(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            request = self._request(env)
            step = request.step_ids
            return {
                "approvers": set(step.approver_ids.ids),
                "pending": set(step.pending_approver_ids.ids),
                "decisions": [
                    (d.user_id.id, d.approver_id.id) for d in request.decision_ids
                ],
                "approved": step.approved_count,
            }

    def test_a_reassignment_while_the_approver_decides(self):
        outcome = self._race(
            (self.first, self._approve),
            (self.first, self._reassign(self.first, self.spare)),
        )
        self.assertEqual(len(outcome), 2, outcome)
        errors = [error for error in outcome.values() if error]
        self.assertEqual(len(errors), 1, outcome)
        state = self._state()
        if outcome["first"] is None:
            # the decision won: the place was used, nothing left to hand over
            self.assertIn("no place to hand over", str(outcome["second"]))
            self.assertEqual(state["decisions"], [(self.first, self.first)])
            self.assertEqual(state["approvers"], {self.first, self.second})
            self.assertEqual(state["approved"], 1)
        else:
            # the reassignment won: the former approver decides nothing
            self.assertIn("not an approver", str(outcome["first"]))
            self.assertEqual(state["decisions"], [])
            self.assertEqual(state["approvers"], {self.spare, self.second})
            self.assertEqual(state["approved"], 0)

    def test_two_reassignments_of_one_place(self):
        outcome = self._race(
            (self.first, self._reassign(self.first, self.spare)),
            (self.matrix_manager, self._reassign(self.first, self.other)),
        )
        self.assertEqual(len(outcome), 2, outcome)
        errors = [error for error in outcome.values() if error]
        self.assertEqual(len(errors), 1, outcome)
        # the loser has no place left, or no longer reads the request
        self.assertTrue(
            "no place to hand over" in str(errors[0])
            or isinstance(errors[0], AccessError),
            errors,
        )
        state = self._state()
        winner = self.spare if outcome["first"] is None else self.other
        self.assertEqual(state["approvers"], {winner, self.second})
        self.assertEqual(state["pending"], {winner, self.second})
