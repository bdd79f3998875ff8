# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Reassignment: an approver hands their place on an open step over for
good (a Matrix Manager may do it for anyone); the new approver is held to
the rules of approvers and delegates; audited. The forged attempts go
through the real HTTP routes."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.gov_base.tests.rpc import ROUTES, RpcRoutesMixin

from .common import APPROVER, TESTER_GROUP, TesterCase


class ReassignCase(TesterCase):
    def reassignments(self, request):
        """The reassignment events of ``request`` in the audit log."""
        return self.env["gov.audit.event"].search(
            [
                ("event_type", "=", "approval.reassigned"),
                ("res_model", "=", request._name),
                ("res_id", "=", request.id),
            ]
        )

    def wizard(self, user, request, new_user, reason="On leave until March", **vals):
        return (
            self.env["gov.approval.reassign.wizard"]
            .with_user(user)
            .with_context(default_request_id=request.id)
            .create({"new_user_id": new_user.id, "reason": reason, **vals})
        )

    def reassign(self, user, request, new_user, place=None, reason="Holidays"):
        """``user`` hands ``place``'s (their own) place on the open step over."""
        step = request.current_step_id
        return request.with_user(user)._reassign_place(
            step, place or user, new_user, reason
        )

    def pending(self, amount=5000):
        doc = self.make_doc(amount)
        self.confirm(doc)
        return doc, self.request_of(doc)


@tagged("post_install", "-at_install")
class TestReassign(ReassignCase):
    def test_an_approver_hands_their_place_over(self):
        doc, request = self.pending()
        step = request.current_step_id
        wizard = self.wizard(self.manager, request, self.manager_2)
        # the dialog opens on the approver's own place
        self.assertEqual(wizard.step_id, step)
        self.assertEqual(wizard.user_id, self.manager)
        wizard.action_confirm()
        self.assertEqual(step.approver_ids, self.manager_2)
        self.assertEqual(step.pending_approver_ids, self.manager_2)
        # the place is gone: no decision, no activity, no request to decide
        with self.assertRaisesRegex(AccessError, "not an approver"):
            self.decide(doc, self.manager)
        self.assertEqual(request.activity_ids.user_id, self.manager_2)
        self.assertNotIn(
            request,
            self.Request.with_user(self.manager).search([("can_decide", "=", True)]),
        )
        mails = self.env["mail.mail"].search(
            [
                ("model", "=", request._name),
                ("res_id", "=", request.id),
                ("email_to", "=", self.manager_2.email_formatted),
            ]
        )
        self.assertEqual(len(mails), 1)
        event = self.reassignments(request)
        self.assertEqual(len(event), 1)
        self.assertEqual(event.user_id, self.manager)
        for text in ('"from":"tst_manager"', '"to":"tst_manager_2"', "On leave"):
            self.assertIn(text, event.details)
        self.assertIn("handed over to", doc.message_ids[0].body)
        self.assertIn("On leave until March", request.message_ids[0].body)
        # the new approver decides
        self.decide(doc, self.manager_2)
        self.assertEqual(doc.state, "confirmed")
        self.assertEqual(request.decision_ids.user_id, self.manager_2)

    def test_the_new_approver_is_held_to_the_approvers_rules(self):
        auditor = new_test_user(
            self.env,
            login="tst_reassign_auditor",
            groups=f"{TESTER_GROUP},gov_base.gov_base_group_auditor",
        )
        conflicted = new_test_user(self.env, login="tst_conflicted", groups=APPROVER)
        group_a = self.env["res.groups"].create({"name": "Pay vendors"})
        group_b = self.env["res.groups"].create({"name": "Create vendors"})
        conflicted.group_ids = [Command.link(group_a.id), Command.link(group_b.id)]
        self.env["gov.sod.rule"].create(
            {"group_a_id": group_a.id, "group_b_id": group_b.id, "reason": "Fraud"}
        )
        portal = new_test_user(self.env, login="tst_portal", groups="base.group_portal")
        _doc, request = self.pending()
        refusals = (
            (self.requester, AccessError, "own request"),
            (auditor, AccessError, "Auditors"),
            (conflicted, AccessError, "conflicting"),
            (portal, UserError, "active internal user"),
            # oneself: a place on this route already
            (self.manager, UserError, "already has a place"),
        )
        for new_user, error, message in refusals:
            with (
                self.subTest(new_user=new_user.login),
                self.assertRaisesRegex(error, message),
            ):
                self.reassign(self.manager, request, new_user)
        with self.assertRaisesRegex(UserError, "Say why"):
            self.reassign(self.manager, request, self.manager_2, reason="  ")
        self.assertEqual(request.current_step_id.approver_ids, self.manager)
        self.assertFalse(self.reassignments(request))

    def test_never_to_someone_who_decided_or_waits_later_on_the_route(self):
        doc, request = self.pending(20000)
        # the director has a place on the next step already
        with self.assertRaisesRegex(UserError, "already has a place"):
            self.reassign(self.manager, request, self.director)
        self.decide(doc, self.manager)
        # the manager decided on this request: no second place for them
        with self.assertRaisesRegex(AccessError, "already decided"):
            self.reassign(self.director, request, self.manager)
        self.reassign(self.director, request, self.manager_2)
        self.assertEqual(request.current_step_id.approver_ids, self.manager_2)

    def test_a_place_is_handed_over_once(self):
        _doc, request = self.pending()
        self.reassign(self.manager, request, self.manager_2)
        with self.assertRaisesRegex(UserError, "no place to hand over"):
            self.reassign(self.manager, request, self.board[0])
        # the new holder may hand it back
        self.reassign(self.manager_2, request, self.manager)
        self.assertEqual(request.current_step_id.approver_ids, self.manager)
        events = self.reassignments(request)
        self.assertEqual(len(events), 2)

    def test_only_the_place_holder_or_a_matrix_manager(self):
        _doc, request = self.pending()
        now = fields.Datetime.now()
        self.env["gov.approval.delegation"].with_user(self.manager).create(
            {
                "user_id": self.manager.id,
                "delegate_id": self.director.id,
                "date_from": now - timedelta(hours=1),
                "date_to": now + timedelta(days=1),
            }
        )
        # neither another approver (who does not even read the request), nor
        # the approver's delegate
        with self.assertRaises(AccessError):
            self.reassign(self.manager_2, request, self.board[0], place=self.manager)
        with self.assertRaisesRegex(AccessError, "own place only"):
            self.reassign(self.director, request, self.board[0], place=self.manager)
        # a Matrix Manager may, audited, but never to themselves
        with self.assertRaisesRegex(AccessError, "to themselves"):
            self.reassign(
                self.matrix_manager, request, self.matrix_manager, place=self.manager
            )
        self.reassign(self.matrix_manager, request, self.board[0], place=self.manager)
        self.assertEqual(request.current_step_id.approver_ids, self.board[0])
        # like a re-route: the manager cannot decide this request afterwards
        self.assertIn(self.matrix_manager, request.rerouted_by_ids)
        event = self.reassignments(request)
        self.assertEqual(event.user_id, self.matrix_manager)
        self.assertIn('"by_manager":true', event.details)
        # the delegate of the former approver decides nothing any more
        with self.assertRaisesRegex(AccessError, "not an approver"):
            request.with_user(self.director)._decide("approve")

    def test_a_place_on_a_parallel_step(self):
        self.matrix.line_ids[1].step_ids.write(
            {"user_ids": [Command.set([self.manager.id, self.board[0].id])]}
        )
        self.env["gov.approval.step"].create(
            {
                "line_id": self.matrix.line_ids[1].id,
                "name": "Finance",
                "sequence": 20,
                "parallel": True,
                "approver_type": "user",
                "user_ids": [Command.set([self.board[1].id])],
            }
        )
        doc, request = self.pending()
        manager_step, finance = request.step_ids.sorted("sequence")
        self.assertEqual(request.current_step_ids, manager_step | finance)
        request.with_user(self.board[1])._reassign_place(
            finance, self.board[1], self.board[2], "Out of office"
        )
        self.assertEqual(finance.approver_ids, self.board[2])
        self.assertEqual(manager_step.approver_ids, self.manager | self.board[0])
        self.assertEqual(
            request.activity_ids.user_id, self.manager | self.board[0] | self.board[2]
        )
        # a step that is not open cannot be reassigned
        self.decide(doc, self.board[2])
        with self.assertRaisesRegex(UserError, "no longer waits for step Finance"):
            request.with_user(self.board[2])._reassign_place(
                finance, self.board[2], self.board[1], "too late"
            )
        self.decide(doc, self.manager)
        self.assertEqual(doc.state, "confirmed")


@tagged("post_install", "-at_install")
class TestReassignRoutes(ReassignCase, HttpCase, RpcRoutesMixin):
    """Forged reassignments over /web/dataset/call_kw, /json/2, /jsonrpc and
    /xmlrpc/2: refused, and nothing changes."""

    WIZARD = "gov.approval.reassign.wizard"

    def setUp(self):
        super().setUp()
        self.doc, self.request = self.pending()
        self.step = self.request.current_step_id

    def over_route(self, route, user, place, new_user):
        """Create the dialog and confirm it as ``user`` over ``route``."""
        created = self.rpc(
            route,
            user,
            self.WIZARD,
            "create",
            vals_list=[
                {
                    "request_id": self.request.id,
                    "step_id": self.step.id,
                    "user_id": place.id,
                    "new_user_id": new_user.id,
                    "reason": "forged",
                }
            ],
        )
        if not created:
            return created
        value = created.value
        wizard_ids = value if isinstance(value, list) else [value]
        return self.rpc(route, user, self.WIZARD, "action_confirm", wizard_ids)

    def assert_unchanged(self, approvers):
        self.env.invalidate_all()
        self.assertEqual(self.step.approver_ids, approvers)
        self.assertEqual(self.step.pending_approver_ids, approvers)
        self.assertFalse(
            self.env["gov.audit.event"].search(
                [
                    ("event_type", "=", "approval.reassigned"),
                    ("res_id", "=", self.request.id),
                    ("user_id", "!=", self.manager.id),
                ]
            )
        )

    def test_forged_reassignments_are_refused_on_every_route(self):
        attempts = (
            # a plain approver takes someone else's place for themselves
            ("someone else's place", self.manager_2, self.manager, self.manager_2),
            # or gives it to a third person
            ("to a third person", self.director, self.manager, self.board[0]),
            # the approver hands their place to the requester
            ("to the requester", self.manager, self.manager, self.requester),
            # the approver hands their place to themselves
            ("to themselves", self.manager, self.manager, self.manager),
            # the requester moves the place
            ("by the requester", self.requester, self.manager, self.board[1]),
        )
        for route in ROUTES:
            for label, user, place, new_user in attempts:
                with self.subTest(route=route, attempt=label):
                    result = self.over_route(route, user, place, new_user)
                    self.assertFalse(result, f"{label} accepted over {route}")
                    self.assert_unchanged(self.manager)

    def test_a_place_handed_over_cannot_be_handed_over_again(self):
        self.assertTrue(
            self.over_route("call_kw", self.manager, self.manager, self.manager_2)
        )
        self.assert_unchanged(self.manager_2)
        for route in ROUTES:
            with self.subTest(route=route):
                # twice the same place, and back to themselves by the old holder
                self.assertFalse(
                    self.over_route(route, self.manager, self.manager, self.board[0])
                )
                self.assertFalse(
                    self.over_route(route, self.manager, self.manager_2, self.manager)
                )
                self.assert_unchanged(self.manager_2)

    def test_the_route_is_never_written_directly(self):
        for route in ROUTES:
            with self.subTest(route=route):
                for user in (self.manager, self.matrix_manager):
                    result = self.rpc(
                        route,
                        user,
                        "gov.approval.request.step",
                        "write",
                        [self.step.id],
                        vals={
                            "approver_ids": [[4, self.manager_2.id, 0]],
                            "pending_approver_ids": [[4, self.manager_2.id, 0]],
                        },
                    )
                    self.assertFalse(result)
                    # nor through the engine's own methods
                    result = self.rpc(
                        route,
                        user,
                        "gov.approval.request",
                        "_reassign_place",
                        [self.request.id],
                        step=self.step.id,
                        new_user=self.manager_2.id,
                        reason="forged",
                    )
                    self.assertFalse(result)
                self.assert_unchanged(self.manager)

    def test_a_matrix_manager_reassigns_over_the_routes(self):
        result = self.over_route(
            "json2", self.matrix_manager, self.manager, self.board[2]
        )
        self.assertTrue(result, result.error)
        self.env.invalidate_all()
        self.assertEqual(self.step.approver_ids, self.board[2])
        event = self.reassignments(self.request)
        self.assertEqual(event.user_id, self.matrix_manager)
        self.assertEqual(event.channel, "api")
