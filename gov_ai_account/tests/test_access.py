# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import GovAiAccountCase


@tagged("post_install", "-at_install")
class TestAccess(GovAiAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.original = cls.bill(640.0, ref="F-0001", days_ago=2, post=True)
        cls.twin = cls.bill(640.0, ref="F-1", days_ago=1)
        cls.other_company = cls.setup_other_company()["company"]
        cls.foreign_approver = new_test_user(
            cls.env,
            login="gov_ai_acc_foreign",
            groups="account.group_account_invoice,gov_base.gov_base_group_approver",
            company_id=cls.other_company.id,
            company_ids=[Command.set(cls.other_company.ids)],
        )
        cls.auditor = new_test_user(
            cls.env,
            login="gov_ai_acc_auditor",
            groups="account.group_account_invoice,gov_base.gov_base_group_auditor",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    def setUp(self):
        super().setUp()
        # the checks queued when the bills were saved are answered
        self.run_ai_queue()

    def test_invoicing_user_sees_the_hint_not_the_recommendations(self):
        twin = self.twin.with_user(self.invoicing_user)
        self.assertEqual(twin.gov_ai_recommendation_count, 2)
        self.assertIn(self.original.name, twin.gov_ai_duplicate_hint)
        Recommendation = self.env["gov.ai.recommendation"].with_user(
            self.invoicing_user
        )
        with self.assertRaises(AccessError):
            Recommendation.search([("res_id", "=", self.twin.id)])
        with self.assertRaises(AccessError):
            self.recommendations(self.twin).with_user(self.invoicing_user).read(
                ["explanation"]
            )

    def test_recommendations_follow_the_company_of_the_entry(self):
        domain = [("res_model", "=", "account.move"), ("res_id", "=", self.twin.id)]
        foreign = self.env["gov.ai.recommendation"].with_user(self.foreign_approver)
        self.assertFalse(foreign.search(domain))
        with self.assertRaises(AccessError):
            self.twin.with_user(self.foreign_approver).action_gov_ai_recommendations()
        auditor = self.env["gov.ai.recommendation"].with_user(self.auditor)
        self.assertEqual(len(auditor.search(domain)), 2)

    def test_smart_button_opens_the_entrys_recommendations(self):
        action = self.twin.with_user(self.auditor).action_gov_ai_recommendations()
        self.assertEqual(action["res_model"], "gov.ai.recommendation")
        found = (
            self.env["gov.ai.recommendation"]
            .with_user(self.auditor)
            .search(action["domain"])
        )
        self.assertEqual(found, self.recommendations(self.twin))
        self.assertEqual(set(found.mapped("res_id")), {self.twin.id})

    def test_form_shows_the_hint_to_all_and_the_button_to_governance(self):
        def form_arch(user):
            views = (
                self.env["account.move"].with_user(user).get_views([(False, "form")])
            )
            return views["views"]["form"]["arch"]

        invoicing_arch = form_arch(self.invoicing_user)
        self.assertIn("o_gov_ai_duplicate_hint", invoicing_arch)
        self.assertNotIn("action_gov_ai_recommendations", invoicing_arch)
        self.assertIn("action_gov_ai_recommendations", form_arch(self.auditor))

    def test_entries_of_another_company_stay_hidden(self):
        with self.assertRaises(AccessError):
            self.twin.with_user(self.foreign_approver).read(["gov_ai_duplicate_hint"])
