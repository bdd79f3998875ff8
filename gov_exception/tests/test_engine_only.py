# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Items and attempts are written by the queue only: not by an
administrator's code server action, not under ``sudo()``, not by an
automation rule the queue's own writes trigger."""

import json

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.gov_exception.tools.engine import queue_writes

from .common import AdminCodeActionMixin, GovExceptionCase

SNAPSHOT_FIELDS = [
    "name",
    "state",
    "owner_id",
    "severity",
    "payload",
    "original_payload",
    "occurrence_count",
    "last_error",
    "attempt_count",
    "resolution_note",
    "closed_by_id",
    "sla_breached",
    "handler_model",
    "handler_method",
    "handler_user_id",
]


@tagged("post_install", "-at_install")
class TestAdminCodeCannotWriteTheQueue(AdminCodeActionMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Item = cls.env["gov.exception.item"]
        cls.partner = cls.env["res.partner"].create({"name": "Engine Only Partner"})
        cls.apply_payload = cls.env["ir.actions.server"].create(
            {
                "name": "Apply payload",
                "model_id": cls.env["ir.model"]._get("res.partner").id,
                "state": "code",
                "code": "record.write(payload)",
            }
        )
        cls.item = cls.Item.capture(
            "handler",
            "Contact sync refused",
            source="engine-only",
            record=cls.partner,
            payload={"no_such_field": "refused by the handler"},
            error="Invalid website",
            handler={
                "model": "ir.actions.server",
                "method": "_gov_run_with_payload",
                "res_id": cls.apply_payload.id,
                "kwargs": {"res_model": "res.partner", "res_id": cls.partner.id},
            },
        )
        # one failed attempt in the history, as the queue writes it
        with queue_writes():
            cls.item._run_handlers("manual")
        cls.other_user = new_test_user(
            cls.env,
            login="gov_engine_other",
            groups="gov_base.gov_base_group_integration_manager",
        )

    def snapshot(self):
        self.env.invalidate_all()
        Attempt = self.env["gov.exception.attempt"].sudo()
        return {
            "item": self.item.sudo().read(SNAPSHOT_FIELDS, load=None)[0],
            "items": self.Item.sudo().search_count([]),
            "attempts": Attempt.search_count([]),
            "attempt_rows": Attempt.search([]).read(["outcome", "kind", "user_id"]),
            "partner": self.partner.name,
        }

    def forgeries(self):
        """What an administrator's code could try, one statement each."""
        item_vals = {
            "name": "forged",
            "category": "other",
            "fingerprint": "forged",
            "state": "resolved",
            "company_id": self.env.company.id,
        }
        attempt_vals = {"item_id": self.item.id, "kind": "manual", "outcome": "success"}
        on_queue = {
            "model": "gov.exception.item",
            "method": "write",
            "res_id": self.item.id,
        }
        on_partner = {"model": "res.partner", "method": "write", "res_id": 0}
        other = f"with_user({self.other_user.id})"
        forged_engine = "with_context(gov_exception_engine=True)"
        fold_args = "record.fingerprint, record.company_id.id, 'forged'"
        guard = "written by the suite's engine only"
        return [
            ("records.sudo().write({'state': 'resolved'})", guard),
            ("records.write({'state': 'resolved'})", guard),
            ("records.sudo().write({'severity': 'low', 'state': 'resolved'})", guard),
            ("records.sudo().write({'payload': '{}'})", guard),
            ("records._engine().write({'state': 'resolved'})", "_engine"),
            ("records._engine_write({'state': 'resolved'})", "_engine_write"),
            (f"records.sudo().{forged_engine}.write({{'state': 'resolved'}})", guard),
            ("records.sudo()._close_items('resolved', 'forged')", guard),
            ("records.sudo()._run_handlers('manual')", guard),
            ("records.sudo()._replay_with_payload('{}')", guard),
            ("records.sudo()._flag_sla_breach()", guard),
            (f"model.sudo()._fold_repeat({fold_args})", guard),
            (f"model.sudo()._insert_or_fold({item_vals!r}, 'forged')", guard),
            ("records.sudo().unlink()", guard),
            (f"model.sudo().create({item_vals!r})", guard),
            (f"env['gov.exception.attempt'].sudo().create({attempt_vals!r})", guard),
            ("records.attempt_ids.sudo().write({'outcome': 'failed'})", guard),
            ("records.attempt_ids.sudo().unlink()", guard),
            # a handler runs inside the queue's grant: never on the queue itself
            (f"model.capture('other', 'x', handler={on_queue!r})", "its own handler"),
            # nobody acts in another user's name
            (f"records.{other}.action_assign_to_me()", "another user's name"),
            (f"records.{other}.close_items('resolved', 'x')", "another user's name"),
            (
                f"model.{other}.capture('other', 'x', handler={on_partner!r})",
                "another user's name",
            ),
        ]

    def test_each_forgery_is_refused_and_changes_nothing(self):
        before = self.snapshot()
        for code, refusal in self.forgeries():
            with self.subTest(code=code):
                answer = self.run_code_as_admin(code, self.item)
                self.assertRefused(answer, refusal)
                self.assertEqual(self.snapshot(), before, code)

    def test_catching_the_refusals_gains_nothing(self):
        """Code that swallows each refusal ends normally, and the queue is as
        it was (the handler's own effect is the administrator's to make)."""
        before = self.snapshot()
        code = "\n".join(
            f"try:\n    {statement}\nexcept Exception:\n    pass"
            for statement, _refusal in self.forgeries()
        )
        answer = self.run_code_as_admin(code, self.item)
        self.assertNotIn("error", answer)
        after = self.snapshot()
        after.pop("partner")
        before.pop("partner")
        self.assertEqual(after, before)

    def test_the_queue_still_works_for_the_administrator(self):
        # the public capture API and the buttons work from code, as the admin
        answer = self.run_code_as_admin(
            "records.action_assign_to_me()\n"
            "model.capture('other', 'Raised from code', source='engine-only-code')",
            self.item,
        )
        self.assertNotIn("error", answer)
        admin = self.env.ref("base.user_admin")
        self.assertEqual(self.item.owner_id, admin)
        self.assertEqual(self.item.state, "assigned")
        raised = self.Item.search([("source", "=", "engine-only-code")])
        self.assertEqual(raised.state, "new")
        # and so does a button over RPC
        self.authenticate("admin", "admin")
        self.make_jsonrpc_request(
            "/web/dataset/call_kw/gov.exception.item/close_items",
            {
                "model": "gov.exception.item",
                "method": "close_items",
                "args": [self.item.ids, "resolved", "fixed upstream"],
                "kwargs": {},
            },
        )
        self.assertEqual(self.item.state, "resolved")
        self.assertEqual(self.item.closed_by_id, admin)


@tagged("post_install", "-at_install")
class TestNoGrantInAutomationRules(GovExceptionCase):
    def test_a_rule_triggered_by_the_queue_cannot_write_the_queue(self):
        item_model = self.env["ir.model"]._get("gov.exception.item")
        action = self.env["ir.actions.server"].create(
            {
                "name": "Close critical items at once",
                "model_id": item_model.id,
                "state": "code",
                "code": "records.sudo().write({'state': 'ignored'})",
            }
        )
        self.env["base.automation"].create(
            {
                "name": "Critical items close themselves",
                "model_id": item_model.id,
                "trigger": "on_create_or_write",
                "filter_domain": "[('severity', '=', 'critical')]",
                "action_server_ids": [Command.link(action.id)],
            }
        )
        with self.assertRaises(AccessError):
            self.capture(severity="critical", source="rule-test")
        self.assertFalse(self.Item.search([("source", "=", "rule-test")]))


@tagged("post_install", "-at_install")
class TestAuditorsChangeNothing(GovExceptionCase):
    def test_every_change_is_refused_to_an_auditor(self):
        item = self.capture(handler=self.handler(self.action_write))
        policy = self.env["gov.exception.policy"].create({"name": "Audited"})
        auditor = self.users["auditor"]
        as_auditor = item.with_user(auditor)
        as_auditor.read(["state", "payload"])
        attempts = [
            lambda: as_auditor.write({"severity": "low"}),
            lambda: as_auditor.write({"owner_id": auditor.id}),
            lambda: as_auditor.unlink(),
            lambda: self.Item.with_user(auditor).create(
                {"name": "x", "category": "other", "fingerprint": "x"}
            ),
            lambda: as_auditor.action_assign_to_me(),
            lambda: as_auditor.action_start(),
            lambda: as_auditor.action_retry_now(),
            lambda: as_auditor.action_replay(),
            lambda: as_auditor.replay_with_payload(json.dumps({"name": "x"})),
            lambda: as_auditor.close_items("resolved", "audit"),
            lambda: as_auditor.action_open_replay_wizard(),
            lambda: as_auditor.action_open_close_wizard(),
            lambda: as_auditor.message_post(body="note"),
            lambda: (
                self.env["gov.exception.replay.wizard"]
                .with_user(auditor)
                .create({"item_id": item.id, "payload": "{}"})
            ),
            lambda: (
                self.env["gov.exception.close.wizard"]
                .with_user(auditor)
                .create({"item_ids": item.ids, "note": "x"})
            ),
            lambda: policy.with_user(auditor).write({"name": "changed"}),
            lambda: policy.with_user(auditor).unlink(),
            lambda: (
                self.env["gov.exception.policy"]
                .with_user(auditor)
                .create({"name": "new"})
            ),
            lambda: (
                self.env["gov.exception.attempt"]
                .with_user(auditor)
                .create({"item_id": item.id, "kind": "manual", "outcome": "success"})
            ),
        ]
        for index, attempt in enumerate(attempts):
            with self.subTest(index=index), self.assertRaises(AccessError):
                attempt()
        self.assertEqual(item.state, "new")
        self.assertFalse(item.owner_id)
        self.assertEqual(policy.name, "Audited")


@tagged("post_install", "-at_install")
class TestCompanyRules(GovExceptionCase):
    """Each group sees the items, attempts and policies of its companies."""

    def test_records_of_another_company_stay_hidden_for_every_group(self):
        other = self.env["res.company"].create({"name": "Queue Company B"})
        here = self.capture(payload={"company": "A"})
        there = self.Item.capture(
            "handler",
            "elsewhere",
            company=other,
            payload={"company": "B"},
            handler=self.handler(self.action_write),
        )
        with queue_writes():
            there._run_handlers("manual")
            (here | there).write({"team_id": self.groups["user"].id})
        policy_here = self.env["gov.exception.policy"].create(
            {"name": "Company A", "company_id": self.env.company.id}
        )
        policy_there = self.env["gov.exception.policy"].create(
            {"name": "Company B", "company_id": other.id}
        )
        shared = self.env["gov.exception.policy"].create({"name": "Every company"})
        for role in ("user", "approver", "integration_manager", "auditor", "admin"):
            user = self.users[role]
            with self.subTest(role=role):
                Item = self.Item.with_user(user)
                found = Item.search([("id", "in", (here | there).ids)])
                self.assertEqual(found, here)
                Attempt = self.env["gov.exception.attempt"].with_user(user)
                self.assertFalse(Attempt.search([("item_id", "=", there.id)]))
                with self.assertRaises(AccessError):
                    there.with_user(user).read(["name"])
                if role in ("integration_manager", "auditor", "admin"):
                    Policy = self.env["gov.exception.policy"].with_user(user)
                    policies = Policy.search(
                        [("id", "in", (policy_here | policy_there | shared).ids)]
                    )
                    self.assertEqual(policies, policy_here | shared)
                # once the user works in both companies, both are visible
                user.company_ids |= other
                both = Item.with_context(
                    allowed_company_ids=[self.env.company.id, other.id]
                ).search([("id", "in", (here | there).ids)])
                self.assertEqual(both, here | there)
                self.assertTrue(
                    Attempt.with_context(
                        allowed_company_ids=[self.env.company.id, other.id]
                    ).search([("item_id", "=", there.id)])
                )
                user.company_ids -= other
