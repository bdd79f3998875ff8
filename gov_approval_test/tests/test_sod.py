# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Segregation of duties, delegation, and approvals nobody can forge."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.gov_approval.tools.engine import technical_bypass
from odoo.addons.gov_base.tools.engine import acting_as

from .common import TESTER_GROUP, TesterCase


@tagged("post_install", "-at_install")
class TestSegregation(TesterCase):
    def test_requester_never_approves_their_own_request(self):
        self.matrix.line_ids[1].step_ids.user_ids = self.manager | self.requester
        doc = self.make_doc(5000)
        self.confirm(doc)
        request = self.request_of(doc)
        self.assertEqual(request.step_ids.approver_ids, self.manager)
        with self.assertRaisesRegex(AccessError, "your own request"):
            request.with_user(self.requester)._decide("approve")
        with self.assertRaisesRegex(AccessError, "your own request"):
            request.with_user(self.requester).sudo()._decide("approve")
        self.assertFalse(request.with_user(self.requester).can_decide)

    def test_not_even_an_administrator(self):
        admin = self.env.ref("base.user_admin")
        admin.group_ids = [
            Command.link(
                self.env.ref("gov_approval_test.gov_approval_test_group_user").id
            )
        ]
        self.matrix.line_ids[1].step_ids.user_ids = self.manager | admin
        doc = self.make_doc(5000, user=admin)
        self.confirm(doc, user=admin)
        request = self.request_of(doc)
        self.assertEqual(request.requester_id, admin)
        self.assertNotIn(admin, request.step_ids.approver_ids)
        with self.assertRaises(AccessError):
            request.with_user(admin)._decide("approve")
        self.assertEqual(doc.state, "draft")

    def test_only_requester_as_approver_cannot_be_routed(self):
        self.matrix.line_ids[1].step_ids.user_ids = self.requester
        doc = self.make_doc(5000)
        with self.assertRaisesRegex(UserError, "eligible approvers"):
            self.confirm(doc)
        self.assertFalse(self.request_of(doc))

    def test_one_user_cannot_approve_two_steps(self):
        self.matrix.line_ids[2].step_ids.user_ids = self.manager | self.director
        doc = self.make_doc(20000)
        self.confirm(doc)
        self.decide(doc, self.manager)
        with self.assertRaisesRegex(AccessError, "already decided"):
            self.decide(doc, self.manager, reason="again")
        self.decide(doc, self.director, reason="ok")
        self.assertEqual(doc.state, "confirmed")

    def test_one_user_votes_once_in_n_of_m(self):
        self.matrix.line_ids[1].step_ids.write(
            {"user_ids": [Command.set([u.id for u in self.board])], "min_approvals": 2}
        )
        doc = self.make_doc(5000)
        self.confirm(doc)
        self.decide(doc, self.board[0])
        with self.assertRaisesRegex(AccessError, "already decided"):
            self.decide(doc, self.board[0])
        self.assertEqual(self.request_of(doc).current_step_id.approved_count, 1)
        self.assertEqual(doc.state, "draft")

    def test_users_in_a_conflicting_pair_decide_nothing(self):
        group_a = self.env["res.groups"].create({"name": "Pay vendors"})
        group_b = self.env["res.groups"].create({"name": "Create vendors"})
        self.manager.group_ids = [Command.link(group_a.id), Command.link(group_b.id)]
        rule = self.env["gov.sod.rule"].create(
            {"group_a_id": group_a.id, "group_b_id": group_b.id, "reason": "Fraud risk"}
        )
        doc = self.make_doc(5000)
        self.confirm(doc)
        with self.assertRaisesRegex(AccessError, "conflicting governance roles"):
            self.decide(doc, self.manager)
        # nor through a delegation
        now = fields.Datetime.now()
        with self.assertRaisesRegex(ValidationError, "conflicting"):
            self.env["gov.approval.delegation"].with_user(self.manager_2).create(
                {
                    "user_id": self.manager_2.id,
                    "delegate_id": self.manager.id,
                    "date_from": now - timedelta(hours=1),
                    "date_to": now + timedelta(days=1),
                }
            )
        # the rule switched off, the same user decides
        rule.active = False
        self.decide(doc, self.manager)
        self.assertEqual(doc.state, "confirmed")

    def test_auditors_read_but_never_decide(self):
        # auditors cannot hold the approver role; named on a step all the same
        auditor = new_test_user(
            self.env,
            login="tst_step_auditor",
            groups=f"{TESTER_GROUP},gov_base.gov_base_group_auditor",
        )
        self.matrix.line_ids[1].step_ids.user_ids = self.manager | auditor
        doc = self.make_doc(5000)
        self.confirm(doc)
        request = self.request_of(doc).with_user(auditor)
        self.assertIn(auditor, request.step_ids.approver_ids)
        with self.assertRaisesRegex(AccessError, "Auditors"):
            request._decide("approve")
        with self.assertRaises(AccessError):
            request.write({"state": "cancelled"})
        self.assertEqual(doc.state, "draft")

    def test_rerouter_cannot_decide(self):
        self.matrix_manager.group_ids = [
            Command.link(self.env.ref("gov_base.gov_base_group_approver").id)
        ]
        doc = self.make_doc(5000)
        self.confirm(doc)
        request = self.request_of(doc)
        self.matrix.line_ids[1].step_ids.user_ids = self.matrix_manager | self.manager
        request.with_user(self.matrix_manager).action_reroute()
        self.assertIn(self.matrix_manager, request.current_step_id.approver_ids)
        self.assertEqual(request.rerouted_by_ids, self.matrix_manager)
        with self.assertRaisesRegex(AccessError, "re-routed"):
            request.with_user(self.matrix_manager)._decide("approve")
        self.decide(doc, self.manager)
        self.assertEqual(doc.state, "confirmed")

    def test_outsider_cannot_decide(self):
        doc = self.make_doc(5000)
        self.confirm(doc)
        with self.assertRaisesRegex(AccessError, "not an approver"):
            self.decide(doc, self.director)
        portal = new_test_user(self.env, login="tst_portal", groups="base.group_portal")
        with self.assertRaisesRegex(AccessError, "Portal"):
            self.request_of(doc).with_user(portal).sudo()._decide("approve")


@tagged("post_install", "-at_install")
class TestForgery(TesterCase):
    """What works against a writable review table must fail here."""

    def setUp(self):
        super().setUp()
        self.doc = self.make_doc(5000)
        self.confirm(self.doc)
        self.request = self.request_of(self.doc)

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

    def test_nobody_decides_in_another_users_name(self):
        """When a user authenticated (here: proved by a signed token),
        ``with_user`` does not make someone else the decider."""
        with (
            acting_as(self.requester.id),
            self.assertRaisesRegex(AccessError, "in another user's name"),
        ):
            self.request.with_user(self.manager)._decide("approve")
        self.assertFalse(self.request.decision_ids)

    def test_technical_bypass_is_audited(self):
        doc = self.make_doc(5000)
        with technical_bypass(self.env, "Migration of legacy documents"):
            doc.sudo().action_confirm()
        self.assertEqual(doc.state, "confirmed")
        self.assertFalse(self.request_of(doc))
        event = self.env["gov.audit.event"].search(
            [("event_type", "=", "approval.bypass")], limit=1, order="id desc"
        )
        self.assertIn("legacy documents", event.summary)
        # outside the block, the gate holds again
        later = self.make_doc(5000)
        with self.assertRaises(UserError):
            later.sudo().write({"state": "confirmed"})
        with self.assertRaises(UserError), technical_bypass(self.env, ""):
            pass


@tagged("post_install", "-at_install")
class TestDelegation(TesterCase):
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
        doc = self.make_doc(5000)
        self.confirm(doc)
        request = self.request_of(doc)
        self.assertTrue(request.with_user(self.manager_2).can_decide)
        self.assertTrue(doc.with_user(self.manager_2).gov_approval_can_decide)
        self.decide(doc, self.manager_2)
        decision = request.decision_ids
        self.assertEqual(decision.user_id, self.manager_2)
        self.assertEqual(decision.approver_id, self.manager)
        self.assertEqual(decision.on_behalf_of_id, self.manager)
        self.assertEqual(doc.state, "confirmed")
        event = self.env["gov.audit.event"].search(
            [("event_type", "=", "approval.approved_step"), ("res_id", "=", request.id)]
        )
        self.assertEqual(event.on_behalf_of_id, self.manager)

    def test_delegate_reads_what_they_decide_without_document_rights(self):
        delegate = new_test_user(
            self.env,
            login="tst_plain_delegate",
            groups="gov_base.gov_base_group_approver",
        )
        self.delegate(self.manager, delegate)
        doc = self.make_doc(5000)
        self.confirm(doc)
        request = self.request_of(doc)
        with self.assertRaises(AccessError):
            doc.with_user(delegate).check_access("read")
        summary = request.with_user(delegate).document_summary
        self.assertIn(doc.name, summary)
        self.assertIn(self.partner.name, summary)
        wizard = (
            self.env["gov.approval.decision.wizard"]
            .with_user(delegate)
            .with_context(active_model=request._name, active_ids=request.ids)
            .create({"decision": "approve"})
        )
        self.assertIn(doc.name, wizard.document_summary)
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
        self.assertEqual(doc.state, "confirmed")
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
        doc = self.make_doc(5000)
        self.confirm(doc)
        with self.assertRaisesRegex(AccessError, "your own request"):
            self.decide(doc, self.requester)

    def test_delegator_and_delegate_cast_one_vote(self):
        self.delegate(self.manager, self.manager_2)
        self.matrix.line_ids[1].step_ids.write(
            {
                "user_ids": [Command.set([self.manager.id, self.director.id])],
                "min_approvals": 2,
            }
        )
        doc = self.make_doc(5000)
        self.confirm(doc)
        self.decide(doc, self.manager)
        with self.assertRaises(AccessError):
            self.decide(doc, self.manager_2)
        self.assertEqual(doc.state, "draft")

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
        doc = self.make_doc(5000)
        self.confirm(doc)
        for user in (self.manager_2, self.board[0]):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.decide(doc, user)
        self.assertFalse(self.request_of(doc).with_user(self.manager_2).can_decide)

    def test_delegation_rules(self):
        with self.assertRaisesRegex(ValidationError, "themselves"):
            self.delegate(self.manager, self.manager)
        with self.assertRaisesRegex(ValidationError, "ends after it starts"):
            now = fields.Datetime.now()
            self.delegate(self.manager, self.manager_2, date_from=now, date_to=now)
        delegation = self.delegate(self.manager, self.manager_2)
        with self.assertRaises(AccessError):
            delegation.with_user(self.director).write({"note": "x"})
        with self.assertRaisesRegex(AccessError, "never changes"):
            delegation.with_user(self.manager).write({"user_id": self.director.id})
        delegation.with_user(self.manager).note = "Holiday"
        events = self.env["gov.audit.event"].search(
            [("res_model", "=", delegation._name), ("res_id", "=", delegation.id)]
        )
        self.assertEqual(
            sorted(events.mapped("event_type")),
            ["approval.delegation_changed", "approval.delegation_created"],
        )

    def test_delegate_button_scopes_one_request(self):
        doc = self.make_doc(5000)
        self.confirm(doc)
        action = doc.with_user(self.manager).action_gov_approval_delegate()
        self.assertEqual(action["res_model"], "gov.approval.delegation")
        request = self.request_of(doc)
        self.assertEqual(action["context"]["default_request_id"], request.id)
        self.delegate(self.manager, self.board[1], request_id=request.id)
        other = self.make_doc(5000)
        self.confirm(other)
        with self.assertRaises(AccessError):
            self.decide(other, self.board[1])
        self.decide(doc, self.board[1])
        self.assertEqual(doc.state, "confirmed")
