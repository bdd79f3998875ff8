# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.gov_ai.tools.engine import recommendation_writes

from .common import GovAiCase


@tagged("post_install", "-at_install")
class TestSecurity(GovAiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.use_case = cls.make_use_case("duplicate", impact="high")
        cls.original = cls.bill(cls.vendor, "INV-1", 10.0)
        cls.twin = cls.bill(cls.vendor, "inv 001", 10.0)

    def proposed(self):
        rec = self.twin._gov_ai_recommend(self.use_case)
        self.assertEqual(rec.state, "proposed")
        return rec

    def test_nobody_forges_or_changes_a_recommendation(self):
        rec = self.proposed()
        with self.assertRaises(AccessError):
            rec.with_user(self.reviewer).write({"state": "accepted"})
        with self.assertRaises(AccessError):
            rec.sudo().write({"state": "accepted"})
        with self.assertRaises(AccessError):
            rec.sudo().write({"confidence": 0.1})
        with self.assertRaises(AccessError):
            self.Recommendation.sudo().create(
                {
                    "use_case_id": self.use_case.id,
                    "res_model": "res.partner",
                    "res_id": self.twin.id,
                    "company_id": self.env.company.id,
                    "state": "accepted",
                }
            )
        with self.assertRaises(AccessError):
            rec.sudo().unlink()
        # the context key of the engine cannot be forged from outside
        with self.assertRaises(AccessError):
            rec.sudo().with_context(gov_ai_engine=True).write({"state": "accepted"})

    def test_decided_recommendation_is_immutable(self):
        rec = self.proposed()
        rec.with_user(self.reviewer).action_accept()
        self.assertEqual(rec.state, "accepted")
        self.assertEqual(rec.decided_by_id, self.reviewer)
        self.assertTrue(rec.decided_date)
        # not even the engine changes a decided recommendation
        with self.assertRaises(AccessError), recommendation_writes():
            rec.sudo().write({"state": "rejected"})
        with self.assertRaises(UserError):
            rec.with_user(self.reviewer).action_accept()

    def test_decisions_are_audited_and_need_reasons(self):
        rec = self.proposed()
        as_reviewer = rec.with_user(self.reviewer)
        with self.assertRaises(UserError):
            as_reviewer._decide("rejected", reason=" ")
        with self.assertRaises(UserError):
            as_reviewer._decide("overridden", reason="wrong vendor")
        wizard = (
            self.env["gov.ai.decision.wizard"]
            .with_user(self.reviewer)
            .create(
                {
                    "recommendation_ids": [(6, 0, rec.ids)],
                    "decision": "overridden",
                    "override_value": "unique",
                    "reason": "credit note of the first bill",
                }
            )
        )
        wizard.action_confirm()
        self.assertEqual(rec.state, "overridden")
        self.assertEqual(rec.override_value, "unique")
        self.assertFalse(rec.activity_ids)
        event = self.Event.search(
            [("event_type", "=", "ai.decision"), ("res_id", "=", rec.id)]
        )
        self.assertEqual(len(event), 1)
        self.assertEqual(event.user_id, self.reviewer)

    def test_reject_with_reason(self):
        rec = self.proposed()
        rec.with_user(self.reviewer)._decide("rejected", reason="different goods")
        self.assertEqual(rec.state, "rejected")
        self.assertEqual(rec.decision_reason, "different goods")

    def test_access_per_group(self):
        rec = self.proposed()
        for role in ("plain", "user", "matrix_manager"):
            with self.assertRaises(AccessError, msg=role):
                rec.with_user(self.users[role]).read(["state"])
        for role in ("approver", "auditor", "integration_manager"):
            rec.with_user(self.users[role]).read(["state", "explanation"])
        with self.assertRaises(AccessError):
            rec.with_user(self.users["auditor"]).action_accept()
        with self.assertRaises(AccessError):
            rec.with_user(self.users["integration_manager"]).action_accept()
        UseCase = self.env["gov.ai.use.case"]
        with self.assertRaises(AccessError):
            UseCase.with_user(self.reviewer).create(
                {"name": "x", "model_id": self.partner_model.id}
            )
        UseCase.with_user(self.users["integration_manager"]).create(
            {"name": "x", "model_id": self.partner_model.id}
        )

    def test_other_company_cannot_see_recommendations(self):
        rec = self.proposed()
        other = self.env["res.company"].create({"name": "Other Co"})
        auditor = self.users["auditor"]
        auditor.write({"company_ids": [(4, other.id)], "company_id": other.id})
        visible = (
            self.Recommendation.with_user(auditor)
            .with_context(allowed_company_ids=[other.id])
            .search([("id", "=", rec.id)])
        )
        self.assertFalse(visible)

    def test_api_key_is_write_only(self):
        manager = self.users["integration_manager"]
        provider = (
            self.env["gov.ai.provider"]
            .with_user(manager)
            .create(
                {
                    "name": "Local LLM",
                    "kind": "openai_compatible",
                    "base_url": "http://127.0.0.1:9/v1",
                }
            )
        )
        self.assertFalse(provider.has_api_key)
        wizard = (
            self.env["gov.ai.provider.key.wizard"]
            .with_user(manager)
            .create({"provider_id": provider.id, "api_key": "sk-test-123"})
        )
        wizard.action_confirm()
        provider.invalidate_recordset()
        self.assertTrue(provider.has_api_key)
        self.assertFalse(wizard.api_key)
        for user in (manager, self.users["admin"]):
            with self.assertRaises(AccessError):
                provider.with_user(user).read(["api_key"])
        self.assertEqual(provider.sudo().api_key, "sk-test-123")
        self.assertTrue(
            self.Event.search_count(
                [
                    ("event_type", "=", "ai.provider_key_set"),
                    ("res_id", "=", provider.id),
                ]
            )
        )
        with self.assertRaises(AccessError):
            self.env["gov.ai.provider.key.wizard"].with_user(self.reviewer).create(
                {"provider_id": provider.id, "api_key": "x"}
            )

    def test_builtin_provider_is_shipped(self):
        provider = self.env.ref("gov_ai.gov_ai_provider_builtin")
        self.assertEqual(provider.kind, "builtin")
        self.assertEqual(self.use_case.provider_id, provider)


@tagged("post_install", "-at_install")
class TestRecommendationsFollowTheirTarget(GovAiCase):
    """Two reviewers, two confidential bills, each readable by one of them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alice = cls.reviewer
        cls.bob = new_test_user(
            cls.env,
            login="gov_test_approver_2",
            groups="gov_base.gov_base_group_approver",
        )
        cls.env["ir.rule"].create(
            {
                "name": "Confidential contacts: their salesperson only",
                "model_id": cls.partner_model.id,
                "domain_force": "['|', ('name', 'not ilike', 'Confidential'),"
                " ('user_id', '=', user.id)]",
            }
        )
        use_case = cls.make_use_case("duplicate", impact="high")
        cls.bill(cls.vendor, "INV-1", 10.0)
        cls.bill(cls.vendor, "INV-2", 20.0)
        cls.first = cls.bill(cls.vendor, "inv 001", 10.0, user_id=cls.alice.id)
        cls.second = cls.bill(cls.vendor, "inv 002", 20.0, user_id=cls.bob.id)
        cls.first.name, cls.second.name = "Confidential 1", "Confidential 2"
        cls.rec_alice = cls.first._gov_ai_recommend(use_case)
        cls.rec_bob = cls.second._gov_ai_recommend(use_case)

    def test_each_reviewer_finds_only_recommendations_of_readable_records(self):
        both = self.rec_alice | self.rec_bob
        self.assertEqual(both.mapped("state"), ["proposed", "proposed"])
        for user, mine, theirs in (
            (self.alice, self.rec_alice, self.rec_bob),
            (self.bob, self.rec_bob, self.rec_alice),
        ):
            Rec = self.Recommendation.with_user(user)
            found = Rec.search([("id", "in", both.ids)])
            self.assertEqual(found, mine, user.login)
            self.assertEqual(Rec.search_count([("id", "in", both.ids)]), 1)
            groups = Rec._read_group([("id", "in", both.ids)], [], ["__count"])
            self.assertEqual(groups, [(1,)])
            mine.with_user(user).read(["explanation", "evidence"])
            with self.assertRaises(AccessError, msg=user.login):
                theirs.with_user(user).read(["explanation"])
            with self.assertRaises(AccessError, msg=user.login):
                theirs.with_user(user).action_accept()
        # the auditor group reads recommendations, but not of records it
        # cannot read itself
        auditor = self.users["auditor"]
        found = self.Recommendation.with_user(auditor).search([("id", "in", both.ids)])
        self.assertFalse(found)
        self.first.user_id = auditor
        found = self.Recommendation.with_user(auditor).search([("id", "in", both.ids)])
        self.assertEqual(found, self.rec_alice)

    def test_reviewer_decides_on_a_readable_record(self):
        self.rec_alice.with_user(self.alice).action_accept()
        self.assertEqual(self.rec_alice.state, "accepted")
