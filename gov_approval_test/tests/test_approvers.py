# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Who approves a step: named users, a group's members, the user or group in
a field of the document. The requester's manager is tested with the
Employees glue module (gov_approval_hr)."""

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import APPROVER, TesterCase


@tagged("post_install", "-at_install")
class TestApproverTypes(TesterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["res.groups"].create({"name": "Tester approving team"})
        cls.team_member = new_test_user(
            cls.env, login="tst_team_member", groups=APPROVER
        )
        cls.team.user_ids = cls.team_member | cls.manager_2 | cls.requester
        cls.step_config = cls.matrix.line_ids[1].step_ids

    def field(self, name):
        return self.env["ir.model.fields"]._get("gov.approval.tester", name)

    def route_to(self, **vals):
        self.step_config.write({"user_ids": [Command.clear()], **vals})

    def test_named_users_archived_ones_left_out(self):
        self.step_config.user_ids = self.manager | self.manager_2
        self.manager_2.active = False
        doc = self.make_doc(5000)
        self.confirm(doc)
        self.assertEqual(self.request_of(doc).step_ids.approver_ids, self.manager)

    def test_members_of_a_group_but_the_requester(self):
        self.route_to(approver_type="group", group_id=self.team.id)
        self.assertIn("Tester approving team", self.step_config.approvers_display)
        doc = self.make_doc(5000)
        self.confirm(doc)
        request = self.request_of(doc)
        self.assertEqual(
            request.step_ids.approver_ids, self.team_member | self.manager_2
        )
        self.assertEqual(
            request.activity_ids.user_id, self.team_member | self.manager_2
        )
        # the route is frozen: joining the group later gives no vote on it
        self.team.user_ids = [Command.link(self.director.id)]
        with self.assertRaisesRegex(AccessError, "not an approver"):
            self.decide(doc, self.director)
        self.decide(doc, self.team_member)
        self.assertEqual(doc.state, "confirmed")

    def test_members_of_a_group_include_those_of_groups_implying_it(self):
        lead = self.env["res.groups"].create(
            {"name": "Tester team lead", "implied_ids": [Command.link(self.team.id)]}
        )
        lead.user_ids = self.director
        self.route_to(approver_type="group", group_id=self.team.id)
        doc = self.make_doc(5000)
        self.confirm(doc)
        self.assertIn(self.director, self.request_of(doc).step_ids.approver_ids)

    def test_portal_users_never_approve(self):
        portal = new_test_user(self.env, login="tst_portal", groups="base.group_portal")
        self.team.user_ids = [Command.set([portal.id, self.requester.id])]
        self.route_to(approver_type="group", group_id=self.team.id)
        doc = self.make_doc(5000)
        with self.assertRaisesRegex(UserError, "eligible approvers"):
            self.confirm(doc)
        self.assertFalse(self.request_of(doc))

    def test_user_in_a_field_of_the_document(self):
        self.route_to(approver_type="field", field_id=self.field("user_id").id)
        self.assertIn("Responsible", self.step_config.approvers_display)
        doc = self.make_doc(5000, user_id=self.manager_2.id)
        other = self.make_doc(5000, user_id=self.director.id)
        for record, approver in ((doc, self.manager_2), (other, self.director)):
            self.confirm(record)
            self.assertEqual(self.request_of(record).step_ids.approver_ids, approver)
        self.decide(doc, self.manager_2)
        self.assertEqual(doc.state, "confirmed")
        # changing the field reroutes nothing by itself: it supersedes
        self.matrix.auto_resume = False
        other.with_user(self.requester).user_id = self.manager
        self.assertEqual(self.request_of(other).state, "superseded")

    def test_empty_or_self_user_field_cannot_be_routed(self):
        self.route_to(approver_type="field", field_id=self.field("user_id").id)
        for label, user in (("empty", False), ("requester", self.requester.id)):
            with self.subTest(label):
                doc = self.make_doc(5000, user_id=user)
                with self.assertRaisesRegex(UserError, "eligible approvers"):
                    self.confirm(doc)
                self.assertFalse(self.request_of(doc))
                self.assertEqual(doc.state, "draft")

    def test_group_in_a_field_of_the_document(self):
        self.route_to(
            approver_type="field",
            field_id=self.field("group_id").id,
            min_approvals=0,
        )
        doc = self.make_doc(5000, group_id=self.team.id)
        self.confirm(doc)
        request = self.request_of(doc)
        self.assertEqual(
            request.step_ids.approver_ids, self.team_member | self.manager_2
        )
        # 0 means all of them
        self.assertEqual(request.step_ids.min_approvals, 2)
        self.decide(doc, self.manager_2)
        self.assertEqual(doc.state, "draft")
        self.decide(doc, self.team_member)
        self.assertEqual(doc.state, "confirmed")

    def test_requesters_manager_without_employees_is_refused(self):
        """Without an employee with a manager there is nobody to route to;
        the refusal says so (gov_approval_hr names who to set)."""
        self.route_to(approver_type="manager")
        doc = self.make_doc(5000)
        with self.assertRaises(UserError):
            self.confirm(doc)
        self.assertFalse(self.request_of(doc))

    def test_rerouting_resolves_the_fields_again(self):
        self.route_to(approver_type="group", group_id=self.team.id)
        doc = self.make_doc(5000)
        self.confirm(doc)
        request = self.request_of(doc)
        self.team.user_ids = [Command.unlink(self.team_member.id)]
        request.with_user(self.matrix_manager).action_reroute()
        self.assertEqual(request.step_ids.approver_ids, self.manager_2)
        with self.assertRaises(AccessError):
            self.decide(doc, self.team_member)
