# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

import psycopg2

from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import GovBaseCase

REFUSAL = "Segregation of duties"


@tagged("post_install", "-at_install")
class TestSegregationOfDuties(GovBaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.auditor = cls.users["auditor"]
        cls.approver_group = cls.groups["approver"]
        cls.auditor_group = cls.groups["auditor"]
        cls.rule = cls.env.ref("gov_base.gov_sod_rule_auditor_approver")

    def assertRefused(self, error, *names):
        message = str(error.exception)
        self.assertIn(REFUSAL, message)
        self.assertIn(self.rule.reason, message)
        for name in names:
            self.assertIn(name, message)

    def test_refused_on_user_write(self):
        with self.assertRaises(ValidationError) as error:
            self.auditor.write({"group_ids": [Command.link(self.approver_group.id)]})
        self.assertRefused(
            error,
            self.auditor.name,
            self.auditor_group.display_name,
            self.approver_group.display_name,
        )
        self.assertFalse(self.auditor.has_group("gov_base.gov_base_group_approver"))

    def test_refused_on_user_create(self):
        with self.assertRaises(ValidationError) as error:
            new_test_user(
                self.env,
                login="gov_both",
                groups="gov_base.gov_base_group_auditor,gov_base.gov_base_group_approver",
            )
        self.assertRefused(error)

    def test_refused_on_group_members(self):
        """Adding the auditor to the Approver group's users is refused."""
        with self.assertRaises(ValidationError) as error:
            self.approver_group.write({"user_ids": [Command.link(self.auditor.id)]})
        self.assertRefused(error, self.auditor.name)

    def test_refused_through_implied_group(self):
        """A group that implies Approver cannot be given to an auditor..."""
        team = self.env["res.groups"].create(
            {"name": "Buyers", "implied_ids": [Command.link(self.approver_group.id)]}
        )
        with self.assertRaises(ValidationError):
            self.auditor.write({"group_ids": [Command.link(team.id)]})
        with self.assertRaises(ValidationError):
            team.write({"user_ids": [Command.link(self.auditor.id)]})

    def test_refused_when_a_group_starts_implying(self):
        """...and a group the auditor holds cannot start implying Approver."""
        team = self.env["res.groups"].create(
            {"name": "Reviewers", "user_ids": [Command.link(self.auditor.id)]}
        )
        with self.assertRaises(ValidationError) as error:
            team.write({"implied_ids": [Command.link(self.approver_group.id)]})
        self.assertRefused(error, self.auditor.name)

    def test_refused_when_a_group_becomes_implied(self):
        """Same change, made from the implied group's side."""
        team = self.env["res.groups"].create(
            {"name": "Reviewers", "user_ids": [Command.link(self.auditor.id)]}
        )
        with self.assertRaises(ValidationError) as error:
            self.approver_group.write({"implied_by_ids": [Command.link(team.id)]})
        self.assertRefused(error, self.auditor.name)

    def test_refused_through_user_form(self):
        """The user form saves with web_save; the refusal holds there too."""
        with self.assertRaises(ValidationError) as error:
            self.auditor.with_user(self.users["admin"]).sudo().web_save(
                {"group_ids": [Command.link(self.approver_group.id)]}, specification={}
            )
        self.assertRefused(error)

    def test_refused_for_archived_users_too(self):
        self.auditor.active = False
        with self.assertRaises(ValidationError):
            self.auditor.write({"group_ids": [Command.link(self.approver_group.id)]})

    def test_allowed_once_rule_is_archived(self):
        self.rule.active = False
        self.auditor.write({"group_ids": [Command.link(self.approver_group.id)]})
        self.assertTrue(self.auditor.has_group("gov_base.gov_base_group_approver"))

    def test_violation_report_lists_users_from_before_the_rule(self):
        self.rule.active = False
        self.auditor.write({"group_ids": [Command.link(self.approver_group.id)]})
        Violation = self.env["gov.sod.violation"]
        self.assertFalse(Violation.search([("user_id", "=", self.auditor.id)]))
        self.rule.active = True
        self.env.flush_all()
        violations = Violation.search([("user_id", "=", self.auditor.id)])
        self.assertEqual(len(violations), 1)
        self.assertEqual(violations.rule_id, self.rule)
        self.assertEqual(violations.group_a_id, self.auditor_group)
        self.assertEqual(violations.group_b_id, self.approver_group)
        self.assertEqual(self.rule.violation_count, 1)
        action = self.rule.action_view_violations()
        self.assertEqual(Violation.search(action["domain"]), violations)
        # The report follows implied groups: a new rule on Governance User
        # (implied by Approver) catches the same user.
        other = self.env["res.groups"].create(
            {"name": "Vendor Master", "user_ids": [Command.link(self.auditor.id)]}
        )
        rule2 = self.env["gov.sod.rule"].create(
            {
                "group_a_id": other.id,
                "group_b_id": self.groups["user"].id,
                "reason": "Vendor master keepers must not use the suite.",
            }
        )
        self.env.flush_all()
        self.assertEqual(rule2.violation_count, 1)

    def test_rule_changes_are_audited(self):
        group = self.env["res.groups"].create({"name": "Treasury"})
        rule = self.env["gov.sod.rule"].create(
            {
                "group_a_id": group.id,
                "group_b_id": self.approver_group.id,
                "reason": "Treasury executes payments.",
            }
        )
        rule.reason = "Treasury executes the payments approvers release."
        events = self.Event.search(
            [("res_model", "=", "gov.sod.rule"), ("res_id", "=", rule.id)], order="id"
        )
        self.assertEqual(
            events.mapped("event_type"), ["sod.rule.created", "sod.rule.changed"]
        )
        details = json.loads(events[1].details)
        self.assertEqual(details["before"]["reason"], "Treasury executes payments.")
        self.assertEqual(
            details["after"]["reason"],
            "Treasury executes the payments approvers release.",
        )

    def test_role_changes_are_audited(self):
        user = self.users["plain"]
        user.write({"group_ids": [Command.link(self.approver_group.id)]})
        event = self.Event.search(
            [("event_type", "=", "security.roles_changed"), ("res_id", "=", user.id)],
            order="id desc",
            limit=1,
        )
        self.assertTrue(event)
        details = json.loads(event.details)
        self.assertIn(self.approver_group.display_name, details["added"])
        self.assertIn(self.groups["user"].display_name, details["added"])
        self.assertEqual(details["removed"], [])
        self.assertEqual(event.res_model, "res.users")

    def test_roles_gained_through_implied_groups_are_audited(self):
        user = self.users["plain"]
        team = self.env["res.groups"].create(
            {"name": "Buyers", "user_ids": [Command.link(user.id)]}
        )
        roles_changed = [("event_type", "=", "security.roles_changed")]
        before = self.Event.search_count(roles_changed)
        team.write(
            {
                "implied_ids": [
                    Command.link(self.env.ref("base.group_multi_currency").id)
                ]
            }
        )
        self.assertEqual(
            self.Event.search_count(roles_changed), before, "no role involved"
        )
        team.write({"implied_ids": [Command.link(self.approver_group.id)]})
        event = self.Event.search(roles_changed + [("res_id", "=", user.id)], limit=1)
        self.assertIn(
            self.approver_group.display_name, json.loads(event.details)["added"]
        )

    def test_invalid_rules_are_refused(self):
        Rule = self.env["gov.sod.rule"]
        with self.assertRaises(ValidationError), mute_logger("odoo.sql_db"):
            # Approver implies Governance User: nobody could be an approver.
            Rule.create(
                {
                    "group_a_id": self.approver_group.id,
                    "group_b_id": self.groups["user"].id,
                    "reason": "x",
                }
            )
        with self.assertRaises(ValidationError):
            # Administrator implies both Matrix and Integration Manager.
            Rule.create(
                {
                    "group_a_id": self.groups["matrix_manager"].id,
                    "group_b_id": self.groups["integration_manager"].id,
                    "reason": "x",
                }
            )
        # The same pair in the other order already exists.
        with (
            self.assertRaises(psycopg2.errors.UniqueViolation),
            mute_logger("odoo.sql_db"),
        ):
            Rule.create(
                {
                    "group_a_id": self.approver_group.id,
                    "group_b_id": self.auditor_group.id,
                    "reason": "duplicate",
                }
            )
            self.env.flush_all()

    def _queries_to_grant(self, user, group):
        user.write({"group_ids": [Command.link(group.id)]})
        user.write({"group_ids": [Command.unlink(group.id)]})  # warm caches
        self.env.flush_all()
        start = self.env.cr.sql_log_count
        user.write({"group_ids": [Command.link(group.id)]})
        self.env.flush_all()
        return self.env.cr.sql_log_count - start

    def test_rule_check_cost_does_not_grow_with_rules(self):
        """Rules are cached: ten more rules add no query to a group change."""
        before = self._queries_to_grant(self.users["plain"], self.approver_group)
        for index in range(10):
            self.env["gov.sod.rule"].create(
                {
                    "group_a_id": self.env["res.groups"]
                    .create({"name": f"Desk {index}"})
                    .id,
                    "group_b_id": self.approver_group.id,
                    "reason": "Desk staff must not approve.",
                }
            )
        after = self._queries_to_grant(
            self.users["integration_manager"], self.approver_group
        )
        self.assertEqual(after, before)


@tagged("post_install", "-at_install")
class TestSegregationOfDutiesRpc(HttpCase):
    def test_refused_through_json_rpc(self):
        auditor = new_test_user(
            self.env, login="gov_rpc_auditor", groups="gov_base.gov_base_group_auditor"
        )
        approver_group = self.env.ref("gov_base.gov_base_group_approver")
        self.authenticate("admin", "admin")
        with mute_logger("odoo.http"):
            response = self.url_open(
                "/web/dataset/call_kw/res.users/write",
                data=json.dumps(
                    {
                        "jsonrpc": "2.0",
                        "method": "call",
                        "id": 1,
                        "params": {
                            "model": "res.users",
                            "method": "write",
                            "args": [
                                [auditor.id],
                                {"group_ids": [(4, approver_group.id)]},
                            ],
                            "kwargs": {},
                        },
                    }
                ),
                headers={"Content-Type": "application/json"},
            )
        error = response.json()["error"]["data"]
        self.assertEqual(error["name"], "odoo.exceptions.ValidationError")
        self.assertIn("Segregation of duties", error["message"])
        self.assertFalse(auditor.has_group("gov_base.gov_base_group_approver"))
