# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Segregation of duties and forged approvals: every attack must fail."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.gov_approval.tools.engine import technical_bypass

from .common import ApprovalCase


@tagged("post_install", "-at_install")
class TestSegregation(ApprovalCase):
    def test_requester_never_approves_their_own_request(self):
        self.matrix.line_ids[1].step_ids.user_ids = self.manager | self.requester
        order = self.make_po(5000)
        self.confirm(order)
        request = self.request_of(order)
        self.assertEqual(request.step_ids.approver_ids, self.manager)
        with self.assertRaisesRegex(AccessError, "your own request"):
            request.with_user(self.requester)._decide("approve")
        with self.assertRaisesRegex(AccessError, "your own request"):
            request.with_user(self.requester).sudo()._decide("approve")

    def test_not_even_an_administrator(self):
        admin = self.env.ref("base.user_admin")
        self.matrix.line_ids[1].step_ids.user_ids = self.manager | admin
        order = self.make_po(5000, user=admin)
        self.confirm(order, user=admin)
        request = self.request_of(order)
        self.assertEqual(request.requester_id, admin)
        self.assertNotIn(admin, request.step_ids.approver_ids)
        with self.assertRaises(AccessError):
            request.with_user(admin)._decide("approve")

    def test_only_requester_as_approver_cannot_be_routed(self):
        self.matrix.line_ids[1].step_ids.user_ids = self.requester
        order = self.make_po(5000)
        with self.assertRaisesRegex(UserError, "eligible approvers"):
            self.confirm(order)
        self.assertFalse(self.request_of(order))

    def test_one_user_cannot_approve_two_steps(self):
        self.matrix.line_ids[2].step_ids.user_ids = self.manager | self.director
        order = self.make_po(20000)
        self.confirm(order)
        self.decide(order, self.manager)
        with self.assertRaisesRegex(AccessError, "already decided"):
            self.decide(order, self.manager, reason="again")
        self.decide(order, self.director, reason="ok")
        self.assertEqual(order.state, "purchase")

    def test_users_in_a_conflicting_pair_decide_nothing(self):
        group_a = self.env["res.groups"].create({"name": "Pay vendors"})
        group_b = self.env["res.groups"].create({"name": "Create vendors"})
        self.manager.group_ids = [Command.link(group_a.id), Command.link(group_b.id)]
        self.env["gov.sod.rule"].create(
            {"group_a_id": group_a.id, "group_b_id": group_b.id, "reason": "Fraud risk"}
        )
        order = self.make_po(5000)
        self.confirm(order)
        with self.assertRaisesRegex(AccessError, "conflicting governance roles"):
            self.decide(order, self.manager)

    def test_outsider_cannot_decide(self):
        order = self.make_po(5000)
        self.confirm(order)
        with self.assertRaisesRegex(AccessError, "not an approver"):
            self.decide(order, self.director)


@tagged("post_install", "-at_install")
class TestForgery(ApprovalCase):
    """What works against a writable review table must fail here."""

    def setUp(self):
        super().setUp()
        self.order = self.make_po(5000)
        self.confirm(self.order)
        self.request = self.request_of(self.order)

    def test_requester_cannot_write_the_request(self):
        for model, record in (
            ("request", self.request),
            ("step", self.request.step_ids),
        ):
            with self.subTest(model=model), self.assertRaises(AccessError):
                record.with_user(self.requester).write({"state": "approved"})
        with self.assertRaises(AccessError):
            self.request.step_ids.with_user(self.requester).write({"approved_count": 5})

    def test_requester_cannot_create_a_decision(self):
        with self.assertRaises(AccessError):
            self.env["gov.approval.decision"].with_user(self.requester).create(
                {
                    "request_id": self.request.id,
                    "step_id": self.request.step_ids.id,
                    "user_id": self.manager.id,
                    "approver_id": self.manager.id,
                    "decision": "approve",
                }
            )

    def test_even_sudo_code_cannot_forge_an_approval(self):
        with self.assertRaisesRegex(AccessError, "engine only"):
            self.request.sudo().write({"state": "approved"})
        with self.assertRaisesRegex(AccessError, "engine only"):
            self.env["gov.approval.decision"].sudo().create(
                {
                    "request_id": self.request.id,
                    "step_id": self.request.step_ids.id,
                    "user_id": self.manager.id,
                    "approver_id": self.manager.id,
                    "decision": "approve",
                }
            )
        with self.assertRaises(AccessError):
            self.request.sudo().unlink()
        self.assertEqual(self.request.state, "pending")

    def test_state_cannot_be_written_around_the_gate(self):
        for label, order in (
            ("rpc", self.order.with_user(self.requester)),
            ("sudo", self.order.sudo()),
        ):
            with (
                self.subTest(label),
                self.assertRaisesRegex(UserError, "before it is approved"),
            ):
                order.write({"state": "purchase"})
        with self.assertRaisesRegex(UserError, "before it is approved"):
            self.order.sudo().button_approve()
        self.assertEqual(self.order.state, "draft")

    def test_cannot_create_an_order_already_confirmed(self):
        with self.assertRaisesRegex(UserError, "approv"):
            self.env["purchase.order"].with_user(self.requester).create(
                {
                    "partner_id": self.partner.id,
                    "state": "purchase",
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "product_qty": 1,
                                "price_unit": 5000,
                            }
                        )
                    ],
                }
            )

    def test_technical_bypass_is_audited(self):
        order = self.make_po(5000)
        with technical_bypass(self.env, "Migration of legacy orders"):
            order.sudo().button_confirm()
        self.assertEqual(order.state, "purchase")
        event = self.env["gov.audit.event"].search(
            [("event_type", "=", "approval.bypass")], limit=1, order="id desc"
        )
        self.assertIn("legacy orders", event.summary)
        # outside the block, the gate holds again
        later = self.make_po(5000)
        with self.assertRaises(UserError):
            later.sudo().write({"state": "purchase"})
        with self.assertRaises(UserError), technical_bypass(self.env, ""):
            pass


@tagged("post_install", "-at_install")
class TestDelegation(ApprovalCase):
    def delegate(self, user, delegate, **vals):
        now = fields.Datetime.now()
        return (
            self.env["gov.approval.delegation"]
            .with_user(user)
            .create(
                {
                    "user_id": user.id,
                    "delegate_id": delegate.id,
                    "date_from": vals.pop("date_from", now - timedelta(hours=1)),
                    "date_to": vals.pop("date_to", now + timedelta(days=1)),
                    **vals,
                }
            )
        )

    def test_delegate_decides_on_behalf(self):
        self.delegate(self.manager, self.manager_2)
        order = self.make_po(5000)
        self.confirm(order)
        request = self.request_of(order)
        self.assertTrue(request.with_user(self.manager_2).can_decide)
        self.assertTrue(order.with_user(self.manager_2).gov_approval_can_decide)
        self.decide(order, self.manager_2)
        decision = request.decision_ids
        self.assertEqual(decision.user_id, self.manager_2)
        self.assertEqual(decision.on_behalf_of_id, self.manager)
        self.assertEqual(order.state, "purchase")
        event = self.env["gov.audit.event"].search(
            [("event_type", "=", "approval.approved_step"), ("res_id", "=", request.id)]
        )
        self.assertEqual(event.on_behalf_of_id, self.manager)

    def test_delegate_reads_what_they_decide_without_document_rights(self):
        delegate = new_test_user(
            self.env,
            login="apr_plain_delegate",
            groups="gov_base.gov_base_group_approver",
        )
        self.delegate(self.manager, delegate)
        order = self.make_po(5000)
        self.confirm(order)
        request = self.request_of(order)
        with self.assertRaises(AccessError):
            order.with_user(delegate).check_access("read")
        summary = request.with_user(delegate).document_summary
        self.assertIn(order.name, summary)
        self.assertIn(self.partner.name, summary)
        wizard = (
            self.env["gov.approval.decision.wizard"]
            .with_user(delegate)
            .with_context(active_model=request._name, active_ids=request.ids)
            .create({"decision": "approve"})
        )
        self.assertIn(order.name, wizard.document_summary)
        # and so does the dialog, before it is saved
        dialog = Form(
            self.env["gov.approval.decision.wizard"]
            .with_user(delegate)
            .with_context(active_model=request._name, active_ids=request.ids)
        )
        self.assertIn(self.partner.name, dialog.document_summary)
        # only those who may decide now are shown the document this way
        self.assertFalse(request.with_user(self.requester).document_summary)
        wizard.action_confirm()
        self.assertEqual(order.state, "purchase")
        self.assertEqual(request.decision_ids.on_behalf_of_id, self.manager)
        # the delegate still reads the request they decided on
        request.invalidate_recordset()
        self.assertEqual(
            request.with_user(delegate).read(["state"])[0]["state"], "approved"
        )
        delegation = self.env["gov.approval.delegation"].search(
            [("delegate_id", "=", delegate.id)]
        )
        self.assertIn(self.manager.name, delegation.display_name)
        self.assertIn(delegate.name, delegation.display_name)

    def test_delegate_never_decides_their_own_request(self):
        self.delegate(self.manager, self.requester)
        order = self.make_po(5000)
        self.confirm(order)
        with self.assertRaisesRegex(AccessError, "your own request"):
            self.decide(order, self.requester)

    def test_delegator_and_delegate_cast_one_vote(self):
        self.delegate(self.manager, self.manager_2)
        self.matrix.line_ids[1].step_ids.write(
            {
                "user_ids": [Command.set([self.manager.id, self.director.id])],
                "min_approvals": 2,
            }
        )
        order = self.make_po(5000)
        self.confirm(order)
        self.decide(order, self.manager)
        with self.assertRaises(AccessError):
            self.decide(order, self.manager_2)
        self.assertEqual(order.state, "draft")

    def test_expired_or_out_of_scope_delegations_do_not_count(self):
        now = fields.Datetime.now()
        self.delegate(
            self.manager,
            self.manager_2,
            date_from=now - timedelta(days=3),
            date_to=now - timedelta(days=1),
        )
        other = self.make_matrix([(0, 1, [])], name="Other")
        self.delegate(self.manager, self.board[0], matrix_ids=[Command.set(other.ids)])
        order = self.make_po(5000)
        self.confirm(order)
        for user in (self.manager_2, self.board[0]):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.decide(order, user)

    def test_delegation_rules(self):
        with self.assertRaisesRegex(Exception, "themselves"):
            self.delegate(self.manager, self.manager)
        delegation = self.delegate(self.manager, self.manager_2)
        with self.assertRaises(AccessError):
            delegation.with_user(self.director).write({"note": "x"})
        delegation.with_user(self.manager).note = "Holiday"
        events = self.env["gov.audit.event"].search(
            [("res_model", "=", delegation._name), ("res_id", "=", delegation.id)]
        )
        self.assertEqual(
            sorted(events.mapped("event_type")),
            ["approval.delegation_changed", "approval.delegation_created"],
        )

    def test_delegate_button_scopes_one_request(self):
        order = self.make_po(5000)
        self.confirm(order)
        action = order.with_user(self.manager).action_gov_approval_delegate()
        self.assertEqual(action["res_model"], "gov.approval.delegation")
        request = self.request_of(order)
        self.delegate(self.manager, self.board[1], request_id=request.id)
        self.decide(order, self.board[1])
        self.assertEqual(order.state, "purchase")
