# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the AI rules cost a save: the rules of a model are looked up from a
cache that follows their changes, and recomputations are not watched for
rules that watch fields no computation sets."""

from unittest.mock import patch

from odoo.fields import Command
from odoo.tests import tagged

from .common import GovAiCase


@tagged("post_install", "-at_install")
class TestRuleCost(GovAiCase):
    def rule(self, use_case, trigger_fields):
        return self.env["base.automation"].create(
            {
                "name": "Check contacts",
                "model_id": self.partner_model.id,
                "trigger": "on_create_or_write",
                "trigger_field_ids": [Command.set(trigger_fields.ids)],
                "action_server_ids": [
                    Command.create(
                        {
                            "name": "Ask",
                            "model_id": self.partner_model.id,
                            "state": "gov_ai_recommend",
                            "gov_ai_use_case_id": use_case.id,
                        }
                    )
                ],
            }
        )

    def asked(self, record):
        return self.Recommendation.search([("res_id", "=", record.id)])

    def test_rules_are_found_without_a_query_and_follow_their_changes(self):
        use_case = self.make_use_case("duplicate", impact="high")
        rule = self.rule(use_case, self.fields["ref"])
        Automation = self.env["base.automation"]
        triggers = ["on_create_or_write"]
        Automation._get_actions(self.vendor, triggers)
        # found again without searching the rules
        with patch.object(
            type(Automation), "search", side_effect=AssertionError("searched")
        ):
            found = Automation._get_actions(self.vendor, triggers)
        self.assertIn(rule, found)
        self.assertTrue(self.asked(self.bill(self.vendor, "INV-1", 10.0)))
        rule.active = False
        self.assertNotIn(rule, Automation._get_actions(self.vendor, triggers))
        self.assertFalse(self.asked(self.bill(self.vendor, "INV-2", 10.0)))
        rule.active = True
        self.assertIn(rule, Automation._get_actions(self.vendor, triggers))
        self.assertTrue(self.asked(self.bill(self.vendor, "INV-3", 10.0)))

    def test_recomputations_are_watched_only_when_a_rule_can_fire_there(self):
        use_case = self.make_use_case("duplicate", impact="high")
        Partner = self.env.registry["res.partner"]
        rule = self.rule(use_case, self.fields["ref"] | self.fields["parent_id"])
        self.assertIn("write", vars(Partner))
        self.assertNotIn("_compute_field_value", vars(Partner))
        # edits of a watched field still ask
        contact = self.bill(self.vendor, "INV-1", 10.0)
        contact.ref = "INV-7"
        self.assertEqual(len(self.asked(contact)), 2)
        # a rule that watches every field may fire on a recomputation
        rule.trigger_field_ids = [Command.clear()]
        self.assertIn("_compute_field_value", vars(Partner))
        rule.trigger_field_ids = [Command.set(self.fields["ref"].ids)]
        self.assertNotIn("_compute_field_value", vars(Partner))
        # the watched fields are read again when they change
        rule.trigger_field_ids = [Command.set(self.fields["parent_id"].ids)]
        contact.ref = "INV-8"
        self.assertEqual(len(self.asked(contact)), 2)
        rule.trigger_field_ids = [Command.set(self.fields["ref"].ids)]
        contact.ref = "INV-9"
        self.assertEqual(len(self.asked(contact)), 3)
