# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ROLES, GovBaseCase

OPERATIONS = {"r": "read", "w": "write", "c": "create", "u": "unlink"}
# What each role may do on each model of gov_base (ACL level).
EXPECTED = {
    "gov.audit.event": {"auditor": "r", "admin": "r"},
    "gov.audit.verification": {"auditor": "r", "admin": "r"},
    "gov.sod.rule": {"auditor": "r", "admin": "rwcu"},
    "gov.sod.violation": {"auditor": "r", "admin": "r"},
}


@tagged("post_install", "-at_install")
class TestAccess(GovBaseCase):
    def test_access_matrix(self):
        """Every role gets exactly the operations of the matrix, no more."""
        for model, grants in EXPECTED.items():
            for role in ROLES:
                allowed = grants.get(role, "")
                records = self.env[model].with_user(self.users[role])
                for letter, operation in OPERATIONS.items():
                    with self.subTest(model=model, role=role, operation=operation):
                        self.assertEqual(
                            records.has_access(operation),
                            letter in allowed,
                            f"{role} {operation} on {model}",
                        )

    def test_roles_compose_without_escalation(self):
        """Implied groups give each role what it needs and nothing more."""
        admin = self.users["admin"]
        self.assertTrue(admin.has_group("gov_base.gov_base_group_matrix_manager"))
        self.assertTrue(admin.has_group("gov_base.gov_base_group_integration_manager"))
        self.assertFalse(admin.has_group("gov_base.gov_base_group_approver"))
        self.assertFalse(admin.has_group("gov_base.gov_base_group_auditor"))
        for role in ("approver", "matrix_manager", "integration_manager", "auditor"):
            user = self.users[role]
            self.assertTrue(user.has_group("gov_base.gov_base_group_user"), role)
            self.assertFalse(user.has_group("gov_base.gov_base_group_admin"), role)
            self.assertFalse(user.has_group("base.group_system"), role)
        self.assertFalse(
            self.users["matrix_manager"].has_group("gov_base.gov_base_group_approver")
        )

    def test_auditor_reads_events_and_changes_nothing(self):
        event = self.Event.record("test.access", "Readable by auditors")
        as_auditor = event.with_user(self.users["auditor"])
        self.assertEqual(as_auditor.summary, "Readable by auditors")
        with self.assertRaises(AccessError):
            as_auditor.write({"summary": "changed"})
        with self.assertRaises(AccessError):
            as_auditor.unlink()
        with self.assertRaises(AccessError):
            event.with_user(self.users["approver"]).read(["summary"])

    def test_events_follow_company_rules(self):
        """An auditor of company A does not see events of company B."""
        company_b = self.env["res.company"].create({"name": "Gov Company B"})
        event_b = self.Event.record(
            "test.company", "Company B event", company=company_b
        )
        event_a = self.Event.record("test.company", "Company A event")
        auditor = self.users["auditor"]
        visible = (
            self.env["gov.audit.event"]
            .with_user(auditor)
            .search([("id", "in", (event_a | event_b).ids)])
        )
        self.assertEqual(visible, event_a)
        auditor.write({"company_ids": [(4, company_b.id)]})
        visible = (
            self.env["gov.audit.event"]
            .with_user(auditor)
            .with_context(allowed_company_ids=[auditor.company_id.id, company_b.id])
            .search([("id", "in", (event_a | event_b).ids)])
        )
        self.assertEqual(visible, event_a | event_b)

    def test_rule_management_is_admin_only(self):
        rule_vals = {
            "group_a_id": self.env["res.groups"].create({"name": "Test Payments"}).id,
            "group_b_id": self.groups["approver"].id,
            "reason": "Who pays must not approve.",
        }
        with self.assertRaises(AccessError):
            self.env["gov.sod.rule"].with_user(self.users["auditor"]).create(rule_vals)
        rule = self.env["gov.sod.rule"].with_user(self.users["admin"]).create(rule_vals)
        self.assertTrue(rule.active)
