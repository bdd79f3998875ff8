# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Recommendations are written by the AI engine only: not by an
administrator's code server action, not under ``sudo()``, not by an
automation rule the engine's own writes trigger."""

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.gov_exception.tests.common import AdminCodeActionMixin

from .common import GovAiCase

SNAPSHOT_FIELDS = [
    "state",
    "label",
    "confidence",
    "decided_by_id",
    "decision_reason",
    "override_value",
    "correlation_id",
    "exception_item_id",
]


@tagged("post_install", "-at_install")
class TestAdminCodeCannotWriteRecommendations(AdminCodeActionMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.reviewer = new_test_user(
            cls.env,
            login="gov_ai_engine_reviewer",
            password="gov_ai_engine_reviewer",
            groups="gov_base.gov_base_group_approver",
        )

        def field(name):
            return cls.env["ir.model.fields"]._get("res.partner", name)

        visible = field("ref") | field("parent_id") | field("partner_latitude")
        cls.use_case = cls.env["gov.ai.use.case"].create(
            {
                "name": "Engine-only duplicates",
                "model_id": cls.env["ir.model"]._get("res.partner").id,
                "task": "duplicate",
                "impact": "high",
                "field_ids": [Command.set(visible.ids)],
                "reference_field_id": field("ref").id,
                "partner_field_id": field("parent_id").id,
                "amount_field_id": field("partner_latitude").id,
                "reviewer_id": cls.reviewer.id,
            }
        )
        cls.vendor = Partner.create({"name": "Engine Vendor", "is_company": True})
        Partner.create(
            {
                "name": "Bill INV-1",
                "parent_id": cls.vendor.id,
                "ref": "INV-1",
                "partner_latitude": 10.0,
            }
        )
        cls.twin = Partner.create(
            {
                "name": "Bill inv 001",
                "parent_id": cls.vendor.id,
                "ref": "inv 001",
                "partner_latitude": 10.0,
            }
        )
        cls.rec = cls.twin._gov_ai_recommend(cls.use_case)

    def snapshot(self):
        self.env.invalidate_all()
        Recommendation = self.env["gov.ai.recommendation"].sudo()
        return {
            "rec": self.rec.sudo().read(SNAPSHOT_FIELDS, load=None)[0],
            "recs": Recommendation.search_count([]),
            "items": self.env["gov.exception.item"].sudo().search_count([]),
            "events": self.env["gov.audit.event"].sudo().search_count([]),
        }

    def forgeries(self):
        """What an administrator's code could try, one statement each."""
        guard = "written by the suite's engine only"
        vals = {
            "use_case_id": self.use_case.id,
            "res_model": "res.partner",
            "res_id": self.twin.id,
            "company_id": self.env.company.id,
            "state": "accepted",
        }
        reviewer = f"with_user({self.reviewer.id})"
        forged_engine = "with_context(gov_ai_engine=True)"
        answer = {"state": "auto_applied", "confidence": 1.0}
        return [
            ("records.sudo().write({'state': 'accepted'})", guard),
            ("records.write({'state': 'accepted'})", guard),
            ("records.sudo().write({'confidence': 0.01})", guard),
            ("records._engine().write({'state': 'accepted'})", "_engine"),
            (f"records.sudo().{forged_engine}.write({{'state': 'accepted'}})", guard),
            (f"records.sudo()._complete({answer!r})", guard),
            ("records.sudo()._outdate()", guard),
            ("records.sudo()._record_decisions('accepted', 'forged', False)", guard),
            ("records.sudo()._ask_async(records.use_case_id, records)", guard),
            ("records.sudo()._work_off_queue()", guard),
            ("records.sudo().unlink()", guard),
            (f"model.sudo().create({vals!r})", guard),
            # the administrator is no approver, and nobody decides for another
            ("records.sudo()._decide('accepted')", "Only approvers"),
            (f"records.{reviewer}.action_accept()", "another user's name"),
            (f"records.{reviewer}._decide('rejected', 'x')", "another user's name"),
        ]

    def test_each_forgery_is_refused_and_changes_nothing(self):
        self.assertEqual(self.rec.state, "proposed")
        before = self.snapshot()
        for code, refusal in self.forgeries():
            with self.subTest(code=code):
                answer = self.run_code_as_admin(code, self.rec)
                self.assertRefused(answer, refusal)
                self.assertEqual(self.snapshot(), before, code)

    def test_catching_the_refusals_gains_nothing(self):
        before = self.snapshot()
        code = "\n".join(
            f"try:\n    {statement}\nexcept Exception:\n    pass"
            for statement, _refusal in self.forgeries()
        )
        answer = self.run_code_as_admin(code, self.rec)
        self.assertNotIn("error", answer)
        self.assertEqual(self.snapshot(), before)

    def test_asking_and_deciding_still_work(self):
        # the public API asks the engine from an administrator's code
        other = self.env["res.partner"].create(
            {"name": "Bill INV-9", "parent_id": self.vendor.id, "ref": "INV-9"}
        )
        answer = self.run_code_as_admin(
            f"records._gov_ai_recommend(env['gov.ai.use.case'].browse({self.use_case.id}))",
            other,
        )
        self.assertNotIn("error", answer)
        asked = self.env["gov.ai.recommendation"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", other.id)]
        )
        self.assertEqual(len(asked), 1)
        # the reviewer decides over RPC, in their own name
        self.authenticate("gov_ai_engine_reviewer", "gov_ai_engine_reviewer")
        self.make_jsonrpc_request(
            "/web/dataset/call_kw/gov.ai.recommendation/action_accept",
            {
                "model": "gov.ai.recommendation",
                "method": "action_accept",
                "args": [self.rec.ids],
                "kwargs": {},
            },
        )
        self.assertEqual(self.rec.state, "accepted")
        self.assertEqual(self.rec.decided_by_id, self.reviewer)


@tagged("post_install", "-at_install")
class TestNoGrantInAutomationRules(GovAiCase):
    def test_a_rule_triggered_by_the_engine_cannot_write_recommendations(self):
        use_case = self.make_use_case("duplicate", impact="high")
        self.bill(self.vendor, "INV-1", 10.0)
        twin = self.bill(self.vendor, "inv 001", 10.0)
        rec_model = self.env["ir.model"]._get("gov.ai.recommendation")
        action = self.env["ir.actions.server"].create(
            {
                "name": "Accept every proposal",
                "model_id": rec_model.id,
                "state": "code",
                "code": "records.sudo().write({'state': 'accepted'})",
            }
        )
        self.env["base.automation"].create(
            {
                "name": "Proposals accept themselves",
                "model_id": rec_model.id,
                "trigger": "on_create_or_write",
                "filter_domain": "[('state', '=', 'proposed')]",
                "action_server_ids": [Command.link(action.id)],
            }
        )
        with self.assertRaises(AccessError):
            twin._gov_ai_recommend(use_case)
        self.assertFalse(self.Recommendation.sudo().search([("res_id", "=", twin.id)]))


@tagged("post_install", "-at_install")
class TestAuditorsChangeNothing(GovAiCase):
    def test_every_change_is_refused_to_an_auditor(self):
        use_case = self.make_use_case("duplicate", impact="high")
        self.bill(self.vendor, "INV-1", 10.0)
        twin = self.bill(self.vendor, "inv 001", 10.0)
        rec = twin._gov_ai_recommend(use_case)
        provider = use_case.provider_id
        auditor = self.users["auditor"]
        as_auditor = rec.with_user(auditor)
        as_auditor.read(["state", "explanation"])
        attempts = [
            lambda: as_auditor.write({"state": "accepted"}),
            lambda: as_auditor.unlink(),
            lambda: self.Recommendation.with_user(auditor).create(
                {"use_case_id": use_case.id, "res_model": "res.partner"}
            ),
            lambda: as_auditor.action_accept(),
            lambda: as_auditor.action_open_reject(),
            lambda: as_auditor.action_open_override(),
            lambda: as_auditor._decide("rejected", reason="audit"),
            lambda: as_auditor.message_post(body="note"),
            lambda: (
                self.env["gov.ai.decision.wizard"]
                .with_user(auditor)
                .create({"recommendation_ids": rec.ids, "reason": "audit"})
            ),
            lambda: use_case.with_user(auditor).write({"review_threshold": 0.1}),
            lambda: use_case.with_user(auditor).unlink(),
            lambda: (
                self.env["gov.ai.use.case"]
                .with_user(auditor)
                .create({"name": "x", "model_id": self.partner_model.id})
            ),
            lambda: provider.with_user(auditor).write({"timeout": 5}),
            lambda: provider.with_user(auditor)._set_api_key("sk-audit"),
            lambda: (
                self.env["gov.ai.provider"].with_user(auditor).create({"name": "x"})
            ),
            lambda: (
                self.env["gov.ai.provider.key.wizard"]
                .with_user(auditor)
                .create({"provider_id": provider.id, "api_key": "x"})
            ),
        ]
        for index, attempt in enumerate(attempts):
            with self.subTest(index=index), self.assertRaises(AccessError):
                attempt()
        self.assertEqual(rec.state, "proposed")
        self.assertEqual(use_case.review_threshold, 0.6)


@tagged("post_install", "-at_install")
class TestCompanyRules(GovAiCase):
    """Each group sees the recommendations, use cases and providers of its
    companies (and the shared use cases and providers)."""

    def test_records_of_another_company_stay_hidden_for_every_group(self):
        other = self.env["res.company"].create({"name": "AI Company B"})
        UseCase = self.env["gov.ai.use.case"]
        Provider = self.env["gov.ai.provider"]
        shared_case = self.make_use_case("duplicate", company_id=False)
        case_here = self.make_use_case("duplicate", company_id=self.env.company.id)
        case_there = self.make_use_case("duplicate", company_id=other.id)
        provider_here = Provider.create(
            {"name": "Here", "company_id": self.env.company.id}
        )
        provider_there = Provider.create({"name": "There", "company_id": other.id})
        shared_provider = self.env.ref("gov_ai.gov_ai_provider_builtin")
        # the same contact (no company) asked by a use case of each company
        self.bill(self.vendor, "INV-1", 10.0)
        twin = self.bill(self.vendor, "inv 001", 10.0)
        rec_here = twin._gov_ai_recommend(case_here)
        rec_there = twin._gov_ai_recommend(case_there)
        self.assertEqual(rec_there.company_id, other)
        recs = rec_here | rec_there
        cases = shared_case | case_here | case_there
        providers = shared_provider | provider_here | provider_there
        both = [self.env.company.id, other.id]
        for role in ("user", "approver", "integration_manager", "auditor", "admin"):
            user = self.users[role]
            with self.subTest(role=role):
                self.assertEqual(
                    UseCase.with_user(user).search([("id", "in", cases.ids)]),
                    shared_case | case_here,
                )
                self.assertEqual(
                    Provider.with_user(user).search([("id", "in", providers.ids)]),
                    shared_provider | provider_here,
                )
                can_read_recs = role != "user"
                if can_read_recs:
                    Rec = self.Recommendation.with_user(user)
                    self.assertEqual(Rec.search([("id", "in", recs.ids)]), rec_here)
                    with self.assertRaises(AccessError):
                        rec_there.with_user(user).read(["label"])
                # once the user works in both companies, both are visible
                user.company_ids |= other
                self.assertEqual(
                    UseCase.with_user(user)
                    .with_context(allowed_company_ids=both)
                    .search([("id", "in", cases.ids)]),
                    cases,
                )
                if can_read_recs:
                    self.assertEqual(
                        self.Recommendation.with_user(user)
                        .with_context(allowed_company_ids=both)
                        .search([("id", "in", recs.ids)]),
                        recs,
                    )
                user.company_ids -= other
